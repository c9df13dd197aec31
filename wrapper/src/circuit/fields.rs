//! Stwo's fields over R1CS variables: [`M31Var`], [`CM31Var`] (`M31[i]/(i² + 1)`) and [`QM31Var`]
//! (`CM31[u]/(u² - 2 - i)`), the twins of `M31`, `CM31` and `QM31`.
//!
//! **Lazy reduction.** An [`M31Var`] is a BN254 variable holding an integer `x` congruent to its M31
//! value, with a tracked upper bound of `x` (see [`super::bound`]). Additions, subtractions and products
//! by constants are linear combinations (no constraint; a product by a constant `c` is taken as
//! `-(x·(p - c))` when that is narrower, and reduces its operand only if the limit forces it); a product
//! of two variables is one constraint.
//! A reduction to the canonical representative happens only when a bound would pass `2^250`, or when
//! asked for ([`M31Var::reduce`]). Subtraction `a - b` computes `a + k·p - b` with `k·p` at least `b`'s
//! bound, so integers never go negative.
//!
//! Costs (constraints, non-constant operands; `n_q` is the bit width of `bound / p`):
//!
//! | operation | constraints |
//! |---|---|
//! | `+`, `-`, negation, product by a constant | 0 |
//! | M31 product / CM31 product / QM31 product | 1 / 3 / 9 (Karatsuba) |
//! | M31 / CM31 / QM31 square | 1 / 2 / 6 |
//! | QM31 times M31 / times CM31 | 4 / 6 |
//! | QM31 product keeping wide operands ([`QM31Var::mul_wide`]) | 9 |
//! | reduce ([`M31Var::reduce`]) | `33 + n_q`: 64 after one product of canonical values (QM31: 275) |
//! | equality mod p ([`M31Var::enforce_equal`]) | `1 + n_q` of `a - b + k·p`: 2 for canonical operands, 33 for a product and a canonical value (QM31: 8, 156) |
//! | new canonical witness: M31 / CM31 / QM31 | 32 / 64 / 128 |
//! | new 31-bit witness, `p` allowed for zero ([`M31Var::new_31_bit_witness`]) | 31 |
//! | QM31 inverse or quotient | 284 |
//!
//! The pinned figures are in the `constraint_costs` test.

use core::borrow::Borrow;
use core::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, PrimeField};
use ark_r1cs_std::GR1CSVar;
use ark_r1cs_std::alloc::{AllocVar, AllocationMode};
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSystemRef, Namespace, SynthesisError};
use num_traits::{One, Zero};
use stwo::core::fields::FieldExpOps;
use stwo::core::fields::cm31::CM31;
use stwo::core::fields::m31::{M31, P};
use stwo::core::fields::qm31::{QM31, SECURE_EXTENSION_DEGREE};

use super::bound::Bound;
use super::substitution;
use crate::channel::SecureFieldVar;
use crate::poseidon2::FrVar;

/// Bits of a canonical M31 value.
const M31_BITS: usize = 31;

/// The largest range check that stays sound: `2^n` times a small factor must stay below the modulus.
const MAX_RANGE_BITS: usize = 252;

fn fr_bound(value: Fr) -> Bound {
    Bound::from_bigint(value.into_bigint())
}

/// The M31 value of a field element read as a non-negative integer.
fn m31_of_fr(value: Fr) -> M31 {
    M31::from_u32_unchecked(fr_bound(value).div_rem_p().1)
}

fn bound_fr(bound: &Bound) -> Fr {
    Fr::from_le_bytes_mod_order(&bound.to_bytes_le())
}

fn p_fr() -> Fr {
    Fr::from(P)
}

/// Witnesses the low `n` bits of `value` (`None` in setup mode), one boolean constraint each.
fn witness_bits(
    cs: &ConstraintSystemRef<Fr>,
    value: Option<Bound>,
    n: usize,
) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    let bits = value.map(|v| v.low_bits(n));
    (0..n)
        .map(|i| {
            Boolean::new_witness(cs.clone(), || {
                bits.as_ref().map(|b| b[i]).ok_or(SynthesisError::AssignmentMissing)
            })
        })
        .collect()
}

/// `sum_i b_i · 2^i`, a linear combination.
fn bits_to_fr(bits: &[Boolean<Fr>]) -> FrVar {
    let mut scale = Fr::ONE;
    let mut sum = FrVar::zero();
    for bit in bits {
        sum += FrVar::from(bit.clone()) * scale;
        scale.double_in_place();
    }
    sum
}

/// The value of a variable as an integer, if assigned (not in setup mode).
fn assigned(value: &FrVar) -> Option<Bound> {
    value.value().ok().map(fr_bound)
}

/// Enforces `0 ≤ x < 2^n` (as an integer) and returns the bits of `x`, least significant first:
/// `n` boolean witnesses and one linear equation, `n + 1` constraints (none for a constant).
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] if `n` exceeds 252 bits (the check would wrap around the modulus) or
/// `x` is a constant that does not fit; otherwise fails only if the constraint system does.
pub fn enforce_bits(x: &FrVar, n: usize) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    if n > MAX_RANGE_BITS {
        return Err(SynthesisError::Unsatisfiable);
    }
    if let FpVar::Constant(c) = x {
        let value = fr_bound(*c);
        if value.bits() > n {
            return Err(SynthesisError::Unsatisfiable);
        }
        return Ok(value.low_bits(n).into_iter().map(Boolean::constant).collect());
    }
    let bits = witness_bits(&x.cs(), assigned(x), n)?;
    // x = sum_i b_i 2^i
    bits_to_fr(&bits).enforce_equal(x)?;
    Ok(bits)
}

