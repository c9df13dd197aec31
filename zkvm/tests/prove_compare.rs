//! Proving `slt`, `sltu`, `slti` and `sltiu` end to end. Each program adds every comparison's result
//! into `a0`, which becomes the exit code, so the proven statement depends on every result.

mod common;

use common::{halting, prove_exit_code};
use nzero_zkvm::Program;

use nzero_zkvm::isa::asm::li;
use nzero_zkvm::isa::{AluOp, Instruction};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The register that accumulates the results and holds the exit code.
const A0: u8 = 10;
/// The first register holding an operand.
const FIRST: u8 = 12;

/// The edge operands: zero, ±1, the extremes, values on both sides of the limb boundary, pairs
/// that differ only in the low or only in the high limb, and seeded random words.
fn operands() -> Vec<u32> {
    let mut values = vec![
        0,
        1,
        u32::MAX, // -1
        i32::MIN as u32,
        i32::MAX as u32,
        0xffff,
        0x1_0000,
        0x1234_5678,
        0x1234_5679, // differs from the previous in the low limb only
        0x9234_5678, // in the high limb only (and in sign)
        0x8000_ffff,
        0x7fff_0000,
    ];
    let mut rng = StdRng::seed_from_u64(0xc0de);
    values.extend((0..4).map(|_| rng.random::<u32>()));
    values
}

fn alu(op: AluOp, rd: u8, rs1: u8, rs2: u8) -> u32 {
    Instruction::Alu { op, rd, rs1, rs2 }.encode()
}

fn alu_imm(op: AluOp, rd: u8, rs1: u8, imm: u32) -> u32 {
    Instruction::AluImm { op, rd, rs1, imm }.encode()
}

/// Loads `values` into consecutive registers from `FIRST` on.
fn load(values: &[u32]) -> Vec<u32> {
    (FIRST..).zip(values).flat_map(|(reg, &value)| li(reg, value)).collect()
}

/// `op` on every ordered pair of operands (including each with itself), summed into `a0`; returns
/// the program and the expected sum.
fn every_pair(op: AluOp) -> (Program, u32) {
    let values = operands();
    let mut code = load(&values);
    let mut expected = 0;
    for (i, &a) in (FIRST..).zip(&values) {
        for (j, &b) in (FIRST..).zip(&values) {
            code.push(alu(op, 5, i, j));
            code.push(alu(AluOp::Add, A0, A0, 5));
            expected += op.apply(a, b);
        }
    }
    // rd = rs1 (the read at slot 1 comes before the write at slot 4) and rd = x0.
    code.push(alu(op, FIRST, FIRST, FIRST + 2));
    code.push(alu(AluOp::Add, A0, A0, FIRST));
    expected += op.apply(values[0], values[2]);
    code.push(alu(op, 0, FIRST + 2, FIRST));
    (halting(&code), expected)
}

/// `op` with immediates (sign-extended 12-bit) against every operand, summed into `a0`.
fn every_immediate(op: AluOp) -> (Program, u32) {
    let values = operands();
    let mut code = load(&values);
    let mut expected = 0;
    // -1 (0xffffffff), -2048 (0xfffff800), 2047 and values around zero.
    let imms = [0, 1, u32::MAX, 0xffff_f800, 0x7ff, 0xffff_fffe, 0x400];
    for (i, &a) in (FIRST..).zip(&values) {
        for imm in imms {
            code.push(alu_imm(op, 5, i, imm));
            code.push(alu(AluOp::Add, A0, A0, 5));
            expected += op.apply(a, imm);
        }
    }
    code.push(alu_imm(op, 0, FIRST, u32::MAX));
    (halting(&code), expected)
}

#[test]
fn proves_slt_on_edge_operands() {
    let (program, expected) = every_pair(AluOp::Slt);
    assert_eq!(prove_exit_code(&program), expected);
}

#[test]
fn proves_sltu_on_edge_operands() {
    let (program, expected) = every_pair(AluOp::Sltu);
    assert_eq!(prove_exit_code(&program), expected);
}

#[test]
fn proves_slti_with_negative_immediates() {
    let (program, expected) = every_immediate(AluOp::Slt);
    assert_eq!(prove_exit_code(&program), expected);
}

#[test]
fn proves_sltiu_with_negative_immediates() {
    let (program, expected) = every_immediate(AluOp::Sltu);
    // sltiu x, -1 compares with 0xffffffff: true for every operand but -1 itself.
    assert_eq!(AluOp::Sltu.apply(u32::MAX - 1, u32::MAX), 1);
    assert_eq!(prove_exit_code(&program), expected);
}

#[test]
fn signed_and_unsigned_disagree_where_the_signs_differ() {
    let mut code = load(&[u32::MAX, 1, i32::MIN as u32, i32::MAX as u32, 0]);
    // Each result is added `weight` times into a0, so each one has its own bit of the exit code.
    let checks = [
        (AluOp::Slt, FIRST, FIRST + 1, 1),      // -1 < 1 signed: true
        (AluOp::Slt, FIRST + 2, FIRST + 3, 2),  // i32::MIN < i32::MAX signed: true
        (AluOp::Sltu, FIRST, FIRST + 1, 4),     // 0xffffffff < 1 unsigned: false
        (AluOp::Sltu, FIRST + 2, FIRST + 3, 8), // 0x80000000 < 0x7fffffff unsigned: false
        (AluOp::Slt, FIRST + 1, FIRST, 16),     // 1 < -1 signed: false
        (AluOp::Sltu, FIRST + 1, FIRST, 32),    // 1 < 0xffffffff unsigned: true
    ];
    for (op, i, j, weight) in checks {
        code.push(alu(op, 5, i, j));
        code.extend(std::iter::repeat_n(alu(AluOp::Add, A0, A0, 5), weight));
    }
    // sltiu rd, rs, 1 is `seqz`: 0 == 0.
    code.push(alu_imm(AluOp::Sltu, 5, FIRST + 4, 1));
    code.extend(std::iter::repeat_n(alu(AluOp::Add, A0, A0, 5), 64));
    assert_eq!(prove_exit_code(&halting(&code)), 1 + 2 + 32 + 64);
}
