//! Proving and verifying `div`, `divu`, `rem` and `remu` on edge and random operands, including
//! division by zero and `i32::MIN / -1`.

mod common;
mod muldiv;

use nzero_zkvm::isa::AluOp;

#[test]
fn proves_div() {
    muldiv::prove_every_pair(AluOp::Div, 11);
}

#[test]
fn proves_divu() {
    muldiv::prove_every_pair(AluOp::Divu, 12);
}

#[test]
fn proves_rem() {
    muldiv::prove_every_pair(AluOp::Rem, 13);
}

#[test]
fn proves_remu() {
    muldiv::prove_every_pair(AluOp::Remu, 14);
}

#[test]
fn proves_all_four_in_one_program_with_aliased_registers() {
    muldiv::prove_mixed(&[AluOp::Div, AluOp::Divu, AluOp::Rem, AluOp::Remu], 15);
}
