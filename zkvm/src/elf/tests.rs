use super::*;

const X: u32 = 5; // PF_R | PF_X
const RW: u32 = 6; // PF_R | PF_W
const BASE: u32 = MEMORY_START;

/// A segment: `(p_type, vaddr, flags, file bytes, p_memsz)`.
type Seg<'a> = (u32, u32, u32, &'a [u8], u32);

/// An ELF32 RISC-V executable with the given segments, data laid out after the headers.
fn elf(entry: u32, segments: &[Seg<'_>]) -> Vec<u8> {
    let phoff = EHDR_SIZE as u32;
    let mut data_offset = phoff + PHDR_SIZE as u32 * segments.len() as u32;
    let mut out = Vec::new();
    out.extend_from_slice(b"\x7fELF\x01\x01\x01\0\0\0\0\0\0\0\0\0");
    out.extend_from_slice(&ET_EXEC.to_le_bytes());
    out.extend_from_slice(&EM_RISCV.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes()); // e_version
    out.extend_from_slice(&entry.to_le_bytes());
    out.extend_from_slice(&phoff.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // e_shoff
    out.extend_from_slice(&0u32.to_le_bytes()); // e_flags
    out.extend_from_slice(&(EHDR_SIZE as u16).to_le_bytes());
    out.extend_from_slice(&(PHDR_SIZE as u16).to_le_bytes());
    out.extend_from_slice(&(segments.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0; 6]); // e_shentsize, e_shnum, e_shstrndx
    let mut payload = Vec::new();
    for &(p_type, vaddr, flags, bytes, mem_size) in segments {
        for field in [p_type, data_offset, vaddr, vaddr, bytes.len() as u32, mem_size, flags, 4] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        payload.extend_from_slice(bytes);
        data_offset += bytes.len() as u32;
    }
    out.extend_from_slice(&payload);
    out
}

const CODE: [u8; 8] = [0x93, 0x00, 0x10, 0x00, 0x73, 0x00, 0x00, 0x00]; // addi x1, x0, 1; ecall

fn valid() -> Vec<u8> {
    elf(BASE, &[(PT_LOAD, BASE, X, &CODE, 8), (PT_LOAD, BASE + 0x1000, RW, &[1, 2, 3, 4, 5], 0x100)])
}

#[test]
fn loads_code_data_and_bss() {
    let program = Program::from_elf(&valid()).unwrap();
    assert_eq!(program.entry, BASE);
    assert_eq!(program.code_start, BASE);
    assert_eq!(program.code, vec![0x0010_0093, 0x0000_0073]);
    assert_eq!(program.image.get(&BASE), Some(&0x0010_0093), "code is readable as data");
    assert_eq!(program.image.get(&(BASE + 0x1000)), Some(&0x0403_0201));
    assert_eq!(program.image.get(&(BASE + 0x1004)), Some(&0x05));
    assert_eq!(program.image.get(&(BASE + 0x1008)), None, "bss is zero");
}

#[test]
fn ignores_non_load_segments() {
    let bytes = elf(BASE, &[(PT_LOAD, BASE, X, &CODE, 8), (0x7000_0003, 0, 4, &[0; 16], 16)]);
    assert!(Program::from_elf(&bytes).is_ok());
}

fn patched(offset: usize, bytes: &[u8]) -> Vec<u8> {
    let mut elf = valid();
    elf[offset..offset + bytes.len()].copy_from_slice(bytes);
    elf
}

#[test]
fn rejects_malformed_headers() {
    let cases: Vec<(Vec<u8>, ElfError)> = vec![
        (vec![], ElfError::Truncated { what: "ELF identification", offset: 0, end: 16, len: 0 }),
        (b"#!/bin/sh\necho hi\n".to_vec(), ElfError::BadMagic),
        (valid()[..40].to_vec(), ElfError::Truncated { what: "ELF header", offset: 0, end: 52, len: 40 }),
        (patched(4, &[2]), ElfError::Not32Bit(2)),
        (patched(5, &[2]), ElfError::NotLittleEndian(2)),
        (patched(16, &3u16.to_le_bytes()), ElfError::NotExecutable(3)),
        (patched(18, &62u16.to_le_bytes()), ElfError::NotRiscV(62)),
        (patched(18, &3u16.to_le_bytes()), ElfError::NotRiscV(3)),
        (patched(36, &1u32.to_le_bytes()), ElfError::UnsupportedFlags(1)),
        (patched(36, &4u32.to_le_bytes()), ElfError::UnsupportedFlags(4)),
        (
            patched(42, &56u16.to_le_bytes()),
            ElfError::BadHeader { field: "e_phentsize", value: 56, offset: 42 },
        ),
        (
            patched(44, &1000u16.to_le_bytes()),
            ElfError::BadHeader { field: "e_phnum", value: 1000, offset: 44 },
        ),
        (
            patched(28, &0xffff_0000u32.to_le_bytes()),
            ElfError::Truncated {
                what: "program headers",
                offset: 0xffff_0000,
                end: 0xffff_0040,
                len: valid().len(),
            },
        ),
    ];
    for (bytes, want) in cases {
        assert_eq!(Program::from_elf(&bytes), Err(want));
    }
}

#[test]
fn rejects_a_64_bit_x86_elf() {
    // The first bytes of any x86-64 Linux executable.
    let mut bytes = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0".to_vec();
    bytes.resize(64, 0);
    assert_eq!(Program::from_elf(&bytes), Err(ElfError::Not32Bit(2)));
}

#[test]
fn rejects_malformed_segments() {
    let seg0 = EHDR_SIZE;
    let bad = |index, reason| ElfError::BadSegment { index, offset: seg0 + PHDR_SIZE * index as u64, reason };
    let cases: Vec<(Vec<u8>, ElfError)> = vec![
        (elf(BASE, &[(PT_LOAD, BASE, X, &CODE, 4)]), bad(0, "p_filesz exceeds p_memsz")),
        (
            {
                let mut e = valid();
                e.truncate(e.len() - 2);
                e
            },
            bad(1, "file range extends past the end of the file"),
        ),
        (elf(BASE, &[(PT_LOAD, BASE + 2, X, &CODE, 8)]), bad(0, "executable segment is not word-aligned")),
        (
            elf(BASE, &[(PT_LOAD, BASE, X, &CODE, 8), (PT_LOAD, 0, RW, &[1], 4)]),
            ElfError::SegmentOutOfMemory { index: 1, start: 0, end: 4 },
        ),
        (
            elf(BASE, &[(PT_LOAD, BASE, X, &CODE, 8), (PT_LOAD, MEMORY_END - 4, RW, &[], 8)]),
            ElfError::SegmentOutOfMemory {
                index: 1,
                start: u64::from(MEMORY_END) - 4,
                end: u64::from(MEMORY_END) + 4,
            },
        ),
        (
            elf(BASE, &[(PT_LOAD, BASE, X, &CODE, 8), (PT_LOAD, 0xffff_fff0, RW, &[], 0x100)]),
            ElfError::SegmentOutOfMemory { index: 1, start: 0xffff_fff0, end: 0x1_0000_00f0 },
        ),
        (
            elf(BASE, &[(PT_LOAD, BASE + 0x100, RW, &[1], 0x10), (PT_LOAD, BASE, X, &CODE, 0x104)]),
            ElfError::SegmentsOverlap { first: 0, second: 1, addr: BASE + 0x100 },
        ),
        (elf(BASE, &[(PT_LOAD, BASE, RW, &CODE, 8)]), ElfError::NoCode),
        (elf(BASE, &[]), ElfError::NoCode),
        (elf(BASE + 8, &[(PT_LOAD, BASE, X, &CODE, 8)]), ElfError::BadEntry(BASE + 8)),
        (elf(BASE + 2, &[(PT_LOAD, BASE, X, &CODE, 8)]), ElfError::BadEntry(BASE + 2)),
        (
            elf(BASE, &[(PT_INTERP, 0, 4, b"/lib/ld.so\0", 11), (PT_LOAD, BASE, X, &CODE, 8)]),
            ElfError::Dynamic { index: 0, offset: seg0 },
        ),
        (
            elf(BASE, &[(PT_LOAD, BASE, X, &CODE, 8), (PT_LOAD, BASE + MAX_CODE_BYTES, X, &CODE, 8)]),
            ElfError::CodeTooLarge { span: MAX_CODE_BYTES + 8 },
        ),
    ];
    for (bytes, want) in cases {
        assert_eq!(Program::from_elf(&bytes), Err(want));
    }
}

#[test]
fn gaps_between_code_segments_are_not_executable() {
    let bytes = elf(
        BASE,
        &[(PT_LOAD, BASE, X, &CODE, 8), (PT_LOAD, BASE + 8, RW, &CODE, 8), (PT_LOAD, BASE + 16, X, &CODE, 8)],
    );
    let program = Program::from_elf(&bytes).unwrap();
    assert_eq!(program.code, vec![0x0010_0093, 0x73, 0, 0, 0x0010_0093, 0x73]);
    assert_eq!(program.image.get(&(BASE + 8)), Some(&0x0010_0093), "the data segment is still data");
}

#[test]
fn every_truncation_and_byte_flip_is_an_error_or_a_program_never_a_panic() {
    let bytes = valid();
    for len in 0..bytes.len() {
        assert!(Program::from_elf(&bytes[..len]).is_err(), "truncated to {len} bytes");
    }
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut flipped = bytes.clone();
            flipped[i] ^= 1 << bit;
            let _ = Program::from_elf(&flipped);
        }
    }
}
