//! Two small AIRs proved with Stwo, for the circuit's tests: a plain one (a square recurrence over several
//! columns, with a `next`-row mask offset) and one with preprocessed columns and a logUp lookup whose
//! claimed sum is not zero. Generic over the Merkle channel.

use num_traits::One;
use stwo::core::channel::{Channel, MerkleChannel};
use stwo::core::fields::FieldExpOps;
use stwo::core::fields::m31::BaseField;
use stwo::core::fields::qm31::SecureField;
use stwo::core::fri::FriConfig;
use stwo::core::pcs::PcsConfig;
use stwo::core::poly::circle::CanonicCoset;
use stwo::core::proof::StarkProof;
use stwo::core::utils::bit_reverse_coset_to_circle_domain_order;
use stwo::prover::backend::BackendForChannel;
use stwo::prover::backend::simd::SimdBackend;
use stwo::prover::backend::simd::column::BaseColumn;
use stwo::prover::backend::simd::m31::LOG_N_LANES;
use stwo::prover::backend::simd::qm31::PackedSecureField;
use stwo::prover::poly::BitReversedOrder;
use stwo::prover::poly::circle::{CircleEvaluation, PolyOps};
use stwo::prover::poly::twiddles::TwiddleTree;
use stwo::prover::{CommitmentSchemeProver, prove};
use stwo_constraint_framework::logup::LookupElements;
use stwo_constraint_framework::preprocessed_columns::PreProcessedColumnId;
use stwo_constraint_framework::{
    EvalAtRow, FrameworkComponent, FrameworkEval, LogupTraceGenerator, ORIGINAL_TRACE_IDX, Relation,
    RelationEFTraitBound, RelationEntry, TraceLocationAllocator,
};

pub(crate) type Evaluation = CircleEvaluation<SimdBackend, BaseField, BitReversedOrder>;

pub(crate) const PLAIN_LOG_SIZE: u32 = 5;
pub(crate) const PLAIN_COLUMNS: usize = 6;
pub(crate) const LOOKUP_LOG_SIZE: u32 = 5;

/// A relation of pairs (the framework's `relation!`, with its field visible to the tests).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PairRelation(pub(crate) LookupElements<2>);

impl PairRelation {
    pub(crate) fn dummy() -> Self {
        Self(LookupElements::dummy())
    }

    pub(crate) fn draw(channel: &mut impl Channel) -> Self {
        Self(LookupElements::draw(channel))
    }
}

impl<F: Clone, EF: RelationEFTraitBound<F>> Relation<F, EF> for PairRelation {
    fn combine(&self, values: &[F]) -> EF {
        self.0.combine(values)
    }

    fn get_name(&self) -> &str {
        "PairRelation"
    }

    fn get_size(&self) -> usize {
        2
    }
}

/// `b = a(next)²`, then `c_j = c_(j-1)² + c_(j-2)²` from `c_0 = a`, `c_1 = b`.
#[derive(Clone)]
pub(crate) struct SquareChainEval;

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

pub(crate) fn seq_id() -> PreProcessedColumnId {
    PreProcessedColumnId { id: "air_test_seq".to_string() }
}

pub(crate) fn seq_square_id() -> PreProcessedColumnId {
    PreProcessedColumnId { id: "air_test_seq_square".to_string() }
}

