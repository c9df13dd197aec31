//! Multi-scalar multiplication for the prover: Pippenger's bucket method with signed digits and the
//! additions into buckets done in affine coordinates, a batch of them sharing one field inversion
//! (Montgomery's trick).
//!
//! An affine addition whose inverse is shared costs about six field multiplications against about
//! eleven for the mixed projective addition arkworks' MSM uses, and an affine bucket is two
//! coordinates, not three: 1.3–1.5× arkworks' `msm_bigint` here (`benches/msm.rs`), on the MSMs that
//! are most of a proof. Two additions into one
//! bucket cannot share a batch (the second needs the first's result); such a point waits in a list,
//! which is summed bucket by bucket at the end of the window — so a skewed input (every scalar `1`, say)
//! costs projective additions, never a batch per point.

use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{Field, PrimeField, Zero};

/// Additions that share one inversion.
const BATCH: usize = 1 << 10;

/// Below this many terms the batching does not pay: arkworks' MSM.
const SMALL: usize = 1 << 10;

/// Limbs of a digit-offset scalar: room for `window · windows ≤ 320` bits.
const LIMBS: usize = 5;

type BigInt<P> = <<P as ark_ec::CurveConfig>::ScalarField as PrimeField>::BigInt;

/// `Σ scalars[i] · bases[i]` over the common length.
pub fn msm<P: SWCurveConfig>(bases: &[Affine<P>], scalars: &[BigInt<P>]) -> Projective<P> {
    let n = bases.len().min(scalars.len());
    let (bases, scalars) = (&bases[..n], &scalars[..n]);
    if n < SMALL {
        return Projective::<P>::msm_bigint(bases, scalars);
    }
    let digits = Digits::new::<P>(window_bits(n));
    let windows: Vec<Projective<P>> = {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            (0..digits.windows).into_par_iter().map(|j| window_sum(bases, scalars, &digits, j)).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            (0..digits.windows).map(|j| window_sum(bases, scalars, &digits, j)).collect()
        }
    };
    // Σ_j 2^{jc} · W_j, Horner from the top window.
    let mut windows = windows.into_iter().rev();
    let top = windows.next().unwrap_or_default();
    windows.fold(top, |acc, w| (0..digits.bits).fold(acc, |acc, _| acc.double()) + w)
}

/// The window width for `n` terms: `2^{c-1}` buckets, about `n / 32` (measured best at `n = 2^20` among
/// `n / 16`, `n / 32` and `n / 64`; `benches/msm.rs`).
fn window_bits(n: usize) -> usize {
    (n.ilog2() as usize).saturating_sub(4).clamp(4, 16)
}

/// Signed digits of width `c ≤ 16`: `s + K = Σ_j (d_j + 2^{c-1}) · 2^{jc}` with
/// `K = Σ_j 2^{c-1} · 2^{jc}`, so digit `j` of `s` is read off `s + K` alone,
/// `d_j ∈ [-2^{c-1}, 2^{c-1})`, without carries from the windows below.
struct Digits {
    bits: usize,
    windows: usize,
    offset: [u64; LIMBS],
}

impl Digits {
    fn new<P: SWCurveConfig>(bits: usize) -> Self {
        // `s + K < 2^{c·windows}` needs `c·windows ≥ MODULUS_BIT_SIZE + 1`.
        let windows = (P::ScalarField::MODULUS_BIT_SIZE as usize + 1).div_ceil(bits);
        assert!(bits <= 16 && bits * windows <= 64 * LIMBS, "window too wide");
        let mut offset = [0u64; LIMBS];
        for j in 0..windows {
            let bit = j * bits + bits - 1;
            offset[bit / 64] |= 1 << (bit % 64);
        }
        Self { bits, windows, offset }
    }

    /// `s + K`.
    fn offset_scalar(&self, scalar: &[u64]) -> [u64; LIMBS] {
        let mut t = [0u64; LIMBS];
        let mut carry = false;
        for (k, t) in t.iter_mut().enumerate() {
            let (sum, c1) = scalar.get(k).copied().unwrap_or(0).overflowing_add(self.offset[k]);
            let (sum, c2) = sum.overflowing_add(u64::from(carry));
            *t = sum;
            carry = c1 || c2;
        }
        t
    }

    /// Digit `j` of the scalar whose [`Self::offset_scalar`] is `t`.
    fn digit(&self, t: &[u64; LIMBS], j: usize) -> i16 {
        let start = j * self.bits;
        let (limb, shift) = (start / 64, start % 64);
        let mut value = t[limb] >> shift;
        if shift + self.bits > 64 && limb + 1 < LIMBS {
            value |= t[limb + 1] << (64 - shift);
        }
        ((value & ((1 << self.bits) - 1)) as i32 - (1 << (self.bits - 1))) as i16
    }
}

