//! `div`, `divu`, `rem`, `remu` with the RISC-V semantics: the quotient rounds toward zero, the
//! remainder has the dividend's sign; division by zero gives the quotient `-1` (all ones) and the
//! remainder the dividend; `i32::MIN / -1` overflows to the quotient `i32::MIN` and the remainder 0.
//!
//! A row holds the dividend `a` (`rs1`), the divisor `b` (`rs2`), the quotient `q` and the remainder
//! `r`, and writes `q` (div, divu) or `r` (rem, remu) as `result`. `div` and `rem` read every word
//! as signed (`signed = is_div + is_rem`); the unsigned ones force every sign bit to 0 (see
//! [`super::product`]), so `v(x)` below is `x` as `i32` or as `u32` accordingly.
//!
//! # Constraints
//! 1. **Division identity.** The product gadget proves `v(q)·v(b) + v(r) = v(a) + 2^32 o` over the
//!    integers, with `z = (r_0, r_1, -s_r, 0)` and `w = (a_0, a_1, o - s_a, 0)` (`v(x) = x_0 +
//!    2^16 x_1 - 2^32 s_x`). `o` is the overflow bit: `o (o - signed) = 0` (0 for unsigned ops) and
//!    `o (b_0 + b_1 - 2 (2^16 - 1)) = 0` (only when `b` is all ones, i.e. `-1`).
//! 2. **Zero divisor.** `z_b` (`b_zero`) is 1 exactly when `b = 0` (`b_0 + b_1 < 2^17` is zero only
//!    then): `z_b (b_0 + b_1) = 0`, `(b_0 + b_1) inv = enabled - z_b`, `z_b inv = 0`. When `z_b`,
//!    `q = 2^32 - 1`: `z_b (q_k - (2^16 - 1)) = 0`.
//! 3. **Remainder bound.** `|v(b)| + 2^32 z_b - |v(r)| - 1 = gap_0 + 2^16 gap_1 ≥ 0` with 16-bit gaps:
//!    `|r| < |b|` when `b ≠ 0`, and nothing when `b = 0` (`2^32 - |r| - 1 ≥ 0` always). The
//!    magnitudes are taken limb by limb, `|x| = L_0 + 2^16 L_1` with `L_0 = x_0 + s_x (2^16 - 2 x_0)
//!    ∈ [0, 2^16]`, `L_1 = x_1 + s_x (2^16 - 1 - 2 x_1) ∈ [0, 2^16)` (for `s_x = 1`: `2^32 - x`), and
//!    the subtraction has one borrow `t ∈ {0, 1, 2}` (`t (t-1) (t-2) = 0`):
//!    `L_0(b) - L_0(r) - enabled - gap_0 + 2^16 t = 0`, `L_1(b) + 2^16 z_b - L_1(r) - t - gap_1 = 0`.
//!    Both are integers below `2^19` in magnitude, so they hold over the integers, and so does
//!    their weighted sum.
//! 4. **Remainder sign.** `(s_r - s_a) r_k = 0`: `r` has `a`'s sign, or `r = 0`.
//! 5. `r` is range-checked (16-bit limbs); `q` is a word because the gadget range-checks its bytes;
//!    `result = (is_div + is_divu) q + (is_rem + is_remu) r` is then a word too, so the write to `rd`
//!    adds no range check of its own.
//!
//! # Soundness: no second `(q, r)`
//! - **Unsigned, `b = 0`:** `q = 2^32 - 1` by (2) and `r = a` by (1) (`o = 0`): the RISC-V result.
//! - **Unsigned, `b ≠ 0`:** `q b + r = a` and `r < b`: Euclidean division, unique.
//! - **Signed, `b = 0`:** `q = -1` by (2); `o = 0` since `b ≠ -1`; (1) gives `r = a`.
//! - **Signed, `b ≠ 0`, `o = 0`:** `q b + r = a`, `|r| < |b|`, and `r = 0` or `sign(r) = sign(a)`.
//!   Two such pairs give `(q - q') b = r' - r` with `r, r'` both on `a`'s side of zero and below
//!   `|b|` in magnitude, so `|r' - r| < |b|` and `q = q'`, `r = r'`: the truncated quotient and its
//!   remainder, the only candidates. They are representable except for `a = -2^31, b = -1`, where
//!   `q = 2^31` is not an `i32`: there no row with `o = 0` exists.
//! - **Signed, `o = 1`:** then `b = -1` by (1), so `|r| < 1`, `r = 0`, and `-q = a + 2^32`; with
//!   `q, a ≥ -2^31` and `q < 2^31` this forces `a = q = -2^31`: exactly the overflow case, with the
//!   RISC-V result (`q = -2^31`, `r = 0`).
//!
//! Every other column is determined too: the sign bits by their range checks, `inv` by (2), the
//! gaps and the borrow by (3), the bytes and carries by the gadget.

