//! The circuit's composition value against Stwo's, on two small AIRs proved natively with Stwo: a plain
//! one (a square recurrence over several columns, with a `next`-row mask offset) and one with
//! preprocessed columns and a logUp lookup whose claimed sum is not zero.

use ark_bn254::Fr;
use ark_r1cs_std::GR1CSVar;
use ark_r1cs_std::alloc::{AllocVar, AllocationMode};
use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef};
use num_traits::One;
use stwo::core::air::{Component, Components};
use stwo::core::channel::{Blake2sChannel, Channel};
use stwo::core::circle::CirclePoint;
use stwo::core::fields::FieldExpOps;
use stwo::core::fields::m31::BaseField;
use stwo::core::fields::qm31::{QM31, SecureField};
use stwo::core::fri::FriConfig;
use stwo::core::pcs::{CommitmentSchemeVerifier, PcsConfig, TreeVec};
use stwo::core::poly::circle::CanonicCoset;
use stwo::core::proof::StarkProof;
use stwo::core::utils::bit_reverse_coset_to_circle_domain_order;
use stwo::core::vcs_lifted::blake2_merkle::{Blake2sMerkleChannel, Blake2sMerkleHasher};
use stwo::core::verifier::verify;
use stwo::prover::backend::simd::SimdBackend;
use stwo::prover::backend::simd::column::BaseColumn;
use stwo::prover::backend::simd::m31::LOG_N_LANES;
use stwo::prover::backend::simd::qm31::PackedSecureField;
use stwo::prover::poly::BitReversedOrder;
use stwo::prover::poly::circle::{CircleEvaluation, PolyOps};
use stwo::prover::{CommitmentSchemeProver, prove};
use stwo_constraint_framework::logup::LookupElements;
use stwo_constraint_framework::preprocessed_columns::PreProcessedColumnId;
use stwo_constraint_framework::{
    EvalAtRow, FrameworkComponent, FrameworkEval, LogupTraceGenerator, ORIGINAL_TRACE_IDX, Relation,
    RelationEntry, TraceLocationAllocator, relation,
};

use super::*;
use crate::circuit::{LookupElementsVar, Substitutions};

type Evaluation = CircleEvaluation<SimdBackend, BaseField, BitReversedOrder>;

const PLAIN_LOG_SIZE: u32 = 5;
const PLAIN_COLUMNS: usize = 6;
const LOOKUP_LOG_SIZE: u32 = 5;

relation!(PairRelation, 2);

/// `b = a(next)²`, then `c_j = c_(j-1)² + c_(j-2)²` from `c_0 = a`, `c_1 = b`.
#[derive(Clone)]
struct SquareChainEval;

impl FrameworkEval for SquareChainEval {
    fn log_size(&self) -> u32 {
        PLAIN_LOG_SIZE
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        PLAIN_LOG_SIZE + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let [a, a_next] = eval.next_interaction_mask(ORIGINAL_TRACE_IDX, [0, 1]);
        let b = eval.next_trace_mask();
        // b - a(next)² = 0
        eval.add_constraint(b.clone() - a_next.clone() * a_next);
        let (mut older, mut old) = (a, b);
        for _ in 2..PLAIN_COLUMNS {
            let c = eval.next_trace_mask();
            // c_j - (c_(j-1)² + c_(j-2)²) = 0
            eval.add_constraint(c.clone() - (old.clone() * old.clone() + older.clone() * older));
            (older, old) = (old, c);
        }
        eval
    }
}

fn seq_id() -> PreProcessedColumnId {
    PreProcessedColumnId { id: "air_test_seq".to_string() }
}

fn seq_square_id() -> PreProcessedColumnId {
    PreProcessedColumnId { id: "air_test_seq_square".to_string() }
}

/// Preprocessed `seq` and `seq²`; trace `mult` and `v = seq²`; logUp entries `mult / (seq, v)`,
/// `-1 / (v, seq)` and `1 / (seq + 1, v)`, finalized in pairs (two batches).
#[derive(Clone)]
struct LookupEval {
    relation: PairRelation,
}

impl FrameworkEval for LookupEval {
    fn log_size(&self) -> u32 {
        LOOKUP_LOG_SIZE
    }

