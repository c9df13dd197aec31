//! Loading and validating RV32IM ELF executables.

use std::collections::BTreeMap;
use std::ops::Range;

use nzero_abi::layout::{MEMORY_END, MEMORY_START};

use crate::program::Program;

/// Why an ELF file was rejected. Offsets are byte offsets into the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ElfError {
    /// The file is shorter than a structure it must contain.
    #[error("ELF truncated: {what} needs bytes {offset}..{end}, file has {len}")]
    Truncated {
        /// The structure that does not fit.
        what: &'static str,
        /// Where it starts.
        offset: u64,
        /// Where it ends.
        end: u64,
        /// The file's length.
        len: usize,
    },
    /// The file does not start with `\x7fELF`.
    #[error("not an ELF file (bad magic at offset 0)")]
    BadMagic,
    /// `EI_CLASS` is not `ELFCLASS32`.
    #[error("not a 32-bit ELF (EI_CLASS = {0} at offset 4)")]
    Not32Bit(u8),
    /// `EI_DATA` is not little-endian.
    #[error("not a little-endian ELF (EI_DATA = {0} at offset 5)")]
    NotLittleEndian(u8),
    /// `e_type` is not `ET_EXEC`.
    #[error("not an executable (e_type = {0} at offset 16); link the guest as a static executable")]
    NotExecutable(u16),
    /// `e_machine` is not RISC-V.
    #[error("not a RISC-V ELF (e_machine = {0} at offset 18)")]
    NotRiscV(u16),
    /// The ELF uses an extension this VM does not implement (compressed, float ABI, RVE).
    #[error("unsupported RISC-V ELF flags {0:#x} at offset 36: only RV32IM, soft-float, no compressed")]
    UnsupportedFlags(u32),
    /// A header field has a value the format does not allow.
    #[error("malformed ELF header: {field} = {value} at offset {offset}")]
    BadHeader {
        /// The field.
        field: &'static str,
        /// Its value.
        value: u64,
        /// Its offset.
        offset: u64,
    },
    /// A dynamic or interpreted executable: guests must be static.
    #[error("program header {index} (offset {offset}) asks for dynamic linking, which the VM does not do")]
    Dynamic {
        /// The program header's index.
        index: usize,
        /// Its offset.
        offset: u64,
    },
    /// A segment's sizes are inconsistent or do not fit the file.
    #[error("segment {index} (header at offset {offset}) is malformed: {reason}")]
    BadSegment {
        /// The program header's index.
        index: usize,
        /// Its offset.
        offset: u64,
        /// What is wrong.
        reason: &'static str,
    },
    /// A segment lies (partly) outside the guest's memory.
    #[error(
        "segment {index} at {start:#x}..{end:#x} is outside guest memory {MEMORY_START:#x}..{MEMORY_END:#x}"
    )]
    SegmentOutOfMemory {
        /// The program header's index.
        index: usize,
        /// First address.
        start: u64,
        /// One past the last address.
        end: u64,
    },
    /// Two segments share addresses.
    #[error("segments {first} and {second} overlap at {addr:#x}")]
    SegmentsOverlap {
        /// The earlier segment's index.
        first: usize,
        /// The later segment's index.
        second: usize,
        /// The first shared address.
        addr: u32,
    },
    /// No executable segment.
    #[error("the ELF has no executable segment")]
    NoCode,
    /// The executable segments span more than the VM's code limit.
    #[error("code spans {span:#x} bytes, more than the limit of {MAX_CODE_BYTES:#x}")]
    CodeTooLarge {
        /// Bytes from the first to one past the last executable address.
        span: u32,
    },
    /// The entry point is not an aligned address inside an executable segment.
    #[error("entry point {0:#x} is not a word-aligned address inside an executable segment")]
    BadEntry(u32),
}

const EHDR_SIZE: u64 = 52;
const PHDR_SIZE: u64 = 32;
const MAX_SEGMENTS: u16 = 256;
/// The largest code span the VM accepts (16 MiB, four million instructions).
pub const MAX_CODE_BYTES: u32 = 1 << 24;
const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const PF_X: u32 = 1;
const EM_RISCV: u16 = 243;
const ET_EXEC: u16 = 2;
/// `EF_RISCV_RVC | EF_RISCV_FLOAT_ABI | EF_RISCV_RVE`.
const UNSUPPORTED_FLAGS: u32 = 0x1 | 0x6 | 0x8;

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn bytes(&self, what: &'static str, offset: u64, len: u64) -> Result<&[u8], ElfError> {
        let end = offset.saturating_add(len);
        let truncated = ElfError::Truncated { what, offset, end, len: self.0.len() };
        if end > self.0.len() as u64 {
            return Err(truncated);
        }
        Ok(&self.0[offset as usize..end as usize])
    }

    fn u16(&self, offset: u64) -> u16 {
        u16::from_le_bytes([self.0[offset as usize], self.0[offset as usize + 1]])
    }

    fn u32(&self, offset: u64) -> u32 {
        let b = &self.0[offset as usize..offset as usize + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }
}

/// A `PT_LOAD` segment, validated.
struct Segment {
    index: usize,
    vaddr: u32,
    data: Range<usize>,
    mem_size: u32,
    executable: bool,
}

impl Segment {
    fn range(&self) -> Range<u32> {
        self.vaddr..self.vaddr + self.mem_size
    }
}