/// An M31 element: a BN254 variable holding a non-negative integer congruent to the value, at most
/// `bound` (see the module documentation).
#[derive(Clone, Debug)]
pub struct M31Var {
    value: FrVar,
    bound: Bound,
}

impl M31Var {
    /// A constant (no variable, no constraint).
    pub fn constant(value: M31) -> Self {
        Self { value: FrVar::Constant(Fr::from(value.0)), bound: Bound::from_u64(u64::from(value.0)) }
    }

    /// The constant zero.
    pub fn zero() -> Self {
        Self::constant(M31::from_u32_unchecked(0))
    }

    /// The constant one.
    pub fn one() -> Self {
        Self::constant(M31::from_u32_unchecked(1))
    }

    /// Wraps a variable the caller vouches holds a canonical M31 value (below `p`), e.g. a channel draw
    /// or a coordinate already range-checked. No constraint.
    pub fn from_canonical(value: FrVar) -> Self {
        Self::from_parts(value, Bound::CANONICAL)
    }

    /// A witness held as 31 bits, without the `≠ p` check of a canonical witness: the integer is below
    /// `2^31`, so either the canonical value or `p` for zero (31 constraints instead of 32). For a value
    /// the circuit binds as an integer, such as a Merkle leaf's value, whose hash fixes the integer: the
    /// commitment then fixes the value just as well, and arithmetic on it is exact mod p either way.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn new_31_bit_witness(
        cs: ConstraintSystemRef<Fr>,
        f: impl FnOnce() -> Result<M31, SynthesisError>,
    ) -> Result<Self, SynthesisError> {
        let value = f().ok().map(|v| Bound::from_u64(u64::from(v.0)));
        let bits = witness_bits(&cs, value, M31_BITS)?;
        Ok(Self::from_parts(bits_to_fr(&bits), Bound::from_u64(u64::from(P))))
    }

    /// The integer `Σ 2^i bits[i]` (at most 63 bits), reduced lazily like any other value (no constraint).
    pub fn from_bits_le(bits: &[Boolean<Fr>]) -> Self {
        assert!(bits.len() < 64, "an M31 operand holds at most 63 bits");
        Self::from_parts(bits_to_fr(bits), Bound::from_u64((1u64 << bits.len()) - 1))
    }

    /// `b` as 0 or 1 (no constraint).
    pub fn from_boolean(bit: &Boolean<Fr>) -> Self {
        Self::from_parts(FrVar::from(bit.clone()), Bound::from_u64(1))
    }

    /// A constant value is kept as the canonical constant, so that products by it stay narrow.
    fn from_parts(value: FrVar, bound: Bound) -> Self {
        match value {
            FpVar::Constant(c) => Self::constant(m31_of_fr(c)),
            value => Self { value, bound },
        }
    }

    /// Whether the variable is a constant.
    pub fn is_constant(&self) -> bool {
        self.value.is_constant()
    }

    /// Whether the integer is known to be the canonical representative (below `p`).
    pub fn is_reduced(&self) -> bool {
        self.bound <= Bound::CANONICAL
    }

    /// The bit width of the tracked bound of the integer (31 for a canonical value).
    pub fn bound_bits(&self) -> usize {
        self.bound.bits()
    }

    /// The underlying variable: an integer congruent to the value, not necessarily canonical.
    pub fn unreduced_fr(&self) -> &FrVar {
        &self.value
    }

    /// The canonical representative: witnesses `q` and `r` with `x = q·p + r`, `r` in 31 bits and
    /// `r ≠ p`, `q` in the bit width of `bound / p`. Costs `33 + n_q` constraints; none if already canonical.
    ///
    /// # Errors
    /// Fails only if the constraint system fails; a wrong witness leaves it unsatisfied.
    pub fn reduce(&self) -> Result<Self, SynthesisError> {
        if self.is_reduced() {
            return Ok(self.clone());
        }
        self.reduce_with(assigned(&self.value).map(|x| x.div_rem_p()))
    }

    /// [`Self::reduce`] with the quotient and remainder given (the honest ones, or forged ones in tests).
    fn reduce_with(&self, quotient_remainder: Option<(Bound, u32)>) -> Result<Self, SynthesisError> {
        let cs = self.value.cs();
        let (max_quotient, _) = self.bound.div_rem_p();
        let q_bits = witness_bits(&cs, quotient_remainder.map(|(q, _)| q), max_quotient.bits())?;
        let r_bits =
            witness_bits(&cs, quotient_remainder.map(|(_, r)| Bound::from_u64(u64::from(r))), M31_BITS)?;
        let q = bits_to_fr(&q_bits);
        let r = bits_to_fr(&r_bits);
        // x = q·p + r: q < 2^n_q and r < 2^31 keep q·p + r below the modulus, so this holds over integers.
        (q * p_fr() + &r).enforce_equal(&self.value)?;
        // r ≠ p (31 bits allow r = p ≡ 0, which is not canonical).
        r.enforce_not_equal(&FrVar::constant(p_fr()))?;
        Ok(Self { value: r, bound: Bound::CANONICAL })
    }

    /// The canonical value as a field variable (below `p`), reducing if needed.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn canonical_fr(&self) -> Result<FrVar, SynthesisError> {
        Ok(self.reduce()?.value)
    }

    /// Enforces `self ≡ other (mod p)` without reducing either: `d = self + k·p - other` (`k·p` at least
    /// `other`'s bound, so `d ≥ 0`) and `d = m·p` with `m` range-checked to the bit width of `d`'s bound
    /// over `p`. Costs `1 + n_m` constraints (2 for canonical operands).
    ///
    /// # Errors
    /// [`SynthesisError::Unsatisfiable`] for two different constants; otherwise fails only if the
    /// constraint system does. Unequal values leave it unsatisfied.
    pub fn enforce_equal(&self, other: &Self) -> Result<(), SynthesisError> {
        if let (FpVar::Constant(a), FpVar::Constant(b)) = (&self.value, &other.value) {
            return if m31_of_fr(*a) == m31_of_fr(*b) { Ok(()) } else { Err(SynthesisError::Unsatisfiable) };
        }
        let k = other.bound.div_p_ceil();
        let shift = k.mul(&Bound::from_u64(u64::from(P)));
        let difference = &self.value + bound_fr(&shift) - &other.value;
        let (max_multiple, _) = self.bound.add(&shift).div_rem_p();
        let multiple = enforce_multiple_bits(&difference, max_multiple.bits())?;
        // self + k·p - other = m·p, all below the modulus: an equation over integers.
        (bits_to_fr(&multiple) * p_fr()).enforce_equal(&difference)
    }

    /// `2 · self` (no constraint).
    pub fn double(&self) -> Self {
        self + self
    }

    /// The value's square (one constraint).
    pub fn square(&self) -> Self {
        let ready = self.mul_ready();
        ready.mul_ref(&ready)
    }

    /// The variable, reduced first if its bound is too wide for a product's operand (`2^120`): a wide
    /// operand would pass its width on to the product, and reductions cost one constraint per bit.
    pub fn mul_ready(&self) -> Self {
        if self.bound > Bound::MUL_OPERAND {
            // Reductions of bounded variables fail only if the constraint system itself fails.
            self.reduce().expect("constraint system failure while reducing")
        } else {
            self.clone()
        }
    }

    /// The inverse: a canonical witness `w` with `self · w ≡ 1`. A zero has none: the system is then
    /// unsatisfiable. About 66 constraints.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn inverse(&self) -> Result<Self, SynthesisError> {
        if let FpVar::Constant(c) = &self.value {
            let value = m31_of_fr(*c);
            return if value.0 == 0 {
                Err(SynthesisError::Unsatisfiable)
            } else {
                Ok(Self::constant(value.inverse()))
            };
        }
        let inverse = Self::new_witness(self.value.cs(), || {
            let value = m31_of_fr(self.value.value()?);
            Ok(if value.0 == 0 { value } else { value.inverse() })
        })?;
        (self * &inverse).enforce_equal(&Self::one())?;
        Ok(inverse)
    }

    /// Reduces the operands (larger bound first) until `combine` of their bounds fits the limit.
    fn fit(a: &Self, b: &Self, combine: impl Fn(&Bound, &Bound) -> Bound) -> (Self, Self) {
        let (mut a, mut b) = (a.clone(), b.clone());
        while combine(&a.bound, &b.bound).exceeds_limit() {
            let reduce_a = !a.is_reduced() && (a.bound >= b.bound || b.is_reduced());
            let target = if reduce_a { &mut a } else { &mut b };
            if target.is_reduced() {
                break;
            }
            // Reductions of bounded variables fail only if the constraint system itself fails.
            *target = target.reduce().expect("constraint system failure while reducing");
        }
        (a, b)
    }

    fn sub_shift(bound: &Bound) -> Bound {
        bound.div_p_ceil().mul(&Bound::from_u64(u64::from(P)))
    }

    fn add_ref(&self, other: &Self) -> Self {
        let (a, b) = Self::fit(self, other, Bound::add);
        Self::from_parts(&a.value + &b.value, a.bound.add(&b.bound))
    }

    fn sub_ref(&self, other: &Self) -> Self {
        let (a, b) = Self::fit(self, other, |a, b| a.add(&Self::sub_shift(b)));
        let shift = Self::sub_shift(&b.bound);
        // a + k·p - b ≥ 0 since k·p ≥ bound(b).
        Self::from_parts(&a.value + bound_fr(&shift) - &b.value, a.bound.add(&shift))
    }

    fn mul_ref(&self, other: &Self) -> Self {
        if let FpVar::Constant(c) = &other.value {
            return self.mul_constant(m31_of_fr(*c));
        }
        if let FpVar::Constant(c) = &self.value {
            return other.mul_constant(m31_of_fr(*c));
        }
        let (a, b) = Self::fit(&self.mul_ready(), &other.mul_ready(), Bound::mul);
        Self::from_parts(&a.value * &b.value, a.bound.mul(&b.bound))
    }

    /// The product, reducing an operand only if the product would pass the limit: unlike `*`, a wide
    /// operand is not reduced first. For a product used once (a wide value times a canonical
    /// coefficient, summed and then reduced), where reducing the operand would only add a reduction.
    fn mul_wide(&self, other: &Self) -> Self {
        if let FpVar::Constant(c) = &other.value {
            return self.mul_constant(m31_of_fr(*c));
        }
        if let FpVar::Constant(c) = &self.value {
            return other.mul_constant(m31_of_fr(*c));
        }
        let (a, b) = Self::fit(self, other, Bound::mul);
        Self::from_parts(&a.value * &b.value, a.bound.mul(&b.bound))
    }

    /// The product by a constant `c` (no constraint). The variable is not made ready for products (it
    /// is reduced only if the product would pass the limit): a constant factor widens it by at most
    /// 30 bits, and by few for the small constants AIRs use most. A constant above `p / 2` is `-(p - c)`:
    /// the product by `p - c` negated, so that `-1`, `-2`, ... widen no more than `1`, `2`, ...
    fn mul_constant(&self, c: M31) -> Self {
        let product = |factor: u32| {
            let (a, b) = Self::fit(self, &Self::constant(M31::from_u32_unchecked(factor)), Bound::mul);
            Self::from_parts(&a.value * &b.value, a.bound.mul(&b.bound))
        };
        if c.0 == 0 {
            return product(0);
        }
        let direct = self.bound.mul(&Bound::from_u64(u64::from(c.0)));
        let negated = Self::sub_shift(&self.bound.mul(&Bound::from_u64(u64::from(P - c.0))));
        // The narrower of `x·c` and `-(x·(p - c))`, which are congruent.
        if negated < direct { product(P - c.0).neg_ref() } else { product(c.0) }
    }

    fn neg_ref(&self) -> Self {
        let shift = Self::sub_shift(&self.bound);
        Self::from_parts(FrVar::constant(bound_fr(&shift)) - &self.value, shift)
    }
}

