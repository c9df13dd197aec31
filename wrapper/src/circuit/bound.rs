//! Upper bounds of the integers that lazily reduced M31 variables hold.
//!
//! An [`super::M31Var`] holds a BN254 field element that, read as an integer in `[0, r)`, is congruent to
//! its M31 value and at most its [`Bound`]. Bounds are exact 256-bit integers (not bit counts), so the
//! range checks of a reduction are as narrow as the arithmetic allows. Every bound stays at most
//! [`Bound::LIMIT`] = `2^250`: then sums of two bounded integers, the `k·p` added by subtractions and the
//! `q·p + r` of a reduction all stay below the BN254 modulus (`> 2^253`), so an equation between such
//! integers in the field is an equation between integers.

use ark_ff::biginteger::{BigInt, BigInteger};
use stwo::core::fields::m31::P;

/// An inclusive upper bound of a non-negative integer below `2^256`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Bound(BigInt<4>);

impl Bound {
    /// The largest bound a variable may carry: `2^250`.
    pub(crate) const LIMIT: Self = Self(BigInt::new([0, 0, 0, 1 << 58]));
    /// The largest bound of a product's operand: `2^120`. Two such operands (and Karatsuba's sums of
    /// them) multiply to well within [`Self::LIMIT`], and a square chain reduces every other square at
    /// about 124 bits, close to the cheapest schedule (reductions cost one constraint per bit).
    pub(crate) const MUL_OPERAND: Self = Self(BigInt::new([0, 1 << 56, 0, 0]));
    /// The bound of a canonical M31 value: `p - 1`.
    pub(crate) const CANONICAL: Self = Self(BigInt::new([P as u64 - 1, 0, 0, 0]));

    pub(crate) fn from_u64(value: u64) -> Self {
        Self(BigInt::from(value))
    }

    /// The integer itself (for a value's witness computations).
    pub(crate) fn from_bigint(value: BigInt<4>) -> Self {
        Self(value)
    }

    pub(crate) fn exceeds_limit(&self) -> bool {
        *self > Self::LIMIT
    }

    /// `self + other`, saturating at `2^256 - 1` (which exceeds the limit).
    pub(crate) fn add(&self, other: &Self) -> Self {
        let mut sum = self.0;
        if sum.add_with_carry(&other.0) { Self(BigInt::new([u64::MAX; 4])) } else { Self(sum) }
    }

    /// `self · other`, saturating at `2^256 - 1` (which exceeds the limit).
    pub(crate) fn mul(&self, other: &Self) -> Self {
        let (low, high) = self.0.mul(&other.0);
        if high.is_zero() { Self(low) } else { Self(BigInt::new([u64::MAX; 4])) }
    }

    /// `floor(self / p)` and `self mod p`.
    pub(crate) fn div_rem_p(&self) -> (Self, u32) {
        let p = u128::from(P);
        let mut quotient = [0u64; 4];
        let mut rem = 0u128;
        for (q, limb) in quotient.iter_mut().zip(self.0.0).rev() {
            let current = (rem << 64) | u128::from(limb);
            *q = (current / p) as u64;
            rem = current % p;
        }
        (Self(BigInt::new(quotient)), rem as u32)
    }

    /// `ceil(self / p)`: the smallest `k` with `k·p ≥ self`.
    pub(crate) fn div_p_ceil(&self) -> Self {
        let (q, r) = self.div_rem_p();
        if r == 0 { q } else { q.add(&Self::from_u64(1)) }
    }

    /// The number of bits of the bound (0 for a zero bound).
    pub(crate) fn bits(&self) -> usize {
        self.0.num_bits() as usize
    }

    /// The integer's little-endian bytes.
    pub(crate) fn to_bytes_le(self) -> Vec<u8> {
        self.0.to_bytes_le()
    }

    /// The low `n` bits of the integer, least significant first.
    pub(crate) fn low_bits(&self, n: usize) -> Vec<bool> {
        (0..n).map(|i| i < 256 && self.0.get_bit(i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_matches_u128() {
        let a = Bound::from_u64(u64::MAX);
        let b = Bound::from_u64(0x7fff_fffe);
        let product = u128::from(u64::MAX) * 0x7fff_fffe;
        let expected = Bound(BigInt::new([product as u64, (product >> 64) as u64, 0, 0]));
        assert_eq!(a.mul(&b), expected);
        let (q, r) = expected.div_rem_p();
        assert_eq!(q.0, BigInt::from((product / u128::from(P)) as u64));
        assert_eq!(u128::from(r), product % u128::from(P));
        assert_eq!(Bound::from_u64(u64::from(P)).div_p_ceil(), Bound::from_u64(1));
        assert_eq!(Bound::from_u64(u64::from(P) + 1).div_p_ceil(), Bound::from_u64(2));
        assert_eq!(Bound::CANONICAL.bits(), 31);
        assert!(!Bound::LIMIT.exceeds_limit());
        assert!(Bound::LIMIT.add(&Bound::from_u64(1)).exceeds_limit());
        assert!(Bound::LIMIT.mul(&Bound::LIMIT).exceeds_limit());
        assert_eq!(Bound::LIMIT.bits(), 251);
        assert_eq!(Bound::MUL_OPERAND.bits(), 121);
    }
}
