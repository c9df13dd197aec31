//! The subcommands, one module each.

mod build;
mod demo;
mod deploy;
mod export_verifier;
mod new;
mod onchain;
mod pipeline;
mod prove;
mod relay;
mod run;
mod setup;
mod verify;
mod verify_onchain;
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
    /// The whole path in one command: build a guest, prove it for the EVM, wrap, deploy the verifier
    /// to a chain (a local anvil by default) and verify on chain.
    Demo(demo::Args),
    /// Create a project: guest crate, consumer contract, Foundry tests on a real proof, scripts.
    New(new::Args),
    /// Deploy the gateway and size-class verifiers to a chain (a local anvil by default) at CREATE2
    /// addresses and route them.
    Deploy(deploy::Args),
    /// Serve a ComputeBridge: prove and fulfil its requests for the programs of a registry.
    Relay(relay::Args),
    /// Verify a wrapped proof on a chain (a local anvil by default): success and gas, or the error.
    VerifyOnchain(verify_onchain::Args),
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
            Command::Demo(args) => demo::run(args, self.json),
            Command::New(args) => new::run(args, self.json),
            Command::Deploy(args) => deploy::run(args, self.json),
            Command::Relay(args) => relay::run(args, self.json),
            Command::VerifyOnchain(args) => verify_onchain::run(args, self.json),
        }
    }
}