/// Witnesses `d / p` (honestly an integer) in `n` bits.
fn enforce_multiple_bits(difference: &FrVar, n: usize) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    if n > MAX_RANGE_BITS {
        return Err(SynthesisError::Unsatisfiable);
    }
    witness_bits(&difference.cs(), assigned(difference).map(|d| d.div_rem_p().0), n)
}

impl GR1CSVar<Fr> for M31Var {
    type Value = M31;

    fn cs(&self) -> ConstraintSystemRef<Fr> {
        self.value.cs()
    }

    fn value(&self) -> Result<M31, SynthesisError> {
        Ok(m31_of_fr(self.value.value()?))
    }
}

impl AllocVar<M31, Fr> for M31Var {
    /// A constant is free; a witness is 31 boolean bits and `r ≠ p` (32 constraints); a public input is
    /// range-checked the same way (33).
    fn new_variable<T: Borrow<M31>>(
        cs: impl Into<Namespace<Fr>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let cs = cs.into().cs();
        match mode {
            AllocationMode::Constant => Ok(Self::constant(*f()?.borrow())),
            AllocationMode::Input => {
                let value = FrVar::new_input(cs, || f().map(|v| Fr::from(v.borrow().0)))?;
                enforce_bits(&value, M31_BITS)?;
                value.enforce_not_equal(&FrVar::constant(p_fr()))?;
                Ok(Self::from_canonical(value))
            }
            AllocationMode::Witness => {
                let value = f().ok().map(|v| Bound::from_u64(u64::from(v.borrow().0)));
                let value = bits_to_fr(&witness_bits(&cs, value, M31_BITS)?);
                // Canonical: 31 bits and not p.
                value.enforce_not_equal(&FrVar::constant(p_fr()))?;
                Ok(Self::from_canonical(value))
            }
        }
    }
}

