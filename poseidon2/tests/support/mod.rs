//! A small AIR for the channel's tests and benchmarks, proved and verified with Stwo's own prover and
//! verifier in any Merkle channel mode.
//!
//! The squaring chain: `n_columns` trace columns with `c[j+1] = c[j]^2 + seq` on every row, where `seq` is a
//! preprocessed column holding `0, 1, ..., n - 1`, and a logUp lookup proving that the first column is a
//! permutation of `seq` (`sum 1/(z - seq) - 1/(z - c[0]) = 0`, so the claimed sum is zero).

use num_traits::{One, Zero};
use stwo::core::air::Component;
use stwo::core::channel::{Channel, MerkleChannel};
use stwo::core::fields::m31::BaseField;
use stwo::core::fields::qm31::SecureField;
use stwo::core::pcs::{CommitmentSchemeVerifier, PcsConfig};
use stwo::core::poly::circle::CanonicCoset;
use stwo::core::proof::StarkProof;
use stwo::core::verifier::{VerificationError, verify};
use stwo::prover::backend::BackendForChannel;
use stwo::prover::backend::simd::SimdBackend;
use stwo::prover::backend::simd::column::BaseColumn;
use stwo::prover::backend::simd::m31::LOG_N_LANES;
use stwo::prover::backend::simd::qm31::PackedSecureField;
use stwo::prover::poly::BitReversedOrder;
use stwo::prover::poly::circle::{CircleEvaluation, PolyOps};
use stwo::prover::{CommitmentSchemeProver, ProvingError, prove};
use stwo_constraint_framework::preprocessed_columns::PreProcessedColumnId;
use stwo_constraint_framework::{
    EvalAtRow, FrameworkComponent, FrameworkEval, LogupTraceGenerator, Relation, RelationEntry,
    TraceLocationAllocator, relation,
};

relation!(SeqRelation, 1);

type Evaluation = CircleEvaluation<SimdBackend, BaseField, BitReversedOrder>;

/// The preprocessed column's identifier.
pub(crate) fn seq_column_id() -> PreProcessedColumnId {
    PreProcessedColumnId { id: "squaring_chain_seq".to_string() }
}

/// The squaring chain's constraints.
#[derive(Clone)]
pub(crate) struct SquaringChainEval {
    pub(crate) log_n_rows: u32,
    pub(crate) n_columns: usize,
    pub(crate) lookup: SeqRelation,
}

impl FrameworkEval for SquaringChainEval {
    fn log_size(&self) -> u32 {
        self.log_n_rows
    }

    fn max_constraint_log_degree_bound(&self) -> u32 {
        self.log_n_rows + 1
    }

    fn evaluate<E: EvalAtRow>(&self, mut eval: E) -> E {
        let seq = eval.get_preprocessed_column(seq_column_id());
        let first = eval.next_trace_mask();
        let mut prev = first.clone();
        for _ in 1..self.n_columns {
            let next = eval.next_trace_mask();
            // c[j+1] - (c[j]^2 + seq) = 0
            eval.add_constraint(next.clone() - (prev.clone() * prev + seq.clone()));
            prev = next;
        }
        // 1/(z - seq) - 1/(z - c[0]): the first column is a permutation of `seq`.
        eval.add_to_relation(RelationEntry::new(&self.lookup, E::EF::one(), &[seq]));
        eval.add_to_relation(RelationEntry::new(&self.lookup, -E::EF::one(), &[first]));
        eval.finalize_logup_in_pairs();
        eval
    }
}

/// The component, with the preprocessed column registered.
pub(crate) fn component(
    log_n_rows: u32,
    n_columns: usize,
    lookup: SeqRelation,
) -> FrameworkComponent<SquaringChainEval> {
    FrameworkComponent::new(
        &mut TraceLocationAllocator::new_with_preprocessed_columns(&[seq_column_id()]),
        SquaringChainEval { log_n_rows, n_columns, lookup },
        SecureField::zero(),
    )
}

fn evaluation(log_n_rows: u32, values: Vec<BaseField>) -> Evaluation {
    CircleEvaluation::new(CanonicCoset::new(log_n_rows).circle_domain(), BaseColumn::from_cpu(&values))
}

/// The preprocessed column `0, 1, ..., n - 1`.
pub(crate) fn gen_preprocessed(log_n_rows: u32) -> Vec<Evaluation> {
    vec![evaluation(log_n_rows, (0..1u32 << log_n_rows).map(BaseField::from).collect())]
}

