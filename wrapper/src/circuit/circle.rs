//! Circle geometry over R1CS variables: [`CirclePointVar`], the twin of Stwo's `CirclePoint`; the domain
//! point of a query position ([`domain_point_at_bitrev`]); and the vanishing polynomials of
//! `stwo::core::constraints` that the composition check needs.
//!
//! Costs (QM31 coordinates): add 27 constraints (three Karatsuba products), double 15, a product with a
//! constant point none; [`random_point_from`] 448; [`coset_vanishing`] 286 per doubling;
//! [`domain_point_at_bitrev`] about 21 per position bit (see its documentation).

use ark_bn254::Fr;
use ark_r1cs_std::boolean::Boolean;
use ark_relations::gr1cs::SynthesisError;
use stwo::core::circle::{CirclePoint, CirclePointIndex, Coset};
use stwo::core::fields::m31::M31;
use stwo::core::poly::circle::CanonicCoset;
use stwo::core::poly::circle::MAX_CIRCLE_DOMAIN_LOG_SIZE;

use super::CircuitError;
use super::fields::{M31FieldVar, M31Var, QM31Var};

/// Position bits combined per table in [`domain_point_at_bitrev`]: a table of `2^w` constant points
/// costs `2^w - w - 1` bit products and one point addition; four balances that against the reductions
/// that the additions' growing bounds bring.
const WINDOW_BITS: usize = 4;

/// A point `(x, y)` with `x² + y² = 1`, over a field variable: the twin of `CirclePoint<F>`.
#[derive(Clone, Debug)]
pub struct CirclePointVar<T> {
    /// The x coordinate.
    pub x: T,
    /// The y coordinate.
    pub y: T,
}

impl<T: M31FieldVar> CirclePointVar<T> {
    /// The identity `(1, 0)`.
    pub fn zero() -> Self {
        Self { x: T::from(M31::from_u32_unchecked(1)), y: T::from(M31::from_u32_unchecked(0)) }
    }

    /// A constant point.
    pub fn constant(point: CirclePoint<T::Native>) -> Self {
        Self { x: T::constant(point.x), y: T::constant(point.y) }
    }

    /// A constant point of the base circle.
    pub fn from_base(point: CirclePoint<M31>) -> Self {
        Self { x: T::from(point.x), y: T::from(point.y) }
    }

    /// The group law `(x1 x2 - y1 y2, x1 y2 + y1 x2)`, with `x1 y2 + y1 x2 = (x1 + y1)(x2 + y2) - x1 x2 - y1 y2`:
    /// three products.
    pub fn add(&self, other: &Self) -> Self {
        // Each coordinate enters two products: reduce wide ones once, here.
        let (a, b) = (self.mul_ready(), other.mul_ready());
        let xx = a.x.clone() * b.x.clone();
        let yy = a.y.clone() * b.y.clone();
        let cross = (a.x + a.y) * (b.x + b.y);
        Self { x: xx.clone() - yy.clone(), y: cross - xx - yy }
    }

    /// Coordinates too wide for a product's operand reduced.
    fn mul_ready(&self) -> Self {
        Self { x: self.x.mul_ready(), y: self.y.mul_ready() }
    }

    /// `self + point` for a constant point (products by constants: no constraint).
    pub fn add_constant(&self, point: CirclePoint<T::Native>) -> Self {
        self.add(&Self::constant(point))
    }

    /// `self + point` for a constant point of the base circle (no constraint).
    pub fn add_base(&self, point: CirclePoint<M31>) -> Self {
        self.add(&Self::from_base(point))
    }

    /// `self - other`: the sum with the conjugate (the group inverse).
    pub fn sub(&self, other: &Self) -> Self {
        self.add(&other.conjugate())
    }

    /// `2·self = (2x² - 1, 2xy)`: two products.
    pub fn double(&self) -> Self {
        let ready = self.mul_ready();
        Self { x: Self::double_x(&ready.x), y: (ready.x * ready.y).double() }
    }

    /// The x coordinate of the double of a point with x coordinate `x`: `2x² - 1`, one square.
    pub fn double_x(x: &T) -> T {
        x.square().double() - M31::from_u32_unchecked(1)
    }

    /// `2^n · self`.
    pub fn repeated_double(&self, n: u32) -> Self {
        (0..n).fold(self.clone(), |point, _| point.double())
    }