/// An element of `CM31 = M31[i]/(i² + 1)`: `self.0 + self.1 · i`, as Stwo's `CM31`.
#[derive(Clone, Debug)]
pub struct CM31Var(pub M31Var, pub M31Var);

impl CM31Var {
    /// A constant.
    pub fn constant(value: CM31) -> Self {
        Self(M31Var::constant(value.0), M31Var::constant(value.1))
    }

    /// The constant zero.
    pub fn zero() -> Self {
        Self::from_m31(M31Var::zero())
    }

    /// The constant one.
    pub fn one() -> Self {
        Self::from_m31(M31Var::one())
    }

    /// The embedding of the base field.
    pub fn from_m31(value: M31Var) -> Self {
        Self(value, M31Var::zero())
    }

    /// `(a + bi)² = (a + b)(a - b) + 2ab·i` (two constraints).
    pub fn square(&self) -> Self {
        let Self(a, b) = self.mul_ready();
        Self((&a + &b) * (&a - &b), (&a * &b).double())
    }

    /// The product by a base-field variable (two constraints).
    pub fn mul_m31(&self, rhs: &M31Var) -> Self {
        let rhs = rhs.mul_ready();
        Self(&self.0 * &rhs, &self.1 * &rhs)
    }

    /// The inverse: canonical witnesses whose product with `self` is one (unsatisfiable for zero).
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn inverse(&self) -> Result<Self, SynthesisError> {
        if self.0.is_constant() && self.1.is_constant() {
            let value = self.value()?;
            return if value.is_zero() {
                Err(SynthesisError::Unsatisfiable)
            } else {
                Ok(Self::constant(value.inverse()))
            };
        }
        let inverse = Self::new_witness(self.cs(), || {
            let value = self.value()?;
            Ok(if value.is_zero() { value } else { value.inverse() })
        })?;
        // self · inverse = 1
        (self * &inverse).enforce_equal(&Self::one())?;
        Ok(inverse)
    }

