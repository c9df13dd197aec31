//! The circuit's composition value against Stwo's, on two small AIRs proved natively with Stwo: a plain
//! one (a square recurrence over several columns, with a `next`-row mask offset) and one with
//! preprocessed columns and a logUp lookup whose claimed sum is not zero.

use ark_bn254::Fr;
use ark_r1cs_std::GR1CSVar;
use ark_r1cs_std::alloc::{AllocVar, AllocationMode};
use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef};
use stwo::core::air::{Component, Components};
use stwo::core::channel::{Blake2sChannel, Channel};
use stwo::core::circle::CirclePoint;
use stwo::core::fields::qm31::{QM31, SecureField};
use stwo::core::pcs::{CommitmentSchemeVerifier, TreeVec};
use stwo::core::proof::StarkProof;
use stwo::core::vcs_lifted::blake2_merkle::{Blake2sMerkleChannel, Blake2sMerkleHasher};
use stwo::core::verifier::verify;

use super::*;
use crate::circuit::test_air::*;
use crate::circuit::{LookupElementsVar, Substitutions};

/// What the verifier draws: the composition's random coefficient and the OODS point; and Stwo's own
/// composition value at it. Verifies the proof natively too.
struct Drawn {
    random_coeff: SecureField,
    oods_point: CirclePoint<SecureField>,
    max_log_degree_bound: u32,
    native_composition: SecureField,
}

fn replay(proved: &Proved<Blake2sMerkleChannel>) -> Drawn {
    let (plain, lookup) = components(PairRelation(proved.elements.clone()), proved.claimed_sum);
    let sizes = TreeVec::concat_cols(
        [Component::trace_log_degree_bounds(&plain), Component::trace_log_degree_bounds(&lookup)].into_iter(),
    );
    let transcript = |channel: &mut Blake2sChannel,
                      scheme: &mut CommitmentSchemeVerifier<Blake2sMerkleChannel>| {
        config().mix_into(channel);
        scheme.commit(proved.proof.commitments[0], &sizes[0], channel);
        scheme.commit(proved.proof.commitments[1], &sizes[1], channel);
        assert_eq!(PairRelation::draw(channel).0, proved.elements);
        scheme.commit(proved.proof.commitments[2], &sizes[2], channel);
        channel.mix_felts(&[proved.claimed_sum]);
    };
    let (channel, scheme) = (&mut Blake2sChannel::default(), &mut CommitmentSchemeVerifier::new(config()));
    transcript(channel, scheme);
    verify(&[&plain, &lookup], channel, scheme, proved.proof.clone()).expect("the native verifier accepts");

    let (channel, scheme) = (&mut Blake2sChannel::default(), &mut CommitmentSchemeVerifier::new(config()));
    transcript(channel, scheme);
    let components = Components { components: vec![&plain, &lookup], n_preprocessed_columns: 2 };
    let max_log_degree_bound = components.composition_log_degree_bound() - 1;
    let random_coeff = channel.draw_secure_felt();
    scheme.commit(*proved.proof.commitments.last().unwrap(), &[max_log_degree_bound; 8], channel);
    let oods_point = CirclePoint::<SecureField>::get_random_point(channel);
    let native_composition = components.eval_composition_polynomial_at_point(
        oods_point,
        &proved.proof.sampled_values,
        random_coeff,
        max_log_degree_bound,
    );
    Drawn { random_coeff, oods_point, max_log_degree_bound, native_composition }
}

fn native_composition_from_proof(proof: &StarkProof<Blake2sMerkleHasher>, drawn: &Drawn) -> SecureField {
    let last: Vec<SecureField> = proof.sampled_values.last().unwrap().iter().map(|c| c[0]).collect();
    let left = SecureField::from_partial_evals(last[..4].try_into().unwrap());
    let right = SecureField::from_partial_evals(last[4..].try_into().unwrap());
    left + drawn.oods_point.repeated_double(drawn.max_log_degree_bound - 1).x * right
}

fn alloc(cs: &ConstraintSystemRef<Fr>, value: QM31, mode: AllocationMode) -> QM31Var {
    QM31Var::new_variable(cs.clone(), || Ok(value), mode).unwrap()
}

