//! Verifying proofs. Builds without the prover.

use itertools::Itertools;
use num_traits::Zero;
use sha2::{Digest, Sha256};
use stwo::core::air::{Component, Components};
use stwo::core::channel::Channel;
use stwo::core::circle::CirclePoint;
use stwo::core::fields::m31::BaseField;
use stwo::core::fields::qm31::{SECURE_EXTENSION_DEGREE, SecureField};
use stwo::core::pcs::CommitmentSchemeVerifier;
use stwo_constraint_framework::preprocessed_columns::PreProcessedColumnId;

use crate::air::tables::{BITWISE_LOG_SIZE, MIN_LOG_SIZE, SHIFT_LOG_SIZE, column_id, preprocessed_layout};
use crate::air::{Claim, ComponentKind, Relations, Statement, build_components, public_logup_sum};
use crate::class::{EVM_TABLE_LOG_SIZE, SizeClass};
use crate::config::StarkConfig;
use crate::hash::{HashKind, ProofHash};
use crate::proof::{ProgramKey, ProgramRoots, ProgramShape, Proof};

/// The largest log size of the memory boundary (every touched cell, and the image).
pub const MAX_LOG_SIZE: u32 = 24;

/// Why a proof was rejected.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The proof uses other STARK parameters than the verifier requires.
    #[error("the proof's STARK configuration {found:?} is not the expected {expected:?}")]
    ConfigMismatch {
        /// Expected.
        expected: StarkConfig,
        /// In the proof.
        found: StarkConfig,
    },
    /// The proof is about another program.
    #[error("the proof is for program {found}, not {expected}")]
    WrongProgram {
        /// The verifier's key.
        expected: String,
        /// The proof's.
        found: String,
    },
    /// The public values do not hash to the proven digest.
    #[error("the public values do not match the proven digest")]
    PublicValuesMismatch,
    /// The proof's shape is not one this AIR produces.
    #[error("malformed proof: {0}")]
    Malformed(String),
    /// The preprocessed commitment is not the program's.
    #[error("the proof's preprocessed commitment is not the program's")]
    PreprocessedMismatch,
    /// The lookups do not balance.
    #[error("the logUp sums do not balance")]
    LogupSumMismatch,
    /// Stwo's verifier rejected the proof.
    #[error("STARK verification failed: {0}")]
    Stark(String),
}

/// Mixes what precedes every commitment: the configuration, the program and the statement.
pub(crate) fn mix_public(
    channel: &mut impl Channel,
    config: &StarkConfig,
    class: SizeClass,
    shape: &ProgramShape,
    roots: &ProgramRoots,
    statement: &Statement,
) {
    config.pcs().mix_into(channel);
    channel.mix_u32s(&[
        class.log_cycles(),
        shape.entry,
        shape.program_log_size,
        shape.image_log_size,
        statement.exit_code,
    ]);
    let words = |bytes: &[u8; 32]| {
        bytes.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect_vec()
    };
    channel.mix_u32s(&words(&roots.blake2s));
    channel.mix_u32s(&words(&roots.poseidon2));
    channel.mix_u32s(&words(&statement.public_values_digest));
}

/// Mixes the component sizes.
pub(crate) fn mix_claim(channel: &mut impl Channel, claim: &Claim) {
    channel.mix_u32s(&claim.log_sizes);
}