/// Preprocessed `seq` and `seq²`; trace `mult` and `v = seq²`; logUp entries `mult / (seq, v)`,
/// `-1 / (v, seq)` and `1 / (seq + 1, v)`, finalized in pairs (two batches).
#[derive(Clone)]
pub(crate) struct LookupEval {
    pub(crate) relation: PairRelation,
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

pub(crate) fn evaluation(log_size: u32, mut coset_order: Vec<BaseField>) -> Evaluation {
    bit_reverse_coset_to_circle_domain_order(&mut coset_order);
    CircleEvaluation::new(CanonicCoset::new(log_size).circle_domain(), BaseColumn::from_cpu(&coset_order))
}

pub(crate) fn plain_trace() -> Vec<Evaluation> {
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

pub(crate) fn seq_columns() -> (Vec<BaseField>, Vec<BaseField>) {
    let seq: Vec<BaseField> = (0..1u32 << LOOKUP_LOG_SIZE).map(BaseField::from).collect();
    let square = seq.iter().map(|s| s.square()).collect();
    (seq, square)
}

pub(crate) fn lookup_preprocessed() -> Vec<Evaluation> {
    let (seq, square) = seq_columns();
    vec![evaluation(LOOKUP_LOG_SIZE, seq), evaluation(LOOKUP_LOG_SIZE, square)]
}

pub(crate) fn lookup_trace() -> Vec<Evaluation> {
    let (seq, square) = seq_columns();
    let mult = seq.iter().map(|s| BaseField::from(s.0 % 3)).collect();
    vec![evaluation(LOOKUP_LOG_SIZE, mult), evaluation(LOOKUP_LOG_SIZE, square)]
}

pub(crate) fn lookup_interaction(
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
pub(crate) fn config() -> PcsConfig {
    PcsConfig { pow_bits: 5, fri_config: FriConfig::new(0, 2, 4, 1), lifting_log_size: None }
}

pub(crate) fn components(
    relation: PairRelation,
    claimed_sum: SecureField,
) -> (FrameworkComponent<SquareChainEval>, FrameworkComponent<LookupEval>) {
    let allocator = &mut TraceLocationAllocator::new_with_preprocessed_columns(&[seq_id(), seq_square_id()]);
    let plain = FrameworkComponent::new(allocator, SquareChainEval, SecureField::from(0));
    let lookup = FrameworkComponent::new(allocator, LookupEval { relation }, claimed_sum);
    (plain, lookup)
}

/// A proof of both components, its claimed sum and lookup elements.
pub(crate) struct Proved<MC: MerkleChannel> {
    pub(crate) proof: StarkProof<MC::H>,
    pub(crate) claimed_sum: SecureField,
    pub(crate) elements: LookupElements<2>,
}

impl<MC: MerkleChannel> Proved<MC> {
    /// A copy, changed by `change`.
    pub(crate) fn clone_with(&self, change: impl FnOnce(&mut Self)) -> Self {
        let mut copy = Self {
            proof: self.proof.clone(),
            claimed_sum: self.claimed_sum,
            elements: self.elements.clone(),
        };
        change(&mut copy);
        copy
    }
}

/// Twiddles for the test AIRs' largest evaluation domain under `config`.
fn twiddles(config: &PcsConfig) -> TwiddleTree<SimdBackend> {
    SimdBackend::precompute_twiddles(
        CanonicCoset::new(PLAIN_LOG_SIZE + 1 + config.fri_config.log_blowup_factor)
            .circle_domain()
            .half_coset,
    )
}

pub(crate) fn prove_both<MC: MerkleChannel>() -> Proved<MC>
where
    SimdBackend: BackendForChannel<MC>,
{
    let config = config();
    let twiddles = twiddles(&config);
    let channel = &mut MC::C::default();
    config.mix_into(channel);
    let mut scheme = CommitmentSchemeProver::<SimdBackend, MC>::new(config, &twiddles);
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
    let proof = prove::<SimdBackend, MC>(&[&plain, &lookup], channel, scheme).expect("proves");
    Proved { proof, claimed_sum, elements }
}

/// A second shape: the plain AIR alone (no preprocessed columns, no lookup) under another configuration
/// (blowup 2, fold step 2, six queries).
pub(crate) fn plain_config() -> PcsConfig {
    PcsConfig { pow_bits: 3, fri_config: FriConfig::new(0, 1, 6, 2), lifting_log_size: None }
}

/// The plain AIR's component alone.
pub(crate) fn plain_component() -> FrameworkComponent<SquareChainEval> {
    FrameworkComponent::new(&mut TraceLocationAllocator::default(), SquareChainEval, SecureField::from(0))
}

/// A proof of the plain AIR alone under [`plain_config`]: an empty preprocessed tree, then the trace.
pub(crate) fn prove_plain<MC: MerkleChannel>() -> StarkProof<MC::H>
where
    SimdBackend: BackendForChannel<MC>,
{
    let config = plain_config();
    let twiddles = twiddles(&config);
    let channel = &mut MC::C::default();
    config.mix_into(channel);
    let mut scheme = CommitmentSchemeProver::<SimdBackend, MC>::new(config, &twiddles);
    scheme.tree_builder().commit(channel);
    let mut builder = scheme.tree_builder();
    builder.extend_evals(plain_trace());
    builder.commit(channel);
    prove::<SimdBackend, MC>(&[&plain_component()], channel, scheme).expect("proves")
}
