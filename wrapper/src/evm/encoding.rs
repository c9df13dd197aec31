//! The calldata encoding of a Groth16 proof and the selector that names its verifying key.
//!
//! ```text
//! proof    = selector(4) ‖ A.x ‖ A.y ‖ B.x1 ‖ B.x0 ‖ B.y1 ‖ B.y0 ‖ C.x ‖ C.y     (4 + 8 × 32 = 260 bytes)
//! selector = sha256(vk bytes)[0..4]
//! vk bytes = the arkworks uncompressed serialization of the `VerifyingKey<Bn254>`
//! ```
//!
//! Coordinates are 32-byte big-endian integers below the base field modulus `q`; a G2 coordinate
//! `x0 + x1·u` is written imaginary part first, the order of the EIP-197 pairing precompile, so the
//! verifier copies `A ‖ B ‖ C` into the precompile's input unchanged. The selector lets one gateway route
//! proofs of every size class: each class has its own key and so its own selector.

use ark_bn254::{Bn254, Fq, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField, Zero};
use ark_groth16::{Proof, VerifyingKey};
use ark_serialize::CanonicalSerialize;
use sha2::{Digest, Sha256};

use super::error::{EvmError, ProofPoint};

/// A 4-byte selector: the first bytes of every encoded proof, naming the verifying key.
pub type Selector = [u8; 4];

/// Bytes of an encoded proof: the selector and eight 32-byte coordinates.
pub const PROOF_LENGTH: usize = 4 + 8 * 32;

/// The verifying key's canonical bytes: arkworks' uncompressed serialization (α, β, γ, δ, then the
/// length-prefixed IC points; coordinates little-endian with arkworks' flag bits). Hashing the
/// uncompressed form needs no curve arithmetic to recompute, and any tool with arkworks reproduces it.
///
/// # Errors
/// [`EvmError::Serialization`] if arkworks fails to serialize (it does not for BN254 keys).
pub fn vk_bytes(vk: &VerifyingKey<Bn254>) -> Result<Vec<u8>, EvmError> {
    let mut bytes = Vec::with_capacity(vk.uncompressed_size());
    vk.serialize_uncompressed(&mut bytes).map_err(|e| EvmError::Serialization(e.to_string()))?;
    Ok(bytes)
}

/// `bytes4(sha256(vk bytes))`: the selector of the verifying key's proofs and of its verifier contract.
///
/// # Errors
/// As [`vk_bytes`].
pub fn selector(vk: &VerifyingKey<Bn254>) -> Result<Selector, EvmError> {
    let digest = Sha256::digest(vk_bytes(vk)?);
    Ok([digest[0], digest[1], digest[2], digest[3]])
}

/// A base field element as a 32-byte big-endian word.
pub(crate) fn fq_word(value: Fq) -> [u8; 32] {
    let mut word = [0u8; 32];
    word.copy_from_slice(&value.into_bigint().to_bytes_be());
    word
}

/// A G1 point as the words `x, y`; the point at infinity is `(0, 0)`, as EIP-196 encodes it.
pub(crate) fn g1_words(point: &G1Affine) -> [[u8; 32]; 2] {
    let (x, y) = point.xy().unwrap_or((Fq::zero(), Fq::zero()));
    [fq_word(x), fq_word(y)]
}

/// A G2 point as the words `x1, x0, y1, y0` (EIP-197 order: imaginary part first); infinity is zeros.
pub(crate) fn g2_words(point: &G2Affine) -> [[u8; 32]; 4] {
    match point.xy() {
        Some((x, y)) => [fq_word(x.c1), fq_word(x.c0), fq_word(y.c1), fq_word(y.c0)],
        None => [[0u8; 32]; 4],
    }
}

/// Encodes a proof for a verifier: `selector ‖ A ‖ B ‖ C` ([`PROOF_LENGTH`] bytes).
pub fn encode_proof(selector: Selector, proof: &Proof<Bn254>) -> [u8; PROOF_LENGTH] {
    let mut out = [0u8; PROOF_LENGTH];
    out[..4].copy_from_slice(&selector);
    let words = g1_words(&proof.a).into_iter().chain(g2_words(&proof.b)).chain(g1_words(&proof.c));
    for (chunk, word) in out[4..].chunks_exact_mut(32).zip(words) {
        chunk.copy_from_slice(&word);
    }
    out
}