/// Checks that a claim is one the AIR can produce for this program and class: tables at their
/// fixed sizes, each chip at most the class's size, and all chips together at most twice it (a
/// padded table is less than twice its rows). The state chain then has fewer than 2^23 rows, so
/// every timestamp stays far below `p - 2^24`, which the memory argument's soundness needs.
fn check_claim(claim: &Claim, shape: &ProgramShape, class: SizeClass) -> Result<(), VerifyError> {
    let kinds = ComponentKind::all();
    if claim.log_sizes.len() != kinds.len() {
        return Err(VerifyError::Malformed(format!(
            "{} component sizes, expected {}",
            claim.log_sizes.len(),
            kinds.len()
        )));
    }
    let mut chip_rows = 0u64;
    for (&kind, &log_size) in kinds.iter().zip(&claim.log_sizes) {
        let ok = match kind {
            ComponentKind::Program => log_size == shape.program_log_size,
            ComponentKind::Image => log_size == shape.image_log_size,
            ComponentKind::Range(bits) => log_size == bits,
            ComponentKind::BitwiseTable => log_size == BITWISE_LOG_SIZE,
            ComponentKind::ShiftTable => log_size == SHIFT_LOG_SIZE,
            ComponentKind::Boundary => (MIN_LOG_SIZE..=MAX_LOG_SIZE).contains(&log_size),
            _ => {
                chip_rows += 1 << log_size;
                (MIN_LOG_SIZE..=class.log_cycles().max(MIN_LOG_SIZE)).contains(&log_size)
            }
        };
        if !ok {
            return Err(VerifyError::Malformed(format!("{kind:?} has log size {log_size} in class {class}")));
        }
    }
    let bound = 2 * class.max_cycles() + (kinds.len() as u64) * (1 << MIN_LOG_SIZE);
    if chip_rows > bound {
        return Err(VerifyError::Malformed(format!("{chip_rows} instruction rows exceed class {class}")));
    }
    Ok(())
}

/// Checks that an EVM proof has its class's fixed shape ([`Claim::evm`]). Its chips together have
/// fewer than 2^26 rows, so every timestamp stays below 2^28, far below `p - 2^24`.
fn check_evm_claim(claim: &Claim, committed: &ProgramShape, class: SizeClass) -> Result<(), VerifyError> {
    let expected = Claim::evm(class);
    let tables = [committed.program_log_size, committed.image_log_size];
    if tables != [EVM_TABLE_LOG_SIZE; 2] {
        return Err(VerifyError::Malformed("the program is too large for EVM proofs".into()));
    }
    if *claim != expected {
        return Err(VerifyError::Malformed(format!("the component sizes are not class {class}'s EVM shape")));
    }
    Ok(())
}

/// Checks that the proof samples each column at as many points as the AIR's masks read. Stwo's
/// verifier assumes it: a mismatch makes its constraint evaluation panic, and the panic unwinding
/// through an unfinished logUp evaluator aborts the process instead of being caught.
fn check_sampled_values(
    components: &[&dyn Component],
    n_preprocessed_columns: usize,
    sampled_values: &[Vec<Vec<SecureField>>],
) -> Result<(), VerifyError> {
    let air = Components { components: components.to_vec(), n_preprocessed_columns };
    let point = CirclePoint::<SecureField>::zero();
    let mut expected = air.mask_points(point, air.composition_log_degree_bound(), false);
    // The composition polynomial's columns, sampled once each.
    expected.push(vec![vec![point]; 2 * SECURE_EXTENSION_DEGREE]);
    let expected = expected.iter().map(|tree| tree.iter().map(Vec::len).collect_vec()).collect_vec();
    let found = sampled_values.iter().map(|tree| tree.iter().map(Vec::len).collect_vec()).collect_vec();
    if expected != found {
        return Err(VerifyError::Malformed("the sampled values do not match the AIR's masks".into()));
    }
    Ok(())
}

/// The preprocessed columns of a program committed with this shape, in commitment order: id and log
/// size.
pub fn preprocessed_columns(committed: &ProgramShape) -> Vec<(PreProcessedColumnId, u32)> {
    preprocessed_layout(committed).into_iter().map(|(id, size)| (column_id(&id), size)).collect()
}