    /// The conjugate `(x, -y)`, the group inverse.
    pub fn conjugate(&self) -> Self {
        Self { x: self.x.clone(), y: -self.y.clone() }
    }

    /// The antipode `(-x, -y)`, the point plus the element of order two.
    pub fn antipode(&self) -> Self {
        Self { x: -self.x.clone(), y: -self.y.clone() }
    }

    /// Both coordinates reduced.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn reduce(&self) -> Result<Self, SynthesisError> {
        Ok(Self { x: self.x.reduce()?, y: self.y.reduce()? })
    }

    /// Enforces equality of both coordinates mod p.
    ///
    /// # Errors
    /// As [`M31Var::enforce_equal`].
    pub fn enforce_equal(&self, other: &Self) -> Result<(), SynthesisError> {
        self.x.enforce_equal(&other.x)?;
        self.y.enforce_equal(&other.y)
    }

    /// The point's value.
    ///
    /// # Errors
    /// [`SynthesisError::AssignmentMissing`] in setup mode.
    pub fn value(&self) -> Result<CirclePoint<T::Value>, SynthesisError> {
        Ok(CirclePoint { x: self.x.value()?, y: self.y.value()? })
    }
}

impl CirclePointVar<M31Var> {
    /// The same point over the extension field.
    pub fn into_ef(self) -> CirclePointVar<QM31Var> {
        CirclePointVar { x: QM31Var::from_m31(self.x), y: QM31Var::from_m31(self.y) }
    }
}

/// The point `((1 - t²)/(1 + t²), 2t/(1 + t²))`, as `CirclePoint::<SecureField>::get_random_point` makes
/// from its draw `t`: one inverse and three products (448 constraints with the reductions). A `t` with `t² = -1` has no
/// point; the system is then unsatisfiable, where the native verifier panics.
///
/// # Errors
/// Fails only if the constraint system fails.
pub fn random_point_from(t: &QM31Var) -> Result<CirclePointVar<QM31Var>, SynthesisError> {
    let one = M31::from_u32_unchecked(1);
    let t_square = t.square();
    let one_plus_t_square_inverse = (&t_square + one).inverse()?;
    let x = (QM31Var::from(one) - t_square) * &one_plus_t_square_inverse;
    let y = t.double() * one_plus_t_square_inverse;
    Ok(CirclePointVar { x, y })
}

/// The point `CanonicCoset::new(log_size).circle_domain().at(bit_reverse_index(pos, log_size))`, where
/// `pos` is given by its little-endian bits (only the low `log_size` are read, as Stwo's queries are the
/// drawn words masked to the domain size).
///
/// The domain's index `j = bit_reverse(pos)` has `pos`'s bit 0 as its top bit, which picks the
/// conjugate half; its other bits are `pos`'s bits `log_size - 1, ..., 1`. So the point is
/// `initial + sum_k j_k 2^k step`, conjugated when bit 0 is set. The sum is taken in windows of four bits:
/// each window selects one of 16 constant points by a linear combination of its bits' products (11
/// constraints), and adds it (three products, none for the first window, whose table includes the
/// initial point). The conjugation is one product. With the reductions that the growing bounds bring,
/// about 21 constraints per bit; the counts for each size are pinned in the tests.
///
/// # Errors
/// [`CircuitError::InvalidLogSize`] for a size outside `1..=30`; [`CircuitError::TooFewPositionBits`] if
/// fewer than `log_size` bits are given; otherwise fails only if the constraint system fails.
pub fn domain_point_at_bitrev(
    bits: &[Boolean<Fr>],
    log_size: u32,
) -> Result<CirclePointVar<M31Var>, CircuitError> {
    if log_size == 0 || log_size > MAX_CIRCLE_DOMAIN_LOG_SIZE {
        return Err(CircuitError::InvalidLogSize(log_size));
    }
    if bits.len() < log_size as usize {
        return Err(CircuitError::TooFewPositionBits { log_size, got: bits.len() });
    }
    let half_coset = CanonicCoset::new(log_size).circle_domain().half_coset;
    let n_index_bits = log_size as usize - 1;
    // j_k = pos_(log_size - 1 - k) for the index within the half coset.
    let index_bits: Vec<Boolean<Fr>> = (0..n_index_bits).map(|k| bits[n_index_bits - k].clone()).collect();
    let mut point = CirclePointVar::<M31Var>::from_base(half_coset.initial);
    for (window, window_bits) in index_bits.chunks(WINDOW_BITS).enumerate() {
        let shift = window * WINDOW_BITS;
        let offset = if window == 0 { half_coset.initial_index } else { CirclePointIndex::zero() };
        let table: Vec<CirclePoint<M31>> = (0..1usize << window_bits.len())
            .map(|s| (offset + half_coset.step_size * (s << shift)).to_point())
            .collect();
        let selected = select_point(window_bits, &table);
        point = if window == 0 { selected } else { point.add(&selected) };
    }
    // pos_0 = 1: the conjugate half, y -> y (1 - 2 pos_0).
    let conjugate = M31Var::from_boolean(&bits[0]);
    let y = &point.y - (conjugate * &point.y).double();
    Ok(CirclePointVar { x: point.x, y })
}