/// The circuit: everything proof-dependent a variable (lookup elements and claimed sum through
/// placeholders); returns the composition value it computes, after enforcing it equal to the one the
/// proof's composition samples give.
fn circuit(
    cs: &ConstraintSystemRef<Fr>,
    proved: &Proved<Blake2sMerkleChannel>,
    sampled: &TreeVec<Vec<Vec<QM31>>>,
    drawn: &Drawn,
    mode: AllocationMode,
) -> QM31Var {
    let sampled_values = TreeVec::new(
        sampled
            .iter()
            .map(|tree| {
                tree.iter().map(|column| column.iter().map(|v| alloc(cs, *v, mode)).collect()).collect()
            })
            .collect(),
    );
    let point =
        CirclePointVar { x: alloc(cs, drawn.oods_point.x, mode), y: alloc(cs, drawn.oods_point.y, mode) };
    let random_coeff = alloc(cs, drawn.random_coeff, mode);
    let elements = LookupElementsVar::<2>::new(
        alloc(cs, proved.elements.z, mode),
        alloc(cs, proved.elements.alpha, mode),
    )
    .unwrap();
    let claimed_sum = alloc(cs, proved.claimed_sum, mode);

    let mut substitutions = Substitutions::new();
    let relation = PairRelation(substitutions.lookup_elements(&elements));
    let (plain, lookup) = components(relation, substitutions.placeholder(&claimed_sum));
    let _scope = substitutions.enter();
    let value = eval_composition_polynomial_at_point(
        &[&plain, &lookup],
        &point,
        &sampled_values,
        &random_coeff,
        drawn.max_log_degree_bound,
    )
    .unwrap();
    composition_oods_eval(&point, &sampled_values, drawn.max_log_degree_bound)
        .unwrap()
        .enforce_equal(&value)
        .unwrap();
    value
}

#[test]
fn composition_matches_stwo_and_binds_the_sampled_values() {
    let proved = prove_both::<Blake2sMerkleChannel>();
    let drawn = replay(&proved);
    assert_ne!(proved.claimed_sum, SecureField::from(0));
    assert_eq!(native_composition_from_proof(&proved.proof, &drawn), drawn.native_composition);

    for mode in [AllocationMode::Witness, AllocationMode::Constant] {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let value = circuit(&cs, &proved, &proved.proof.sampled_values, &drawn, mode);
        assert_eq!(value.value().unwrap(), drawn.native_composition, "{mode:?}");
        assert!(cs.is_satisfied().unwrap(), "{mode:?}");
        if mode == AllocationMode::Witness {
            // 37 QM31 witnesses (31 sampled values, the point, the coefficient, z, alpha, the claimed
            // sum) at 128 each; the rest, 5,340, is the two evaluations, the vanishing polynomial (once
            // for both components) and its inverse, the accumulation and the composition
            // recombination. Pinned so that cost changes are deliberate.
            assert_eq!(cs.num_constraints(), 10076);
            assert_eq!(128 * 37 + 5340, 10076);
        }
    }

    // A changed trace value, preprocessed value or interaction value: the check fails.
    for (tree, column, index) in [(1, 0, 1), (1, 7, 0), (0, 1, 0), (2, 3, 0), (2, 5, 1)] {
        let mut sampled = proved.proof.sampled_values.clone();
        sampled[tree][column][index] += SecureField::from(1);
        let cs = ConstraintSystem::<Fr>::new_ref();
        let value = circuit(&cs, &proved, &sampled, &drawn, AllocationMode::Witness);
        assert_ne!(value.value().unwrap(), drawn.native_composition);
        assert!(!cs.is_satisfied().unwrap(), "tree {tree}, column {column}");
    }
}

#[test]
fn mask_points_match_stwo() {
    let (plain, lookup) = components(PairRelation::dummy(), SecureField::from(3));
    let components_native = Components { components: vec![&plain, &lookup], n_preprocessed_columns: 3 };
    let mut channel = Blake2sChannel::default();
    let point = CirclePoint::<SecureField>::get_random_point(&mut channel);
    let native = components_native.mask_points(point, 7, false);
    let point_var = CirclePointVar::constant(point);
    let points = mask_points(&[&plain, &lookup], &point_var, 7, 3).unwrap();
    let values: Vec<Vec<Vec<CirclePoint<SecureField>>>> = points
        .iter()
        .map(|t| t.iter().map(|c| c.iter().map(|p| p.value().unwrap()).collect()).collect())
        .collect();
    assert_eq!(values, native.0);
    assert_eq!(composition_log_degree_bound(&[&plain, &lookup]), LOOKUP_LOG_SIZE + 1);
    assert!(matches!(
        mask_points(&[&plain, &lookup], &point_var, 7, 1),
        Err(CircuitError::MissingMaskColumn { tree: 0, column: 1 })
    ));
}

