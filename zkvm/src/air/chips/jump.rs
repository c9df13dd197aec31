//! `jal` and `jalr`: write the link `pc + 4` to `rd` and jump.
//!
//! `jal` jumps to the static `target` of its program row. `jalr` jumps to `(rs1 + imm) & !1`, the
//! sum computed by [`AddressSum`] (a genuine address below 2^29). `jal` rows satisfy the same sum
//! constraints (`rs1 = x0`, `imm` = the link), so the gadget needs no gating.

use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::address::{AddressSum, eval_address_sum};
use super::{Frame, RegRead, RegWrite, eval_bit, eval_one_hot, opcode_of, slot};
use crate::air::columns::columns;
use crate::air::lookup::{limbs, range_check};
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

columns! {
    pub(crate) struct JumpCols {
        frame: {Frame},
        is_jal: T,
        is_jalr: T,
        /// The program row's static target (`jal`).
        target: T,
        rs1: {RegRead},
        rd: {RegWrite},
        /// `pc + 4` as limbs, `link_hi < 2^13`.
        link: [2],
        /// `rs1 + imm`.
        address: {AddressSum},
        /// `address_lo = 2 half + bit0`, `half < 2^15`.
        half: T,
        bit0: T,
        next_pc: T,
    }
}

/// The constraints of the jump chip.
#[derive(Clone, Debug)]
pub(crate) struct JumpEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for JumpEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = JumpCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        f.eval_enabled(&mut eval);
        eval_one_hot(&mut eval, &f.enabled, &[c.is_jal.clone(), c.is_jalr.clone()]);
        let opcode = opcode_of::<E>(&[(c.is_jal.clone(), Opcode::Jal), (c.is_jalr.clone(), Opcode::Jalr)]);
        f.eval(&mut eval, r, opcode, c.target.clone(), Some(c.next_pc.clone()));
        c.rs1.eval(&mut eval, r, f, &f.rs1, slot::RS1);

        // link = pc + 4 enabled (padding rows are all zero), as a valid word.
        eval.add_constraint(limbs(&c.link) - f.pc.clone() - f.enabled.clone() * BaseField::from(4));
        range_check(&mut eval, r, f.enabled.clone(), 16, c.link[0].clone());
        range_check(&mut eval, r, f.enabled.clone(), 13, c.link[1].clone());
        c.rd.eval(&mut eval, r, f, &c.link);

        // jalr: next_pc = (rs1 + imm) - bit0, with address_lo = 2 half + bit0.
        eval_address_sum(&c.address, &mut eval, r, &f.enabled, &c.rs1.value, &f.imm, 0);
        eval.add_constraint(c.address.sum[0].clone() - c.half.clone() * BaseField::from(2) - c.bit0.clone());
        eval_bit(&mut eval, &c.bit0);
        range_check(&mut eval, r, f.enabled.clone(), 15, c.half.clone());
        let jalr_target = limbs(&c.address.sum) - c.bit0.clone();
        // next_pc = is_jal target + is_jalr (rs1 + imm - bit0)
        eval.add_constraint(
            c.next_pc.clone() - c.is_jal.clone() * c.target.clone() - c.is_jalr.clone() * jalr_target,
        );
        eval.finalize_logup_in_pairs();
        eval
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::JumpCols;
    use crate::air::chips::address::witness::address_sum;
    use crate::air::opcode::Opcode;
    use crate::air::tables::word_limbs;
    use crate::prover::witness::StepContext;

    /// The row of an executed `jal` or `jalr`.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> JumpCols<M31> {
        let frame = ctx.frame();
        let rs1 = ctx.read_rs1();
        let link = ctx.step.pc + 4;
        ctx.range(16, link & 0xffff);
        ctx.range(13, link >> 16);
        let rd = ctx.write_rd_unchecked(link);
        let (sum, address) = address_sum(ctx, ctx.step.rs1_value, ctx.row.imm, 0);
        ctx.range(15, (sum & 0xffff) >> 1);
        let is_jal = ctx.row.opcode == Opcode::Jal;
        JumpCols {
            frame,
            is_jal: M31::from(u32::from(is_jal)),
            is_jalr: M31::from(u32::from(!is_jal)),
            target: M31::from(ctx.row.target),
            rs1,
            rd,
            link: word_limbs(link),
            address,
            half: M31::from((sum & 0xffff) >> 1),
            bit0: M31::from(sum & 1),
            next_pc: M31::from(ctx.step.next_pc),
        }
    }
}
