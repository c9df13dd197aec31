//! The Nexus Zero zkVM: load an RV32IM ELF, execute it, and record the execution for the prover.
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

mod elf;
mod executor;
mod guest;
mod input;
pub mod isa;
mod memory;
mod program;
mod record;

pub use elf::{ElfError, MAX_CODE_BYTES};
pub use executor::{ExecConfig, ExecError, Execution, Vm, execute, trace};
pub use guest::{BuildError, BuildOptions, GUEST_TARGET, build_guest, linker_script};
pub use input::{EncodeError, Input};
pub use memory::Memory;
pub use nzero_abi as abi;
pub use program::Program;
pub use record::{ExecutionRecord, Step, Tracer};
