//! The instruction chips: each proves the execution of a family of opcodes, one row per executed
//! instruction, and links to the rest of the machine only through relations (state, program,
//! memory, range).
//!
//! Every chip row starts with the same [`Frame`]: the state `(pc, clk)` it consumes, the decoded
//! instruction it looks up in the program table, and the register accesses. Timestamps: within
//! cycle `clk`, slot 1 reads `rs1`, slot 2 reads `rs2`, slot 3 accesses RAM, slot 4 writes `rd`
//! (`ts = 4 clk + slot`), so even `add x1, x1, x1` touches its cell in a strict order.

pub(crate) mod add_sub;
pub(crate) mod address;
pub(crate) mod bitwise;
pub(crate) mod branch;
pub(crate) mod compare;
pub(crate) mod divrem;
pub(crate) mod ecall;
pub(crate) mod halt;
pub(crate) mod jump;
pub(crate) mod less_than;
pub(crate) mod load;
pub(crate) mod mul;
pub(crate) mod product;
pub(crate) mod shift;
pub(crate) mod store;

use num_traits::{One, Zero};
use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::EvalAtRow;

use super::columns::columns;
use super::lookup::{AccessCols, eval_access, use_tuple, yield_tuple};
use super::relations::Relations;

/// Timestamp slots within a cycle.
pub(crate) mod slot {
    pub(crate) const RS1: u32 = 1;
    pub(crate) const RS2: u32 = 2;
    pub(crate) const RAM: u32 = 3;
    pub(crate) const RD: u32 = 4;
}

columns! {
    /// The columns every chip row starts with.
    pub(crate) struct Frame {
        /// 1 for an executed instruction, 0 for padding.
        enabled: T,
        pc: T,
        clk: T,
        rd: T,
        rs1: T,
        rs2: T,
        imm: [2],
    }
}

columns! {
    /// A register read: the value and its access.
    pub(crate) struct RegRead {
        value: [2],
        access: {AccessCols},
    }
}

columns! {
    /// A register write: the value it replaces and its access. The new value is the chip's.
    pub(crate) struct RegWrite {
        prev: [2],
        access: {AccessCols},
    }
}

/// `4 clk + slot`.
pub(crate) fn timestamp<E: EvalAtRow>(clk: &E::F, slot: u32) -> E::F {
    clk.clone() * BaseField::from(4) + E::F::from(BaseField::from(slot))
}

impl<F: Clone> Frame<F> {
    /// Uses the state and the program row, and yields the next state `(next_pc, clk + 1)` unless
    /// the instruction halts (`next_pc` is `None`). `opcode` and `target` are the chip's
    /// expressions for those program-table fields.
    pub(crate) fn eval<E: EvalAtRow<F = F>>(
        &self,
        eval: &mut E,
        relations: &Relations,
        opcode: E::F,
        target: E::F,
        next_pc: Option<E::F>,
    ) {
        use_tuple(eval, &relations.state, self.enabled.clone(), &[self.pc.clone(), self.clk.clone()]);
        if let Some(next_pc) = next_pc {
            let next_clk = add_constant::<E>(&self.clk, 1);
            yield_tuple(eval, &relations.state, self.enabled.clone(), &[next_pc, next_clk]);
        }
        use_tuple(
            eval,
            &relations.program,
            self.enabled.clone(),
            &[
                self.pc.clone(),
                opcode,
                self.rd.clone(),
                self.rs1.clone(),
                self.rs2.clone(),
                self.imm[0].clone(),
                self.imm[1].clone(),
                target,
            ],
        );
    }

    /// The enabled flag is a bit.
    pub(crate) fn eval_enabled<E: EvalAtRow<F = F>>(&self, eval: &mut E) {
        eval_bit(eval, &self.enabled);
    }

    /// `pc + 4`.
    pub(crate) fn next_pc<E: EvalAtRow<F = F>>(&self) -> E::F {
        add_constant::<E>(&self.pc, 4)
    }
}

/// `x + c`.
pub(crate) fn add_constant<E: EvalAtRow>(x: &E::F, c: u32) -> E::F {
    x.clone() + E::F::from(BaseField::from(c))
}

/// `x (x - 1) = 0`.
pub(crate) fn eval_bit<E: EvalAtRow>(eval: &mut E, x: &E::F) {
    eval.add_constraint(x.clone() * (x.clone() - E::F::one()));
}

impl<F: Clone> RegRead<F> {
    /// Reads cell `index` (a register or a RAM word address) at `slot`: the cell keeps its value.
    pub(crate) fn eval<E: EvalAtRow<F = F>>(
        &self,
        eval: &mut E,
        relations: &Relations,
        frame: &Frame<F>,
        index: &E::F,
        slot: u32,
    ) {
        let ts = timestamp::<E>(&frame.clk, slot);
        eval_access(eval, relations, &frame.enabled, index, &ts, &self.value, &self.value, &self.access);
    }
}

impl<F: Clone> RegWrite<F> {
    /// Writes `value` to register `frame.rd` at slot [`slot::RD`].
    pub(crate) fn eval<E: EvalAtRow<F = F>>(
        &self,
        eval: &mut E,
        relations: &Relations,
        frame: &Frame<F>,
        value: &[E::F; 2],
    ) {
        let ts = timestamp::<E>(&frame.clk, slot::RD);
        eval_access(eval, relations, &frame.enabled, &frame.rd, &ts, &self.prev, value, &self.access);
    }
}

/// `Σ flag_i · opcode_i`: with one-hot flags, the opcode of the row.
pub(crate) fn opcode_of<E: EvalAtRow>(flags: &[(E::F, super::opcode::Opcode)]) -> E::F {
    flags
        .iter()
        .fold(E::F::zero(), |acc, (flag, opcode)| acc + flag.clone() * BaseField::from(*opcode as u32))
}

/// Each flag is a bit and exactly `enabled` of them are set.
pub(crate) fn eval_one_hot<E: EvalAtRow>(eval: &mut E, enabled: &E::F, flags: &[E::F]) {
    for flag in flags {
        eval_bit(eval, flag);
    }
    let sum = flags.iter().fold(E::F::zero(), |acc, f| acc + f.clone());
    eval.add_constraint(sum - enabled.clone());
}
