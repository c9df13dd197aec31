//! A loaded program: the code the VM fetches from and the initial contents of memory.

use std::collections::BTreeMap;

use crate::isa::Instruction;

/// A program ready to run: everything the VM needs, independent of any input.
///
/// The machine is Harvard-style: instructions are fetched from `code`, which no store can change;
/// data accesses see `image`, which holds every loadable segment (the code included, so constants
/// placed in text can be read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// Address of the first instruction executed.
    pub entry: u32,
    /// Address of `code[0]`; a multiple of 4.
    pub code_start: u32,
    /// Instruction words, one per 4 bytes from `code_start`.
    pub code: Vec<u32>,
    /// Initial memory: word-aligned address to word. Absent words are zero.
    pub image: BTreeMap<u32, u32>,
}

impl Program {
    /// A program from raw instruction words placed at `code_start`, which is also the entry point.
    /// The words are mapped as data too (those inside guest memory). Used by tests and tools that
    /// assemble code directly.
    ///
    /// # Panics
    /// When the code does not fit below 2^32.
    pub fn from_code(code_start: u32, code: Vec<u32>) -> Self {
        let end = u64::from(code_start) + 4 * code.len() as u64;
        assert!(
            end <= 1 << 32,
            "code at {code_start:#x} of {} words overflows the address space",
            code.len()
        );
        let image = (0u32..).zip(&code).map(|(i, &word)| (code_start + 4 * i, word)).collect();
        Self { entry: code_start, code_start, code, image }
    }

    /// One past the last code address.
    pub fn code_end(&self) -> u32 {
        self.code_start + 4 * self.code.len() as u32
    }

    /// Decodes every code word. Words that are not instructions (padding, embedded data) decode
    /// to an error that surfaces only if the VM tries to execute them.
    pub fn decode(&self) -> Vec<Result<Instruction, crate::isa::IllegalInstruction>> {
        self.code.iter().map(|&w| Instruction::decode(w)).collect()
    }
}
