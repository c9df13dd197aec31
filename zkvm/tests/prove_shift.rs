//! Proving `sll`, `srl`, `sra` and their immediate forms: the shift chip and the shift table, for
//! every shift amount, register shift amounts of 32 and more (only the low five bits count), and
//! negative operands for `sra`.

mod common;

use common::alu::{AluProgram, random_words};
use nzero_zkvm::isa::AluOp;

/// Zero, one, all ones, the sign bit, the largest positive word, limb boundaries, the top bit of
/// the low limb, patterns with the sign bit set and clear.
const EDGES: [u32; 12] = [
    0,
    1,
    0xffff_ffff,
    0x8000_0000,
    0x7fff_ffff,
    0xffff,
    0x1_0000,
    0x8000,
    0x1234_5678,
    0x8765_4321,
    0xaaaa_aaaa,
    0x5555_5555,
];

/// Register shift amounts of 32 and more: the low five bits count, the rest of the low limb and
/// the whole high limb do not.
const LARGE_AMOUNTS: [u32; 14] = [
    32,
    33,
    47,
    48,
    63,
    69,
    0xffff,
    0xffe0,
    0x1_0000,
    0x1_0011,
    0xffff_ffff,
    0xffff_ffe1,
    0x8000_0000,
    0x7fff_fff0,
];

/// The executor-independent meaning of an operation.
type Reference = fn(u32, u32) -> u32;

/// The first register holding an operand (after `a0`, the checksum, and `a1`).
const FIRST: u8 = 12;
/// The register holding the shift amount of register forms.
const AMOUNT: u8 = 28;

/// Every operand shifted by every amount 0..32 in both forms and by the large register amounts,
/// plus `rd = x0` and `rd = rs1 = rs2`.
fn exercise(op: AluOp, reference: Reference) {
    let mut program = AluProgram::default();
    let values: Vec<u32> = EDGES.iter().copied().chain(random_words(op as u64, 4)).collect();
    let regs: Vec<u8> = (FIRST..).take(values.len()).collect();
    for (&reg, &value) in regs.iter().zip(&values) {
        program.li(reg, value);
    }
    let amounts = (0..32).chain(LARGE_AMOUNTS).chain(random_words(op as u64 + 100, 2));
    for amount in amounts {
        program.li(AMOUNT, amount);
        for &rs1 in &regs {
            program.reg(op, 29, rs1, AMOUNT, reference);
            if amount < 32 {
                program.imm(op, 30, rs1, amount, reference);
            }
        }
    }
    program.reg(op, 0, FIRST + 3, AMOUNT, reference);
    program.imm(op, 0, FIRST + 3, 7, reference);
    program.li(FIRST + 2, 0x8000_0013);
    program.reg(op, FIRST + 2, FIRST + 2, FIRST + 2, reference);
    program.prove_and_verify();
}

#[test]
fn proves_sll_and_slli() {
    exercise(AluOp::Sll, |a, b| a.wrapping_shl(b));
}

#[test]
fn proves_srl_and_srli() {
    exercise(AluOp::Srl, |a, b| a.wrapping_shr(b));
}

#[test]
fn proves_sra_and_srai() {
    exercise(AluOp::Sra, |a, b| (a as i32).wrapping_shr(b) as u32);
}

#[test]
fn proves_chained_shifts_of_random_words() {
    let mut program = AluProgram::default();
    let ops: [(AluOp, Reference); 3] = [
        (AluOp::Sll, |a, b| a.wrapping_shl(b)),
        (AluOp::Srl, |a, b| a.wrapping_shr(b)),
        (AluOp::Sra, |a, b| (a as i32).wrapping_shr(b) as u32),
    ];
    for (i, pair) in random_words(0x5417, 30).chunks(2).enumerate() {
        program.li(5, pair[0]);
        program.li(6, pair[1]);
        let (op, reference) = ops[i % 3];
        program.reg(op, 7, 5, 6, reference);
        let (op, reference) = ops[(i + 1) % 3];
        program.reg(op, 8, 7, 6, reference);
        program.imm(op, 9, 8, pair[1] & 31, reference);
    }
    program.prove_and_verify();
}