/// `table[s]` where `s` has the little-endian `bits`: each coordinate is `sum_m c_m prod_{i in m} b_i` over
/// the subsets `m` of the bits, with the coefficients `c` of the table's Möbius transform (products of
/// two or more bits cost one constraint each).
fn select_point(bits: &[Boolean<Fr>], table: &[CirclePoint<M31>]) -> CirclePointVar<M31Var> {
    let size = table.len();
    // monomials[m] = prod_{i in m} b_i, built from the monomial without m's lowest bit.
    let mut monomials: Vec<Boolean<Fr>> = Vec::with_capacity(size);
    monomials.push(Boolean::TRUE);
    for m in 1..size {
        let lowest = m.trailing_zeros() as usize;
        let rest = m & (m - 1);
        monomials.push(if rest == 0 { bits[lowest].clone() } else { &monomials[rest] & &bits[lowest] });
    }
    let mut xs: Vec<M31> = table.iter().map(|p| p.x).collect();
    let mut ys: Vec<M31> = table.iter().map(|p| p.y).collect();
    // Möbius transform: c_m = sum_{s ⊆ m} (-1)^{|m| - |s|} table[s].
    for bit in 0..bits.len() {
        for m in 0..size {
            if m & (1 << bit) != 0 {
                let (x, y) = (xs[m ^ (1 << bit)], ys[m ^ (1 << bit)]);
                xs[m] -= x;
                ys[m] -= y;
            }
        }
    }
    let combine = |coefficients: &[M31]| {
        monomials
            .iter()
            .zip(coefficients)
            .fold(M31Var::zero(), |sum, (monomial, c)| sum + M31Var::from_boolean(monomial) * *c)
    };
    CirclePointVar { x: combine(&xs), y: combine(&ys) }
}

/// The vanishing polynomial of `coset` at `p`, as `stwo::core::constraints::coset_vanishing`: `p` is
/// moved to the canonic coset (a constant addition), then its x coordinate doubled `log_size - 1` times.
///
/// # Errors
/// Fails only if the constraint system fails.
pub fn coset_vanishing<T: M31FieldVar>(coset: Coset, p: &CirclePointVar<T>) -> Result<T, SynthesisError> {
    // p - initial + step/2, with both constants folded into one.
    let shift = coset.initial.conjugate() + coset.step_size.half().to_point();
    repeated_double_x(p.add_base(shift).x, coset.log_size.saturating_sub(1))
}

/// The x coordinate of `2^n` times a point with x coordinate `x`. Each doubling's result is reduced:
/// a square chain only doubles its bit width, and reducing each step (a QM31 square and four 68-bit
/// reductions, 286 constraints) is cheaper than letting the automatic reductions run wider.
///
/// # Errors
/// Fails only if the constraint system fails.
pub fn repeated_double_x<T: M31FieldVar>(mut x: T, n: u32) -> Result<T, SynthesisError> {
    for _ in 0..n {
        x = CirclePointVar::double_x(&x).reduce()?;
    }
    Ok(x)
}

/// The vanishing polynomial of `vanish_point` at `p`, `h.y / (1 + h.x)` for `h = p - vanish_point`, as
/// `stwo::core::constraints::point_vanishing` (unsatisfiable at the antipode, where the native one panics).
///
/// # Errors
/// Fails only if the constraint system fails.
pub fn point_vanishing(
    vanish_point: &CirclePointVar<QM31Var>,
    p: &CirclePointVar<QM31Var>,
) -> Result<QM31Var, SynthesisError> {
    let h = p.sub(vanish_point);
    h.y.div(&(h.x + M31::from_u32_unchecked(1)))
}

#[cfg(test)]
mod tests;
