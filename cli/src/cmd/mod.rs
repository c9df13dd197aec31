//! The subcommands, one module each.

mod build;
mod export_verifier;
mod prove;
mod run;
mod setup;
mod verify;
mod vkey;
mod wrap;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Build, run and prove Rust programs on the Nexus Zero zkVM.
#[derive(Parser, Debug)]
#[command(name = "nzero", version, about)]
pub(crate) struct Cli {
    /// Print one JSON object on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile a guest crate to an RV32IM ELF.
    Build(build::Args),
    /// Execute an ELF and print its public values, exit code and cycle count.
    Run(run::Args),
    /// Print the program verifying key of an ELF.
    Vkey(vkey::Args),
    /// Execute an ELF and prove the execution (Stwo: Blake2s, or Poseidon2 for the EVM with `--evm`).
    Prove(prove::Args),
    /// Make the Groth16 keys of a size class's verifier circuit (single-party: for development).
    Setup(setup::Args),
    /// Wrap an EVM proof into a Groth16 proof for the class's Solidity verifier (its JSON is also a
    /// Foundry fixture: `nzero fixture proof.bin -o test/fixtures/<name>.json`).
    #[command(visible_alias = "fixture")]
    Wrap(wrap::Args),
    /// Write the Solidity verifier (or snarkjs verification key) of a size class's keys.
    ExportVerifier(export_verifier::Args),
    /// Verify a proof (STARK or wrapped) against a program (ELF or verifying key).
    Verify(verify::Args),
}

impl Cli {
    /// Whether the output is JSON.
    pub(crate) fn json(&self) -> bool {
        self.json
    }

    /// Runs the chosen subcommand; the exit code reflects the guest's when there is one.
    pub(crate) fn run(&self) -> anyhow::Result<ExitCode> {
        match &self.command {
            Command::Build(args) => build::run(args, self.json),
            Command::Run(args) => run::run(args, self.json),
            Command::Vkey(args) => vkey::run(args, self.json),
            Command::Prove(args) => prove::run(args, self.json),
            Command::Setup(args) => setup::run(args, self.json),
            Command::Wrap(args) => wrap::run(args, self.json),
            Command::ExportVerifier(args) => export_verifier::run(args, self.json),
            Command::Verify(args) => verify::run(args, self.json),
        }
    }
}
