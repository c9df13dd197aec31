//! Proving executions: witness generation, the interaction trace and Stwo's prover.

#[cfg(test)]
pub(crate) mod debug;
mod interaction;
pub(crate) mod witness;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use itertools::Itertools;
use nzero_poseidon2::Poseidon2MerkleChannel;
use sha2::{Digest, Sha256};
use stwo::core::channel::Channel;
use stwo::core::fields::m31::BaseField;
use stwo::core::fields::qm31::SecureField;
use stwo::core::poly::circle::CanonicCoset;
use stwo::core::utils::{bit_reverse_index, coset_index_to_circle_domain_index};
use stwo::core::vcs_lifted::blake2_merkle::Blake2sMerkleChannel;
use stwo::prover::backend::BackendForChannel;
use stwo::prover::backend::simd::SimdBackend;
use stwo::prover::backend::simd::column::BaseColumn;
use stwo::prover::poly::BitReversedOrder;
use stwo::prover::poly::circle::{CircleEvaluation, PolyOps};
use stwo::prover::{CommitmentSchemeProver, ProvingError};
use tracing::{info, info_span};

pub use witness::WitnessError;

use crate::air::tables::column_id;
use crate::air::{Claim, ComponentKind, PreprocessedTables, Relations, build_provers, with_eval};
use crate::class::{EVM_TABLE_LOG_SIZE, ExecutionTooLong, SizeClass};
use crate::config::StarkConfig;
use crate::executor::{ExecConfig, ExecError, Execution, trace};
use crate::hash::{HashKind, ProofHash};
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
    /// The execution does not fit the size class asked for.
    #[error("{what} does not fit size class {class}")]
    DoesNotFit {
        /// The class.
        class: SizeClass,
        /// What overflowed it.
        what: String,
    },
    /// The program's code or initial memory exceeds the EVM shape's tables.
    #[error("the program has more than 2^{EVM_TABLE_LOG_SIZE} code or image words: too large for EVM proofs")]
    TooLargeForEvm,
    /// The configuration's blowup is not the one the program key of this hash is made at.
    #[error("a {kind:?} proof needs log blowup {expected}, the configuration has {found}")]
    BlowupMismatch {
        /// The proof's hash.
        kind: crate::hash::HashKind,
        /// The key's blowup.
        expected: u32,
        /// The configuration's.
        found: u32,
    },
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
    let shape = program_shape(program, &tables);
    let roots = program_roots(&tables);
    (shape, roots, ProgramKey::from_parts(&shape, &roots))
}

fn program_shape(program: &Program, tables: &PreprocessedTables) -> ProgramShape {
    ProgramShape {
        entry: program.entry,
        program_log_size: tables.program_log_size(),
        image_log_size: tables.image_log_size(),
    }
}

/// The preprocessed commitments of both hashes. Every proof, native ones included, carries both; the
/// Poseidon2 one, at blowup 8 over tables padded to the EVM shape, costs a few seconds. They are
/// remembered per program: for the life of the process, and across processes in [`roots_cache`].
fn program_roots(tables: &PreprocessedTables) -> ProgramRoots {
    static ROOTS: OnceLock<Mutex<HashMap<[u8; 32], ProgramRoots>>> = OnceLock::new();
    let digest = preprocessed_digest(tables);
    let memory = ROOTS.get_or_init(Default::default);
    if let Some(roots) = memory.lock().unwrap_or_else(|e| e.into_inner()).get(&digest) {
        return *roots;
    }
    let roots = roots_cache::load(&digest).unwrap_or_else(|| {
        let roots = info_span!("program roots").in_scope(|| ProgramRoots {
            blake2s: preprocessed_root::<Blake2sMerkleChannel>(&preprocessed_trace(tables).1),
            poseidon2: tables.padded_to(EVM_TABLE_LOG_SIZE).map_or([0; 32], |evm| {
                preprocessed_root::<Poseidon2MerkleChannel>(&preprocessed_trace(&evm).1)
            }),
        });
        roots_cache::store(&digest, &roots);
        roots
    });
    memory.lock().unwrap_or_else(|e| e.into_inner()).insert(digest, roots);
    roots
}

/// What the preprocessed roots depend on: the tables, the EVM padding and the blowups they are
/// committed at.
fn preprocessed_digest(tables: &PreprocessedTables) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"nexus-zero/preprocessed-roots/v2");
    for kind in [HashKind::Blake2s, HashKind::Poseidon2] {
        hasher.update(kind.log_blowup_factor().to_le_bytes());
    }
    hasher.update(EVM_TABLE_LOG_SIZE.to_le_bytes());
    for (_, values) in tables.columns() {
        hasher.update((values.len() as u64).to_le_bytes());
        values.iter().for_each(|v| hasher.update(v.0.to_le_bytes()));
    }
    hasher.finalize().into()
}