    /// Karatsuba: `ac - bd + ((a + b)(c + d) - ac - bd)·i`, three products.
    fn mul_ref(&self, other: &Self) -> Self {
        if other.is_constant() {
            return self.mul_constant(other);
        }
        if self.is_constant() {
            return other.mul_constant(self);
        }
        // Each coordinate enters two products: reduce wide ones once, here.
        let (Self(a, b), Self(c, d)) = (self.mul_ready(), other.mul_ready());
        let ac = &a * &c;
        let bd = &b * &d;
        let cross = (&a + &b) * (&c + &d);
        Self(&ac - &bd, cross - ac - bd)
    }
}

impl CM31Var {
    /// [`M31Var::mul_wide`]'s Karatsuba product (three constraints, no reduction of wide operands
    /// unless the products would pass the limit).
    fn mul_wide(&self, other: &Self) -> Self {
        if other.is_constant() {
            return self.mul_constant(other);
        }
        if self.is_constant() {
            return other.mul_constant(self);
        }
        let (Self(a, b), Self(c, d)) = (self, other);
        let ac = a.mul_wide(c);
        let bd = b.mul_wide(d);
        let cross = (a + b).mul_wide(&(c + d));
        Self(&ac - &bd, cross - ac - bd)
    }

    /// The product by a constant, schoolbook `ac - bd + (ad + bc)·i`: products by constants cost no
    /// constraint, and the schoolbook sums stay narrower than Karatsuba's.
    fn mul_constant(&self, constant: &Self) -> Self {
        let (Self(a, b), Self(c, d)) = (self, constant);
        Self(a * c - b * d, a * d + b * c)
    }
}

impl AllocVar<CM31, Fr> for CM31Var {
    /// Each coordinate as an [`M31Var`] in the same mode.
    fn new_variable<T: Borrow<CM31>>(
        cs: impl Into<Namespace<Fr>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let cs = cs.into().cs();
        let value = f().map(|v| *v.borrow());
        let coordinate = |c: fn(CM31) -> M31| M31Var::new_variable(cs.clone(), || value.map(c), mode);
        Ok(Self(coordinate(|v| v.0)?, coordinate(|v| v.1)?))
    }
}

/// An element of `QM31 = CM31[u]/(u² - 2 - i)`: `self.0 + self.1 · u`, as Stwo's `QM31` (`SecureField`).
#[derive(Clone, Debug)]
pub struct QM31Var(pub CM31Var, pub CM31Var);

/// `R = 2 + i`, the non-residue with `u² = R`.
const R: CM31 = CM31::from_u32_unchecked(2, 1);

impl QM31Var {
    /// A constant — unless an evaluation scope substitutes a variable for it (see
    /// [`super::Substitutions`]).
    pub fn constant(value: QM31) -> Self {
        Self(CM31Var::constant(value.0), CM31Var::constant(value.1))
    }

    /// The constant zero.
    pub fn zero() -> Self {
        Self::from_m31(M31Var::zero())
    }

    /// The constant one.
    pub fn one() -> Self {
        Self::from_m31(M31Var::one())
    }

    /// The embedding of the base field.
    pub fn from_m31(value: M31Var) -> Self {
        Self(CM31Var::from_m31(value), CM31Var::zero())
    }

    /// The embedding of `CM31`.
    pub fn from_cm31(value: CM31Var) -> Self {
        Self(value, CM31Var::zero())
    }

    /// From coordinates in Stwo's `to_m31_array` order.
    pub fn from_array([a, b, c, d]: [M31Var; SECURE_EXTENSION_DEGREE]) -> Self {
        Self(CM31Var(a, b), CM31Var(c, d))
    }

    /// The coordinates in Stwo's `to_m31_array` order.
    pub fn to_array(&self) -> [M31Var; SECURE_EXTENSION_DEGREE] {
        [self.0.0.clone(), self.0.1.clone(), self.1.0.clone(), self.1.1.clone()]
    }

    /// A channel draw (canonical coordinates, no constraint).
    pub fn from_channel(felt: &SecureFieldVar) -> Self {
        Self::from_array(felt.clone().map(M31Var::from_canonical))
    }

    /// The value from its four coordinate polynomials' values, as `QM31::from_partial_evals`
    /// (products by constants: no constraint).
    pub fn from_partial_evals(evals: [Self; SECURE_EXTENSION_DEGREE]) -> Self {
        let [e0, e1, e2, e3] = evals;
        e0 + e1 * QM31::from_u32_unchecked(0, 1, 0, 0)
            + e2 * QM31::from_u32_unchecked(0, 0, 1, 0)
            + e3 * QM31::from_u32_unchecked(0, 0, 0, 1)
    }

