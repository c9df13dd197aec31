//! Why a run failed.

/// A run failed: the guest did something the machine does not allow, or ran too long. Every
/// variant names the `pc` of the offending instruction.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExecError {
    /// The word at `pc` is not an RV32IM instruction.
    #[error("illegal instruction {word:#010x} at pc {pc:#010x}")]
    IllegalInstruction {
        /// Where.
        pc: u32,
        /// The word.
        word: u32,
    },
    /// `pc` left the program's code.
    #[error("pc {pc:#010x} is outside the program's code")]
    PcOutOfCode {
        /// The address jumped to.
        pc: u32,
    },
    /// A jump or taken branch to an address that is not a multiple of 4.
    #[error("misaligned jump from pc {pc:#010x} to {target:#010x}")]
    MisalignedJump {
        /// The jumping instruction.
        pc: u32,
        /// The target.
        target: u32,
    },
    /// A load or store of `width` bytes at an address that is not a multiple of `width`.
    #[error("misaligned {width}-byte access to {addr:#010x} at pc {pc:#010x}")]
    MisalignedAccess {
        /// The accessing instruction.
        pc: u32,
        /// The address.
        addr: u32,
        /// The access width in bytes.
        width: u32,
    },
    /// An access outside guest memory.
    #[error("memory access to {addr:#010x} outside guest memory at pc {pc:#010x}")]
    MemoryOutOfBounds {
        /// The accessing instruction.
        pc: u32,
        /// The first address outside memory.
        addr: u32,
    },
    /// The cycle limit ran out before the guest halted.
    #[error("cycle limit of {limit} reached at pc {pc:#010x}")]
    CycleLimitExceeded {
        /// The limit.
        limit: u64,
        /// The next instruction.
        pc: u32,
    },
    /// `ecall` with a number in `a7` that is not a syscall.
    #[error("unknown syscall {number} at pc {pc:#010x}")]
    UnknownSyscall {
        /// The `ecall`.
        pc: u32,
        /// The value of `a7`.
        number: u32,
    },
    /// A debug write to a file descriptor other than stdout (1) or stderr (2).
    #[error("write to unknown file descriptor {fd} at pc {pc:#010x}")]
    BadFileDescriptor {
        /// The `ecall`.
        pc: u32,
        /// The descriptor.
        fd: u32,
    },
    /// The guest's public values or debug output grew past [`MAX_OUTPUT`](super::MAX_OUTPUT) bytes.
    #[error("the guest's output at pc {pc:#010x} exceeds {limit} bytes")]
    OutputLimitExceeded {
        /// The `ecall`.
        pc: u32,
        /// The limit.
        limit: usize,
    },
    /// `ebreak`.
    #[error("breakpoint at pc {pc:#010x}")]
    Breakpoint {
        /// The `ebreak`.
        pc: u32,
    },
    /// The guest halted claiming a public-values digest that is not the SHA-256 of what it
    /// committed: it bypassed the runtime, and no valid proof of this run could be checked.
    #[error("the guest's public values digest at pc {pc:#010x} does not match the committed bytes")]
    DigestMismatch {
        /// The halting `ecall`.
        pc: u32,
        /// SHA-256 of the committed bytes.
        committed: [u8; 32],
        /// The digest the guest passed to the halt syscall.
        claimed: [u8; 32],
    },
}
