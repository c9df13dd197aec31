//! DEEP quotients in the circuit: the first FRI layer's value at each query, from the sampled values and
//! the queried columns, as Stwo's `fri_answers` computes it (`stwo/src/core/pcs/quotients.rs`).
//!
//! Every sample point is the out-of-domain point plus a constant shift (a mask offset, and the
//! periodicity point Stwo's lifted commitments add), so samples are batched by shift when the circuit
//! is built. For a batch at point `P` with samples `(column k, value v_k, coefficient α_k)`, Stwo's row
//! value `Σ_k q_k·α_k c - (α_k a_k·y + α_k b_k)`, with `a_k = conj(v_k) - v_k`, `c = conj(P.y) - P.y` and
//! `b_k = v_k c - a_k P.y`, regroups as `c·Σ_k α_k q_k - y·A - (c·V - P.y·A)`, where `A = Σ_k α_k a_k`
//! and `V = Σ_k α_k v_k` do not depend on the query. So a query costs one `QM31 × M31` product per sample
//! and a few products and one `CM31` inverse per batch.

use std::collections::HashMap;

use ark_relations::gr1cs::SynthesisError;
use stwo::core::circle::CirclePoint;
use stwo::core::fields::m31::M31;
use stwo::core::poly::circle::CanonicCoset;

use super::circle::CirclePointVar;
use super::fields::{CM31Var, M31Var, QM31Var};

/// One sample of a column: at the out-of-domain point plus `shift`, the value `value`.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The point's offset from the out-of-domain point.
    pub shift: CirclePoint<M31>,
    /// The sampled value.
    pub value: QM31Var,
}

/// A committed column's samples (possibly none) and its log size in its commitment (with blowup).
#[derive(Clone, Debug)]
pub struct ColumnSamples {
    /// The column's log size in its tree.
    pub log_size: u32,
    /// Its samples, in the proof's order.
    pub samples: Vec<Sample>,
}

/// The samples at one point.
#[derive(Clone, Debug)]
struct Batch {
    point: CirclePointVar<QM31Var>,
    /// `conj(P.y) - P.y`.
    c: QM31Var,
    /// `(column, α_k)` per sample.
    terms: Vec<(usize, QM31Var)>,
    /// `A = Σ α_k (conj(v_k) - v_k)`.
    a: QM31Var,
    /// `c·V - P.y·A`, the query-independent part.
    b: QM31Var,
}

/// The DEEP quotient combination of a proof's samples, ready to be evaluated at queries.
#[derive(Clone, Debug)]
pub struct DeepQuotients {
    batches: Vec<Batch>,
    n_columns: usize,
}

impl DeepQuotients {
    /// The combination for `columns` (all trees' columns, flattened in tree order) sampled around
    /// `oods_point`, with the coefficient `random_coeff`, in a lifted commitment of log size
    /// `lifting_log_size`.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn new(
        oods_point: &CirclePointVar<QM31Var>,
        columns: &[ColumnSamples],
        lifting_log_size: u32,
        random_coeff: &QM31Var,
    ) -> Result<Self, SynthesisError> {
        let lifting_step = CanonicCoset::new(lifting_log_size).step();
        let mut power = QM31Var::one();
        let mut next_power = || -> Result<QM31Var, SynthesisError> {
            let current = power.clone();
            power = (&power * random_coeff).reduce()?;
            Ok(current)
        };
        // (shift, column, value, α_k) in Stwo's order of the random powers.
        let mut samples = Vec::new();
        for (column, ColumnSamples { log_size, samples: column_samples }) in columns.iter().enumerate() {
            if let [_, last] = column_samples.as_slice() {
                // The periodicity check of lifted columns (added even at the full size, where the
                // point coincides with the out-of-domain one).
                let shift = last.shift + lifting_step.repeated_double(*log_size);
                samples.push((shift, column, last.value.clone(), next_power()?));
            }
            for sample in column_samples {
                samples.push((sample.shift, column, sample.value.clone(), next_power()?));
            }
        }

        let mut batches: Vec<Batch> = Vec::new();
        let mut batch_of: HashMap<(u32, u32), usize> = HashMap::new();
        // V per batch, accumulated with A.
        let mut values: Vec<QM31Var> = Vec::new();
        for (shift, column, value, alpha) in samples {
            let index = *batch_of.entry((shift.x.0, shift.y.0)).or_insert_with(|| {
                let point = if shift == CirclePoint::zero() {
                    oods_point.clone()
                } else {
                    oods_point.add_base(shift)
                };
                let c = point.y.complex_conjugate() - &point.y;
                batches.push(Batch { point, c, terms: Vec::new(), a: QM31Var::zero(), b: QM31Var::zero() });
                values.push(QM31Var::zero());
                batches.len() - 1
            });
            let batch = &mut batches[index];
            batch.a += &alpha * (value.complex_conjugate() - &value);
            values[index] += &alpha * &value;
            batch.terms.push((column, alpha));
        }
        for (batch, v) in batches.iter_mut().zip(values) {
            batch.a = batch.a.reduce()?;
            batch.b = (&batch.c * &v - &batch.point.y * &batch.a).reduce()?;
        }
        Ok(Self { batches, n_columns: columns.len() })
    }

    /// The first FRI layer's value at a query whose lifting-domain point is `domain_point` and whose
    /// queried values are `queried` (one per column, canonical).
    ///
    /// # Errors
    /// [`SynthesisError::Unsatisfiable`] if `queried` does not have one value per column (a
    /// circuit-shape bug); otherwise fails only if the constraint system fails. A domain point on the
    /// line through a sample point and its conjugate leaves the system unsatisfied (Stwo panics).
    pub fn at_query(
        &self,
        domain_point: &CirclePointVar<M31Var>,
        queried: &[M31Var],
    ) -> Result<QM31Var, SynthesisError> {
        if queried.len() != self.n_columns {
            return Err(SynthesisError::Unsatisfiable);
        }
        let x = domain_point.x.reduce()?;
        let y = domain_point.y.reduce()?;
        let mut total = QM31Var::zero();
        for batch in &self.batches {
            let mut combination = QM31Var::zero();
            for (column, alpha) in &batch.terms {
                combination += alpha.mul_m31(&queried[*column]);
            }
            let numerator = &batch.c * &combination.reduce()? - batch.a.mul_m31(&y) - &batch.b;
            // The line through P and conj(P), at the domain point: (Re(P.x) - x)·Im(P.y) - (Re(P.y) - y)·Im(P.x).
            let QM31Var(real_x, imaginary_x) = &batch.point.x;
            let QM31Var(real_y, imaginary_y) = &batch.point.y;
            let denominator = &(real_x - &CM31Var::from_m31(x.clone())) * imaginary_y
                - &(real_y - &CM31Var::from_m31(y.clone())) * imaginary_x;
            total += numerator.reduce()?.mul_cm31(&denominator.reduce()?.inverse()?);
        }
        total.reduce()
    }
}
