//! Wrapping: the Groth16 keys of a class's circuit, and a zkVM EVM proof turned into a Groth16 proof of
//! its statement.

use ark_bn254::Bn254;
use ark_groth16::VerifyingKey;
use ark_std::rand::{CryptoRng, RngCore};
use nzero_zkvm::{EvmProof, SizeClass, StarkConfig};
use sha2::{Digest, Sha256};

use super::circuit::ZkvmCircuit;
use super::witness::{WitnessError, ZkvmWitness};
use crate::evm::error::EvmError;
use crate::evm::fixture::Fixture;
use crate::evm::verify::verify_encoded_proof;
use crate::groth16::{self, CircuitDigest, Groth16Error, Keys, Stage};

/// The version of the circuit's constraints: part of every key's [`circuit_digest`], so keys made by a
/// build with other constraints are refused by name instead of failing obscurely. Bump it with every
/// change to what the circuit constrains.
pub const CIRCUIT_VERSION: u32 = 2;

/// Why a proof could not be wrapped.
#[derive(Debug, thiserror::Error)]
pub enum WrapError {
    /// The STARK proof cannot be the circuit's witness.
    #[error(transparent)]
    Witness(#[from] WitnessError),
    /// Groth16 failed (keys of another circuit, an unsatisfied witness).
    #[error(transparent)]
    Groth16(#[from] Groth16Error),
    /// The verifying key is not a one-input key.
    #[error(transparent)]
    Evm(#[from] EvmError),
}

/// The name of the class's circuit: its key files' stem.
pub fn circuit_id(class: SizeClass) -> String {
    format!("zkvm-class-{}", class.name())
}

/// What identifies the class's circuit: the class, the configuration of the proofs it verifies and
/// [`CIRCUIT_VERSION`].
pub fn circuit_digest(class: SizeClass) -> CircuitDigest {
    let mut hasher = Sha256::new();
    hasher.update(b"nexus-zero/zkvm-circuit");
    hasher.update(CIRCUIT_VERSION.to_le_bytes());
    hasher.update(class.name().as_bytes());
    let config = StarkConfig::evm_for(class);
    for value in [
        config.pow_bits,
        config.log_blowup_factor,
        config.n_queries,
        config.log_last_layer_degree_bound,
        config.fri_fold_step,
    ] {
        hasher.update(value.to_le_bytes());
    }
    hasher.finalize().into()
}

/// The Solidity contract name of the class's verifier: `NexusVerifier16`, …, `NexusVerifierTest`.
pub fn verifier_contract(class: SizeClass) -> String {
    match class {
        SizeClass::Test => "NexusVerifierTest".into(),
        class => format!("NexusVerifier{}", class.log_cycles()),
    }
}

/// The class whose verifier contract is `name`.
pub fn class_of_verifier(name: &str) -> Option<SizeClass> {
    SizeClass::ALL.into_iter().chain([SizeClass::Test]).find(|&class| verifier_contract(class) == name)
}

/// The circuit-specific setup of the class's circuit (single-party: whoever knows `rng`'s output can
/// forge proofs; production keys need an MPC ceremony), reporting its stages to `progress`.
///
/// # Errors
/// As [`groth16::setup`].
pub fn setup(
    class: SizeClass,
    rng: &mut (impl RngCore + CryptoRng),
    progress: &mut dyn FnMut(Stage),
) -> Result<Keys, Groth16Error> {
    let circuit = ZkvmCircuit { class, config: StarkConfig::evm_for(class), witness: None };
    groth16::setup_with_progress(circuit, rng, progress)
}

/// Wraps `proof` (checked natively first) with the keys of its class's circuit: the Groth16 proof of
/// its statement, as the fixture that the class's verifier contract accepts.
///
/// # Errors
/// [`WrapError`]: the proof does not verify, is for another class or configuration, did not exit with 0;
/// the keys are not this circuit's.
pub fn wrap(
    proof: &EvmProof,
    keys: &Keys,
    rng: &mut (impl RngCore + CryptoRng),
    progress: &mut dyn FnMut(Stage),
) -> Result<Fixture, WrapError> {
    let class = proof.class;
    let config = StarkConfig::evm_for(class);
    let witness = ZkvmWitness::new(proof, class, &config)?;
    let circuit = ZkvmCircuit { class, config, witness: Some(witness) };
    let groth16 = groth16::prove_with_progress(keys, circuit, rng, progress)?;
    Ok(Fixture::new(
        &verifier_contract(class),
        keys.verifying_key(),
        &groth16,
        proof.program_key().0,
        &proof.public_values,
    )?)
}

/// Checks a wrapped proof with its class's verifying key, as the verifier contract does.
///
/// # Errors
/// The first failed check ([`EvmError`]).
pub fn verify_wrapped(vk: &VerifyingKey<Bn254>, wrapped: &Fixture) -> Result<(), EvmError> {
    verify_encoded_proof(vk, wrapped.program_vkey, &wrapped.public_values, &wrapped.proof)
}
