//! Guest data memory: a flat, word-addressed array over the whole guest address space.

use nzero_abi::layout::{MEMORY_END, MEMORY_START};

/// The guest's data memory, `[MEMORY_START, MEMORY_END)`, as 32-bit words.
///
/// The backing array spans the whole address space but is allocated zeroed, so the operating
/// system materialises only the pages a guest touches.
#[derive(Clone)]
pub struct Memory {
    words: Vec<u32>,
}

impl Memory {
    /// Memory holding `image` (word-aligned address to word), zero elsewhere. Image words outside
    /// guest memory are dropped: no access can reach them.
    pub fn new<'a>(image: impl IntoIterator<Item = (&'a u32, &'a u32)>) -> Self {
        let mut words = vec![0u32; (MEMORY_END / 4) as usize];
        for (&addr, &word) in image {
            if Self::contains(addr) {
                words[(addr / 4) as usize] = word;
            }
        }
        Self { words }
    }

    /// Whether `addr` is inside guest memory.
    #[inline(always)]
    pub fn contains(addr: u32) -> bool {
        (MEMORY_START..MEMORY_END).contains(&addr)
    }

    /// The aligned word containing byte `addr`, which must satisfy [`Memory::contains`].
    #[inline(always)]
    pub fn word(&self, addr: u32) -> u32 {
        self.words[(addr / 4) as usize]
    }

    /// Replaces the aligned word containing byte `addr`, which must satisfy [`Memory::contains`].
    #[inline(always)]
    pub fn set_word(&mut self, addr: u32, word: u32) {
        self.words[(addr / 4) as usize] = word;
    }

    /// The byte at `addr`, which must satisfy [`Memory::contains`].
    pub fn byte(&self, addr: u32) -> u8 {
        (self.word(addr) >> ((addr & 3) * 8)) as u8
    }
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let used = self.words.iter().filter(|&&w| w != 0).count();
        f.debug_struct("Memory").field("nonzero_words", &used).finish()
    }
}
