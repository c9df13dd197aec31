//! `nzero prove`: execute a guest and prove the execution.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use nzero_zkvm::{
    ExecConfig, HashKind, Poseidon2MerkleChannel, SizeClass, StarkConfig, program_key, prove, prove_in,
};
use serde::Serialize;

use super::run::{InputArgs, load_program};
use crate::output::{hex0x, report};
use crate::progress::stage;

/// Arguments of `nzero prove`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The guest ELF.
    elf: PathBuf,
    #[command(flatten)]
    input: InputArgs,
    /// Where to write the proof.
    #[arg(short, long, default_value = "proof.bin")]
    output: PathBuf,
    /// Stop with an error after this many instructions.
    #[arg(long, default_value_t = ExecConfig::default().max_cycles)]
    max_cycles: u64,
    #[command(flatten)]
    config: ConfigArgs,
    /// Prove for the EVM: with the Poseidon2-BN254 channel, at the size class's fixed shape, ready
    /// for `nzero wrap`.
    #[arg(long)]
    evm: bool,
    /// The size class of an EVM proof (`16`, `18`, `20`, `22`, or `test`); default: the smallest that
    /// holds the execution. The `test` class uses the INSECURE test configuration.
    #[arg(long, requires = "evm", value_parser = parse_class)]
    class: Option<SizeClass>,
}

pub(crate) fn parse_class(name: &str) -> Result<SizeClass, String> {
    SizeClass::from_name(name).ok_or_else(|| format!("no size class {name:?} (16, 18, 20, 22 or test)"))
}

/// The STARK configuration.
#[derive(clap::Args, Debug)]
pub(crate) struct ConfigArgs {
    /// Use the INSECURE test configuration (12 bits of security; for tests and demos only).
    #[arg(long)]
    insecure_test_config: bool,
}

impl ConfigArgs {
    /// The native configuration.
    pub(crate) fn config(&self) -> StarkConfig {
        if self.insecure_test_config { StarkConfig::insecure_for_tests() } else { StarkConfig::secure() }
    }

    /// The configuration a proof of `kind` must have.
    pub(crate) fn config_for(&self, kind: HashKind) -> StarkConfig {
        match (kind, self.insecure_test_config) {
            (HashKind::Blake2s, _) => self.config(),
            (HashKind::Poseidon2, true) => StarkConfig::evm_insecure_for_tests(),
            (HashKind::Poseidon2, false) => StarkConfig::evm(),
        }
    }
}

#[derive(Serialize)]
struct Report {
    proof: PathBuf,
    program_vkey: String,
    exit_code: u32,
    public_values: String,
    public_values_digest: String,
    cycles: u64,
    size_class: String,
    hash: String,
    security_bits: u32,
    prove_seconds: f64,
    cycles_per_second: f64,
    proof_bytes: usize,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let program = load_program(&args.elf)?;
    let input = args.input.read()?;
    let exec = ExecConfig { max_cycles: args.max_cycles };
    let (config, class) = if args.evm {
        let class = args.class.or(args.config.insecure_test_config.then_some(SizeClass::Test));
        (class.map_or(StarkConfig::evm(), StarkConfig::evm_for), class)
    } else {
        (args.config.config(), None)
    };
    if config.security_bits() < 100 {
        tracing::warn!("proving with an INSECURE test configuration ({} bits)", config.security_bits());
    }
    let proved = |hash: &str| format!("proving {} ({hash})", args.elf.display());
    let (execution, bytes, size_class, seconds) = if args.evm {
        let (result, seconds) = stage("proving for the EVM (Poseidon2)", || {
            prove_in::<Poseidon2MerkleChannel>(&program, &input, &config, &exec, class)
        });
        let (execution, proof) = result.with_context(|| proved("Poseidon2"))?;
        (execution, proof.to_bytes(), proof.class, seconds)
    } else {
        let (result, seconds) = stage("proving", || prove(&program, &input, &config, &exec));
        let (execution, proof) = result.with_context(|| proved("Blake2s"))?;
        (execution, proof.to_bytes(), proof.class, seconds)
    };
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("writing the proof to {}", args.output.display()))?;
    let (_, _, key) = program_key(&program);
    let report_value = Report {
        proof: args.output.clone(),
        program_vkey: key.to_hex(),
        exit_code: execution.exit_code,
        public_values: hex0x(&execution.public_values),
        public_values_digest: hex0x(&execution.public_values_digest),
        cycles: execution.cycles,
        size_class: size_class.name(),
        hash: if args.evm { "poseidon2" } else { "blake2s" }.into(),
        security_bits: config.security_bits(),
        prove_seconds: seconds,
        cycles_per_second: execution.cycles as f64 / seconds.max(1e-9),
        proof_bytes: bytes.len(),
    };
    report(json, &report_value, || {
        format!(
            "proof          {} ({} bytes)\nprogram vkey   {}\nexit code      {}\npublic values  {}\ncycles         {} (class {}, {:.0} cycles/s, {:.2} s)",
            report_value.proof.display(),
            report_value.proof_bytes,
            report_value.program_vkey,
            report_value.exit_code,
            report_value.public_values,
            report_value.cycles,
            report_value.size_class,
            report_value.cycles_per_second,
            report_value.prove_seconds,
        )
    });
    Ok(ExitCode::SUCCESS)
}
