//! Proving executions: witness generation, the interaction trace and Stwo's prover.

#[cfg(test)]
pub(crate) mod debug;
mod interaction;
pub(crate) mod witness;

use std::collections::HashMap;

use itertools::Itertools;
use stwo::core::channel::{Blake2sChannel, Channel};
use stwo::core::fields::m31::BaseField;
use stwo::core::fields::qm31::SecureField;
use stwo::core::poly::circle::CanonicCoset;
use stwo::core::utils::{bit_reverse_index, coset_index_to_circle_domain_index};
use stwo::core::vcs_lifted::blake2_merkle::Blake2sMerkleChannel;
use stwo::prover::backend::simd::SimdBackend;
use stwo::prover::backend::simd::column::BaseColumn;
use stwo::prover::poly::BitReversedOrder;
use stwo::prover::poly::circle::{CircleEvaluation, PolyOps};
use stwo::prover::{CommitmentSchemeProver, ProvingError};
use tracing::{info, info_span};

pub use witness::WitnessError;

use crate::air::tables::column_id;
use crate::air::{ComponentKind, PreprocessedTables, Relations, build_components, with_eval};
use crate::class::{ExecutionTooLong, SizeClass};
use crate::config::StarkConfig;
use crate::executor::{ExecConfig, ExecError, Execution, trace};
use crate::program::Program;
use crate::proof::{ProgramKey, ProgramRoots, ProgramShape, Proof};

/// A column of a trace, in Stwo's storage order.
pub(crate) type TraceColumn = CircleEvaluation<SimdBackend, BaseField, BitReversedOrder>;

