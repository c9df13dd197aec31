//! Proving and verifying `mul`, `mulh`, `mulhsu` and `mulhu` on edge and random operands.

mod common;
mod muldiv;

use nzero_zkvm::isa::AluOp;

#[test]
fn proves_mul() {
    muldiv::prove_every_pair(AluOp::Mul, 1);
}

#[test]
fn proves_mulh() {
    muldiv::prove_every_pair(AluOp::Mulh, 2);
}

#[test]
fn proves_mulhsu() {
    muldiv::prove_every_pair(AluOp::Mulhsu, 3);
}

#[test]
fn proves_mulhu() {
    muldiv::prove_every_pair(AluOp::Mulhu, 4);
}

#[test]
fn proves_all_four_in_one_program_with_aliased_registers() {
    muldiv::prove_mixed(&[AluOp::Mul, AluOp::Mulh, AluOp::Mulhsu, AluOp::Mulhu], 5);
}
