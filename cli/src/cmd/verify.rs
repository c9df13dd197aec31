//! `nzero verify`: check a proof against a program.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use nzero_zkvm::{EvmProof, HashKind, ProgramKey, Proof, ProofHash, program_key, proof_hash_kind, verify};
use serde::Serialize;

use nzero_wrapper::zkvm::wrap::class_of_verifier;
use nzero_wrapper::{Fixture, verify_encoded_proof};

use super::prove::ConfigArgs;
use super::run::load_program;
use super::setup::KeysDirArg;
use crate::output::{hex0x, report};

/// Arguments of `nzero verify`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The proof file.
    proof: PathBuf,
    #[command(flatten)]
    program: ProgramArgs,
    /// Check these public values (hex) instead of the ones the proof carries.
    #[arg(long, value_name = "HEX")]
    public_values_hex: Option<String>,
    #[command(flatten)]
    config: ConfigArgs,
    #[command(flatten)]
    keys: KeysDirArg,
}

/// Which program the proof must be about.
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub(crate) struct ProgramArgs {
    /// The guest ELF (its key is computed).
    #[arg(long)]
    elf: Option<PathBuf>,
    /// The program verifying key (`nzero vkey`), 0x-hex.
    #[arg(long, value_name = "HEX")]
    vkey: Option<String>,
}

impl ProgramArgs {
    fn key(&self) -> anyhow::Result<ProgramKey> {
        if let Some(elf) = &self.elf {
            return Ok(program_key(&load_program(elf)?).2);
        }
        let hex = self.vkey.as_deref().unwrap_or_default();
        let bytes = decode_hex(hex).with_context(|| format!("--vkey {hex:?}"))?;
        let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) else {
            bail!("--vkey must be 32 bytes, got {}", bytes.len());
        };
        Ok(ProgramKey(key))
    }
}

pub(crate) fn decode_hex(hex: &str) -> anyhow::Result<Vec<u8>> {
    hex::decode(hex.strip_prefix("0x").unwrap_or(hex)).context("not valid hex")
}

#[derive(Serialize)]
struct Report {
    ok: bool,
    program_vkey: String,
    exit_code: u32,
    public_values: String,
    public_values_digest: String,
    size_class: String,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.proof).with_context(|| format!("reading {}", args.proof.display()))?;
    let reading = || format!("reading the proof {}", args.proof.display());
    if bytes.trim_ascii_start().starts_with(b"{") {
        let text = String::from_utf8(bytes).with_context(reading)?;
        return check_wrapped(&Fixture::from_json(&text).with_context(reading)?, args, json);
    }
    match proof_hash_kind(&bytes).with_context(reading)? {
        HashKind::Blake2s => check(&<Proof>::from_bytes(&bytes).with_context(reading)?, args, json),
        HashKind::Poseidon2 => check(&EvmProof::from_bytes(&bytes).with_context(reading)?, args, json),
    }
}

fn check<H: ProofHash>(proof: &Proof<H>, args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let key = args.program.key()?;
    let public_values = match &args.public_values_hex {
        Some(hex) => decode_hex(hex).with_context(|| format!("--public-values-hex {hex:?}"))?,
        None => proof.public_values.clone(),
    };
    verify(proof, &key, &public_values, &args.config.config_for(H::KIND)).context("the proof is invalid")?;
    let report_value = Report {
        ok: true,
        program_vkey: key.to_hex(),
        exit_code: proof.statement.exit_code,
        public_values: hex0x(&public_values),
        public_values_digest: hex0x(&proof.statement.public_values_digest),
        size_class: proof.class.name(),
    };
    report(json, &report_value, || {
        format!(
            "valid proof: program {} exited with {} and committed {}",
            report_value.program_vkey, report_value.exit_code, report_value.public_values
        )
    });
    Ok(ExitCode::SUCCESS)
}

/// Checks a wrapped (Groth16) proof natively, as its class's verifier contract would.
fn check_wrapped(wrapped: &Fixture, args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let class = class_of_verifier(&wrapped.verifier)
        .with_context(|| format!("the wrapped proof names an unknown verifier {:?}", wrapped.verifier))?;
    let key = args.program.key()?;
    let public_values = match &args.public_values_hex {
        Some(hex) => decode_hex(hex).with_context(|| format!("--public-values-hex {hex:?}"))?,
        None => wrapped.public_values.clone(),
    };
    let vk = args.keys.verifying_key(class)?;
    verify_encoded_proof(&vk, key.0, &public_values, &wrapped.proof)
        .context("the wrapped proof is invalid")?;
    let report_value = WrappedReport {
        ok: true,
        program_vkey: key.to_hex(),
        public_values: hex0x(&public_values),
        size_class: class.name(),
        verifier: wrapped.verifier.clone(),
    };
    report(json, &report_value, || {
        format!(
            "valid wrapped proof ({}): program {} committed {}",
            report_value.verifier, report_value.program_vkey, report_value.public_values
        )
    });
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct WrappedReport {
    ok: bool,
    program_vkey: String,
    public_values: String,
    size_class: String,
    verifier: String,
}
