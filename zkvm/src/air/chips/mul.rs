//! `mul`, `mulh`, `mulhsu`, `mulhu`: the low or high word of the 64-bit product of `rs1` and `rs2`
//! (`mulh`: both signed, `mulhsu`: `rs1` signed and `rs2` unsigned, `mulhu` and `mul`: unsigned; the
//! low word does not depend on the signs).
//!
//! The product gadget ([`super::product`]) proves `a·b = Σ w_k 2^{16k}` over the integers, with
//! `a`, `b` read as signed or unsigned and `w = (lo_0, lo_1, hi_0, hi_1 - 2^16 negative)`, where
//! `lo`, `hi` are range-checked 16-bit limbs and `negative` a bit. Since `a·b ∈ [-2^62, 2^64)` and
//! `Σ lo, hi` is in `[0, 2^64)`, `(lo, hi)` is the product modulo `2^64` (its two's complement when
//! negative) and `negative` whether it is below zero: both are unique. The chip stores the half it
//! writes to `rd` as `result` and the other as `other`, so the write uses a degree-1 value.
//!
//! RV32M has no immediate forms: the program row of these opcodes has `imm = 0`, so the second
//! operand is `rs2` alone.

use num_traits::Zero;
use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::product::{ProductCols, eval_sign};
use super::{Frame, RegRead, RegWrite, eval_bit, eval_one_hot, opcode_of, slot};
use crate::air::columns::columns;
use crate::air::lookup::{LIMB, range_check};
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

columns! {
    pub(crate) struct MulCols {
        frame: {Frame},
        is_mul: T,
        is_mulh: T,
        is_mulhsu: T,
        is_mulhu: T,
        rs1: {RegRead},
        rs2: {RegRead},
        rd: {RegWrite},
        /// The word written to `rd`: the product's low word for `mul`, its high word otherwise.
        result: [2],
        /// The product's other word.
        other: [2],
        /// Whether the product is negative (its 64 bits are then its two's complement).
        negative: T,
        /// The sign bit of `rs1` when read as signed, else 0.
        sign_a: T,
        /// The sign bit of `rs2` when read as signed, else 0.
        sign_b: T,
        product: {ProductCols},
    }
}

/// The constraints of the mul chip.
#[derive(Clone, Debug)]
pub(crate) struct MulEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for MulEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = MulCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        f.eval_enabled(&mut eval);
        let flags = [
            (c.is_mul.clone(), Opcode::Mul),
            (c.is_mulh.clone(), Opcode::Mulh),
            (c.is_mulhsu.clone(), Opcode::Mulhsu),
            (c.is_mulhu.clone(), Opcode::Mulhu),
        ];
        eval_one_hot(&mut eval, &f.enabled, &flags.clone().map(|(flag, _)| flag));
        let opcode = opcode_of::<E>(&flags);
        f.eval(&mut eval, r, opcode, E::F::zero(), Some(f.next_pc::<E>()));
        c.rs1.eval(&mut eval, r, f, &f.rs1, slot::RS1);
        c.rs2.eval(&mut eval, r, f, &f.rs2, slot::RS2);
        c.rd.eval(&mut eval, r, f, &c.result);

        // mulh and mulhsu read rs1 as signed; only mulh reads rs2 as signed.
        let signed_a = c.is_mulh.clone() + c.is_mulhsu.clone();
        let signed_b = c.is_mulh.clone();
        eval_sign(&mut eval, r, &signed_a, &c.rs1.value[1], &c.sign_a);
        eval_sign(&mut eval, r, &signed_b, &c.rs2.value[1], &c.sign_b);

        // The product's words: lo = result for mul, other otherwise; hi the reverse.
        let high = c.is_mulh.clone() + c.is_mulhsu.clone() + c.is_mulhu.clone();
        let pick = |k: usize, result_when_low: bool| {
            let (low_part, high_part) = match result_when_low {
                true => (&c.result[k], &c.other[k]),
                false => (&c.other[k], &c.result[k]),
            };
            c.is_mul.clone() * low_part.clone() + high.clone() * high_part.clone()
        };
        eval_bit(&mut eval, &c.negative);
        // a·b = lo + 2^32 hi - 2^64 negative: the top limb carries the -2^64.
        let w = [
            pick(0, true),
            pick(1, true),
            pick(0, false),
            pick(1, false) - c.negative.clone() * BaseField::from(LIMB),
        ];
        let z = std::array::from_fn(|_| E::F::zero());
        c.product.eval(
            &mut eval,
            r,
            &f.enabled,
            (&c.rs1.value, &c.sign_a),
            (&c.rs2.value, &c.sign_b),
            &z,
            &w,
        );
        // Both words are words; `result` is checked as `write_rd` counts it.
        for limb in c.result.iter().chain(&c.other) {
            range_check(&mut eval, r, f.enabled.clone(), 16, limb.clone());
        }
        eval.finalize_logup_in_pairs();
        eval
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::MulCols;
    use crate::air::chips::product::witness::{Operand, product, sign};
    use crate::air::opcode::Opcode;
    use crate::air::tables::word_limbs;
    use crate::prover::witness::StepContext;

    /// The row of an executed `mul`, `mulh`, `mulhsu` or `mulhu`.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> MulCols<M31> {
        let frame = ctx.frame();
        let rs1 = ctx.read_rs1();
        let rs2 = ctx.read_rs2();
        let opcode = ctx.row.opcode;
        let a = Operand { word: ctx.step.rs1_value, signed: matches!(opcode, Opcode::Mulh | Opcode::Mulhsu) };
        let b = Operand { word: ctx.step.rs2_value, signed: opcode == Opcode::Mulh };
        let full = i128::from(a.value()) * i128::from(b.value());
        // Two's complement modulo 2^64.
        let bits = full as u64;
        let (lo, hi) = (bits as u32, (bits >> 32) as u32);
        let (computed, other) = match opcode {
            Opcode::Mul => (lo, hi),
            _ => (hi, lo),
        };
        // The executor's value: were the two ever to disagree, the proof would not verify.
        let result = ctx.step.rd_value;
        debug_assert_eq!(result, computed, "{opcode:?} {a:?} {b:?}");
        let rd = ctx.write_rd(result);
        ctx.range(16, other & 0xffff);
        ctx.range(16, other >> 16);
        let sign_a = sign(ctx, a);
        let sign_b = sign(ctx, b);
        let negative = full < 0;
        let limb = |word: u32, k: u32| i64::from((word >> (16 * k)) & 0xffff);
        let w = [limb(lo, 0), limb(lo, 1), limb(hi, 0), limb(hi, 1) - (i64::from(negative) << 16)];
        let product = product(ctx, a, b, [0; 4], w);
        let flag = |op: Opcode| M31::from(u32::from(opcode == op));
        MulCols {
            frame,
            is_mul: flag(Opcode::Mul),
            is_mulh: flag(Opcode::Mulh),
            is_mulhsu: flag(Opcode::Mulhsu),
            is_mulhu: flag(Opcode::Mulhu),
            rs1,
            rs2,
            rd,
            result: word_limbs(result),
            other: word_limbs(other),
            negative: M31::from(u32::from(negative)),
            sign_a,
            sign_b,
            product,
        }
    }
}
