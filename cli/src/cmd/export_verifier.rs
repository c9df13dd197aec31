//! `nzero export-verifier`: the Solidity verifier (or the snarkjs verification key) of a class's keys.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use nzero_wrapper::zkvm::wrap::verifier_contract;
use nzero_wrapper::{selector, snarkjs_verification_key, solidity_verifier};
use nzero_zkvm::SizeClass;
use serde::Serialize;

use super::prove::parse_class;
use super::setup::KeysDirArg;
use crate::output::{hex0x, report};

/// Arguments of `nzero export-verifier`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The size class whose keys (`nzero setup`) the verifier checks.
    #[arg(long, value_parser = parse_class)]
    class: SizeClass,
    /// Where to write it (default: `contracts/generated/<contract>.sol`, or `<contract>.vk.json`).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// `solidity` (the verifier contract) or `snarkjs` (the verification key as snarkjs's JSON).
    #[arg(long, default_value = "solidity", value_parser = ["solidity", "snarkjs"])]
    format: String,
    #[command(flatten)]
    keys: KeysDirArg,
}

#[derive(Serialize)]
struct Report {
    output: PathBuf,
    contract: String,
    selector: String,
    format: String,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let class = args.class;
    let vk = args.keys.verifying_key(class)?;
    let contract = verifier_contract(class);
    let (text, default) = if args.format == "snarkjs" {
        let json = serde_json::to_string_pretty(&snarkjs_verification_key(&vk)).expect("plain JSON");
        (json + "\n", PathBuf::from(format!("{contract}.vk.json")))
    } else {
        (solidity_verifier(&vk, &contract)?, PathBuf::from(format!("contracts/generated/{contract}.sol")))
    };
    let output = args.output.clone().unwrap_or(default);
    std::fs::write(&output, text).with_context(|| format!("writing {}", output.display()))?;
    let report_value =
        Report { output, contract, selector: hex0x(&selector(&vk)?), format: args.format.clone() };
    report(json, &report_value, || {
        format!(
            "{} ({}, selector {}) written to {}",
            report_value.contract,
            report_value.format,
            report_value.selector,
            report_value.output.display()
        )
    });
    Ok(ExitCode::SUCCESS)
}
