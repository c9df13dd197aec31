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

/// `α^0, ..., α^(n-1)` for the DEEP coefficients, each the product of two canonical powers
/// `α^j · (α^g)^i` (`k = i·g + j`, `g ≈ √n`): `g + n/g` reduced products and one 9-constraint product
/// per power, instead of a reduction per power. The powers stay unreduced (below `2^70`), which their
/// uses (products by canonical values, summed and reduced later) allow.
fn random_powers(alpha: &QM31Var, n: usize) -> Result<Vec<QM31Var>, SynthesisError> {
    let group = ((n as f64).sqrt().ceil() as usize).max(1);
    let mut low = vec![QM31Var::one()];
    while low.len() <= group {
        let next = (low.last().expect("one power at least") * alpha).reduce()?;
        low.push(next);
    }
    let step = low.pop().expect("group + 1 powers");
    let mut high = QM31Var::one();
    let mut powers = Vec::with_capacity(n);
    while powers.len() < n {
        for power in low.iter().take(n - powers.len()) {
            powers.push(&high * power);
        }
        if powers.len() < n {
            high = (&high * &step).reduce()?;
        }
    }
    Ok(powers)
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
        // (shift, column, value) in Stwo's order of the random powers.
        let mut samples = Vec::new();
        for (column, ColumnSamples { log_size, samples: column_samples }) in columns.iter().enumerate() {
            if let [_, last] = column_samples.as_slice() {
                // The periodicity check of lifted columns (added even at the full size, where the
                // point coincides with the out-of-domain one).
                let shift = last.shift + lifting_step.repeated_double(*log_size);
                samples.push((shift, column, last.value.clone()));
            }
            for sample in column_samples {
                samples.push((sample.shift, column, sample.value.clone()));
            }
        }
        let powers = random_powers(random_coeff, samples.len())?;

        let mut batches: Vec<Batch> = Vec::new();
        let mut batch_of: HashMap<(u32, u32), usize> = HashMap::new();
        // V per batch, accumulated with A.
        let mut values: Vec<QM31Var> = Vec::new();
        for ((shift, column, value), alpha) in samples.into_iter().zip(powers) {
            let index = *batch_of.entry((shift.x.0, shift.y.0)).or_insert_with(|| {
                let point = if shift == CirclePoint::zero() {
                    oods_point.clone()
                } else {
                    oods_point.add_base(shift)
                };
                let c = QM31Var::zero();
                batches.push(Batch { point, c, terms: Vec::new(), a: QM31Var::zero(), b: QM31Var::zero() });
                values.push(QM31Var::zero());
                batches.len() - 1
            });
            let batch = &mut batches[index];
            // conj(v) - v = -2·v.1·u: its CM31 part is zero (a constant, so the product skips it).
            let conjugate_difference = QM31Var(CM31Var::zero(), -value.1.double());
            batch.a += alpha.mul_wide(&conjugate_difference);
            values[index] += alpha.mul_wide(&value);
            batch.terms.push((column, alpha));
        }
        for (batch, v) in batches.iter_mut().zip(values) {
            // The point enters every query's denominator and `c` every query's numerator: reduced once.
            batch.point = batch.point.reduce()?;
            // conj(P.y) - P.y = -2·Im(P.y)·u
            batch.c = QM31Var(CM31Var::zero(), -batch.point.y.1.double()).reduce()?;
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
            // Σ_k α_k q_k: four constraints a sample. The powers are products of two canonical values
            // and the queried values canonical, so the sum stays far below the limit unreduced.
            let mut combination = QM31Var::zero();
            for (column, alpha) in &batch.terms {
                combination += alpha.mul_m31(&queried[*column]);
            }
            // Neither the numerator nor the denominator is reduced: the numerator is used once (times
            // the canonical inverse, then summed and reduced with the others), and the inverse's check
            // `denominator · inverse = 1` is an equality mod p, exact for unreduced operands.
            let numerator = batch.c.mul_wide(&combination) - batch.a.mul_m31(&y) - &batch.b;
            // The line through P and conj(P), at the domain point: (Re(P.x) - x)·Im(P.y) - (Re(P.y) - y)·Im(P.x).
            let QM31Var(real_x, imaginary_x) = &batch.point.x;
            let QM31Var(real_y, imaginary_y) = &batch.point.y;
            let denominator = &(real_x - &CM31Var::from_m31(x.clone())) * imaginary_y
                - &(real_y - &CM31Var::from_m31(y.clone())) * imaginary_x;
            total += numerator.mul_wide(&QM31Var::from_cm31(denominator.inverse()?));
        }
        total.reduce()
    }
}

