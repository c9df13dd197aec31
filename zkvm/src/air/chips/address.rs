//! Address arithmetic shared by `jalr`, loads and stores: `rs1 + imm` as a genuine address.
//!
//! The sum of two words is computed in limbs with boolean carries, so its limbs are the true
//! 32-bit sum; its high limb is range-checked to `[hi_min, hi_min + 2^13)`. With `hi_min = 0` the
//! address is below 2^29 (a jump target: anything larger could alias a code address modulo p);
//! with `hi_min = 1` it is in RAM, `[2^16, 2^29 + 2^16)` (RAM cells above 2^29 have no boundary row,
//! so no access there can balance).

use stwo::core::fields::m31::BaseField;
use stwo_constraint_framework::EvalAtRow;

use super::eval_bit;
use crate::air::columns::columns;
use crate::air::lookup::{LIMB, limbs, range_check};
use crate::air::relations::Relations;

columns! {
    /// `sum = a + b (mod 2^32)`.
    pub(crate) struct AddressSum {
        sum: [2],
        carry: [2],
    }
}

/// Constrains `sum = a + b` limb by limb, the carries to bits, `sum_lo < 2^16` and
/// `hi_min <= sum_hi < hi_min + 2^13`.
pub(crate) fn eval_address_sum<E: EvalAtRow>(
    this: &AddressSum<E::F>,
    eval: &mut E,
    relations: &Relations,
    enabled: &E::F,
    a: &[E::F; 2],
    b: &[E::F; 2],
    hi_min: u32,
) {
    let base = BaseField::from(LIMB);
    // a_lo + b_lo = sum_lo + 2^16 carry_lo
    eval.add_constraint(a[0].clone() + b[0].clone() - this.sum[0].clone() - this.carry[0].clone() * base);
    // a_hi + b_hi + carry_lo = sum_hi + 2^16 carry_hi
    eval.add_constraint(
        a[1].clone() + b[1].clone() + this.carry[0].clone()
            - this.sum[1].clone()
            - this.carry[1].clone() * base,
    );
    eval_bit(eval, &this.carry[0]);
    eval_bit(eval, &this.carry[1]);
    range_check(eval, relations, enabled.clone(), 16, this.sum[0].clone());
    let hi_offset = enabled.clone() * BaseField::from(hi_min);
    range_check(eval, relations, enabled.clone(), 13, this.sum[1].clone() - hi_offset);
}

columns! {
    /// A RAM access address `rs1 + imm`: the sum, and `sum_lo = 4 word + b0 + 2 b1`.
    pub(crate) struct RamAddress {
        address: {AddressSum},
        /// `sum_lo >> 2`, below 2^14.
        word: T,
        b0: T,
        b1: T,
    }
}

/// Constrains a RAM address and its decomposition; returns the accessed cell (the word-aligned
/// address `sum - b0 - 2 b1`).
pub(crate) fn eval_ram_address<E: EvalAtRow>(
    this: &RamAddress<E::F>,
    eval: &mut E,
    relations: &Relations,
    enabled: &E::F,
    base: &[E::F; 2],
    offset: &[E::F; 2],
) -> E::F {
    eval_address_sum(&this.address, eval, relations, enabled, base, offset, 1);
    let byte_offset = this.b0.clone() + this.b1.clone() * BaseField::from(2);
    // sum_lo = 4 word + b0 + 2 b1
    eval.add_constraint(
        this.address.sum[0].clone() - this.word.clone() * BaseField::from(4) - byte_offset.clone(),
    );
    eval_bit(eval, &this.b0);
    eval_bit(eval, &this.b1);
    range_check(eval, relations, enabled.clone(), 14, this.word.clone());
    limbs(&this.address.sum) - byte_offset
}

#[cfg(feature = "prover")]
pub(crate) mod witness {
    use stwo::core::fields::m31::M31;

    use super::{AddressSum, RamAddress};
    use crate::air::tables::word_limbs;
    use crate::prover::witness::StepContext;

    /// `a + b` for [`AddressSum`], counting its range uses.
    pub(crate) fn address_sum(
        ctx: &mut StepContext<'_>,
        a: u32,
        b: u32,
        hi_min: u32,
    ) -> (u32, AddressSum<M31>) {
        let sum = a.wrapping_add(b);
        let carry_lo = (a & 0xffff) + (b & 0xffff) > 0xffff;
        let carry_hi = u64::from(a) + u64::from(b) > 0xffff_ffff;
        ctx.range(16, sum & 0xffff);
        ctx.range(13, (sum >> 16) - hi_min);
        let cols = AddressSum {
            sum: word_limbs(sum),
            carry: [M31::from(u32::from(carry_lo)), M31::from(u32::from(carry_hi))],
        };
        (sum, cols)
    }

    /// The RAM address `a + b` for [`RamAddress`], counting its range uses.
    pub(crate) fn ram_address(ctx: &mut StepContext<'_>, a: u32, b: u32) -> (u32, RamAddress<M31>) {
        let (sum, address) = address_sum(ctx, a, b, 1);
        ctx.range(14, (sum & 0xffff) >> 2);
        let cols = RamAddress {
            address,
            word: M31::from((sum & 0xffff) >> 2),
            b0: M31::from(sum & 1),
            b1: M31::from((sum >> 1) & 1),
        };
        (sum, cols)
    }
}
