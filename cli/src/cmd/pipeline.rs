//! The path from a guest crate to a wrapped proof, shared by `nzero demo` and `nzero new`: build,
//! execute, prove for the EVM, make the class's keys when there are none, wrap, and check natively.

use std::path::Path;

use anyhow::{Context, bail};
use nzero_wrapper::Fixture;
use nzero_wrapper::groth16::{KeyKind, Keys, OsRng, key_path};
use nzero_wrapper::zkvm::wrap::{circuit_id, verify_wrapped, wrap};
use nzero_zkvm::{
    BuildOptions, ExecConfig, Poseidon2MerkleChannel, SizeClass, StarkConfig, build_guest, execute,
    program_key, prove_in,
};
use serde::Serialize;

use super::run::load_program;
use super::setup::{load_keys, make_keys};
use crate::progress::{stage, stages};

/// A stage's name and seconds.
#[derive(Serialize)]
pub(crate) struct Timed {
    pub(crate) stage: &'static str,
    pub(crate) seconds: f64,
}

/// A guest proven for the EVM and wrapped.
pub(crate) struct Wrapped {
    pub(crate) program_vkey: String,
    pub(crate) cycles: u64,
    pub(crate) security_bits: u32,
    pub(crate) stark_proof: Vec<u8>,
    pub(crate) fixture: Fixture,
    /// The class's keys (their verifying key makes the Solidity verifier).
    pub(crate) keys: Keys,
    /// Whether the keys were made by this run (single-party setup).
    pub(crate) keys_made: bool,
    pub(crate) stages: Vec<Timed>,
}

/// Builds the guest in `guest`, runs it on `input`, proves the run in `class`, and wraps the proof with
/// the class's keys in `keys_dir` (made first, with a warning, when there are none).
pub(crate) fn prove_and_wrap(
    guest: &Path,
    input: &[u8],
    class: SizeClass,
    keys_dir: &Path,
) -> anyhow::Result<Wrapped> {
    let mut stages_done = Vec::new();
    let mut timed = |stage: &'static str, seconds: f64| stages_done.push(Timed { stage, seconds });

    let (elf, seconds) = stage("building the guest", || build_guest(guest, &BuildOptions::default()));
    let elf = elf.with_context(|| format!("building the guest in {}", guest.display()))?;
    timed("build", seconds);
    let program = load_program(&elf)?;
    let exec = ExecConfig::default();
    let (run, seconds) = stage("executing", || execute(&program, input, &exec));
    let run = run.with_context(|| format!("executing {}", elf.display()))?;
    timed("execute", seconds);
    if run.exit_code != 0 {
        bail!(
            "the guest exited with code {}: only successful executions are proven for the EVM",
            run.exit_code
        );
    }

    let config = StarkConfig::evm_for(class);
    if config.security_bits() < 100 {
        tracing::warn!(
            "class {class} proves with an INSECURE test configuration ({} bits)",
            config.security_bits()
        );
    }
    let (proved, seconds) = stage(&format!("proving for the EVM (class {class})"), || {
        prove_in::<Poseidon2MerkleChannel>(&program, input, &config, &exec, Some(class))
    });
    let (_, proof) = proved.context("proving for the EVM")?;
    timed("prove", seconds);

    let keys_made = !key_path(keys_dir, &circuit_id(class), KeyKind::ProvingKey)?.exists();
    let keys = if keys_made {
        tracing::warn!("no class {class} keys in {}: making them", keys_dir.display());
        let (keys, _, seconds) = make_keys(class, keys_dir)?;
        timed("setup", seconds);
        keys
    } else {
        let (keys, seconds) = load_keys(class, keys_dir)?;
        timed("load keys", seconds);
        keys
    };
    let (fixture, seconds) = stages("wrapping (Groth16)", |p| wrap(&proof, &keys, &mut OsRng, p));
    let fixture = fixture.context("wrapping the proof")?;
    timed("wrap", seconds);
    verify_wrapped(keys.verifying_key(), &fixture).context("verifying the wrapped proof natively")?;

    Ok(Wrapped {
        program_vkey: program_key(&program).2.to_hex(),
        cycles: run.cycles,
        security_bits: config.security_bits(),
        stark_proof: proof.to_bytes(),
        fixture,
        keys,
        keys_made,
        stages: stages_done,
    })
}