#[cfg(test)]
mod tests {
    use ark_bn254::Fr;
    use ark_r1cs_std::GR1CSVar;
    use ark_r1cs_std::alloc::AllocVar;
    use ark_r1cs_std::boolean::Boolean;
    use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef};
    use itertools::Itertools;
    use nzero_poseidon2::{Poseidon2Channel, Poseidon2MerkleChannel};
    use stwo::core::air::{Component, Components};
    use stwo::core::channel::Channel;
    use stwo::core::circle::CirclePoint;
    use stwo::core::fields::qm31::SecureField;
    use stwo::core::fri::{CirclePolyDegreeBound, FriVerifier};
    use stwo::core::pcs::quotients::{PointSample, fri_answers};
    use stwo::core::pcs::{CommitmentSchemeVerifier, TreeVec};

    use super::*;
    use crate::circuit::circle::domain_point_at_bitrev;
    use crate::circuit::test_air::*;

    /// What Stwo's verifier computes for the DEEP step of a proof of the test AIRs.
    struct Native {
        oods_point: CirclePoint<SecureField>,
        quotient_coeff: SecureField,
        column_log_sizes: TreeVec<Vec<u32>>,
        sample_points: TreeVec<Vec<Vec<CirclePoint<SecureField>>>>,
        positions: Vec<usize>,
        lifting_log_size: u32,
        answers: Vec<SecureField>,
    }

    fn native(proved: &Proved<Poseidon2MerkleChannel>) -> Native {
        let (plain, lookup) = components(PairRelation(proved.elements.clone()), proved.claimed_sum);
        let sizes = TreeVec::concat_cols(
            [Component::trace_log_degree_bounds(&plain), Component::trace_log_degree_bounds(&lookup)]
                .into_iter(),
        );
        let proof = &proved.proof;
        let channel = &mut Poseidon2Channel::default();
        let mut scheme = CommitmentSchemeVerifier::<Poseidon2MerkleChannel>::new(config());
        config().mix_into(channel);
        scheme.commit(proof.commitments[0], &sizes[0], channel);
        scheme.commit(proof.commitments[1], &sizes[1], channel);
        PairRelation::draw(channel);
        scheme.commit(proof.commitments[2], &sizes[2], channel);
        channel.mix_felts(&[proved.claimed_sum]);
        let components = Components { components: vec![&plain, &lookup], n_preprocessed_columns: 2 };
        let max_log_degree_bound = components.composition_log_degree_bound() - 1;
        channel.draw_secure_felt();
        scheme.commit(*proof.commitments.last().unwrap(), &[max_log_degree_bound; 8], channel);
        let oods_point = CirclePoint::<SecureField>::get_random_point(channel);
        let mut sample_points = components.mask_points(oods_point, max_log_degree_bound, false);
        sample_points.push(vec![vec![oods_point]; 8]);
        channel.mix_felts(&proof.sampled_values.clone().flatten_cols());
        let quotient_coeff = channel.draw_secure_felt();
        let lifting_log_size = scheme.trees.last().unwrap().height;
        let bound = CirclePolyDegreeBound::new(lifting_log_size - config().fri_config.log_blowup_factor);
        let mut fri = FriVerifier::<Poseidon2MerkleChannel>::commit(
            channel,
            config().fri_config,
            proof.fri_proof.clone(),
            bound,
        )
        .unwrap();
        assert!(channel.verify_pow_nonce(config().pow_bits, proof.proof_of_work));
        channel.mix_u64(proof.proof_of_work);
        let positions = fri.sample_query_positions(channel);
        let column_log_sizes =
            TreeVec::new(scheme.trees.iter().map(|t| t.column_log_sizes.clone()).collect());
        let samples = TreeVec::new(
            sample_points
                .iter()
                .zip(proof.sampled_values.iter())
                .map(|(tree_points, tree_values)| {
                    tree_points
                        .iter()
                        .zip(tree_values)
                        .map(|(points, values)| {
                            points
                                .iter()
                                .zip(values)
                                .map(|(&point, &value)| PointSample { point, value })
                                .collect()
                        })
                        .collect()
                })
                .collect(),
        );
        let answers = fri_answers(
            column_log_sizes.clone(),
            samples,
            quotient_coeff,
            &positions,
            proof.queried_values.clone(),
            lifting_log_size,
        )
        .unwrap();
        Native {
            oods_point,
            quotient_coeff,
            column_log_sizes,
            sample_points: TreeVec::new(sample_points.0),
            positions,
            lifting_log_size,
            answers,
        }
    }

    fn qm31(cs: &ConstraintSystemRef<Fr>, value: SecureField) -> QM31Var {
        QM31Var::new_witness(cs.clone(), || Ok(value)).unwrap()
    }

    /// The circuit's DEEP values at every query, and whether the system is satisfied.
    fn circuit(proved: &Proved<Poseidon2MerkleChannel>, n: &Native) -> (Vec<SecureField>, bool, usize) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let oods_point = CirclePointVar { x: qm31(&cs, n.oods_point.x), y: qm31(&cs, n.oods_point.y) };
        let columns = n
            .column_log_sizes
            .iter()
            .zip(n.sample_points.iter())
            .zip(proved.proof.sampled_values.iter())
            .flat_map(|((sizes, points), values)| {
                sizes.iter().zip(points).zip(values).map(|((&log_size, points), values)| ColumnSamples {
                    log_size,
                    samples: points
                        .iter()
                        .zip(values)
                        .map(|(point, &value)| {
                            let shift = *point - n.oods_point;
                            let [x, ..] = shift.x.to_m31_array();
                            let [y, ..] = shift.y.to_m31_array();
                            Sample { shift: CirclePoint { x, y }, value: qm31(&cs, value) }
                        })
                        .collect(),
                })
            })
            .collect_vec();
        let coeff = qm31(&cs, n.quotient_coeff);
        let quotients = DeepQuotients::new(&oods_point, &columns, n.lifting_log_size, &coeff).unwrap();
        let before = cs.num_constraints();
        let queried = proved.proof.queried_values.clone().flatten();
        let values = n
            .positions
            .iter()
            .enumerate()
            .map(|(q, &position)| {
                let bits = (0..n.lifting_log_size)
                    .map(|i| Boolean::new_witness(cs.clone(), || Ok(position >> i & 1 == 1)).unwrap())
                    .collect_vec();
                let point = domain_point_at_bitrev(&bits, n.lifting_log_size).unwrap();
                let row = queried
                    .iter()
                    .map(|column| M31Var::new_witness(cs.clone(), || Ok(column[q])).unwrap())
                    .collect_vec();
                quotients.at_query(&point, &row).unwrap().value().unwrap()
            })
            .collect();
        let per_query = (cs.num_constraints() - before) / n.positions.len();
        (values, cs.is_satisfied().unwrap(), per_query)
    }

    #[test]
    fn deep_quotients_match_stwo_at_every_query() {
        let proved = prove_both::<Poseidon2MerkleChannel>();
        let n = native(&proved);
        let (values, satisfied, per_query) = circuit(&proved, &n);
        assert!(satisfied);
        assert_eq!(values, n.answers);
        eprintln!(
            "DEEP quotients: {per_query} constraints per query ({} columns)",
            proved.proof.queried_values.iter().flatten().count()
        );
        assert!(per_query > 0);
    }

    #[test]
    fn a_changed_sampled_or_queried_value_changes_the_quotient() {
        let proved = prove_both::<Poseidon2MerkleChannel>();
        let n = native(&proved);
        let mut sampled = proved.clone_with(|p| p.proof.0.sampled_values[1][0][1] += SecureField::from(1));
        assert_ne!(circuit(&sampled, &n).0, n.answers);
        sampled = proved
            .clone_with(|p| p.proof.0.queried_values[2][0][0] += stwo::core::fields::m31::BaseField::from(1));
        let (values, ..) = circuit(&sampled, &n);
        assert_ne!(values[0], n.answers[0]);
        assert_eq!(values[1..], n.answers[1..]);
    }
}
