//! Any bytes: `Program::from_elf` returns a program or an `ElfError`, never panics, and what it
//! accepts is a program the VM can run: aligned code inside guest memory, the entry in the code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nzero_zkvm::abi::layout::{MEMORY_END, MEMORY_START};
use nzero_zkvm::{ExecConfig, MAX_CODE_BYTES, Program, execute};

fuzz_target!(|bytes: &[u8]| {
    let Ok(program) = Program::from_elf(bytes) else { return };
    let code_end = u64::from(program.code_start) + 4 * program.code.len() as u64;
    assert!(program.code_start.is_multiple_of(4), "code start {:#x}", program.code_start);
    assert!(u64::from(program.code_start) >= u64::from(MEMORY_START) && code_end <= u64::from(MEMORY_END));
    assert!(code_end - u64::from(program.code_start) <= u64::from(MAX_CODE_BYTES));
    assert!(program.entry.is_multiple_of(4));
    assert!((program.code_start..program.code_end()).contains(&program.entry), "entry {:#x}", program.entry);
    for &addr in program.image.keys() {
        assert!(addr.is_multiple_of(4) && (MEMORY_START..MEMORY_END).contains(&addr), "image word {addr:#x}");
    }
    // A loaded program runs: whatever it does ends in an exit or an `ExecError`.
    let _ = execute(&program, &[], &ExecConfig { max_cycles: 1_000 });
});
