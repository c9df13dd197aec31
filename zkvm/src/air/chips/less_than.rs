//! The comparison gadget shared by the chips that compare two words (`compare`, `branch`): it proves
//! the difference `a - b (mod 2^32)` with a borrow chain, which gives `a < b` unsigned (the final
//! borrow) and `a == b` (a zero difference), and, for signed comparisons, the sign bits of `a` and
//! `b`.
//!
//! `a` and `b` must be valid words (two limbs `< 2^16`), as every value read from memory is: all
//! the sums below then stay far below the field's modulus, so the field equations are integer
//! equations.

use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::EvalAtRow;

use super::eval_bit;
use crate::air::columns::columns;
use crate::air::lookup::{LIMB, range_check};
use crate::air::relations::Relations;

/// `2^15`, the weight of a word's sign bit in its high limb.
const SIGN: u32 = 1 << 15;

columns! {
    /// `a - b` and, for signed comparisons, the sign bits of `a` and `b`.
    pub(crate) struct LessThanCols {
        /// `a - b (mod 2^32)`, two limbs `< 2^16`.
        diff: [2],
        /// The borrow out of each limb: `borrow[1]` is `a < b` unsigned.
        borrow: [2],
        /// The sign bits of `a` and `b` when the comparison is signed, zero otherwise.
        sign: [2],
    }
}

/// Constrains `cols` for the words `a` and `b`, compared signed when `signed` (a bit, zero on padding
/// rows) is one, and returns `a < b` as an expression of degree 1 (a bit on every row that
/// satisfies the constraints).
pub(crate) fn eval_less_than<E: EvalAtRow>(
    eval: &mut E,
    relations: &Relations,
    cols: &LessThanCols<E::F>,
    enabled: &E::F,
    signed: &E::F,
    a: &[E::F; 2],
    b: &[E::F; 2],
) -> E::F {
    let LessThanCols { diff, borrow, sign } = cols;
    let base = BaseField::from(LIMB);
    // b + diff = a + 2^32 borrow_hi, limb by limb:
    // b_lo + diff_lo = a_lo + 2^16 borrow_lo; b_hi + diff_hi + borrow_lo = a_hi + 2^16 borrow_hi.
    // With diff's limbs below 2^16 and the borrows bits, each borrow is the only one that fits.
    eval.add_constraint(b[0].clone() + diff[0].clone() - a[0].clone() - borrow[0].clone() * base);
    eval.add_constraint(
        b[1].clone() + diff[1].clone() + borrow[0].clone() - a[1].clone() - borrow[1].clone() * base,
    );
    for bit in borrow {
        eval_bit(eval, bit);
    }
    range_check(eval, relations, enabled.clone(), 16, diff[0].clone());
    range_check(eval, relations, enabled.clone(), 16, diff[1].clone());

    // Signed: hi = 2^15 sign + rest with rest < 2^15, so sign is the word's top bit. Unsigned
    // (and padding): sign = 0. Both at once: sign (sign - signed) = 0, and the range check is
    // used only when signed.
    for (s, word) in sign.iter().zip([a, b]) {
        eval.add_constraint(s.clone() * (s.clone() - signed.clone()));
        let rest = word[1].clone() - s.clone() * BaseField::from(SIGN);
        range_check(eval, relations, signed.clone(), 15, rest);
    }

    // Equal signs: signed and unsigned order agree, a < b is the borrow. Different signs: the
    // negative one is the smaller, and the borrow is the opposite (the negative one is the
    // larger unsigned): borrow = sign_b, so a < b = sign_a = borrow + sign_a - sign_b. Unsigned:
    // both signs are zero.
    borrow[1].clone() + sign[0].clone() - sign[1].clone()
}

/// `diff_lo + diff_hi`: zero exactly when `a == b` (both limbs are range-checked, so the sum cannot
/// wrap).
pub(crate) fn diff_sum<E: EvalAtRow>(cols: &LessThanCols<E::F>) -> E::F {
    cols.diff[0].clone() + cols.diff[1].clone()
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::LessThanCols;
    use crate::air::tables::word_limbs;
    use crate::prover::witness::StepContext;

    /// The columns comparing `a` with `b`, counting the range checks `eval` uses.
    pub(crate) fn cols(ctx: &mut StepContext<'_>, a: u32, b: u32, signed: bool) -> LessThanCols<M31> {
        let diff = a.wrapping_sub(b);
        let borrow_lo = (a & 0xffff) < (b & 0xffff);
        let borrow_hi = a < b;
        ctx.range(16, diff & 0xffff);
        ctx.range(16, diff >> 16);
        let (sign_a, sign_b) = if signed { (a >> 31, b >> 31) } else { (0, 0) };
        if signed {
            ctx.range(15, (a >> 16) & 0x7fff);
            ctx.range(15, (b >> 16) & 0x7fff);
        }
        LessThanCols {
            diff: word_limbs(diff),
            borrow: [M31::from(u32::from(borrow_lo)), M31::from(u32::from(borrow_hi))],
            sign: [M31::from(sign_a), M31::from(sign_b)],
        }
    }
}