/// `W_j = Σ_i d_j(s_i) · bases[i]`: the points into buckets `|d| - 1` (negated for `d < 0`), then
/// `Σ_k (k + 1) · bucket_k` by running sums.
fn window_sum<P: SWCurveConfig>(
    bases: &[Affine<P>],
    scalars: &[BigInt<P>],
    digits: &Digits,
    j: usize,
) -> Projective<P> {
    let digit = |i: usize| digits.digit(&digits.offset_scalar(scalars[i].as_ref()), j);
    let mut buckets = Buckets::<P>::new(1 << (digits.bits - 1));
    // Points whose bucket had an addition in the batch: (bucket, index).
    let mut waiting: Vec<(u32, u32)> = Vec::new();
    for (i, base) in bases.iter().enumerate() {
        let d = digit(i);
        if d == 0 || base.is_zero() {
            continue;
        }
        let point = if d < 0 { -*base } else { *base };
        let bucket = u32::from(d.unsigned_abs()) - 1;
        if !buckets.add(bucket, point) {
            waiting.push((bucket, i as u32));
        }
    }
    buckets.flush();
    // What waited: summed per bucket, then one conflict-free batch.
    waiting.sort_unstable();
    let mut sums: Vec<(u32, Projective<P>)> = Vec::new();
    for (bucket, i) in waiting {
        let base = bases[i as usize];
        let point = if digit(i as usize) < 0 { -base } else { base };
        match sums.last_mut() {
            Some((last, sum)) if *last == bucket => *sum += point,
            _ => sums.push((bucket, point.into_group())),
        }
    }
    let points = Projective::normalize_batch(&sums.iter().map(|(_, sum)| *sum).collect::<Vec<_>>());
    for ((bucket, _), point) in sums.iter().zip(points) {
        if !point.is_zero() {
            let added = buckets.add(*bucket, point);
            debug_assert!(added, "one addition per bucket");
        }
    }
    buckets.flush();

    let mut running = Projective::<P>::zero();
    let mut total = Projective::<P>::zero();
    for bucket in buckets.points.iter().rev() {
        running += bucket;
        total += running;
    }
    total
}

/// Affine buckets with a batch of pending additions.
struct Buckets<P: SWCurveConfig> {
    points: Vec<Affine<P>>,
    pending: Vec<(u32, Affine<P>)>,
    in_batch: Vec<bool>,
    /// Denominators, then their inverses; and the running products of Montgomery's trick.
    inverses: Vec<P::BaseField>,
    products: Vec<P::BaseField>,
}

impl<P: SWCurveConfig> Buckets<P> {
    fn new(count: usize) -> Self {
        Self {
            points: vec![Affine::identity(); count],
            pending: Vec::with_capacity(BATCH),
            in_batch: vec![false; count],
            inverses: Vec::with_capacity(BATCH),
            products: Vec::with_capacity(BATCH),
        }
    }

    /// Adds `point` to bucket `bucket`, at once into an empty bucket, else in the batch (flushed when
    /// full); `false` if the bucket already has an addition in the batch.
    fn add(&mut self, bucket: u32, point: Affine<P>) -> bool {
        let b = bucket as usize;
        if self.in_batch[b] {
            return false;
        }
        if self.points[b].is_zero() {
            self.points[b] = point;
            return true;
        }
        self.in_batch[b] = true;
        self.pending.push((bucket, point));
        if self.pending.len() == BATCH {
            self.flush();
        }
        true
    }

