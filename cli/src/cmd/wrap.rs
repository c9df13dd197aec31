//! `nzero wrap`: turn an EVM proof into a Groth16 proof of its statement.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use ark_bn254::Fr;
use ark_ff::PrimeField;
use nzero_wrapper::groth16::OsRng;
use nzero_wrapper::zkvm::wrap::wrap;
use nzero_wrapper::{Fixture, decode_proof, snarkjs_proof, snarkjs_public_inputs};
use nzero_zkvm::{EvmProof, HashKind, proof_hash_kind};
use serde::Serialize;

use super::setup::{KeysDirArg, load_keys};
use crate::output::{hex0x, peak_memory_bytes, report};
use crate::progress::stages;

/// Arguments of `nzero wrap`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The EVM proof (`nzero prove --evm`).
    proof: PathBuf,
    /// Where to write the wrapped proof (JSON: the Groth16 proof with its selector, its public input,
    /// the program key and the public values — what `verifyProof` takes).
    #[arg(short, long, default_value = "groth16.json")]
    output: PathBuf,
    /// Also write the proof and its public input in snarkjs's format (`proof.json`, `public.json` in
    /// this directory), for `snarkjs groth16 verify` with `nzero export-verifier --format snarkjs`.
    #[arg(long, value_name = "DIR")]
    snarkjs_dir: Option<PathBuf>,
    #[command(flatten)]
    keys: KeysDirArg,
}

#[derive(Serialize)]
struct Report {
    output: PathBuf,
    size_class: String,
    verifier: String,
    selector: String,
    program_vkey: String,
    public_values: String,
    public_input: String,
    proof: String,
    load_keys_seconds: f64,
    wrap_seconds: f64,
    peak_memory_bytes: Option<u64>,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.proof).with_context(|| format!("reading {}", args.proof.display()))?;
    let reading = || format!("reading the proof {}", args.proof.display());
    if proof_hash_kind(&bytes).with_context(reading)? != HashKind::Poseidon2 {
        bail!(
            "{} is a native (Blake2s) proof: wrap proofs made with `nzero prove --evm`",
            args.proof.display()
        );
    }
    let proof = EvmProof::from_bytes(&bytes).with_context(reading)?;
    let class = proof.class;
    let (keys, load_seconds) = load_keys(class, &args.keys.dir()?)?;
    let (wrapped, seconds) =
        stages("wrapping (Groth16)", |progress| wrap(&proof, &keys, &mut OsRng, progress));
    let wrapped = wrapped.with_context(|| format!("wrapping {}", args.proof.display()))?;
    std::fs::write(&args.output, wrapped.to_json())
        .with_context(|| format!("writing the wrapped proof to {}", args.output.display()))?;
    if let Some(dir) = &args.snarkjs_dir {
        write_snarkjs(dir, &wrapped)?;
    }
    let report_value = Report {
        output: args.output.clone(),
        size_class: class.name(),
        verifier: wrapped.verifier.clone(),
        selector: hex0x(&wrapped.selector),
        program_vkey: hex0x(&wrapped.program_vkey),
        public_values: hex0x(&wrapped.public_values),
        public_input: hex0x(&wrapped.public_input),
        proof: hex0x(&wrapped.proof),
        load_keys_seconds: load_seconds,
        wrap_seconds: seconds,
        peak_memory_bytes: peak_memory_bytes(),
    };
    report(json, &report_value, || {
        format!(
            "wrapped proof  {} ({} bytes for {})\nprogram vkey   {}\npublic values  {}\npublic input   {}\nwrap           {:.1} s (keys loaded in {:.1} s), peak memory {}",
            report_value.output.display(),
            wrapped.proof.len(),
            report_value.verifier,
            report_value.program_vkey,
            report_value.public_values,
            report_value.public_input,
            report_value.wrap_seconds,
            report_value.load_keys_seconds,
            report_value
                .peak_memory_bytes
                .map_or("unknown".into(), |b| format!("{:.2} GiB", b as f64 / (1u64 << 30) as f64)),
        )
    });
    Ok(ExitCode::SUCCESS)
}

/// `proof.json` and `public.json` in snarkjs's format.
fn write_snarkjs(dir: &std::path::Path, wrapped: &Fixture) -> anyhow::Result<()> {
    let (_, proof) = decode_proof(&wrapped.proof)?;
    let input = Fr::from_be_bytes_mod_order(&wrapped.public_input);
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for (name, value) in
        [("proof.json", snarkjs_proof(&proof)), ("public.json", snarkjs_public_inputs(&[input]))]
    {
        let path = dir.join(name);
        let text = serde_json::to_string_pretty(&value).expect("plain JSON") + "\n";
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
