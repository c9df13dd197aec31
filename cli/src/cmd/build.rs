//! `nzero build`: compile a guest crate.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use nzero_zkvm::{BuildOptions, build_guest};
use serde::Serialize;

use crate::output::report;

/// Arguments of `nzero build`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The guest crate's directory.
    #[arg(default_value = ".")]
    guest: PathBuf,
    /// The binary to build when the crate has several.
    #[arg(long)]
    bin: Option<String>,
    /// Copy the ELF here as well.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Serialize)]
struct Report {
    elf: PathBuf,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let options = BuildOptions { bin: args.bin.clone(), ..BuildOptions::default() };
    let mut elf = build_guest(&args.guest, &options)
        .with_context(|| format!("building the guest in {}", args.guest.display()))?;
    if let Some(output) = &args.output {
        std::fs::copy(&elf, output).with_context(|| format!("copying the ELF to {}", output.display()))?;
        elf.clone_from(output);
    }
    report(json, &Report { elf: elf.clone() }, || format!("built {}", elf.display()));
    Ok(ExitCode::SUCCESS)
}