    /// The canonical coordinates as field variables, in `to_m31_array` order (e.g. to mix into the
    /// channel).
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn canonical_fr(&self) -> Result<SecureFieldVar, SynthesisError> {
        let [a, b, c, d] = self.to_array();
        Ok([a.canonical_fr()?, b.canonical_fr()?, c.canonical_fr()?, d.canonical_fr()?])
    }

    /// `(a + bu)² = a² + R·b² + ((a + b)² - a² - b²)·u`: three CM31 squares, six constraints.
    pub fn square(&self) -> Self {
        let Self(a, b) = self.mul_ready();
        let a2 = a.square();
        let b2 = b.square();
        let cross = (&a + &b).square() - &a2 - &b2;
        Self(a2 + b2 * R, cross)
    }

    /// The product by a base-field variable (four constraints).
    pub fn mul_m31(&self, rhs: &M31Var) -> Self {
        let rhs = rhs.mul_ready();
        Self(self.0.mul_m31(&rhs), self.1.mul_m31(&rhs))
    }

    /// The product by a `CM31` variable (six constraints), as `QM31::mul_cm31`.
    pub fn mul_cm31(&self, rhs: &CM31Var) -> Self {
        let rhs = rhs.mul_ready();
        Self(&self.0 * &rhs, &self.1 * &rhs)
    }

    /// The inverse: a canonical witness whose product with `self` is one (unsatisfiable for zero).
    /// 284 constraints.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn inverse(&self) -> Result<Self, SynthesisError> {
        if let Ok(value) = self.constant_value() {
            return if value.is_zero() {
                Err(SynthesisError::Unsatisfiable)
            } else {
                Ok(Self::constant(value.inverse()))
            };
        }
        self.inverse_with(|| {
            let value = self.value()?;
            Ok(if value.is_zero() { value } else { value.inverse() })
        })
    }

    /// [`Self::inverse`] with the witness given (the honest one, or a forged one in tests).
    fn inverse_with(
        &self,
        witness: impl FnOnce() -> Result<QM31, SynthesisError>,
    ) -> Result<Self, SynthesisError> {
        let inverse = Self::new_witness(self.cs(), witness)?;
        // self · inverse = 1
        (self * &inverse).enforce_equal(&Self::one())?;
        Ok(inverse)
    }

    /// `self / rhs`: a canonical witness `w` with `w · rhs = self` (unsatisfiable for a zero `rhs`);
    /// the cost of [`Self::inverse`], saving the product after it.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn div(&self, rhs: &Self) -> Result<Self, SynthesisError> {
        if let (Ok(a), Ok(b)) = (self.constant_value(), rhs.constant_value()) {
            return if b.is_zero() { Err(SynthesisError::Unsatisfiable) } else { Ok(Self::constant(a / b)) };
        }
        let quotient = Self::new_witness(self.cs().or(rhs.cs()), || {
            let divisor = rhs.value()?;
            Ok(if divisor.is_zero() { divisor } else { self.value()? / divisor })
        })?;
        (&quotient * rhs).enforce_equal(self)?;
        Ok(quotient)
    }

    /// The value if all coordinates are constants.
    fn constant_value(&self) -> Result<QM31, SynthesisError> {
        if self.to_array().iter().all(M31Var::is_constant) {
            self.value()
        } else {
            Err(SynthesisError::AssignmentMissing)
        }
    }

    /// Karatsuba: `ac + R·bd + ((a + b)(c + d) - ac - bd)·u`, three CM31 products (nine constraints).
    fn mul_ref(&self, other: &Self) -> Self {
        if other.is_constant() {
            return self.mul_constant(other);
        }
        if self.is_constant() {
            return other.mul_constant(self);
        }
        // Each coordinate enters two products: reduce wide ones once, here.
        let (Self(a, b), Self(c, d)) = (self.mul_ready(), other.mul_ready());
        let ac = &a * &c;
        let bd = &b * &d;
        let cross = (&a + &b) * (&c + &d);
        let high = cross - &ac - &bd;
        Self(ac + bd * R, high)
    }
}

impl QM31Var {
    /// The Karatsuba product (nine constraints) without first reducing wide operands: each coordinate
    /// product reduces an operand only if it would pass the limit. For a
    /// product used once, such as a wide value times a canonical coefficient in a sum reduced later.
    pub fn mul_wide(&self, other: &Self) -> Self {
        if other.is_constant() {
            return self.mul_constant(other);
        }
        if self.is_constant() {
            return other.mul_constant(self);
        }
        let (Self(a, b), Self(c, d)) = (self, other);
        let ac = a.mul_wide(c);
        let bd = b.mul_wide(d);
        let cross = (a + b).mul_wide(&(c + d));
        let high = cross - &ac - &bd;
        Self(ac + bd * R, high)
    }

    /// The product by a constant, schoolbook `ac + R·bd + (ad + bc)·u` (no constraint; see
    /// [`CM31Var::mul_constant`]).
    fn mul_constant(&self, constant: &Self) -> Self {
        let (Self(a, b), Self(c, d)) = (self, constant);
        Self(a * c + (b * d) * R, a * d + b * c)
    }
}

