//! Programs for the mul and divrem tests: every pair of edge operands and seeded random ones,
//! each result checked against `AluOp::apply` (through the executor, whose trace the proof must
//! match, and directly through the exit code).
#![allow(dead_code, unreachable_pub)] // Each test binary uses a different subset.

use nzero_zkvm::isa::asm::li;
use nzero_zkvm::isa::{AluOp, Instruction};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::common::{halting, prove_exit_code};

/// `a0`: the accumulated results become the exit code.
const A0: u8 = 10;
/// The first of the registers holding [`EDGES`].
const EDGE_REG: u8 = 18;

/// The operands every test combines pairwise.
pub const EDGES: [u32; 9] = [0, 1, u32::MAX, 2, 0x8000_0000, 0x7fff_ffff, 0xffff, 0x1_0000, 0xfffe_ffff];

fn alu(op: AluOp, rd: u8, rs1: u8, rs2: u8) -> u32 {
    Instruction::Alu { op, rd, rs1, rs2 }.encode()
}

/// `op` on every ordered pair of [`EDGES`] and on 24 seeded random pairs (half of them pairing a
/// random word with an edge). `a0` accumulates every result (with `add`), and the proven exit code
/// must be the wrapping sum of `AluOp::apply` over the same pairs.
pub fn prove_every_pair(op: AluOp, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut pairs = vec![];
    for &x in &EDGES {
        for &y in &EDGES {
            pairs.push((x, y));
        }
    }
    for i in 0..24 {
        let x: u32 = rng.random();
        let y = match i % 2 {
            0 => rng.random(),
            _ => EDGES[rng.random_range(0..EDGES.len())],
        };
        pairs.push(if i % 4 == 3 { (y, x) } else { (x, y) });
    }
    let mut code = vec![];
    // x18..x26 hold the edges (clear of a0, a1, a7 and the temporaries x14..x16).
    for (reg, &value) in (EDGE_REG..).zip(&EDGES) {
        code.extend(li(reg, value));
    }
    let edge_reg = |v: u32| EDGES.iter().position(|&e| e == v).map(|i| EDGE_REG + i as u8);
    let mut expected = 0u32;
    for &(x, y) in &pairs {
        let rs1 = edge_reg(x).unwrap_or_else(|| {
            code.extend(li(15, x));
            15
        });
        let rs2 = edge_reg(y).unwrap_or_else(|| {
            code.extend(li(16, y));
            16
        });
        code.push(alu(op, 14, rs1, rs2));
        code.push(alu(AluOp::Add, A0, A0, 14));
        expected = expected.wrapping_add(op.apply(x, y));
    }
    assert_eq!(prove_exit_code(&halting(&code)), expected, "{op:?}");
}

/// Every op of `ops` with aliased registers (`rd = rs1 = rs2`, `rd = rs1`, `rd = x0`), chained so
/// each consumes the previous result, ending with the chain's value in `a0`.
pub fn prove_mixed(ops: &[AluOp], seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut code = vec![];
    let (mut x, y) = (rng.random::<u32>(), rng.random::<u32>() | 1);
    code.extend(li(A0, x));
    code.extend(li(6, y));
    for &op in ops {
        code.push(alu(op, 0, A0, 6)); // discarded
        code.push(alu(op, 7, 6, 6)); // rs1 = rs2
        code.push(alu(op, A0, A0, 6)); // rd = rs1
        x = op.apply(x, y);
        code.push(alu(op, 8, 8, 8)); // rd = rs1 = rs2 (zero)
    }
    assert_eq!(prove_exit_code(&halting(&code)), x);
}