/// Why proving failed.
#[derive(Debug, thiserror::Error)]
pub enum ProveError {
    /// The execution itself failed.
    #[error("execution failed: {0}")]
    Execution(#[from] ExecError),
    /// The execution cannot be turned into a witness.
    #[error(transparent)]
    Witness(#[from] WitnessError),
    /// The execution is longer than the largest size class.
    #[error(transparent)]
    TooLong(#[from] ExecutionTooLong),
    /// Stwo's prover failed.
    #[error("the STARK prover failed: {0}")]
    Stark(#[from] ProvingError),
}

/// A column from values in natural row order.
pub(crate) fn trace_column(values: &[stwo::core::fields::m31::M31]) -> TraceColumn {
    let log_size = values.len().trailing_zeros();
    let mut ordered = vec![BaseField::from(0); values.len()];
    for (i, &v) in values.iter().enumerate() {
        ordered[bit_reverse_index(coset_index_to_circle_domain_index(i, log_size), log_size)] = v;
    }
    CircleEvaluation::new(CanonicCoset::new(log_size).circle_domain(), BaseColumn::from_iter(ordered))
}

/// The preprocessed columns of a program, in commitment order, with their ids.
fn preprocessed_trace(tables: &PreprocessedTables) -> (Vec<String>, Vec<TraceColumn>) {
    tables.columns().into_iter().map(|(id, values)| (id.id, trace_column(&values))).unzip()
}

fn twiddles_for(
    max_log_size: u32,
    config: &StarkConfig,
) -> stwo::prover::poly::twiddles::TwiddleTree<SimdBackend> {
    SimdBackend::precompute_twiddles(
        CanonicCoset::new(max_log_size + config.log_blowup_factor + 1).circle_domain().half_coset,
    )
}

/// The program's shape, commitments and key: what a verifier needs to know about a program.
pub fn program_key(program: &Program) -> (ProgramShape, ProgramRoots, ProgramKey) {
    let tables = PreprocessedTables::new(program);
    let shape = ProgramShape {
        entry: program.entry,
        program_log_size: tables.program_log_size(),
        image_log_size: tables.image_log_size(),
    };
    let (_, columns) = preprocessed_trace(&tables);
    let config = StarkConfig::secure();
    let max_log = columns.iter().map(|c| c.domain.log_size()).max().unwrap_or(1);
    let twiddles = twiddles_for(max_log, &config);
    let mut scheme =
        CommitmentSchemeProver::<SimdBackend, Blake2sMerkleChannel>::new(config.pcs(), &twiddles);
    let mut builder = scheme.tree_builder();
    builder.extend_evals(columns);
    builder.commit(&mut Blake2sChannel::default());
    let roots = ProgramRoots { blake2s: root_bytes(&scheme.roots()[0]) };
    (shape, roots, ProgramKey::from_parts(&shape, &roots))
}

fn root_bytes(root: &stwo::core::vcs::blake2_hash::Blake2sHash) -> [u8; 32] {
    root.0
}

/// Runs `program` on `input` and proves the execution.
///
/// # Errors
/// [`ProveError`] when the execution fails, uses an instruction that cannot be proven yet, or the
/// prover fails.
pub fn prove(
    program: &Program,
    input: &[u8],
    config: &StarkConfig,
    exec: &ExecConfig,
) -> Result<(Execution, Proof), ProveError> {
    let (execution, record) = info_span!("execute").in_scope(|| trace(program, input, exec))?;
    info!(cycles = execution.cycles, "executed");
    let tables = PreprocessedTables::new(program);
    let witness =
        info_span!("witness").in_scope(|| witness::generate(&tables, program.code_start, &record.steps))?;
    drop(record);
    debug_assert_eq!(witness.statement.public_values_digest, execution.public_values_digest);
    let class = SizeClass::for_cycles(execution.cycles)?;
    let mut proof = prove_witness(program, &tables, witness, config, class)?;
    proof.public_values.clone_from(&execution.public_values);
    Ok((execution, proof))
}

/// Proves a witness (which tests may have tampered with).
pub(crate) fn prove_witness(
    program: &Program,
    tables: &PreprocessedTables,
    witness: witness::Witness,
    config: &StarkConfig,
    class: SizeClass,
) -> Result<Proof, ProveError> {
    let shape = ProgramShape {
        entry: program.entry,
        program_log_size: tables.program_log_size(),
        image_log_size: tables.image_log_size(),
    };
    let claim = crate::air::Claim { log_sizes: witness.log_sizes.clone() };
    let (ids, preprocessed) = preprocessed_trace(tables);
    let main: Vec<Vec<TraceColumn>> = info_span!("main trace").in_scope(|| {
        witness.columns.iter().map(|cols| cols.iter().map(|c| trace_column(c)).collect()).collect()
    });

    let max_log = claim
        .log_sizes
        .iter()
        .chain(&[shape.program_log_size, shape.image_log_size])
        .copied()
        .max()
        .unwrap_or(1);
    let twiddles = twiddles_for(max_log.max(16), config);
    let channel = &mut Blake2sChannel::default();
    let mut scheme =
        CommitmentSchemeProver::<SimdBackend, Blake2sMerkleChannel>::new(config.pcs(), &twiddles);
    // No challenge is drawn before `mix_public`, which absorbs the configuration and statement.
    let mut builder = scheme.tree_builder();
    builder.extend_evals(preprocessed.clone());
    builder.commit(channel);
    let roots = ProgramRoots { blake2s: root_bytes(&scheme.roots()[0]) };
    crate::verifier::mix_public(channel, config, class, &shape, &roots, &witness.statement);

    crate::verifier::mix_claim(channel, &claim);
    let mut builder = scheme.tree_builder();
    builder.extend_evals(main.iter().flatten().cloned().collect_vec());
    builder.commit(channel);

    let relations = Relations::draw(channel);
    let preprocessed_by_id: HashMap<String, &BaseColumn> =
        ids.iter().cloned().zip(preprocessed.iter().map(|c| &c.values)).collect();
    let (interaction, claimed_sums): (Vec<Vec<TraceColumn>>, Vec<SecureField>) =
        info_span!("interaction trace").in_scope(|| {
            ComponentKind::all()
                .into_iter()
                .zip(&claim.log_sizes)
                .zip(&main)
                .map(|((kind, &log_size), columns)| {
                    let columns = columns.iter().map(|c| &c.values).collect_vec();
                    with_eval!(kind, log_size, relations.clone(), |eval| {
                        interaction::generate(&eval, &preprocessed_by_id, &columns)
                    })
                })
                .unzip()
        });
    channel.mix_felts(&claimed_sums);
    let mut builder = scheme.tree_builder();
    builder.extend_evals(interaction.into_iter().flatten().collect_vec());
    builder.commit(channel);

    let preprocessed_ids = ids.iter().map(|id| column_id(id)).collect_vec();
    let components = build_components(&claim, &relations, &claimed_sums, &preprocessed_ids);
    let provers = components.iter().map(|c| c.as_prover()).collect_vec();
    let stark_proof = info_span!("stark").in_scope(|| stwo::prover::prove(&provers, channel, scheme))?;
    Ok(Proof {
        config: *config,
        shape,
        roots,
        statement: witness.statement,
        public_values: Vec::new(),
        class,
        claim,
        claimed_sums,
        stark_proof,
    })
}

#[cfg(test)]
mod tests;
