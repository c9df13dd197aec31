//! Native verification of a proof for the one public input of a Nexus Zero circuit.

use ark_bn254::{Bn254, Fr};
use ark_ec::AffineRepr;
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_groth16::{Groth16, Proof, VerifyingKey, prepare_verifying_key};

use super::error::Groth16Error;
use crate::evm::error::ProofPoint;

/// Checks `proof` for `public_input` against `vk`: the points first (on their curves, in the prime-order
/// subgroups, not the identity: no honest proof has it), then the pairing equation.
///
/// # Errors
/// [`Groth16Error::PublicInputCount`] for a key with another number of public inputs than one,
/// [`Groth16Error::InvalidProofPoint`] naming the first malformed point, [`Groth16Error::ProofInvalid`]
/// if the pairing check fails.
pub fn verify(vk: &VerifyingKey<Bn254>, public_input: Fr, proof: &Proof<Bn254>) -> Result<(), Groth16Error> {
    if vk.gamma_abc_g1.len() != 2 {
        return Err(Groth16Error::PublicInputCount { found: vk.gamma_abc_g1.len().saturating_sub(1) });
    }
    let valid = [
        (ProofPoint::A, is_valid(&proof.a)),
        (ProofPoint::B, is_valid(&proof.b)),
        (ProofPoint::C, is_valid(&proof.c)),
    ];
    if let Some((point, _)) = valid.into_iter().find(|(_, ok)| !ok) {
        return Err(Groth16Error::InvalidProofPoint { point });
    }
    match Groth16::<Bn254>::verify_proof(&prepare_verifying_key(vk), proof, &[public_input])? {
        true => Ok(()),
        false => Err(Groth16Error::ProofInvalid),
    }
}

fn is_valid<P: SWCurveConfig>(point: &Affine<P>) -> bool {
    !point.is_zero() && point.is_on_curve() && point.is_in_correct_subgroup_assuming_on_curve()
}