/// The verifier's transcript through the three trace commitments (preprocessed, main, interaction)
/// and what is mixed between them: the configuration, program and statement, the claim, the claimed
/// sums. Returns the relations drawn after the main trace; `channel` and `scheme` hold the state
/// after the interaction trace. The proof's shape must have been checked.
pub fn commit_traces<H: ProofHash>(
    proof: &Proof<H>,
    channel: &mut H::C,
    scheme: &mut CommitmentSchemeVerifier<H>,
) -> Relations {
    let commitments = &proof.stark_proof.0.commitments;
    let preprocessed_sizes =
        preprocessed_columns(&proof.shape.committed(H::KIND)).into_iter().map(|(_, size)| size).collect_vec();
    let [_, main_sizes, interaction_sizes] = proof.claim.column_log_sizes();
    scheme.commit(commitments[0], &preprocessed_sizes, channel);
    mix_public(channel, &proof.config, proof.class, &proof.shape, &proof.roots, &proof.statement);
    mix_claim(channel, &proof.claim);
    scheme.commit(commitments[1], &main_sizes, channel);
    let relations = Relations::draw(channel);
    channel.mix_felts(&proof.claimed_sums);
    scheme.commit(commitments[2], &interaction_sizes, channel);
    relations
}

/// Verifies `proof` for the program with key `key` and the given public values.
///
/// # Errors
/// A [`VerifyError`] naming the first check that failed.
pub fn verify<H: ProofHash>(
    proof: &Proof<H>,
    key: &ProgramKey,
    public_values: &[u8],
    config: &StarkConfig,
) -> Result<(), VerifyError> {
    if proof.config != *config {
        return Err(VerifyError::ConfigMismatch { expected: *config, found: proof.config });
    }
    if proof.program_key() != *key {
        return Err(VerifyError::WrongProgram {
            expected: key.to_hex(),
            found: proof.program_key().to_hex(),
        });
    }
    if <[u8; 32]>::from(Sha256::digest(public_values)) != proof.statement.public_values_digest {
        return Err(VerifyError::PublicValuesMismatch);
    }
    let committed = proof.shape.committed(H::KIND);
    match H::KIND {
        HashKind::Blake2s => check_claim(&proof.claim, &committed, proof.class)?,
        HashKind::Poseidon2 => check_evm_claim(&proof.claim, &committed, proof.class)?,
    }
    let n_components = ComponentKind::all().len();
    if proof.claimed_sums.len() != n_components {
        return Err(VerifyError::Malformed(format!(
            "{} claimed sums, expected {n_components}",
            proof.claimed_sums.len()
        )));
    }
    let stark = &proof.stark_proof;
    if stark.0.config != config.pcs() {
        return Err(VerifyError::Malformed("the STARK proof's own configuration differs".into()));
    }
    if stark.0.commitments.len() != 4 {
        return Err(VerifyError::Malformed(format!("{} commitments, expected 4", stark.0.commitments.len())));
    }
    if H::root_bytes(&stark.0.commitments[0]) != *proof.roots.of(H::KIND) {
        return Err(VerifyError::PreprocessedMismatch);
    }

    let channel = &mut H::C::default();
    let mut scheme = CommitmentSchemeVerifier::<H>::new(config.pcs());
    let relations = commit_traces(proof, channel, &mut scheme);
    let total = proof.claimed_sums.iter().fold(SecureField::zero(), |a, &b| a + b)
        + public_logup_sum::<BaseField, SecureField>(
            &relations,
            BaseField::from(proof.shape.entry),
            &proof.statement.limbs(),
        );
    if total != SecureField::zero() {
        return Err(VerifyError::LogupSumMismatch);
    }

    let ids = preprocessed_columns(&committed).into_iter().map(|(id, _)| id).collect_vec();
    let components = build_components(&proof.claim, &relations, &proof.claimed_sums, &ids);
    let components = components.iter().map(|c| c.as_ref()).collect_vec();
    check_sampled_values(&components, ids.len(), &stark.0.sampled_values)?;
    // Stwo's verifier indexes into the proof; a malformed proof must be an error, not a crash.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stwo::core::verifier::verify(&components, channel, &mut scheme, stark.clone())
    }));
    match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(VerifyError::Stark(e.to_string())),
        Err(_) => Err(VerifyError::Malformed("the STARK proof's structure is inconsistent".into())),
    }
}