/// An on-disk cache of program roots, in `$NZERO_CACHE_DIR` (default: the user's cache directory,
/// `nexus-zero/program-roots`). Only an optimization: unreadable entries are recomputed and write
/// failures ignored; entries are written whole (temporary file, then rename).
mod roots_cache {
    use std::path::PathBuf;

    use crate::proof::ProgramRoots;

    fn dir() -> Option<PathBuf> {
        let base = std::env::var_os("NZERO_CACHE_DIR").map(PathBuf::from).or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
                .map(|cache| cache.join("nexus-zero"))
        })?;
        Some(base.join("program-roots"))
    }

    fn path(digest: &[u8; 32]) -> Option<PathBuf> {
        let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        Some(dir()?.join(name))
    }

    pub(super) fn load(digest: &[u8; 32]) -> Option<ProgramRoots> {
        let bytes = std::fs::read(path(digest)?).ok()?;
        let (blake2s, poseidon2) = bytes.split_at_checked(32)?;
        Some(ProgramRoots { blake2s: blake2s.try_into().ok()?, poseidon2: poseidon2.try_into().ok()? })
    }

    pub(super) fn store(digest: &[u8; 32], roots: &ProgramRoots) {
        let (Some(dir), Some(path)) = (dir(), path(digest)) else { return };
        let temporary = dir.join(format!(".{}.{}", std::process::id(), next_suffix()));
        let written = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&temporary, [roots.blake2s, roots.poseidon2].concat()))
            .and_then(|()| std::fs::rename(&temporary, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }

    /// Distinguishes the temporary files of threads of one process.
    fn next_suffix() -> u64 {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        NEXT.fetch_add(1, Ordering::Relaxed)
    }
}

/// The root of the preprocessed trace committed with `H` at its key blowup.
fn preprocessed_root<H: ProofHash>(columns: &[TraceColumn]) -> [u8; 32]
where
    SimdBackend: BackendForChannel<H>,
{
    let config =
        StarkConfig { log_blowup_factor: H::KIND.log_blowup_factor(), ..StarkConfig::insecure_for_tests() };
    let max_log = columns.iter().map(|c| c.domain.log_size()).max().unwrap_or(1);
    let twiddles = twiddles_for(max_log, &config);
    let mut scheme = CommitmentSchemeProver::<SimdBackend, H>::new(config.pcs(), &twiddles);
    let mut builder = scheme.tree_builder();
    builder.extend_evals(columns.to_vec());
    builder.commit(&mut H::C::default());
    H::root_bytes(&scheme.roots()[0])
}

/// Runs `program` on `input` and proves the execution natively (Blake2s).
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
    prove_with::<Blake2sMerkleChannel>(program, input, config, exec)
}

/// Runs `program` on `input` and proves the execution with the Merkle channel `H`, in the smallest
/// size class that holds it.
///
/// # Errors
/// [`ProveError`] when the execution fails, uses an instruction that cannot be proven yet, the
/// configuration's blowup is not `H`'s, or the prover fails.
pub fn prove_with<H: ProofHash>(
    program: &Program,
    input: &[u8],
    config: &StarkConfig,
    exec: &ExecConfig,
) -> Result<(Execution, Proof<H>), ProveError>
where
    SimdBackend: BackendForChannel<H>,
{
    prove_in::<H>(program, input, config, exec, None)
}

