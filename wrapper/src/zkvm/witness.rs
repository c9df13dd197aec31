//! A zkVM EVM proof as the verifier circuit's witness.

use ark_bn254::Fr;
use itertools::Itertools;
use nzero_poseidon2::{Poseidon2Channel, Poseidon2MerkleChannel};
use nzero_zkvm::{
    EvmProof, ProgramKey, ProgramRoots, ProgramShape, SizeClass, StarkConfig, VerifyError, commit_traces,
};
use stwo::core::fields::qm31::SecureField;
use stwo::core::pcs::CommitmentSchemeVerifier;

use super::{components, trace_trees};
use crate::circuit::verifier::{StarkWitness, StarkWitnessError};

/// Why a proof cannot be wrapped.
#[derive(Debug, thiserror::Error)]
pub enum WitnessError {
    /// The proof does not verify natively.
    #[error("the proof does not verify: {0}")]
    Invalid(#[from] VerifyError),
    /// The proof is of another class or configuration than the circuit.
    #[error(
        "the circuit verifies class {expected_class} proofs made with {expected_config:?}; this one is class {class} with {config:?}"
    )]
    OtherCircuit {
        /// The circuit's class.
        expected_class: SizeClass,
        /// The circuit's configuration.
        expected_config: StarkConfig,
        /// The proof's class.
        class: SizeClass,
        /// The proof's configuration.
        config: StarkConfig,
    },
    /// EVM proofs state a successful run: the guest exited with 0.
    #[error("the guest exited with code {0}: only runs that exit with 0 are wrapped")]
    NonZeroExit(u32),
    /// The STARK part cannot be replayed (a verified proof always can).
    #[error(transparent)]
    Stark(#[from] StarkWitnessError),
}

/// Everything the circuit reads from one proof.
#[derive(Clone, Debug)]
pub struct ZkvmWitness {
    /// The program's shape (natural table sizes, as in its key).
    pub shape: ProgramShape,
    /// The program's roots.
    pub roots: ProgramRoots,
    /// `sha256(public values)`.
    pub public_values_digest: [u8; 32],
    /// The three trace trees' roots.
    pub trace_roots: [Fr; 3],
    /// Each component's logUp sum.
    pub claimed_sums: Vec<SecureField>,
    /// The rest of the STARK.
    pub stark: StarkWitness,
}

impl ZkvmWitness {
    /// Checks `proof` natively (for its own program key and public values) and replays it for a
    /// circuit of `class` and `config`.
    ///
    /// # Errors
    /// [`WitnessError`] when the proof does not verify, is for another circuit or did not exit with 0.
    pub fn new(proof: &EvmProof, class: SizeClass, config: &StarkConfig) -> Result<Self, WitnessError> {
        if proof.class != class || proof.config != *config {
            return Err(WitnessError::OtherCircuit {
                expected_class: class,
                expected_config: *config,
                class: proof.class,
                config: proof.config,
            });
        }
        let key: ProgramKey = proof.program_key();
        nzero_zkvm::verify(proof, &key, &proof.public_values, config)?;
        if proof.statement.exit_code != 0 {
            return Err(WitnessError::NonZeroExit(proof.statement.exit_code));
        }
        let channel = &mut Poseidon2Channel::default();
        let mut scheme = CommitmentSchemeVerifier::<Poseidon2MerkleChannel>::new(config.pcs());
        let relations = commit_traces(proof, channel, &mut scheme);
        let components = components(class, &relations, &proof.claimed_sums);
        let components = components.iter().map(|c| c.as_ref()).collect_vec();
        let stark =
            StarkWitness::new(&components, &config.pcs(), &trace_trees(class), channel, &proof.stark_proof)?;
        let commitments = &proof.stark_proof.0.commitments;
        Ok(Self {
            shape: proof.shape,
            roots: proof.roots,
            public_values_digest: proof.statement.public_values_digest,
            trace_roots: [commitments[0].0, commitments[1].0, commitments[2].0],
            claimed_sums: proof.claimed_sums.clone(),
            stark,
        })
    }
}
