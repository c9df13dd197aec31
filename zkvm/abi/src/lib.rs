//! The guest/VM contract of the Nexus Zero zkVM, shared by the guest runtime and the executor.
//!
//! A guest calls the VM with `ecall`: the syscall number in `a7` (x17), arguments in `a0..a2`
//! (x10..x12), a result (if any) in `a0`. See `docs/ABI.md` for the full description.
#![no_std]

/// Syscall numbers, passed in register `a7`.
pub mod syscall {
    /// End the run. `a0` = exit code, `a1` = word-aligned address of the 32-byte SHA-256 digest of
    /// all committed public values. The digest becomes part of the proof's statement.
    pub const HALT: u32 = 0;
    /// `a0` <- total length of the private input in bytes.
    pub const INPUT_LEN: u32 = 1;
    /// `a0` <- the next 4 bytes of private input as a little-endian word (zero past the end).
    pub const READ_INPUT_WORD: u32 = 2;
    /// Append `a1` bytes at address `a0` to the public values. The VM does not prove these bytes
    /// directly: the guest hashes them itself and hands the digest to [`HALT`].
    pub const COMMIT: u32 = 3;
    /// Debug output: write `a2` bytes at address `a1` to file descriptor `a0` (1 = stdout, 2 = stderr).
    /// Not part of the statement.
    pub const WRITE: u32 = 4;
}

/// The guest memory map. Addresses outside `[MEMORY_START, MEMORY_END)` are not accessible.
pub mod layout {
    /// Lowest accessible address; the page below it catches null-pointer dereferences.
    pub const MEMORY_START: u32 = 0x0001_0000;
    /// Where the linker script places the program (text first, then read-only data, data, bss).
    pub const PROGRAM_START: u32 = MEMORY_START;
    /// One past the highest accessible address (512 MiB of address space).
    pub const MEMORY_END: u32 = 0x2000_0000;
    /// The initial stack pointer; the stack grows down from here.
    pub const STACK_TOP: u32 = MEMORY_END;
    /// The stack's size; the heap ends where the stack's reserved area begins.
    pub const STACK_SIZE: u32 = 0x0080_0000;
    /// One past the highest heap address.
    pub const HEAP_END: u32 = STACK_TOP - STACK_SIZE;
}

/// Exit codes the runtime uses itself. Any other value is the guest's own choice.
pub mod exit_code {
    /// The guest's `main` returned normally.
    pub const SUCCESS: u32 = 0;
    /// The guest panicked.
    pub const PANIC: u32 = 101;
}