    /// The pair's constraint has degree 3 per row, its quotient degree 2: one more bit.
    fn max_constraint_log_degree_bound(&self) -> u32 {
        LOOKUP_LOG_SIZE + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let seq = eval.get_preprocessed_column(seq_id());
        let seq_square = eval.get_preprocessed_column(seq_square_id());
        let mult = eval.next_trace_mask();
        let v = eval.next_trace_mask();
        // v - seq² = 0
        eval.add_constraint(v.clone() - seq_square);
        eval.add_to_relation(RelationEntry::new(
            &self.relation,
            E::EF::from(mult),
            &[seq.clone(), v.clone()],
        ));
        eval.add_to_relation(RelationEntry::new(&self.relation, -E::EF::one(), &[v.clone(), seq.clone()]));
        let mut seq_plus_one = seq;
        seq_plus_one += BaseField::from(1);
        eval.add_to_relation(RelationEntry::new(&self.relation, E::EF::one(), &[seq_plus_one, v]));
        eval.finalize_logup_in_pairs();
        eval
    }
}

fn evaluation(log_size: u32, mut coset_order: Vec<BaseField>) -> Evaluation {
    bit_reverse_coset_to_circle_domain_order(&mut coset_order);
    CircleEvaluation::new(CanonicCoset::new(log_size).circle_domain(), BaseColumn::from_cpu(&coset_order))
}

fn plain_trace() -> Vec<Evaluation> {
    let n = 1usize << PLAIN_LOG_SIZE;
    let a: Vec<BaseField> = (0..n as u32).map(|i| BaseField::from(i * i + 7)).collect();
    let b: Vec<BaseField> = (0..n).map(|i| a[(i + 1) % n] * a[(i + 1) % n]).collect();
    let mut columns = vec![a, b];
    for j in 2..PLAIN_COLUMNS {
        let next = (0..n).map(|i| columns[j - 1][i].square() + columns[j - 2][i].square()).collect();
        columns.push(next);
    }
    columns.into_iter().map(|c| evaluation(PLAIN_LOG_SIZE, c)).collect()
}

fn seq_columns() -> (Vec<BaseField>, Vec<BaseField>) {
    let seq: Vec<BaseField> = (0..1u32 << LOOKUP_LOG_SIZE).map(BaseField::from).collect();
    let square = seq.iter().map(|s| s.square()).collect();
    (seq, square)
}

fn lookup_preprocessed() -> Vec<Evaluation> {
    let (seq, square) = seq_columns();
    vec![evaluation(LOOKUP_LOG_SIZE, seq), evaluation(LOOKUP_LOG_SIZE, square)]
}

fn lookup_trace() -> Vec<Evaluation> {
    let (seq, square) = seq_columns();
    let mult = seq.iter().map(|s| BaseField::from(s.0 % 3)).collect();
    vec![evaluation(LOOKUP_LOG_SIZE, mult), evaluation(LOOKUP_LOG_SIZE, square)]
}

fn lookup_interaction(
    preprocessed: &[Evaluation],
    trace: &[Evaluation],
    relation: &PairRelation,
) -> (Vec<Evaluation>, SecureField) {
    let mut logup = LogupTraceGenerator::new(LOOKUP_LOG_SIZE);
    let one = PackedSecureField::one();
    let mut pair = logup.new_col();
    for row in 0..1 << (LOOKUP_LOG_SIZE - LOG_N_LANES) {
        let (seq, mult, v) = (preprocessed[0].data[row], trace[0].data[row], trace[1].data[row]);
        let d0: PackedSecureField = relation.combine(&[seq, v]);
        let d1: PackedSecureField = relation.combine(&[v, seq]);
        // mult/d0 - 1/d1
        pair.write_frac(row, PackedSecureField::from(mult) * d1 - d0, d0 * d1);
    }
    pair.finalize_col();
    let mut single = logup.new_col();
    for row in 0..1 << (LOOKUP_LOG_SIZE - LOG_N_LANES) {
        let (seq, v) = (preprocessed[0].data[row], trace[1].data[row]);
        let seq_plus_one =
            seq + stwo::prover::backend::simd::m31::PackedBaseField::broadcast(BaseField::from(1));
        single.write_frac(row, one, relation.combine(&[seq_plus_one, v]));
    }
    single.finalize_col();
    logup.finalize_last()
}

/// A small test configuration: fast, not secure.
fn config() -> PcsConfig {
    PcsConfig { pow_bits: 5, fri_config: FriConfig::new(0, 2, 4, 1), lifting_log_size: None }
}