impl AllocVar<QM31, Fr> for QM31Var {
    /// Each coordinate as an [`M31Var`] in the same mode.
    fn new_variable<T: Borrow<QM31>>(
        cs: impl Into<Namespace<Fr>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let cs = cs.into().cs();
        let value = f().map(|v| v.borrow().to_m31_array());
        let coordinates: Vec<M31Var> = (0..SECURE_EXTENSION_DEGREE)
            .map(|i| M31Var::new_variable(cs.clone(), || value.map(|v| v[i]), mode))
            .collect::<Result<_, _>>()?;
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| coordinates[i].clone());
        Ok(Self::from_array([a, b, c, d]))
    }
}

/// What an extension `self.0 + self.1 · X` shares with its halves, coordinate by coordinate: reduction,
/// equality, readiness for products, doubling, conjugation (`self.0 - self.1 · X`, Stwo's
/// `ComplexConjugate`), the linear operations, and the value.
macro_rules! impl_extension_var {
    ($var:ident, $native:ident) => {
        impl $var {
            /// Every coordinate reduced.
            ///
            /// # Errors
            /// Fails only if the constraint system fails.
            pub fn reduce(&self) -> Result<Self, SynthesisError> {
                Ok(Self(self.0.reduce()?, self.1.reduce()?))
            }

            /// Enforces equality coordinate by coordinate ([`M31Var::enforce_equal`]).
            ///
            /// # Errors
            /// As [`M31Var::enforce_equal`].
            pub fn enforce_equal(&self, other: &Self) -> Result<(), SynthesisError> {
                self.0.enforce_equal(&other.0)?;
                self.1.enforce_equal(&other.1)
            }

            /// Whether every coordinate is a constant.
            pub fn is_constant(&self) -> bool {
                self.0.is_constant() && self.1.is_constant()
            }

            /// Every coordinate ready for products ([`M31Var::mul_ready`]).
            pub fn mul_ready(&self) -> Self {
                Self(self.0.mul_ready(), self.1.mul_ready())
            }

            /// `2 · self` (no constraint).
            pub fn double(&self) -> Self {
                self + self
            }

            /// The conjugate `self.0 - self.1 · X`, as Stwo's `ComplexConjugate`.
            pub fn complex_conjugate(&self) -> Self {
                Self(self.0.clone(), -&self.1)
            }

            fn add_ref(&self, other: &Self) -> Self {
                Self(&self.0 + &other.0, &self.1 + &other.1)
            }

            fn sub_ref(&self, other: &Self) -> Self {
                Self(&self.0 - &other.0, &self.1 - &other.1)
            }

            fn neg_ref(&self) -> Self {
                Self(-&self.0, -&self.1)
            }
        }

        impl GR1CSVar<Fr> for $var {
            type Value = $native;

            fn cs(&self) -> ConstraintSystemRef<Fr> {
                self.0.cs().or(self.1.cs())
            }

            fn value(&self) -> Result<$native, SynthesisError> {
                Ok($native(self.0.value()?, self.1.value()?))
            }
        }
    };
}

impl_extension_var!(CM31Var, CM31);
impl_extension_var!(QM31Var, QM31);

/// What generic gadgets (circle points, vanishing polynomials) need of a field over M31.
pub trait M31FieldVar:
    Clone
    + core::fmt::Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Neg<Output = Self>
    + Add<M31, Output = Self>
    + Sub<M31, Output = Self>
    + Mul<M31, Output = Self>
    + From<M31>
    + GR1CSVar<Fr>
{
    /// The native field.
    type Native: Copy;

    /// A constant.
    fn constant(value: Self::Native) -> Self;
    /// The square.
    fn square(&self) -> Self;
    /// `2 · self`.
    fn double(&self) -> Self;
    /// Coordinates too wide for a product's operand reduced (see [`M31Var::mul_ready`]).
    fn mul_ready(&self) -> Self;
    /// The canonical representative.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    fn reduce(&self) -> Result<Self, SynthesisError>;
    /// Enforces equality mod p.
    ///
    /// # Errors
    /// Fails only if the constraint system fails (or on two different constants).
    fn enforce_equal(&self, other: &Self) -> Result<(), SynthesisError>;
    /// The inverse (unsatisfiable for zero).
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    fn inverse(&self) -> Result<Self, SynthesisError>;
}

/// `op` between owned and borrowed operands, and its assigning form, all through `$inner(&self, &Self)`.
macro_rules! impl_binary_op {
    ($var:ty, $op:ident, $method:ident, $inner:ident, $assign:ident, $assign_method:ident) => {
        impl $op<&$var> for &$var {
            type Output = $var;
            fn $method(self, rhs: &$var) -> $var {
                self.$inner(rhs)
            }
        }
        impl $op<$var> for &$var {
            type Output = $var;
            fn $method(self, rhs: $var) -> $var {
                self.$inner(&rhs)
            }
        }
        impl $op<&$var> for $var {
            type Output = $var;
            fn $method(self, rhs: &$var) -> $var {
                self.$inner(rhs)
            }
        }
        impl $op for $var {
            type Output = $var;
            fn $method(self, rhs: $var) -> $var {
                self.$inner(&rhs)
            }
        }
        impl $assign for $var {
            fn $assign_method(&mut self, rhs: $var) {
                *self = self.$inner(&rhs);
            }
        }
        impl $assign<&$var> for $var {
            fn $assign_method(&mut self, rhs: &$var) {
                *self = self.$inner(rhs);
            }
        }
    };
}

