//! `nzero vkey`: the program verifying key of an ELF.

use std::path::PathBuf;
use std::process::ExitCode;

use nzero_zkvm::program_key;
use serde::Serialize;

use super::run::load_program;
use crate::output::report;

/// Arguments of `nzero vkey`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The guest ELF.
    elf: PathBuf,
}

#[derive(Serialize)]
struct Report {
    program_vkey: String,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let program = load_program(&args.elf)?;
    let (_, _, key) = program_key(&program);
    let report_value = Report { program_vkey: key.to_hex() };
    report(json, &report_value, || report_value.program_vkey.clone());
    Ok(ExitCode::SUCCESS)
}
