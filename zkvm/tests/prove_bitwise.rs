//! Proving `and`, `or`, `xor` and their immediate forms: the bitwise chip and the byte-operation
//! table, on edge and seeded random operands.

mod common;

use common::alu::{AluProgram, random_words};
use nzero_zkvm::isa::AluOp;

/// Zero, one, all ones, the sign bit, the largest positive word, limb boundaries, alternating bits,
/// nibble and byte patterns.
const EDGES: [u32; 12] = [
    0,
    1,
    0xffff_ffff,
    0x8000_0000,
    0x7fff_ffff,
    0xffff,
    0x1_0000,
    0x5555_5555,
    0xaaaa_aaaa,
    0x0f0f_0f0f,
    0xf0f0_f0f0,
    0x00ff_ff00,
];

/// 12-bit immediates as encoded (sign-extended when decoded): 0, 1, -1, the largest and smallest,
/// alternating and nibble patterns.
const IMMEDIATES: [u32; 9] = [0, 1, 0xfff, 0x7ff, 0x800, 0x555, 0xaaa, 0x0f0, 0xf0f];

/// The executor-independent meaning of an operation.
type Reference = fn(u32, u32) -> u32;

/// The first register holding an operand (after `a0`, the checksum, and `a1`).
const FIRST: u8 = 12;

/// Every pair of operands in the register form, every immediate with every operand, `rd = x0`, and
/// `rd = rs1 = rs2`.
fn exercise(op: AluOp, reference: Reference) {
    let mut program = AluProgram::default();
    let values: Vec<u32> = EDGES.iter().copied().chain(random_words(op as u64, 4)).collect();
    let regs: Vec<u8> = (FIRST..).take(values.len()).collect();
    for (&reg, &value) in regs.iter().zip(&values) {
        program.li(reg, value);
    }
    for &rs1 in &regs {
        for &rs2 in &regs {
            program.reg(op, 28, rs1, rs2, reference);
        }
        for imm in IMMEDIATES {
            program.imm(op, 29, rs1, imm, reference);
        }
    }
    program.reg(op, 0, FIRST, FIRST + 1, reference);
    program.imm(op, 0, FIRST, 0xfff, reference);
    program.reg(op, FIRST + 2, FIRST + 2, FIRST + 2, reference);
    program.prove_and_verify();
}

#[test]
fn proves_and_and_andi() {
    exercise(AluOp::And, |a, b| a & b);
}

#[test]
fn proves_or_and_ori() {
    exercise(AluOp::Or, |a, b| a | b);
}

#[test]
fn proves_xor_and_xori() {
    exercise(AluOp::Xor, |a, b| a ^ b);
}

#[test]
fn proves_a_mix_of_bitwise_operations_on_random_words() {
    let mut program = AluProgram::default();
    let words = random_words(0xb17, 24);
    let ops: [(AluOp, Reference); 3] =
        [(AluOp::And, |a, b| a & b), (AluOp::Or, |a, b| a | b), (AluOp::Xor, |a, b| a ^ b)];
    for (i, pair) in words.chunks(2).enumerate() {
        program.li(5, pair[0]);
        program.li(6, pair[1]);
        let (op, reference) = ops[i % 3];
        program.reg(op, 7, 5, 6, reference);
        // Chain: the next operation reads this result.
        let (op, reference) = ops[(i + 1) % 3];
        program.reg(op, 8, 7, 5, reference);
        program.imm(op, 9, 8, pair[1] & 0xfff, reference);
    }
    program.prove_and_verify();
}