impl Program {
    /// Parses and validates a 32-bit little-endian RISC-V static executable.
    ///
    /// # Errors
    /// An [`ElfError`] naming the first problem found: truncation, a wrong class, endianness, type
    /// or machine, unsupported extensions, malformed or overlapping segments, segments outside guest
    /// memory, or an entry point outside the code.
    pub fn from_elf(bytes: &[u8]) -> Result<Self, ElfError> {
        let file = Reader(bytes);
        let ident = file.bytes("ELF identification", 0, 16)?;
        if ident[..4] != *b"\x7fELF" {
            return Err(ElfError::BadMagic);
        }
        if ident[4] != 1 {
            return Err(ElfError::Not32Bit(ident[4]));
        }
        if ident[5] != 1 {
            return Err(ElfError::NotLittleEndian(ident[5]));
        }
        file.bytes("ELF header", 0, EHDR_SIZE)?;
        let e_type = file.u16(16);
        if e_type != ET_EXEC {
            return Err(ElfError::NotExecutable(e_type));
        }
        let machine = file.u16(18);
        if machine != EM_RISCV {
            return Err(ElfError::NotRiscV(machine));
        }
        let entry = file.u32(24);
        let phoff = u64::from(file.u32(28));
        let flags = file.u32(36);
        if flags & UNSUPPORTED_FLAGS != 0 {
            return Err(ElfError::UnsupportedFlags(flags));
        }
        let phentsize = file.u16(42);
        if u64::from(phentsize) != PHDR_SIZE {
            return Err(ElfError::BadHeader { field: "e_phentsize", value: phentsize.into(), offset: 42 });
        }
        let phnum = file.u16(44);
        if phnum > MAX_SEGMENTS {
            return Err(ElfError::BadHeader { field: "e_phnum", value: phnum.into(), offset: 44 });
        }
        file.bytes("program headers", phoff, u64::from(phnum) * PHDR_SIZE)?;

        let mut segments = Vec::new();
        for index in 0..usize::from(phnum) {
            let offset = phoff + index as u64 * PHDR_SIZE;
            let bad = |reason| ElfError::BadSegment { index, offset, reason };
            match file.u32(offset) {
                PT_LOAD => {}
                PT_DYNAMIC | PT_INTERP => return Err(ElfError::Dynamic { index, offset }),
                _ => continue,
            }
            let (p_offset, vaddr) = (file.u32(offset + 4), file.u32(offset + 8));
            let (file_size, mem_size) = (file.u32(offset + 16), file.u32(offset + 20));
            let executable = file.u32(offset + 24) & PF_X != 0;
            if file_size > mem_size {
                return Err(bad("p_filesz exceeds p_memsz"));
            }
            if mem_size == 0 {
                continue;
            }
            let data = file
                .bytes("segment data", p_offset.into(), file_size.into())
                .map_err(|_| bad("file range extends past the end of the file"))?;
            let start = u64::from(vaddr);
            let end = start + u64::from(mem_size);
            if start < u64::from(MEMORY_START) || end > u64::from(MEMORY_END) {
                return Err(ElfError::SegmentOutOfMemory { index, start, end });
            }
            if executable && (vaddr % 4 != 0 || mem_size % 4 != 0) {
                return Err(bad("executable segment is not word-aligned"));
            }
            let data_start = data.as_ptr() as usize - bytes.as_ptr() as usize;
            segments.push(Segment {
                index,
                vaddr,
                data: data_start..data_start + data.len(),
                mem_size,
                executable,
            });
        }

        segments.sort_by_key(|s| s.vaddr);
        for pair in segments.windows(2) {
            if pair[1].vaddr < pair[0].range().end {
                let (first, second) = (pair[0].index.min(pair[1].index), pair[0].index.max(pair[1].index));
                return Err(ElfError::SegmentsOverlap { first, second, addr: pair[1].vaddr });
            }
        }

        let code_segments: Vec<&Segment> = segments.iter().filter(|s| s.executable).collect();
        let (Some(first), Some(last)) = (code_segments.first(), code_segments.last()) else {
            return Err(ElfError::NoCode);
        };
        if entry % 4 != 0 || !code_segments.iter().any(|s| s.range().contains(&entry)) {
            return Err(ElfError::BadEntry(entry));
        }

        let span = last.range().end - first.vaddr;
        if span > MAX_CODE_BYTES {
            return Err(ElfError::CodeTooLarge { span });
        }

        let mut image = BTreeMap::new();
        for segment in &segments {
            for (addr, &byte) in (segment.vaddr..).zip(&bytes[segment.data.clone()]) {
                if byte != 0 {
                    let word = image.entry(addr & !3).or_insert(0u32);
                    *word |= u32::from(byte) << ((addr & 3) * 8);
                }
            }
        }
        let code_start = first.vaddr;
        let code_len = span / 4;
        let code = (0..code_len).map(|i| image.get(&(code_start + 4 * i)).copied().unwrap_or(0)).collect();
        // Gaps between executable segments hold zeros, which decode as illegal instructions.
        let mut program = Self { entry, code_start, code, image };
        for gap in code_segments.windows(2) {
            for addr in (gap[0].range().end..gap[1].vaddr).step_by(4) {
                program.code[((addr - code_start) / 4) as usize] = 0;
            }
        }
        Ok(program)
    }
}

#[cfg(test)]
mod tests;
