//! Gadgets shared by the `mul` and `divrem` chips: the sign bit of a word, and the exact product
//! `x·y + z = w` of two words in the signed or unsigned interpretation.
//!
//! # The product
//! Over M31 (`p = 2^31 - 1`) the product of two 16-bit limbs (up to `2^32`) does not fit the field,
//! so the multiplication runs on bytes: `x = Σ ξ_i 2^{8i}`, `y = Σ η_j 2^{8j}` (`i, j < 4`), where each
//! 16-bit limb `l` of a word is split as `l = lo + 2^8 hi` with the low byte `lo` a column and
//! `hi = (l - lo) / 2^8` a linear expression, and both range-checked below `2^8`. A signed operand
//! uses `ξ_3 = hi_3 - 2^8 s` (`s` its sign bit), so `Σ ξ_i 2^{8i} = x_u - 2^32 s` is its two's
//! complement value. Grouping the byte products by 16-bit column `k`,
//!
//! `S_k = Σ_{i+j=2k} ξ_i η_j + 2^8 Σ_{i+j=2k+1} ξ_i η_j`, so that `x·y = Σ_k 2^{16k} S_k`,
//!
//! the gadget proves, with the carries `c_0, c_1, c_2` as columns and `c_{-1} = c_3 = 0`,
//!
//! `S_k + z_k + c_{k-1} = w_k + 2^16 c_k`  for `k = 0..4`,
//!
//! where `z` and `w` are the caller's limb expressions (any small integers, not necessarily
//! canonical limbs). Weighting column `k` by `2^{16k}` and summing telescopes the carries:
//! `x·y + Σ z_k 2^{16k} = Σ w_k 2^{16k}` as integers, provided no column equation wraps modulo `p`.
//!
//! **No wrap.** Each byte is below `2^8` and a signed top byte lies in `[-2^8, 2^8)`, so every byte
//! product has magnitude at most `2^16`; a column holds at most 4 products at weight `2^8` and 3 at
//! weight 1, hence `|S_k| < 2^8·4·2^16 + 3·2^16 < 2^26.1`. The carries are range-checked as
//! `c + 2^9 < 2^13`, so `|c_k| < 2^13` and `|2^16 c_k| < 2^29`; callers keep `|z_k|, |w_k| ≤ 2^17`.
//! Every column equation is therefore an integer of magnitude below `2^26.1 + 2^13 + 2^18 + 2^29 <
//! 2^30 < p` that is zero modulo `p`: it is zero.
//!
//! **Honest carries fit.** With bytes in `[0, 2^8)` and top bytes in `[-2^7, 2^8)`, `S_0 ∈ [0, 2^25)`,
//! `S_1 ∈ [-2^24, 2^26)`, `S_2 ∈ [-2^24, 2^25)`; with the callers' `z`, `w` (limbs below `2^16`,
//! top limbs in `{-1, 0, 1}`) the carries lie in `[-2^9, 2^11)`, inside the checked range (the
//! witness asserts it in debug builds, and the tests run every extreme operand).
//!
//! # Signs
//! The sign bit `s` of a word with high limb `hi` is proven by `hi - 2^15 s < 2^15` (a 15-bit range
//! check; `hi < 2^16` already holds), used only when the operation reads the word as signed; when it
//! does not, `s = 0`. One constraint does both: `s (s - signed) = 0`.

use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::EvalAtRow;

use crate::air::columns::columns;
use crate::air::lookup::{LIMB, range_check};
use crate::air::relations::Relations;

/// The carries are range-checked as `carry + CARRY_OFFSET < 2^CARRY_BITS`.
pub(crate) const CARRY_OFFSET: u32 = 1 << 9;
/// See [`CARRY_OFFSET`].
pub(crate) const CARRY_BITS: u32 = 13;

columns! {
    /// The witness of one product `x·y + z = w`.
    pub(crate) struct ProductCols {
        /// The low byte of each limb of `x`.
        x_lo: [2],
        /// The low byte of each limb of `y`.
        y_lo: [2],
        /// The carries out of 16-bit columns 0, 1, 2 (signed).
        carry: [3],
    }
}

