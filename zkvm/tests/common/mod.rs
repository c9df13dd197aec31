//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)] // Each test binary uses a different subset.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use nzero_zkvm::{BuildOptions, Program, build_guest};

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
