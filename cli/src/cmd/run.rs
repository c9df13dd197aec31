//! `nzero run`: execute a guest.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use nzero_zkvm::{ExecConfig, Program, execute};
use serde::Serialize;

use crate::output::{hex0x, report};

/// Arguments of `nzero run`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The guest ELF.
    elf: PathBuf,
    #[command(flatten)]
    input: InputArgs,
    /// Stop with an error after this many instructions.
    #[arg(long, default_value_t = ExecConfig::default().max_cycles)]
    max_cycles: u64,
}

/// Where the guest's private input comes from.
#[derive(clap::Args, Debug)]
#[group(multiple = false)]
pub(crate) struct InputArgs {
    /// Read the private input from a file (raw bytes).
    #[arg(long)]
    input: Option<PathBuf>,
    /// The private input as hex (`0x` optional).
    #[arg(long, value_name = "HEX")]
    input_hex: Option<String>,
}

impl InputArgs {
    /// The input bytes (empty when none was given).
    pub(crate) fn read(&self) -> anyhow::Result<Vec<u8>> {
        if let Some(path) = &self.input {
            return std::fs::read(path).with_context(|| format!("reading the input file {}", path.display()));
        }
        match &self.input_hex {
            Some(hex) => super::verify::decode_hex(hex)
                .with_context(|| format!("--input-hex {hex:?} is not valid hex")),
            None => Ok(Vec::new()),
        }
    }
}

/// Reads and parses an ELF file.
pub(crate) fn load_program(path: &PathBuf) -> anyhow::Result<Program> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Program::from_elf(&bytes).with_context(|| format!("loading {}", path.display()))
}

#[derive(Serialize)]
struct Report {
    exit_code: u32,
    public_values: String,
    public_values_digest: String,
    cycles: u64,
    seconds: f64,
    mhz: f64,
    stdout: String,
    stderr: String,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let program = load_program(&args.elf)?;
    let input = args.input.read()?;
    let start = Instant::now();
    let run = execute(&program, &input, &ExecConfig { max_cycles: args.max_cycles })
        .with_context(|| format!("executing {}", args.elf.display()))?;
    let seconds = start.elapsed().as_secs_f64();
    let report_value = Report {
        exit_code: run.exit_code,
        public_values: hex0x(&run.public_values),
        public_values_digest: hex0x(&run.public_values_digest),
        cycles: run.cycles,
        seconds,
        mhz: run.cycles as f64 / seconds.max(1e-9) / 1e6,
        stdout: String::from_utf8_lossy(&run.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&run.stderr).into_owned(),
    };
    if !json {
        // The guest's own output comes first, as a program's would.
        eprint!("{}{}", report_value.stdout, report_value.stderr);
    }
    report(json, &report_value, || {
        format!(
            "exit code      {}\npublic values  {}\ndigest         {}\ncycles         {} ({:.1} MHz, {:.3} s)",
            report_value.exit_code,
            report_value.public_values,
            report_value.public_values_digest,
            report_value.cycles,
            report_value.mhz,
            report_value.seconds
        )
    });
    // The guest's exit code becomes the command's, so scripts can branch on it.
    Ok(ExitCode::from(u8::try_from(run.exit_code).unwrap_or(u8::MAX)))
}
