//! The Nexus Zero zkVM: load an RV32IM ELF, execute it, prove the execution with Stwo, verify proofs.
//!
//! ```no_run
//! use nzero_zkvm::{ExecConfig, Input, Program, execute};
//!
//! let elf = std::fs::read("fibonacci.elf")?;
//! let program = Program::from_elf(&elf)?;
//! let mut input = Input::new();
//! input.write(&10u32)?;
//! let run = execute(&program, input.as_bytes(), &ExecConfig::default())?;
//! assert_eq!(run.exit_code, 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod air;
mod class;
mod config;
mod elf;
mod executor;
mod guest;
mod hash;
mod input;
pub mod isa;
mod memory;
mod program;
mod proof;
#[cfg(feature = "prover")]
mod prover;
mod record;
mod verifier;

pub use air::{
    Claim, ComponentKind, ComponentVisitor, LookupElementsSource, Relations, Statement, public_logup_sum,
    visit_components,
};
pub use class::{EVM_TABLE_LOG_SIZE, ExecutionTooLong, SizeClass};
pub use config::StarkConfig;
pub use elf::{ElfError, MAX_CODE_BYTES};
pub use executor::{ExecConfig, ExecError, Execution, MAX_OUTPUT, Vm, execute, trace};
pub use guest::{BuildError, BuildOptions, GUEST_TARGET, build_guest, linker_script};
pub use hash::{HashKind, ProofHash};
pub use input::{EncodeError, Input};
pub use memory::Memory;
pub use nzero_abi as abi;
pub use nzero_poseidon2::Poseidon2MerkleChannel;
pub use program::Program;
pub use proof::{
    EvmProof, FORMAT_VERSION, ProgramKey, ProgramRoots, ProgramShape, Proof, ProofFileError, proof_hash_kind,
};
#[cfg(feature = "prover")]
pub use prover::{ProveError, WitnessError, program_key, prove, prove_in, prove_with};
pub use record::{ExecutionRecord, Step, Tracer};
pub use verifier::{MAX_LOG_SIZE, VerifyError, commit_traces, preprocessed_columns, verify};