use num_traits::Zero;
use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::{EvalAtRow, FrameworkEval};

use super::product::{ProductCols, eval_sign};
use super::{Frame, RegRead, RegWrite, eval_one_hot, opcode_of, slot};
use crate::air::columns::columns;
use crate::air::lookup::{LIMB, range_check};
use crate::air::opcode::Opcode;
use crate::air::relations::Relations;

columns! {
    pub(crate) struct DivRemCols {
        frame: {Frame},
        is_div: T,
        is_divu: T,
        is_rem: T,
        is_remu: T,
        rs1: {RegRead},
        rs2: {RegRead},
        rd: {RegWrite},
        /// The word written to `rd`: the quotient (div, divu) or the remainder (rem, remu).
        result: [2],
        quotient: [2],
        remainder: [2],
        /// Sign bits of the dividend, divisor, quotient and remainder (0 for unsigned ops).
        sign_a: T,
        sign_b: T,
        sign_q: T,
        sign_r: T,
        /// 1 for `i32::MIN / -1` (signed ops only).
        overflow: T,
        /// 1 when the divisor is zero.
        b_zero: T,
        /// The inverse of `b_0 + b_1`, or 0 when the divisor is zero.
        b_inv: T,
        /// `|b| + 2^32 b_zero - |r| - 1` in 16-bit limbs.
        gap: [2],
        /// The borrow between the gap's limbs.
        gap_borrow: T,
        product: {ProductCols},
    }
}

/// The constraints of the divrem chip.
#[derive(Clone, Debug)]
pub(crate) struct DivRemEval {
    pub(crate) log_size: u32,
    pub(crate) relations: Relations,
}