fn components(
    relation: PairRelation,
    claimed_sum: SecureField,
) -> (FrameworkComponent<SquareChainEval>, FrameworkComponent<LookupEval>) {
    let allocator = &mut TraceLocationAllocator::new_with_preprocessed_columns(&[seq_id(), seq_square_id()]);
    let plain = FrameworkComponent::new(allocator, SquareChainEval, SecureField::from(0));
    let lookup = FrameworkComponent::new(allocator, LookupEval { relation }, claimed_sum);
    (plain, lookup)
}

/// A proof of both components, its claimed sum and lookup elements.
struct Proved {
    proof: StarkProof<Blake2sMerkleHasher>,
    claimed_sum: SecureField,
    elements: LookupElements<2>,
}

fn prove_both() -> Proved {
    let config = config();
    let twiddles = SimdBackend::precompute_twiddles(
        CanonicCoset::new(PLAIN_LOG_SIZE + 1 + config.fri_config.log_blowup_factor)
            .circle_domain()
            .half_coset,
    );
    let channel = &mut Blake2sChannel::default();
    config.mix_into(channel);
    let mut scheme = CommitmentSchemeProver::<SimdBackend, Blake2sMerkleChannel>::new(config, &twiddles);
    let preprocessed = lookup_preprocessed();
    let mut builder = scheme.tree_builder();
    builder.extend_evals(preprocessed.clone());
    builder.commit(channel);
    let trace = lookup_trace();
    let mut builder = scheme.tree_builder();
    builder.extend_evals(plain_trace().into_iter().chain(trace.clone()).collect::<Vec<_>>());
    builder.commit(channel);
    let relation = PairRelation::draw(channel);
    let (interaction, claimed_sum) = lookup_interaction(&preprocessed, &trace, &relation);
    let mut builder = scheme.tree_builder();
    builder.extend_evals(interaction);
    builder.commit(channel);
    channel.mix_felts(&[claimed_sum]);
    let elements = relation.0.clone();
    let (plain, lookup) = components(relation, claimed_sum);
    let proof =
        prove::<SimdBackend, Blake2sMerkleChannel>(&[&plain, &lookup], channel, scheme).expect("proves");
    Proved { proof, claimed_sum, elements }
}

/// What the verifier draws: the composition's random coefficient and the OODS point; and Stwo's own
/// composition value at it. Verifies the proof natively too.
struct Drawn {
    random_coeff: SecureField,
    oods_point: CirclePoint<SecureField>,
    max_log_degree_bound: u32,
    native_composition: SecureField,
}

fn replay(proved: &Proved) -> Drawn {
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
    proved: &Proved,
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
    );
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
    let proved = prove_both();
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
            // sum) at 128 each; the rest, 9,428, is the two evaluations, the vanishing polynomial and its
            // inverse, and the composition recombination. Pinned so that cost changes are deliberate.
            assert_eq!(cs.num_constraints(), 14164);
            assert_eq!(128 * 37 + 9428, 14164);
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
    let mut accumulator = PointEvaluationAccumulatorVar::new(zero());
    let trees = |trace: Vec<Vec<QM31Var>>| {
        TreeVec::new(vec![vec![vec![zero()]; 2], trace, vec![vec![zero(), zero()]; 8]])
    };

    // The plain component's first column is sampled at two points; give one.
    let mut trace = vec![vec![zero()]; PLAIN_COLUMNS + 2];
    let short = trees(trace.clone());
    assert!(matches!(
        CircuitComponent::evaluate_constraint_quotients_at_point(&plain, &point, &short, &mut accumulator, 6),
        Err(CircuitError::MaskValues { tree: 1, column: 0, expected: 2, got: 1 })
    ));
    trace[0].push(zero());
    let good = trees(trace.clone());
    CircuitComponent::evaluate_constraint_quotients_at_point(&plain, &point, &good, &mut accumulator, 6)
        .unwrap();
    // The lookup component's columns follow the plain component's.
    trace.pop();
    let missing = trees(trace);
    assert!(matches!(
        CircuitComponent::evaluate_constraint_quotients_at_point(
            &lookup,
            &point,
            &missing,
            &mut accumulator,
            6
        ),
        Err(CircuitError::MissingMaskColumn { tree: 1, column: 7 })
    ));
    let no_composition = TreeVec::new(vec![vec![vec![zero()]; 7]]);
    assert!(matches!(composition_oods_eval(&point, &no_composition, 6), Err(CircuitError::CompositionMask)));
}
