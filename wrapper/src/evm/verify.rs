//! Native verification of an encoded proof: the Rust twin of the generated Solidity verifier, for tools
//! and tests that must agree with the chain without running an EVM.

use ark_bn254::Bn254;
use ark_groth16::{Groth16, VerifyingKey, prepare_verifying_key};

use super::encoding::{PROOF_LENGTH, Selector, decode_proof, selector};
use super::error::EvmError;
use crate::statement::public_input;

/// Verifies `proof` (the [`encode_proof`](crate::encode_proof) bytes) for `program_vkey` and
/// `public_values` against `vk`, with the checks of the Solidity verifier in the same order: length,
/// selector, coordinates, curve membership, then the pairing equation on the statement's public input.
///
/// # Errors
/// The first failed check: [`EvmError::ProofLength`], [`EvmError::SelectorMismatch`],
/// [`EvmError::CoordinateOutOfRange`], [`EvmError::PointNotOnCurve`], [`EvmError::PointNotInSubgroup`],
/// [`EvmError::ProofInvalid`]; or [`EvmError::PublicInputCount`] for a key that is not for one statement.
pub fn verify_encoded_proof(
    vk: &VerifyingKey<Bn254>,
    program_vkey: [u8; 32],
    public_values: &[u8],
    proof: &[u8],
) -> Result<(), EvmError> {
    if vk.gamma_abc_g1.len() != 2 {
        return Err(EvmError::PublicInputCount { actual: vk.gamma_abc_g1.len().saturating_sub(1) });
    }
    if proof.len() != PROOF_LENGTH {
        return Err(EvmError::ProofLength { expected: PROOF_LENGTH, actual: proof.len() });
    }
    let expected = selector(vk)?;
    let actual: Selector = proof[..4].try_into().expect("length checked above");
    if actual != expected {
        return Err(EvmError::SelectorMismatch { expected, actual });
    }
    let (_, decoded) = decode_proof(proof)?;
    let input = public_input(program_vkey, public_values);
    match Groth16::<Bn254>::verify_proof(&prepare_verifying_key(vk), &decoded, &[input]) {
        Ok(true) => Ok(()),
        _ => Err(EvmError::ProofInvalid),
    }
}