/// Decodes an encoded proof with the checks the Solidity verifier makes, in its order: length, every
/// coordinate below `q`, every point on its curve, and `B` in the prime-order subgroup (on chain the
/// pairing precompile checks that, and the contract reports `ProofInvalid()`).
///
/// # Errors
/// [`EvmError::ProofLength`], [`EvmError::CoordinateOutOfRange`], [`EvmError::PointNotOnCurve`],
/// [`EvmError::PointNotInSubgroup`], each naming the first offending part.
pub fn decode_proof(bytes: &[u8]) -> Result<(Selector, Proof<Bn254>), EvmError> {
    if bytes.len() != PROOF_LENGTH {
        return Err(EvmError::ProofLength { expected: PROOF_LENGTH, actual: bytes.len() });
    }
    let selector: Selector = bytes[..4].try_into().expect("length checked above");
    let mut words = [Fq::zero(); 8];
    for (word, (chunk, slot)) in bytes[4..].chunks_exact(32).zip(words.iter_mut()).enumerate() {
        let value = Fq::from_be_bytes_mod_order(chunk);
        // A value that reduced is at or above q: re-encoding it does not give back the chunk.
        if fq_word(value) != *chunk {
            return Err(EvmError::CoordinateOutOfRange { word });
        }
        *slot = value;
    }
    let [ax, ay, bx1, bx0, by1, by0, cx, cy] = words;
    let a = G1Affine::new_unchecked(ax, ay);
    let b = G2Affine::new_unchecked(ark_bn254::Fq2::new(bx0, bx1), ark_bn254::Fq2::new(by0, by1));
    let c = G1Affine::new_unchecked(cx, cy);
    // Zeros encode the point at infinity, which arkworks counts as on the curve; the Solidity verifier
    // refuses it (no honest proof has it), and so does this twin.
    let on_curve = [
        (ProofPoint::A, a.is_on_curve() && !a.is_zero()),
        (ProofPoint::B, b.is_on_curve() && !b.is_zero()),
        (ProofPoint::C, c.is_on_curve() && !c.is_zero()),
    ];
    for (point, ok) in on_curve {
        if !ok {
            return Err(EvmError::PointNotOnCurve { point });
        }
    }
    if !b.is_in_correct_subgroup_assuming_on_curve() {
        return Err(EvmError::PointNotInSubgroup { point: ProofPoint::B });
    }
    Ok((selector, Proof { a, b, c }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Projective, G2Projective};
    use ark_ec::{CurveGroup, PrimeGroup};

    fn proof(k: u64) -> Proof<Bn254> {
        Proof {
            a: (G1Projective::generator() * Fr::from(k)).into_affine(),
            b: (G2Projective::generator() * Fr::from(k + 1)).into_affine(),
            c: (G1Projective::generator() * Fr::from(k + 2)).into_affine(),
        }
    }

    #[test]
    fn round_trip() {
        let p = proof(7);
        let bytes = encode_proof([1, 2, 3, 4], &p);
        assert_eq!(decode_proof(&bytes), Ok(([1, 2, 3, 4], p)));
    }

    #[test]
    fn g2_is_imaginary_part_first() {
        let b = G2Affine::generator();
        let bytes = encode_proof([0; 4], &Proof { a: G1Affine::generator(), b, c: G1Affine::generator() });
        assert_eq!(bytes[68..100], fq_word(b.x.c1));
        assert_eq!(bytes[100..132], fq_word(b.x.c0));
        assert_eq!(bytes[132..164], fq_word(b.y.c1));
        assert_eq!(bytes[164..196], fq_word(b.y.c0));
        // G1 generator (1, 2).
        assert_eq!(bytes[4 + 31], 1);
        assert_eq!(bytes[36 + 31], 2);
    }

    #[test]
    fn every_malformation_is_a_named_error() {
        let bytes = encode_proof([0; 4], &proof(9));
        for len in [0, 4, PROOF_LENGTH - 1, PROOF_LENGTH + 1] {
            let mut b = bytes.to_vec();
            b.resize(len, 0);
            assert_eq!(decode_proof(&b), Err(EvmError::ProofLength { expected: PROOF_LENGTH, actual: len }));
        }
        let q = Fq::MODULUS.to_bytes_be();
        for word in 0..8 {
            let at = 4 + 32 * word;
            let mut b = bytes;
            b[at..at + 32].copy_from_slice(&q);
            assert_eq!(decode_proof(&b), Err(EvmError::CoordinateOutOfRange { word }));
            let mut b = bytes;
            b[at + 31] ^= 1;
            let point = [ProofPoint::A, ProofPoint::B, ProofPoint::C][[0, 0, 1, 1, 1, 1, 2, 2][word]];
            assert_eq!(decode_proof(&b), Err(EvmError::PointNotOnCurve { point }));
        }
        for (point, range) in [(ProofPoint::A, 4..68), (ProofPoint::B, 68..196), (ProofPoint::C, 196..260)] {
            let mut zeros = bytes;
            zeros[range].fill(0);
            assert_eq!(decode_proof(&zeros), Err(EvmError::PointNotOnCurve { point }));
        }
    }

    /// A point on G2's curve outside the prime-order subgroup (G2's cofactor is large: most points are).
    pub(crate) fn g2_outside_subgroup() -> G2Affine {
        (1u64..)
            .filter_map(|x| G2Affine::get_point_from_x_unchecked(ark_bn254::Fq2::from(x), false))
            .find(|p| !p.is_in_correct_subgroup_assuming_on_curve())
            .expect("some small x gives one")
    }

    #[test]
    fn b_outside_the_subgroup_is_rejected() {
        let mut p = proof(3);
        p.b = g2_outside_subgroup();
        assert!(p.b.is_on_curve());
        let bytes = encode_proof([0; 4], &p);
        assert_eq!(decode_proof(&bytes), Err(EvmError::PointNotInSubgroup { point: ProofPoint::B }));
    }

    #[test]
    fn selector_is_the_hash_of_the_uncompressed_key() {
        let vk = VerifyingKey::<Bn254> {
            alpha_g1: G1Affine::generator(),
            beta_g2: G2Affine::generator(),
            gamma_g2: G2Affine::generator(),
            delta_g2: G2Affine::generator(),
            gamma_abc_g1: vec![G1Affine::generator(); 2],
        };
        let bytes = vk_bytes(&vk).unwrap();
        // α (64) + β, γ, δ (3 × 128) + IC length (8) + 2 IC points (128).
        assert_eq!(bytes.len(), 64 + 3 * 128 + 8 + 2 * 64);
        assert_eq!(selector(&vk).unwrap(), Sha256::digest(&bytes)[..4]);
    }
}