/// `s (s - signed) = 0`, and `hi - 2^15 s < 2^15` when `signed`: `s` is the sign bit of the word
/// whose high limb is `hi` if the operation reads it as signed, else 0. `signed` is a sum of opcode
/// flags (0 on padding rows), used as the range check's multiplicity.
pub(crate) fn eval_sign<E: EvalAtRow>(
    eval: &mut E,
    relations: &Relations,
    signed: &E::F,
    hi: &E::F,
    sign: &E::F,
) {
    eval.add_constraint(sign.clone() * (sign.clone() - signed.clone()));
    range_check(eval, relations, signed.clone(), 15, hi.clone() - sign.clone() * BaseField::from(1 << 15));
}

/// The four bytes of a word with limbs `limbs` and low-byte columns `lo` (range-checking every
/// byte), the top one shifted by `-2^8 sign`: `Σ bytes_i 2^{8i}` is the word's value, signed when
/// `sign` is its sign bit.
fn eval_bytes<E: EvalAtRow>(
    eval: &mut E,
    relations: &Relations,
    enabled: &E::F,
    limbs: &[E::F; 2],
    lo: &[E::F; 2],
    sign: &E::F,
) -> [E::F; 4] {
    let inv_256 = BaseField::from(256).inverse();
    // hi = (limb - lo) / 2^8: with lo < 2^8 and hi < 2^8 checked, limb = lo + 2^8 hi over the integers.
    let hi: [E::F; 2] = std::array::from_fn(|k| (limbs[k].clone() - lo[k].clone()) * inv_256);
    for byte in [&lo[0], &hi[0], &lo[1], &hi[1]] {
        range_check(eval, relations, enabled.clone(), 8, byte.clone());
    }
    let [hi_0, hi_1] = hi;
    [lo[0].clone(), hi_0, lo[1].clone(), hi_1 - sign.clone() * BaseField::from(256)]
}

impl<F: Clone> ProductCols<F> {
    /// Proves `x·y + Σ z_k 2^{16k} = Σ w_k 2^{16k}` over the integers (see the module doc), with `x`
    /// and `y` valid words given by their limbs (degree 1) and sign bits (`sx`, `sy`: 0 for an
    /// unsigned operand). `z` and `w` may be of degree 2; every limb of them must lie in
    /// `[-2^17, 2^17]` for every assignment the caller's other constraints allow.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn eval<E: EvalAtRow<F = F>>(
        &self,
        eval: &mut E,
        relations: &Relations,
        enabled: &E::F,
        x: (&[E::F; 2], &E::F),
        y: (&[E::F; 2], &E::F),
        z: &[E::F; 4],
        w: &[E::F; 4],
    ) {
        eval_product(eval, relations, self, enabled, x, y, z, w);
    }
}