    /// Does the pending additions: `λ = (y₂ − y₁) / (x₂ − x₁)`, `x₃ = λ² − x₁ − x₂`,
    /// `y₃ = λ(x₁ − x₃) − y₁`, the inverses shared; equal `x` (a doubling or a point and its negation)
    /// goes projective.
    fn flush(&mut self) {
        self.inverses.clear();
        self.products.clear();
        let mut product = P::BaseField::ONE;
        for (bucket, point) in &self.pending {
            let current = &self.points[*bucket as usize];
            let denominator = point.x - current.x;
            self.inverses.push(denominator);
            if !denominator.is_zero() {
                product *= denominator;
            }
            self.products.push(product);
        }
        let mut inverse = product.inverse().expect("a product of non-zero elements");
        for k in (0..self.pending.len()).rev() {
            let denominator = self.inverses[k];
            if denominator.is_zero() {
                continue;
            }
            let before = if k == 0 { P::BaseField::ONE } else { self.products[k - 1] };
            self.inverses[k] = inverse * before;
            inverse *= denominator;
        }
        for ((bucket, point), inverse) in self.pending.drain(..).zip(&self.inverses) {
            let b = bucket as usize;
            self.in_batch[b] = false;
            let current = self.points[b];
            self.points[b] = if current.x == point.x {
                (current.into_group() + point).into_affine()
            } else {
                let lambda = (point.y - current.y) * inverse;
                let x = lambda.square() - current.x - point.x;
                let y = lambda * (current.x - x) - current.y;
                Affine::new_unchecked(x, y)
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use ark_bn254::{Fr, G1Affine, G1Projective, G2Projective};
    use ark_ff::{BigInteger, UniformRand};
    use ark_std::rand::{SeedableRng, rngs::StdRng};

    use super::*;

    fn check<P: SWCurveConfig<ScalarField = Fr>>(bases: &[Affine<P>], scalars: &[Fr]) {
        let bigints: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        let expected = Projective::<P>::msm_bigint(bases, &bigints);
        assert_eq!(msm(bases, &bigints), expected, "{} terms", bases.len());
    }

    fn random_points<G: CurveGroup>(rng: &mut StdRng, n: usize) -> Vec<G::Affine> {
        // Few distinct points, so that equal and opposite points meet in the buckets.
        let distinct: Vec<G> = (0..64).map(|_| G::rand(rng)).collect();
        let points: Vec<G> = (0..n)
            .map(|i| match i % 7 {
                0 => -distinct[i % 64],
                1 => G::zero(),
                _ => distinct[(i * 31) % 64],
            })
            .collect();
        G::normalize_batch(&points)
    }

    #[test]
    fn digits_recompose_the_scalar() {
        let mut rng = StdRng::seed_from_u64(1);
        for bits in [4, 7, 13, 16] {
            let digits = Digits::new::<ark_bn254::g1::Config>(bits);
            for s in [Fr::zero(), Fr::from(1u64), -Fr::from(1u64), Fr::rand(&mut rng), Fr::rand(&mut rng)] {
                let t = digits.offset_scalar(s.into_bigint().as_ref());
                let sum = (0..digits.windows).rev().fold(Fr::zero(), |acc, j| {
                    acc * Fr::from(1u64 << bits) + Fr::from(i64::from(digits.digit(&t, j)))
                });
                assert_eq!(sum, s, "width {bits}");
            }
        }
    }

    #[test]
    fn matches_arkworks_on_random_and_skewed_scalars() {
        let mut rng = StdRng::seed_from_u64(2);
        for n in [0, 5, SMALL, 3 * SMALL + 17, 1 << 14] {
            let bases = random_points::<G1Projective>(&mut rng, n);
            let random: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            check(&bases, &random);
            // Bits, small values, -1 and equal scalars: most points in a few buckets.
            let skewed: Vec<Fr> = (0..n)
                .map(|i| match i % 5 {
                    0 => Fr::from((i % 2) as u64),
                    1 => -Fr::from(1u64),
                    2 => Fr::from(3u64),
                    3 => Fr::from(i as u64),
                    _ => Fr::rand(&mut rng),
                })
                .collect();
            check(&bases, &skewed);
            check(&bases, &vec![Fr::from(1u64); n]);
        }
    }

    #[test]
    fn matches_arkworks_in_g2() {
        let mut rng = StdRng::seed_from_u64(3);
        let n = 2 * SMALL + 3;
        let bases = random_points::<G2Projective>(&mut rng, n);
        let scalars: Vec<Fr> =
            (0..n).map(|i| if i % 3 == 0 { Fr::from(1u64) } else { Fr::rand(&mut rng) }).collect();
        check::<ark_bn254::g2::Config>(&bases, &scalars);
    }

    #[test]
    fn a_point_and_its_negation_cancel() {
        let mut rng = StdRng::seed_from_u64(4);
        let p = G1Projective::rand(&mut rng).into_affine();
        let bases: Vec<G1Affine> = (0..2 * SMALL).map(|i| if i % 2 == 0 { p } else { -p }).collect();
        let scalars: Vec<_> =
            (0..2 * SMALL).map(|i| Fr::from(((i / 2) % 9) as u64 + 2).into_bigint()).collect();
        assert!(msm(&bases, &scalars).is_zero());
        assert!(scalars[0].num_bits() > 0);
    }
}
