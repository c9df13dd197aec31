//! `slt` and `sltu` (and `slti`, `sltiu`, which decode to them with `rs2 = x0`): `rd = 1` when
//! `rs1 < rs2 + imm` (signed for `slt`, unsigned for `sltu`), else `0`.

use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::less_than::{LessThanCols, eval_less_than};
use super::{Frame, RegRead, RegWrite, eval_one_hot, opcode_of, slot};
use crate::air::columns::columns;
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

columns! {
    pub(crate) struct CompareCols {
        frame: {Frame},
        is_slt: T,
        is_sltu: T,
        rs1: {RegRead},
        rs2: {RegRead},
        rd: {RegWrite},
        lt: {LessThanCols},
    }
}

/// The constraints of the compare chip.
#[derive(Clone, Debug)]
pub(crate) struct CompareEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for CompareEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = CompareCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        let zero = || E::F::from(BaseField::from(0));
        f.eval_enabled(&mut eval);
        eval_one_hot(&mut eval, &f.enabled, &[c.is_slt.clone(), c.is_sltu.clone()]);
        let opcode = opcode_of::<E>(&[(c.is_slt.clone(), Opcode::Slt), (c.is_sltu.clone(), Opcode::Sltu)]);
        f.eval(&mut eval, r, opcode, zero(), Some(f.next_pc::<E>()));
        c.rs1.eval(&mut eval, r, f, &f.rs1, slot::RS1);
        c.rs2.eval(&mut eval, r, f, &f.rs2, slot::RS2);

        // The second operand is `rs2 + imm`: one of the two is zero (see `opcode`), so it is a word.
        let b = [c.rs2.value[0].clone() + f.imm[0].clone(), c.rs2.value[1].clone() + f.imm[1].clone()];
        let lt = eval_less_than(&mut eval, r, &c.lt, &f.enabled, &c.is_slt, &c.rs1.value, &b);
        // rd = (lt, 0): `lt` is a bit on every row that satisfies the gadget's constraints, so the
        // written value is a word without range checks.
        c.rd.eval(&mut eval, r, f, &[lt, zero()]);
        eval.finalize_logup_in_pairs();
        eval
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::CompareCols;
    use crate::air::chips::less_than;
    use crate::air::opcode::Opcode;
    use crate::prover::witness::StepContext;

    /// The row of an executed `slt`/`sltu`.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> CompareCols<M31> {
        let frame = ctx.frame();
        let rs1 = ctx.read_rs1();
        let rs2 = ctx.read_rs2();
        let signed = ctx.row.opcode == Opcode::Slt;
        let (a, b) = (ctx.step.rs1_value, ctx.step.rs2_value.wrapping_add(ctx.row.imm));
        let lt = less_than::witness::cols(ctx, a, b, signed);
        let result = ctx.step.rd_value;
        debug_assert_eq!(result, u32::from(if signed { (a as i32) < (b as i32) } else { a < b }));
        let rd = ctx.write_rd_unchecked(result);
        CompareCols {
            frame,
            is_slt: M31::from(u32::from(signed)),
            is_sltu: M31::from(u32::from(!signed)),
            rs1,
            rs2,
            rd,
            lt,
        }
    }
}