#[allow(clippy::too_many_arguments)]
fn eval_product<E: EvalAtRow>(
    eval: &mut E,
    relations: &Relations,
    cols: &ProductCols<E::F>,
    enabled: &E::F,
    (x, sx): (&[E::F; 2], &E::F),
    (y, sy): (&[E::F; 2], &E::F),
    z: &[E::F; 4],
    w: &[E::F; 4],
) {
    let xb = eval_bytes(eval, relations, enabled, x, &cols.x_lo, sx);
    let yb = eval_bytes(eval, relations, enabled, y, &cols.y_lo, sy);
    let base = BaseField::from(LIMB);
    let mut carry_in: Option<E::F> = None;
    for k in 0..4 {
        // S_k = Σ_{i+j=2k} ξ_i η_j + 2^8 Σ_{i+j=2k+1} ξ_i η_j.
        let mut even: Option<E::F> = None;
        let mut odd: Option<E::F> = None;
        for (i, xi) in xb.iter().enumerate() {
            for (j, yj) in yb.iter().enumerate() {
                let slot = match i + j {
                    n if n == 2 * k => &mut even,
                    n if n == 2 * k + 1 => &mut odd,
                    _ => continue,
                };
                let term = xi.clone() * yj.clone();
                *slot = Some(match slot.take() {
                    Some(acc) => acc + term,
                    None => term,
                });
            }
        }
        let mut lhs = even.expect("every column has an even term") + z[k].clone() - w[k].clone();
        if let Some(odd) = odd {
            lhs += odd * BaseField::from(256);
        }
        if let Some(c) = carry_in.take() {
            lhs += c;
        }
        // S_k + z_k + c_{k-1} - w_k - 2^16 c_k = 0, with c_3 = 0.
        match cols.carry.get(k) {
            Some(c) => {
                eval.add_constraint(lhs - c.clone() * base);
                carry_in = Some(c.clone());
            }
            None => eval.add_constraint(lhs),
        }
    }
    for c in &cols.carry {
        let shifted = c.clone() + E::F::from(BaseField::from(CARRY_OFFSET));
        range_check(eval, relations, enabled.clone(), CARRY_BITS, shifted);
    }
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::{CARRY_BITS, CARRY_OFFSET, ProductCols};
    use crate::prover::witness::StepContext;

    /// A word as a product operand: its value and whether it is read as signed.
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Operand {
        pub(crate) word: u32,
        pub(crate) signed: bool,
    }

    impl Operand {
        /// The sign bit the chip proves (0 when read as unsigned).
        pub(crate) fn sign(self) -> bool {
            self.signed && self.word >> 31 == 1
        }

        /// The value: `word` as `i32` when signed, as `u32` otherwise.
        pub(crate) fn value(self) -> i64 {
            match self.signed {
                true => i64::from(self.word as i32),
                false => i64::from(self.word),
            }
        }

        /// The bytes, the top one signed when the operand is negative.
        fn bytes(self) -> [i64; 4] {
            let mut bytes = self.word.to_le_bytes().map(i64::from);
            bytes[3] -= 256 * i64::from(self.sign());
            bytes
        }

        /// The low byte of each limb, as the gadget's columns.
        fn low_bytes(self) -> [M31; 2] {
            [M31::from(self.word & 0xff), M31::from((self.word >> 16) & 0xff)]
        }
    }

    /// The sign column of `operand`, counting its range-check use.
    pub(crate) fn sign(ctx: &mut StepContext<'_>, operand: Operand) -> M31 {
        let sign = operand.sign();
        if operand.signed {
            ctx.range(15, (operand.word >> 16) - (u32::from(sign) << 15));
        }
        M31::from(u32::from(sign))
    }

    /// The columns proving `x·y + Σ z_k 2^{16k} = Σ w_k 2^{16k}`, counting their range-check uses.
    /// `z` and `w` are the integer values of the caller's limb expressions.
    pub(crate) fn product(
        ctx: &mut StepContext<'_>,
        x: Operand,
        y: Operand,
        z: [i64; 4],
        w: [i64; 4],
    ) -> ProductCols<M31> {
        for operand in [x, y] {
            for byte in operand.word.to_le_bytes() {
                ctx.range(8, u32::from(byte));
            }
        }
        let (xb, yb) = (x.bytes(), y.bytes());
        let mut carry = [0i64; 3];
        let mut carry_in = 0;
        for k in 0..4 {
            let mut column = z[k] - w[k] + carry_in;
            for (i, xi) in xb.iter().enumerate() {
                for (j, yj) in yb.iter().enumerate() {
                    if i + j == 2 * k {
                        column += xi * yj;
                    } else if i + j == 2 * k + 1 {
                        column += 256 * xi * yj;
                    }
                }
            }
            assert_eq!(column % (1 << 16), 0, "column {k} of {x:?}·{y:?} + {z:?} = {w:?} is not exact");
            carry_in = column >> 16;
            match carry.get_mut(k) {
                Some(c) => *c = carry_in,
                None => assert_eq!(carry_in, 0, "{x:?}·{y:?} + {z:?} = {w:?} overflows"),
            }
        }
        for &c in &carry {
            let shifted = u32::try_from(c + i64::from(CARRY_OFFSET)).expect("carry above its lower bound");
            ctx.range(CARRY_BITS, shifted);
        }
        ProductCols {
            x_lo: x.low_bytes(),
            y_lo: y.low_bytes(),
            carry: carry.map(|c| M31::from(i32::try_from(c).expect("a small carry"))),
        }
    }
}