/// The main trace; `c[0]` is `seq` permuted by `i -> 5 i + 3 mod n`.
pub(crate) fn gen_trace(log_n_rows: u32, n_columns: usize) -> Vec<Evaluation> {
    let n = 1usize << log_n_rows;
    let seq: Vec<BaseField> = (0..n as u32).map(BaseField::from).collect();
    let mut columns = vec![(0..n).map(|i| seq[(5 * i + 3) % n]).collect::<Vec<_>>()];
    for _ in 1..n_columns {
        let prev = &columns[columns.len() - 1];
        let next = prev.iter().zip(&seq).map(|(c, s)| *c * *c + *s).collect();
        columns.push(next);
    }
    columns.into_iter().map(|c| evaluation(log_n_rows, c)).collect()
}

/// The logUp interaction trace and its claimed sum.
pub(crate) fn gen_interaction_trace(
    log_n_rows: u32,
    preprocessed: &[Evaluation],
    trace: &[Evaluation],
    lookup: &SeqRelation,
) -> (Vec<Evaluation>, SecureField) {
    let mut logup = LogupTraceGenerator::new(log_n_rows);
    let mut col = logup.new_col();
    for vec_row in 0..1 << (log_n_rows - LOG_N_LANES) {
        let seq = preprocessed[0].values.data[vec_row];
        let first = trace[0].values.data[vec_row];
        let d_seq: PackedSecureField = lookup.combine(&[seq]);
        let d_first: PackedSecureField = lookup.combine(&[first]);
        // 1/d_seq - 1/d_first = (d_first - d_seq) / (d_seq · d_first)
        col.write_frac(vec_row, d_first - d_seq, d_seq * d_first);
    }
    col.finalize_col();
    logup.finalize_last()
}

/// The transcript's opening: the PCS configuration and the statement's shape. Neither is mixed by Stwo.
fn mix_statement(channel: &mut impl Channel, config: &PcsConfig, log_n_rows: u32, n_columns: usize) {
    config.mix_into(channel);
    channel.mix_u32s(&[log_n_rows, n_columns as u32]);
}

/// Proves the squaring chain with Stwo's SIMD prover in the Merkle channel `MC`.
pub(crate) fn prove_squaring_chain<MC: MerkleChannel>(
    config: PcsConfig,
    log_n_rows: u32,
    n_columns: usize,
) -> Result<StarkProof<MC::H>, ProvingError>
where
    SimdBackend: BackendForChannel<MC>,
{
    let twiddles = SimdBackend::precompute_twiddles(
        CanonicCoset::new(log_n_rows + 1 + config.fri_config.log_blowup_factor).circle_domain().half_coset,
    );
    let channel = &mut MC::C::default();
    mix_statement(channel, &config, log_n_rows, n_columns);
    let mut commitment_scheme = CommitmentSchemeProver::<SimdBackend, MC>::new(config, &twiddles);

    let preprocessed = gen_preprocessed(log_n_rows);
    let mut tree_builder = commitment_scheme.tree_builder();
    tree_builder.extend_evals(preprocessed.clone());
    tree_builder.commit(channel);

    let trace = gen_trace(log_n_rows, n_columns);
    let mut tree_builder = commitment_scheme.tree_builder();
    tree_builder.extend_evals(trace.clone());
    tree_builder.commit(channel);

    let lookup = SeqRelation::draw(channel);
    let (interaction, claimed_sum) = gen_interaction_trace(log_n_rows, &preprocessed, &trace, &lookup);
    let mut tree_builder = commitment_scheme.tree_builder();
    tree_builder.extend_evals(interaction);
    tree_builder.commit(channel);
    channel.mix_felts(&[claimed_sum]);

    let component = component(log_n_rows, n_columns, lookup);
    prove::<SimdBackend, MC>(&[&component], channel, commitment_scheme)
}

/// Verifies a squaring-chain proof with Stwo's verifier: the claimed sum must be zero.
pub(crate) fn verify_squaring_chain<MC: MerkleChannel>(
    config: PcsConfig,
    log_n_rows: u32,
    n_columns: usize,
    proof: StarkProof<MC::H>,
) -> Result<(), VerificationError> {
    let channel = &mut MC::C::default();
    mix_statement(channel, &config, log_n_rows, n_columns);
    let commitment_scheme = &mut CommitmentSchemeVerifier::<MC>::new(config);
    let sizes = component(log_n_rows, n_columns, SeqRelation::dummy()).trace_log_degree_bounds();
    if proof.commitments.len() != 4 {
        return Err(VerificationError::InvalidStructure("expected four commitments".to_string()));
    }
    commitment_scheme.commit(proof.commitments[0], &sizes[0], channel);
    commitment_scheme.commit(proof.commitments[1], &sizes[1], channel);
    let lookup = SeqRelation::draw(channel);
    commitment_scheme.commit(proof.commitments[2], &sizes[2], channel);
    channel.mix_felts(&[SecureField::zero()]);
    verify(&[&component(log_n_rows, n_columns, lookup)], channel, commitment_scheme, proof)
}
