//! `and`, `or`, `xor` (and `andi`, `ori`, `xori`: the same opcodes with `rs2 = x0` and the
//! immediate as the second operand `b = rs2 + imm`).
//!
//! The operation is done byte by byte in the byte-operation table (`tables::BitwiseTableEval`), which
//! yields `(op, a, b, a op b)` for every pair of bytes. Each row looks up the four byte triples of
//! `rs1`, `b` and the result. Only the low byte of each limb is a column: the high byte is
//! `(limb - low) / 256`, a linear expression, and its lookup proves it a byte, so
//! `limb = low + 256 high` is the limb's byte decomposition. The result's bytes are looked up as well,
//! so its limbs are words without 16-bit range checks: the write makes no range use.

use num_traits::Zero;
use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::{Frame, RegRead, RegWrite, eval_one_hot, opcode_of, slot};
use crate::air::columns::columns;
use crate::air::lookup::use_tuple;
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

columns! {
    pub(crate) struct BitwiseCols {
        frame: {Frame},
        is_and: T,
        is_or: T,
        is_xor: T,
        rs1: {RegRead},
        rs2: {RegRead},
        rd: {RegWrite},
        /// The low byte of each limb of `rs1`.
        a_low: [2],
        /// The low byte of each limb of `b = rs2 + imm`.
        b_low: [2],
        result: [2],
        /// The low byte of each limb of the result.
        result_low: [2],
    }
}

/// The constraints of the bitwise chip.
#[derive(Clone, Debug)]
pub(crate) struct BitwiseEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for BitwiseEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = BitwiseCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        f.eval_enabled(&mut eval);
        let flags =
            [(c.is_and.clone(), Opcode::And), (c.is_or.clone(), Opcode::Or), (c.is_xor.clone(), Opcode::Xor)];
        eval_one_hot(&mut eval, &f.enabled, &flags.clone().map(|(flag, _)| flag));
        // The opcode, in the program tuple and in every byte lookup: Σ flag · opcode.
        let op = opcode_of::<E>(&flags);
        f.eval(&mut eval, r, op.clone(), E::F::zero(), Some(f.next_pc::<E>()));
        c.rs1.eval(&mut eval, r, f, &f.rs1, slot::RS1);
        c.rs2.eval(&mut eval, r, f, &f.rs2, slot::RS2);
        c.rd.eval(&mut eval, r, f, &c.result);

        // The second operand is `rs2 + imm`: one of the two is zero (see `opcode`).
        let b = [c.rs2.value[0].clone() + f.imm[0].clone(), c.rs2.value[1].clone() + f.imm[1].clone()];
        // high = (limb - low) / 256; the lookups prove low and high bytes, so limb = low + 256 high.
        let inv_256 = BaseField::from(256).inverse();
        let high = |limb: &E::F, low: &E::F| (limb.clone() - low.clone()) * inv_256;
        for i in 0..2 {
            let (a, b, result) = (&c.rs1.value[i], &b[i], &c.result[i]);
            let (a_low, b_low, result_low) = (&c.a_low[i], &c.b_low[i], &c.result_low[i]);
            // (op, a_low, b_low, result_low) and (op, a_high, b_high, result_high) are in the table:
            // result = a op b byte by byte, and every byte is < 256.
            use_tuple(
                &mut eval,
                &r.bitwise,
                f.enabled.clone(),
                &[op.clone(), a_low.clone(), b_low.clone(), result_low.clone()],
            );
            use_tuple(
                &mut eval,
                &r.bitwise,
                f.enabled.clone(),
                &[op.clone(), high(a, a_low), high(b, b_low), high(result, result_low)],
            );
        }
        eval.finalize_logup_in_pairs();
        eval
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::BitwiseCols;
    use crate::air::opcode::Opcode;
    use crate::air::tables::word_limbs;
    use crate::prover::witness::StepContext;

    /// The low byte of each limb of `word`.
    fn low_bytes(word: u32) -> [M31; 2] {
        [M31::from(word & 0xff), M31::from((word >> 16) & 0xff)]
    }

    /// The row of an executed `and`/`or`/`xor`.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> BitwiseCols<M31> {
        let frame = ctx.frame();
        let rs1 = ctx.read_rs1();
        let rs2 = ctx.read_rs2();
        let op = ctx.row.opcode;
        let a = ctx.step.rs1_value;
        let b = ctx.step.rs2_value.wrapping_add(ctx.row.imm);
        let result = ctx.step.rd_value;
        // The byte lookups prove the result a word.
        let rd = ctx.write_rd_unchecked(result);
        for byte in 0..4 {
            let shift = 8 * byte;
            ctx.bitwise(op, (a >> shift) & 0xff, (b >> shift) & 0xff);
        }
        let flag = |o| M31::from(u32::from(op == o));
        BitwiseCols {
            frame,
            is_and: flag(Opcode::And),
            is_or: flag(Opcode::Or),
            is_xor: flag(Opcode::Xor),
            rs1,
            rs2,
            rd,
            a_low: low_bytes(a),
            b_low: low_bytes(b),
            result: word_limbs(result),
            result_low: low_bytes(result),
        }
    }
}

#[cfg(test)]
mod tests {
    use stwo_constraint_framework::{FrameworkEval, InfoEvaluator};

    use super::BitwiseEval;
    use crate::air::relations::Relations;

    /// Columns per row drive the proving cost: main columns, then interaction (logUp) columns.
    #[test]
    fn columns_per_row() {
        let eval = BitwiseEval { log_size: 5, relations: Relations::dummy() };
        let info = eval.evaluate(InfoEvaluator::empty());
        assert_eq!((info.mask_offsets[1].len(), info.mask_offsets[2].len()), (34, 40));
    }
}