impl FrameworkEval for DivRemEval {
    fn log_size(&self) -> u32 {
        self.log_size
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_size + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let c = DivRemCols::read(&mut || eval.next_trace_mask());
        let r = &self.relations;
        let f = &c.frame;
        let constant = |v: u32| E::F::from(BaseField::from(v));
        f.eval_enabled(&mut eval);
        let flags = [
            (c.is_div.clone(), Opcode::Div),
            (c.is_divu.clone(), Opcode::Divu),
            (c.is_rem.clone(), Opcode::Rem),
            (c.is_remu.clone(), Opcode::Remu),
        ];
        eval_one_hot(&mut eval, &f.enabled, &flags.clone().map(|(flag, _)| flag));
        let opcode = opcode_of::<E>(&flags);
        f.eval(&mut eval, r, opcode, E::F::zero(), Some(f.next_pc::<E>()));
        c.rs1.eval(&mut eval, r, f, &f.rs1, slot::RS1);
        c.rs2.eval(&mut eval, r, f, &f.rs2, slot::RS2);
        c.rd.eval(&mut eval, r, f, &c.result);
        let (a, b, q, rem) = (&c.rs1.value, &c.rs2.value, &c.quotient, &c.remainder);

        // result = (is_div + is_divu) q + (is_rem + is_remu) r.
        let wants_q = c.is_div.clone() + c.is_divu.clone();
        let wants_r = c.is_rem.clone() + c.is_remu.clone();
        for k in 0..2 {
            eval.add_constraint(
                c.result[k].clone() - wants_q.clone() * q[k].clone() - wants_r.clone() * rem[k].clone(),
            );
        }

        let signed = c.is_div.clone() + c.is_rem.clone();
        for (word, sign) in [(a, &c.sign_a), (b, &c.sign_b), (q, &c.sign_q), (rem, &c.sign_r)] {
            eval_sign(&mut eval, r, &signed, &word[1], sign);
        }
        // (s_r - s_a) r_k = 0: the remainder is zero or has the dividend's sign.
        for limb in rem {
            eval.add_constraint((c.sign_r.clone() - c.sign_a.clone()) * limb.clone());
        }
        for limb in rem {
            range_check(&mut eval, r, f.enabled.clone(), 16, limb.clone());
        }

        // The zero divisor: b_0 + b_1 < 2^17 is zero exactly when b is.
        let b_sum = b[0].clone() + b[1].clone();
        // z_b (b_0 + b_1) = 0; (b_0 + b_1) inv = enabled - z_b; z_b inv = 0.
        eval.add_constraint(c.b_zero.clone() * b_sum.clone());
        eval.add_constraint(b_sum.clone() * c.b_inv.clone() - (f.enabled.clone() - c.b_zero.clone()));
        eval.add_constraint(c.b_zero.clone() * c.b_inv.clone());
        // z_b (q_k - (2^16 - 1)) = 0: dividing by zero gives all ones.
        for limb in q {
            eval.add_constraint(c.b_zero.clone() * (limb.clone() - constant(LIMB - 1)));
        }

        // The overflow bit: o (o - signed) = 0; o (b_0 + b_1 - 2 (2^16 - 1)) = 0 (b = -1).
        eval.add_constraint(c.overflow.clone() * (c.overflow.clone() - signed.clone()));
        eval.add_constraint(c.overflow.clone() * (b_sum - constant(2 * (LIMB - 1))));

        // v(q) v(b) + v(r) = v(a) + 2^32 o.
        let z = [rem[0].clone(), rem[1].clone(), -c.sign_r.clone(), E::F::zero()];
        let w = [a[0].clone(), a[1].clone(), c.overflow.clone() - c.sign_a.clone(), E::F::zero()];
        c.product.eval(&mut eval, r, &f.enabled, (q, &c.sign_q), (b, &c.sign_b), &z, &w);

        // |b| + 2^32 z_b - |r| - 1 = gap_0 + 2^16 gap_1, limb by limb with the borrow t.
        let magnitude = |x: &[E::F; 2], s: &E::F| -> [E::F; 2] {
            [
                x[0].clone() + s.clone() * (constant(LIMB) - x[0].clone() * BaseField::from(2)),
                x[1].clone() + s.clone() * (constant(LIMB - 1) - x[1].clone() * BaseField::from(2)),
            ]
        };
        let (mb, mr) = (magnitude(b, &c.sign_b), magnitude(rem, &c.sign_r));
        let t = &c.gap_borrow;
        // L_0(b) - L_0(r) - enabled - gap_0 + 2^16 t = 0.
        eval.add_constraint(
            mb[0].clone() - mr[0].clone() - f.enabled.clone() - c.gap[0].clone()
                + t.clone() * BaseField::from(LIMB),
        );
        // L_1(b) + 2^16 z_b - L_1(r) - t - gap_1 = 0.
        eval.add_constraint(
            mb[1].clone() + c.b_zero.clone() * BaseField::from(LIMB)
                - mr[1].clone()
                - t.clone()
                - c.gap[1].clone(),
        );
        // t (t - 1) (t - 2) = 0.
        eval.add_constraint(t.clone() * (t.clone() - constant(1)) * (t.clone() - constant(2)));
        for limb in &c.gap {
            range_check(&mut eval, r, f.enabled.clone(), 16, limb.clone());
        }
        eval.finalize_logup_in_pairs();
        eval
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::DivRemCols;
    use crate::air::chips::product::witness::{Operand, product, sign};
    use crate::air::opcode::Opcode;
    use crate::air::tables::word_limbs;
    use crate::isa::AluOp;
    use crate::prover::witness::StepContext;

    /// The quotient and remainder a row for `opcode` on `(a, b)` proves when the record says the
    /// instruction wrote `result`: RISC-V's pair when `result` is RISC-V's value. For a record that
    /// claims another value (tests forge some), the pair that keeps `q·b + r = a`, so that the row
    /// breaks only the constraint telling the claimed result from the right one.
    fn quotient_remainder(opcode: Opcode, a: u32, b: u32, result: u32) -> (u32, u32) {
        let signed = matches!(opcode, Opcode::Div | Opcode::Rem);
        let (div, rem) = match signed {
            true => (AluOp::Div, AluOp::Rem),
            false => (AluOp::Divu, AluOp::Remu),
        };
        let (q, r) = (div.apply(a, b), rem.apply(a, b));
        match opcode {
            Opcode::Div | Opcode::Divu => (result, a.wrapping_sub(result.wrapping_mul(b))),
            _ if result == r => (q, r),
            _ => {
                let value = |x: u32| if signed { i64::from(x as i32) } else { i64::from(x) };
                let (a, b, r) = (value(a), value(b), value(result));
                match b != 0 && (a - r) % b == 0 {
                    true => (((a - r) / b) as u32, result),
                    false => (q, result),
                }
            }
        }
    }

    /// The row of an executed `div`, `divu`, `rem` or `remu`.
    pub(crate) fn row(ctx: &mut StepContext<'_>) -> DivRemCols<M31> {
        let frame = ctx.frame();
        let rs1 = ctx.read_rs1();
        let rs2 = ctx.read_rs2();
        let opcode = ctx.row.opcode;
        let signed = matches!(opcode, Opcode::Div | Opcode::Rem);
        let (a, b) = (ctx.step.rs1_value, ctx.step.rs2_value);
        let result = ctx.step.rd_value;
        let (q, r) = quotient_remainder(opcode, a, b, result);
        // `result` is q or r, both proven words (see the module doc).
        let rd = ctx.write_rd_unchecked(result);
        ctx.range(16, r & 0xffff);
        ctx.range(16, r >> 16);
        let [a, b, q, r] = [a, b, q, r].map(|word| Operand { word, signed });
        let [sign_a, sign_b, sign_q, sign_r] = [a, b, q, r].map(|x| sign(ctx, x));
        // v(q) v(b) + v(r) - v(a): 0, or 2^32 for i32::MIN / -1.
        let excess = i128::from(q.value()) * i128::from(b.value()) + i128::from(r.value() - a.value());
        let overflow = excess == 1 << 32;
        let b_zero = b.word == 0;
        let b_sum = M31::from((b.word & 0xffff) + (b.word >> 16));
        let b_inv = if b_zero { M31::from(0) } else { b_sum.inverse() };

        // The magnitudes' limbs, as the constraints compute them.
        let magnitude = |x: Operand| -> [i64; 2] {
            let (lo, hi) = (i64::from(x.word & 0xffff), i64::from(x.word >> 16));
            match x.sign() {
                true => [(1 << 16) - lo, (1 << 16) - 1 - hi],
                false => [lo, hi],
            }
        };
        let (mb, mr) = (magnitude(b), magnitude(r));
        // Negative (wrapped) only for a forged remainder, which the constraints then reject.
        let gap = ((mb[0] + (mb[1] << 16) + (i64::from(b_zero) << 32)) - (mr[0] + (mr[1] << 16)) - 1) as u32;
        let (gap_lo, gap_hi) = (gap & 0xffff, gap >> 16);
        let borrow = (i64::from(gap_lo) - (mb[0] - mr[0] - 1)) >> 16;
        ctx.range(16, gap_lo);
        ctx.range(16, gap_hi);

        let z = [i64::from(r.word & 0xffff), i64::from(r.word >> 16), -i64::from(r.sign()), 0];
        let w = [
            i64::from(a.word & 0xffff),
            i64::from(a.word >> 16),
            i64::from(overflow) - i64::from(a.sign()),
            0,
        ];
        let product = product(ctx, q, b, z, w);
        let flag = |op: Opcode| M31::from(u32::from(opcode == op));
        let bit = |value: bool| M31::from(u32::from(value));
        DivRemCols {
            frame,
            is_div: flag(Opcode::Div),
            is_divu: flag(Opcode::Divu),
            is_rem: flag(Opcode::Rem),
            is_remu: flag(Opcode::Remu),
            rs1,
            rs2,
            rd,
            result: word_limbs(result),
            quotient: word_limbs(q.word),
            remainder: word_limbs(r.word),
            sign_a,
            sign_b,
            sign_q,
            sign_r,
            overflow: bit(overflow),
            b_zero: bit(b_zero),
            b_inv,
            gap: [M31::from(gap_lo), M31::from(gap_hi)],
            gap_borrow: M31::from(i32::try_from(borrow).expect("a small borrow")),
            product,
        }
    }
}