/// [`prove_with`] in a given size class (`None`: the smallest that holds the execution). EVM proofs
/// take their class's fixed shape ([`Claim::evm`]), the one its verifier circuit is built for.
///
/// # Errors
/// As [`prove_with`], and [`ProveError::DoesNotFit`] when the execution does not fit `class`.
pub fn prove_in<H: ProofHash>(
    program: &Program,
    input: &[u8],
    config: &StarkConfig,
    exec: &ExecConfig,
    class: Option<SizeClass>,
) -> Result<(Execution, Proof<H>), ProveError>
where
    SimdBackend: BackendForChannel<H>,
{
    let expected = H::KIND.log_blowup_factor();
    if config.log_blowup_factor != expected {
        return Err(ProveError::BlowupMismatch { kind: H::KIND, expected, found: config.log_blowup_factor });
    }
    let (execution, record) = info_span!("execute").in_scope(|| trace(program, input, exec))?;
    info!(cycles = execution.cycles, "executed");
    let tables = PreprocessedTables::new(program);
    let mut witness =
        info_span!("witness").in_scope(|| witness::generate(&tables, program.code_start, &record.steps))?;
    drop(record);
    debug_assert_eq!(witness.statement.public_values_digest, execution.public_values_digest);
    let smallest = SizeClass::for_cycles(execution.cycles)?;
    let (class, tables) = match H::KIND {
        HashKind::Blake2s => {
            let class = class.unwrap_or(smallest);
            if class.log_cycles() < smallest.log_cycles() {
                return Err(ProveError::DoesNotFit { class, what: format!("{} cycles", execution.cycles) });
            }
            (class, tables)
        }
        HashKind::Poseidon2 => {
            let tables = tables.padded_to(EVM_TABLE_LOG_SIZE).ok_or(ProveError::TooLargeForEvm)?;
            let class = match class {
                Some(class) => witness.pad_to_evm(class).map(|()| class)?,
                None => {
                    SizeClass::ALL.into_iter().find(|&class| witness.pad_to_evm(class).is_ok()).ok_or_else(
                        || ProveError::DoesNotFit { class: SizeClass::C22, what: "the execution".into() },
                    )?
                }
            };
            (class, tables)
        }
    };
    let mut proof = prove_witness(program, &tables, witness, config, class)?;
    proof.public_values.clone_from(&execution.public_values);
    Ok((execution, proof))
}

/// Proves a witness (which tests may have tampered with). EVM proofs recompute the trace's
/// evaluations where they are needed instead of keeping them ([`prove_witness_in`]).
pub(crate) fn prove_witness<H: ProofHash>(
    program: &Program,
    tables: &PreprocessedTables,
    witness: witness::Witness,
    config: &StarkConfig,
    class: SizeClass,
) -> Result<Proof<H>, ProveError>
where
    SimdBackend: BackendForChannel<H>,
{
    prove_witness_in(program, tables, witness, config, class, H::KIND == HashKind::Poseidon2)
}

/// [`prove_witness`], keeping only the coefficients of the committed trace when
/// `recompute_evaluations`. The evaluations at the blowup take `2^log_blowup` times the trace's
/// memory: at the EVM proofs' blowup of 8, keeping them would need about 30 GiB for the 2^20 class.
/// Recomputing costs three more FFTs per column (Merkle commitment, FRI quotients, decommitment),
/// which are small next to the Poseidon2 hashing; the proof is the same either way.
pub(crate) fn prove_witness_in<H: ProofHash>(
    program: &Program,
    tables: &PreprocessedTables,
    mut witness: witness::Witness,
    config: &StarkConfig,
    class: SizeClass,
    recompute_evaluations: bool,
) -> Result<Proof<H>, ProveError>
where
    SimdBackend: BackendForChannel<H>,
{
    let (ids, preprocessed) = preprocessed_trace(tables);
    let natural = PreprocessedTables::new(program);
    let (shape, roots) = (program_shape(program, &natural), program_roots(&natural));
    let claim = Claim { log_sizes: witness.log_sizes.clone() };
    // Each column leaves the witness as it enters the trace, so the two are never both whole.
    let main: Vec<Vec<TraceColumn>> = info_span!("main trace").in_scope(|| {
        std::mem::take(&mut witness.columns)
            .into_iter()
            .map(|cols| cols.into_iter().map(|c| trace_column(&c)).collect())
            .collect()
    });

    let max_log = claim
        .log_sizes
        .iter()
        .chain(&[shape.program_log_size, shape.image_log_size])
        .copied()
        .max()
        .unwrap_or(1);
    let twiddles = twiddles_for(max_log.max(16), config);
    let channel = &mut H::C::default();
    let mut scheme = CommitmentSchemeProver::<SimdBackend, H>::new(config.pcs(), &twiddles);
    if recompute_evaluations {
        scheme.set_recompute_evaluations();
    }
    // No challenge is drawn before `mix_public`, which absorbs the configuration and statement.
    let mut builder = scheme.tree_builder();
    builder.extend_evals(preprocessed.clone());
    builder.commit(channel);
    debug_assert_eq!(&H::root_bytes(&scheme.roots()[0]), roots.of(H::KIND));
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
    drop(main);
    channel.mix_felts(&claimed_sums);
    let mut builder = scheme.tree_builder();
    builder.extend_evals(interaction.into_iter().flatten().collect_vec());
    builder.commit(channel);

    let preprocessed_ids = ids.iter().map(|id| column_id(id)).collect_vec();
    let components = build_provers(&claim, &relations, &claimed_sums, &preprocessed_ids);
    let provers = components.iter().map(|c| c.as_ref()).collect_vec();
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