#[test]
fn mask_shape_errors_are_reported() {
    let (plain, lookup) = components(PairRelation::dummy(), SecureField::from(3));
    let zero = || QM31Var::zero();
    let point = CirclePointVar::constant(CirclePoint::<SecureField>::get_point(5));
    let mut accumulator = PointEvaluationAccumulatorVar::new(zero(), point.clone());
    let trees = |trace: Vec<Vec<QM31Var>>| {
        TreeVec::new(vec![vec![vec![zero()]; 2], trace, vec![vec![zero(), zero()]; 8]])
    };

    // The plain component's first column is sampled at two points; give one.
    let mut trace = vec![vec![zero()]; PLAIN_COLUMNS + 2];
    let short = trees(trace.clone());
    assert!(matches!(
        CircuitComponent::evaluate_constraint_quotients_at_point(&plain, &short, &mut accumulator, 6),
        Err(CircuitError::MaskValues { tree: 1, column: 0, expected: 2, got: 1 })
    ));
    trace[0].push(zero());
    let good = trees(trace.clone());
    CircuitComponent::evaluate_constraint_quotients_at_point(&plain, &good, &mut accumulator, 6).unwrap();
    // The lookup component's columns follow the plain component's.
    trace.pop();
    let missing = trees(trace);
    assert!(matches!(
        CircuitComponent::evaluate_constraint_quotients_at_point(&lookup, &missing, &mut accumulator, 6),
        Err(CircuitError::MissingMaskColumn { tree: 1, column: 7 })
    ));
    let no_composition = TreeVec::new(vec![vec![vec![zero()]; 7]]);
    assert!(matches!(composition_oods_eval(&point, &no_composition, 6), Err(CircuitError::CompositionMask)));
}

/// The regrouped accumulation (canonical powers, groups, shared denominators) against Horner's rule on
/// native values: several groups, two denominators and undivided evaluations interleaved, wide and
/// constant-zero evaluations.
#[test]
fn regrouped_accumulation_matches_horner() {
    use stwo::core::constraints::coset_vanishing as native_vanishing;
    use stwo::core::fields::FieldExpOps;
    use stwo::core::poly::circle::CanonicCoset;

    let cs = ConstraintSystem::<Fr>::new_ref();
    let mut rng = crate::circuit::fields::tests::Rng::new(11);
    let alpha = rng.qm31();
    let point = CirclePoint::<SecureField>::get_random_point(&mut Blake2sChannel::default());
    let witness = |value: QM31| alloc(&cs, value, AllocationMode::Witness);
    let point_var = CirclePointVar { x: witness(point.x), y: witness(point.y) };
    let mut accumulator = PointEvaluationAccumulatorVar::new(witness(alpha), point_var);
    let small = accumulator.denominator(5).unwrap();
    let large = accumulator.denominator(7).unwrap();
    assert_eq!(accumulator.denominator(5).unwrap(), small, "computed once per coset");
    let inverse = |log_size: u32| native_vanishing(CanonicCoset::new(log_size).coset, point).inverse();

    let mut expected = SecureField::from(0);
    for k in 0..60 {
        let (a, b) = (rng.qm31(), rng.qm31());
        // A product of products: wider than a product's operand.
        let value = witness(a) * witness(b) * (witness(a) * witness(b));
        let native = a * b * (a * b);
        match k % 4 {
            0 => {
                accumulator.accumulate(value);
                expected = expected * alpha + native;
            }
            1 => {
                accumulator.accumulate_quotient(value, small);
                expected = expected * alpha + native * inverse(5);
            }
            2 => {
                accumulator.accumulate_quotient(value, large);
                expected = expected * alpha + native * inverse(7);
            }
            _ => {
                accumulator.accumulate_quotient(QM31Var::zero(), large);
                expected *= alpha;
            }
        }
    }
    assert_eq!(accumulator.finalize().unwrap().value().unwrap(), expected);
    assert!(cs.is_satisfied().unwrap());
}
