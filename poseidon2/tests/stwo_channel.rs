//! Stwo's own prover and verifier, driven through the Poseidon2-BN254 Merkle channel.

mod support;

use nzero_poseidon2::{Poseidon2Hash, Poseidon2MerkleChannel};
use stwo::core::fields::m31::BaseField;
use stwo::core::fields::qm31::SecureField;
use stwo::core::fri::FriConfig;
use stwo::core::pcs::PcsConfig;
use stwo::core::vcs_lifted::blake2_merkle::Blake2sMerkleChannel;
use stwo::core::verifier::VerificationError;
use support::{prove_squaring_chain, verify_squaring_chain};

const LOG_N_ROWS: u32 = 6;
const N_COLUMNS: usize = 20;

/// A small test configuration (about 20 bits): fast, not secure.
fn config() -> PcsConfig {
    PcsConfig { pow_bits: 8, fri_config: FriConfig::new(0, 2, 6, 1), lifting_log_size: None }
}

fn prove() -> stwo::core::proof::StarkProof<nzero_poseidon2::Poseidon2MerkleHasher> {
    prove_squaring_chain::<Poseidon2MerkleChannel>(config(), LOG_N_ROWS, N_COLUMNS).expect("proves")
}

fn verify(
    proof: stwo::core::proof::StarkProof<nzero_poseidon2::Poseidon2MerkleHasher>,
) -> Result<(), VerificationError> {
    verify_squaring_chain::<Poseidon2MerkleChannel>(config(), LOG_N_ROWS, N_COLUMNS, proof)
}

#[test]
fn proves_and_verifies_in_poseidon2_mode() {
    let proof = prove();
    assert_eq!(proof.commitments.len(), 4);
    verify(proof).unwrap();
}

#[test]
fn same_air_proves_in_blake2s_mode() {
    let proof = prove_squaring_chain::<Blake2sMerkleChannel>(config(), LOG_N_ROWS, N_COLUMNS).unwrap();
    verify_squaring_chain::<Blake2sMerkleChannel>(config(), LOG_N_ROWS, N_COLUMNS, proof).unwrap();
}

#[test]
fn proof_survives_serialization() {
    let proof = prove();
    let bytes = postcard::to_stdvec(&proof).unwrap();
    let back = postcard::from_bytes(&bytes).unwrap();
    verify(back).unwrap();
    let json = serde_json::to_string(&proof).unwrap();
    verify(serde_json::from_str(&json).unwrap()).unwrap();
}

#[test]
fn rejects_a_tampered_sampled_value() {
    let mut proof = prove();
    proof.0.sampled_values[1][3][0] += SecureField::from(BaseField::from(1));
    assert!(matches!(verify(proof), Err(VerificationError::OodsNotMatching)));
}

#[test]
fn rejects_a_tampered_queried_value() {
    let mut proof = prove();
    proof.0.queried_values[1][5][0] += BaseField::from(1);
    assert!(matches!(verify(proof), Err(VerificationError::Merkle(_))));
}

#[test]
fn rejects_a_tampered_merkle_witness() {
    let mut proof = prove();
    let witness = &mut proof.0.decommitments[1].hash_witness[0];
    *witness = Poseidon2Hash(witness.0 + ark_bn254::Fr::from(1u64));
    assert!(matches!(verify(proof), Err(VerificationError::Merkle(_))));
}

#[test]
fn rejects_a_tampered_commitment() {
    let mut proof = prove();
    proof.0.commitments[1] = Poseidon2Hash(proof.0.commitments[1].0 + ark_bn254::Fr::from(1u64));
    assert!(verify(proof).is_err());
}

#[test]
fn rejects_a_wrong_proof_of_work() {
    let mut proof = prove();
    // The nonce is the smallest solution, so every smaller one fails.
    let nonce = proof.0.proof_of_work;
    proof.0.proof_of_work = nonce.checked_sub(1).unwrap_or(nonce + 1);
    let result = verify(proof);
    if nonce > 0 {
        assert!(matches!(result, Err(VerificationError::ProofOfWork)));
    } else {
        assert!(result.is_err());
    }
}

#[test]
fn rejects_a_proof_for_another_statement() {
    let proof = prove();
    assert!(
        verify_squaring_chain::<Poseidon2MerkleChannel>(config(), LOG_N_ROWS, N_COLUMNS - 1, proof).is_err()
    );
}
