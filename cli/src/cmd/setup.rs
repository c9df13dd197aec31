//! `nzero setup`: the Groth16 keys of a size class's verifier circuit.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use ark_bn254::Bn254;
use ark_groth16::VerifyingKey;
use nzero_wrapper::groth16::OsRng;
use nzero_wrapper::groth16::{Keys, read_key, read_keys, write_keys};
use nzero_wrapper::zkvm::wrap::{circuit_digest, circuit_id, setup};
use nzero_zkvm::SizeClass;
use serde::Serialize;

use super::prove::parse_class;
use crate::output::{hex0x, peak_memory_bytes, report};
use crate::progress::{stage, stages};

/// Arguments of `nzero setup`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The size class (`16`, `18`, `20`, `22`, or `test`: small, for tests, INSECURE proofs).
    #[arg(long, value_parser = parse_class)]
    class: SizeClass,
    #[command(flatten)]
    keys: KeysDirArg,
}

/// Where the keys live.
#[derive(clap::Args, Debug)]
pub(crate) struct KeysDirArg {
    /// The key directory (default: `$NZERO_KEYS_DIR`, else `~/.cache/nexus-zero/keys`).
    #[arg(long, value_name = "DIR")]
    keys_dir: Option<PathBuf>,
}

impl KeysDirArg {
    pub(crate) fn dir(&self) -> anyhow::Result<PathBuf> {
        match &self.keys_dir {
            Some(dir) => Ok(dir.clone()),
            None => Ok(nzero_wrapper::groth16::keys_dir()?),
        }
    }

    /// The verifying key of `class`'s circuit, with a hint to make it when it cannot be read.
    pub(crate) fn verifying_key(&self, class: SizeClass) -> anyhow::Result<VerifyingKey<Bn254>> {
        let dir = self.dir()?;
        read_key(&dir, &circuit_id(class), &circuit_digest(class)).with_context(|| {
            format!("loading the class {class} verifying key from {}{}", dir.display(), setup_hint(class))
        })
    }
}

/// How to make a class's keys.
pub(crate) fn setup_hint(class: SizeClass) -> String {
    format!(" (run `nzero setup --class {}`)", class.name())
}

/// Makes `class`'s keys with a single-party setup (warning that they are for development) and writes
/// them to `dir`; returns them, the files written (matrices, proving key, verifying key) and the seconds
/// the setup took.
pub(crate) fn make_keys(class: SizeClass, dir: &Path) -> anyhow::Result<(Keys, [PathBuf; 3], f64)> {
    tracing::warn!(
        "single-party setup: whoever learns its randomness can forge proofs. Use these keys for \
         development only; production keys need a multi-party ceremony."
    );
    let (keys, seconds) = stages(&format!("Groth16 setup of the class {class} circuit"), |progress| {
        setup(class, &mut OsRng, progress)
    });
    let keys = keys.with_context(|| format!("setting up the class {class} circuit"))?;
    let files = write_keys(dir, &circuit_id(class), &circuit_digest(class), &keys)
        .with_context(|| format!("writing the keys to {}", dir.display()))?;
    Ok((keys, files, seconds))
}

/// Loads `class`'s keys from `dir`, with a hint to make them when they cannot be read; returns them and
/// the seconds it took.
pub(crate) fn load_keys(class: SizeClass, dir: &Path) -> anyhow::Result<(Keys, f64)> {
    let (keys, seconds) = stage(&format!("loading the class {class} keys"), || {
        read_keys(dir, &circuit_id(class), &circuit_digest(class))
    });
    let keys = keys.with_context(|| {
        format!("loading the class {class} keys from {}{}", dir.display(), setup_hint(class))
    })?;
    Ok((keys, seconds))
}

#[derive(Serialize)]
struct Report {
    size_class: String,
    circuit: String,
    constraints: usize,
    selector: String,
    proving_key: PathBuf,
    verifying_key: PathBuf,
    matrices: PathBuf,
    proving_key_bytes: u64,
    setup_seconds: f64,
    peak_memory_bytes: Option<u64>,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let class = args.class;
    let dir = args.keys.dir()?;
    let (keys, [matrices, proving_key, verifying_key], seconds) = make_keys(class, &dir)?;
    let selector = nzero_wrapper::selector(keys.verifying_key())?;
    let report_value = Report {
        size_class: class.name(),
        circuit: circuit_id(class),
        constraints: keys.matrices.num_constraints,
        selector: hex0x(&selector),
        proving_key_bytes: std::fs::metadata(&proving_key).map(|m| m.len()).unwrap_or_default(),
        proving_key,
        verifying_key,
        matrices,
        setup_seconds: seconds,
        peak_memory_bytes: peak_memory_bytes(),
    };
    report(json, &report_value, || {
        format!(
            "keys of class {} ({} constraints, selector {}) in {:.1} s\nproving key    {}\nverifying key  {}\nWARNING: a single-party setup is for development only; production keys need a ceremony.",
            report_value.size_class,
            report_value.constraints,
            report_value.selector,
            report_value.setup_seconds,
            report_value.proving_key.display(),
            report_value.verifying_key.display(),
        )
    });
    Ok(ExitCode::SUCCESS)
}