/// [`M31FieldVar`] and the arithmetic operators of a field variable.
macro_rules! impl_field_var {
    ($var:ty, $native:ty) => {
        impl M31FieldVar for $var {
            type Native = $native;

            fn constant(value: $native) -> Self {
                <$var>::constant(value)
            }
            fn square(&self) -> Self {
                <$var>::square(self)
            }
            fn double(&self) -> Self {
                <$var>::double(self)
            }
            fn mul_ready(&self) -> Self {
                <$var>::mul_ready(self)
            }
            fn reduce(&self) -> Result<Self, SynthesisError> {
                <$var>::reduce(self)
            }
            fn enforce_equal(&self, other: &Self) -> Result<(), SynthesisError> {
                <$var>::enforce_equal(self, other)
            }
            fn inverse(&self) -> Result<Self, SynthesisError> {
                <$var>::inverse(self)
            }
        }

        impl_binary_op!($var, Add, add, add_ref, AddAssign, add_assign);
        impl_binary_op!($var, Sub, sub, sub_ref, SubAssign, sub_assign);
        impl_binary_op!($var, Mul, mul, mul_ref, MulAssign, mul_assign);
        impl Neg for &$var {
            type Output = $var;
            fn neg(self) -> $var {
                self.neg_ref()
            }
        }
        impl Neg for $var {
            type Output = $var;
            fn neg(self) -> $var {
                self.neg_ref()
            }
        }
    };
}

/// Operators with a native constant on the right (no constraint for `+`, `-`, `·`).
macro_rules! impl_constant_ops {
    ($var:ty, $constant:ty) => {
        impl_constant_op!($var, $constant, Add, add, add_ref, AddAssign, add_assign);
        impl_constant_op!($var, $constant, Sub, sub, sub_ref, SubAssign, sub_assign);
        impl_constant_op!($var, $constant, Mul, mul, mul_ref, MulAssign, mul_assign);
    };
}

/// `op` with a constant on the right, through `$inner(&self, &Self::from(constant))`.
macro_rules! impl_constant_op {
    ($var:ty, $constant:ty, $op:ident, $method:ident, $inner:ident, $assign:ident, $assign_method:ident) => {
        impl $op<$constant> for &$var {
            type Output = $var;
            fn $method(self, rhs: $constant) -> $var {
                self.$inner(&<$var>::from(rhs))
            }
        }
        impl $op<$constant> for $var {
            type Output = $var;
            fn $method(self, rhs: $constant) -> $var {
                self.$inner(&<$var>::from(rhs))
            }
        }
        impl $assign<$constant> for $var {
            fn $assign_method(&mut self, rhs: $constant) {
                *self = self.$inner(&<$var>::from(rhs));
            }
        }
    };
}

impl_field_var!(M31Var, M31);
impl_field_var!(CM31Var, CM31);
impl_field_var!(QM31Var, QM31);
impl_constant_ops!(M31Var, M31);
impl_constant_ops!(CM31Var, M31);
impl_constant_ops!(CM31Var, CM31);
impl_constant_ops!(QM31Var, M31);
impl_constant_ops!(QM31Var, CM31);
impl_constant_ops!(QM31Var, QM31);

impl From<M31> for M31Var {
    fn from(value: M31) -> Self {
        Self::constant(value)
    }
}

impl From<M31> for CM31Var {
    fn from(value: M31) -> Self {
        Self::from_m31(M31Var::constant(value))
    }
}

impl From<CM31> for CM31Var {
    fn from(value: CM31) -> Self {
        Self::constant(value)
    }
}

impl From<M31> for QM31Var {
    fn from(value: M31) -> Self {
        Self::from_m31(M31Var::constant(value))
    }
}

impl From<CM31> for QM31Var {
    fn from(value: CM31) -> Self {
        Self::from_cm31(CM31Var::constant(value))
    }
}

impl From<QM31> for QM31Var {
    /// The constant — or, inside an evaluation scope of [`super::Substitutions`], the variable that a
    /// placeholder constant stands for (how proof-dependent values reach an unchanged `FrameworkEval`).
    fn from(value: QM31) -> Self {
        substitution::lookup(value).unwrap_or_else(|| Self::constant(value))
    }
}

impl From<M31Var> for QM31Var {
    fn from(value: M31Var) -> Self {
        Self::from_m31(value)
    }
}

impl Zero for QM31Var {
    fn zero() -> Self {
        Self::zero()
    }

    /// Only the constant zero is known to be zero when the circuit is built.
    fn is_zero(&self) -> bool {
        self.constant_value().is_ok_and(|v| v.is_zero())
    }
}

impl One for QM31Var {
    fn one() -> Self {
        Self::one()
    }
}

impl FieldExpOps for QM31Var {
    fn square(&self) -> Self {
        Self::square(self)
    }

    /// [`QM31Var::inverse`]. A variable zero leaves the system unsatisfied; the only failures are a
    /// constant zero (an AIR bug, on which Stwo's own evaluators panic too) and the constraint system
    /// failing.
    fn inverse(&self) -> Self {
        Self::inverse(self).expect("inverse of a constant zero, or a constraint system failure")
    }
}

#[cfg(test)]
pub(crate) mod tests;
