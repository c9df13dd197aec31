//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)] // Each test binary uses a different subset.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use nzero_abi::layout::PROGRAM_START;
use nzero_abi::syscall;
use nzero_zkvm::isa::Instruction;
use nzero_zkvm::isa::asm::li;
use nzero_zkvm::{
    BuildOptions, ExecConfig, Program, Proof, StarkConfig, build_guest, program_key, prove, verify,
};
use sha2::{Digest, Sha256};

/// The configuration the proving tests use (insecure: speed matters, soundness is tested
/// separately).
pub const CONFIG: StarkConfig = StarkConfig::insecure_for_tests();

/// Where [`halting`] places the digest of the empty public values, away from the tests' own data.
pub const DIGEST: u32 = 0x0800_0000;

/// `code`, then a halt whose exit code is whatever `a0` holds and whose public values are empty.
pub fn halting(code: &[u32]) -> Program {
    let mut words = code.to_vec();
    for (reg, value) in [(11, DIGEST), (17, syscall::HALT)] {
        words.extend(li(reg, value));
    }
    words.push(Instruction::Ecall.encode());
    let mut program = Program::from_code(PROGRAM_START, words);
    for (i, chunk) in (0u32..).zip(Sha256::digest(b"").chunks(4)) {
        program.image.insert(DIGEST + 4 * i, u32::from_le_bytes(chunk.try_into().expect("4 bytes")));
    }
    program
}

/// Proves `program` (no input), verifies the proof, checks the proven exit code is the executor's,
/// and returns the proof.
pub fn prove_and_verify(program: &Program) -> Proof {
    let (execution, proof) = prove(program, b"", &CONFIG, &ExecConfig::default()).expect("proves");
    let (_, _, key) = program_key(program);
    verify(&proof, &key, b"", &CONFIG).expect("verifies");
    assert_eq!(proof.statement.exit_code, execution.exit_code);
    proof
}

/// [`prove_and_verify`], returning the proven exit code.
pub fn prove_exit_code(program: &Program) -> u32 {
    prove_and_verify(program).statement.exit_code
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("zkvm/ has a parent").to_path_buf()
}

/// Builds `examples/<name>` (once per test binary; cargo caches across binaries) and loads it.
pub fn example(name: &str) -> (PathBuf, Program) {
    static BUILD: Mutex<()> = Mutex::new(());
    let _guard = BUILD.lock().unwrap_or_else(|e| e.into_inner());
    let elf = build_guest(&repo_root().join("examples").join(name), &BuildOptions::default())
        .unwrap_or_else(|e| panic!("building example {name}: {e}"));
    let program = Program::from_elf(&std::fs::read(&elf).expect("reading the built ELF")).expect("valid ELF");
    (elf, program)
}

pub mod alu;
