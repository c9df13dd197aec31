//! `add` and `sub` (and everything that decodes to them: `addi`, `lui`, `auipc`, `fence`).

use num_traits::One;
use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::{Frame, RegRead, RegWrite, eval_one_hot, opcode_of, slot};
use crate::air::columns::columns;
use crate::air::lookup::{LIMB, range_check};
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

columns! {
    pub(crate) struct AddSubCols {
        frame: {Frame},
        is_add: T,
        is_sub: T,
        rs1: {RegRead},
        rs2: {RegRead},
        rd: {RegWrite},
        result: [2],
        carry: [2],
    }
}

/// The constraints of the add/sub chip.
#[derive(Clone, Debug)]
pub(crate) struct AddSubEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for AddSubEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = AddSubCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        f.eval_enabled(&mut eval);
        eval_one_hot(&mut eval, &f.enabled, &[c.is_add.clone(), c.is_sub.clone()]);
        let opcode = opcode_of::<E>(&[(c.is_add.clone(), Opcode::Add), (c.is_sub.clone(), Opcode::Sub)]);
        f.eval(&mut eval, r, opcode, E::F::from(BaseField::from(0)), Some(f.next_pc::<E>()));
        c.rs1.eval(&mut eval, r, f, &f.rs1, slot::RS1);
        c.rs2.eval(&mut eval, r, f, &f.rs2, slot::RS2);
        c.rd.eval(&mut eval, r, f, &c.result);

        // The second operand is `rs2 + imm`: one of the two is zero (see `opcode`).
        let b = [c.rs2.value[0].clone() + f.imm[0].clone(), c.rs2.value[1].clone() + f.imm[1].clone()];
        // add: rs1 + b = result; sub: result + b = rs1. Both as x + b = z (mod 2^32), limb by limb:
        // x_lo + b_lo = z_lo + 2^16 carry_lo; x_hi + b_hi + carry_lo = z_hi + 2^16 carry_hi.
        let pick = |when_add: &E::F, when_sub: &E::F| {
            c.is_add.clone() * when_add.clone() + c.is_sub.clone() * when_sub.clone()
        };
        let x = [pick(&c.rs1.value[0], &c.result[0]), pick(&c.rs1.value[1], &c.result[1])];
        let z = [pick(&c.result[0], &c.rs1.value[0]), pick(&c.result[1], &c.rs1.value[1])];
        let base = BaseField::from(LIMB);
        eval.add_constraint(x[0].clone() + b[0].clone() - z[0].clone() - c.carry[0].clone() * base);
        eval.add_constraint(
            x[1].clone() + b[1].clone() + c.carry[0].clone() - z[1].clone() - c.carry[1].clone() * base,
        );
        for carry in &c.carry {
            eval.add_constraint(carry.clone() * (carry.clone() - E::F::one()));
        }
        // The result is a word.
        range_check(&mut eval, r, f.enabled.clone(), 16, c.result[0].clone());
        range_check(&mut eval, r, f.enabled.clone(), 16, c.result[1].clone());
        eval.finalize_logup_in_pairs();
        eval
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::AddSubCols;
    use crate::air::opcode::Opcode;
    use crate::air::tables::word_limbs;
    use crate::prover::witness::StepContext;

    /// The row of an executed `add`/`sub`.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> AddSubCols<M31> {
        let frame = ctx.frame();
        let rs1 = ctx.read_rs1();
        let rs2 = ctx.read_rs2();
        let result = ctx.step.rd_value;
        let rd = ctx.write_rd(result);
        let is_add = ctx.row.opcode == Opcode::Add;
        let (x, b) = match is_add {
            true => (ctx.step.rs1_value, ctx.step.rs2_value.wrapping_add(ctx.row.imm)),
            false => (result, ctx.step.rs2_value),
        };
        let carry_lo = (x & 0xffff) + (b & 0xffff) >= 1 << 16;
        let carry_hi = u64::from(x) + u64::from(b) >= 1 << 32;
        AddSubCols {
            frame,
            is_add: M31::from(u32::from(is_add)),
            is_sub: M31::from(u32::from(!is_add)),
            rs1,
            rs2,
            rd,
            result: word_limbs(result),
            carry: [M31::from(u32::from(carry_lo)), M31::from(u32::from(carry_hi))],
        }
    }
}
