//! Solidity source of a Groth16 verifier contract for one verifying key.
//!
//! The contract is the template `Verifier.sol.in` with the key's constants filled in: nothing else varies,
//! so the same key always gives byte-identical source (a committed verifier can be checked against its key
//! by regenerating it). The template's design (one pairing call with precomputed negated constants, range
//! and curve checks with named errors, the statement computed on chain) is described in `docs/EVM.md`.

use ark_bn254::{Bn254, Fq, G2Affine};
use ark_ec::short_weierstrass::SWCurveConfig;
use ark_ff::{BigInteger, PrimeField};
use ark_groth16::VerifyingKey;
use sha2::{Digest, Sha256};

use super::encoding::{fq_word, g1_words, g2_words, vk_bytes};
use super::error::EvmError;

const TEMPLATE: &str = include_str!("Verifier.sol.in");

/// The Solidity source of a verifier contract named `contract_name` for `vk`, a key whose circuit has the
/// one public input of [`public_input`](crate::public_input). The contract imports `INexusVerifier.sol`
/// and `NexusStatement.sol` from its parent directory (it is meant for `contracts/generated/`).
///
/// # Errors
/// [`EvmError::PublicInputCount`] for a key with another number of public inputs,
/// [`EvmError::ContractName`] when `contract_name` is not a Solidity identifier.
pub fn solidity_verifier(vk: &VerifyingKey<Bn254>, contract_name: &str) -> Result<String, EvmError> {
    if vk.gamma_abc_g1.len() != 2 {
        return Err(EvmError::PublicInputCount { actual: vk.gamma_abc_g1.len().saturating_sub(1) });
    }
    if !is_identifier(contract_name) {
        return Err(EvmError::ContractName(contract_name.to_owned()));
    }
    let bytes = vk_bytes(vk)?;
    let digest = Sha256::digest(&bytes);
    let twist_b = ark_bn254::g2::Config::COEFF_B;
    let [alpha_x, alpha_y] = g1_words(&vk.alpha_g1);
    let [ic0_x, ic0_y] = g1_words(&vk.gamma_abc_g1[0]);
    let [ic1_x, ic1_y] = g1_words(&vk.gamma_abc_g1[1]);
    let neg_g2 = |point: &G2Affine| g2_words(&(-*point));
    let [beta_x1, beta_x0, beta_y1, beta_y0] = neg_g2(&vk.beta_g2);
    let [gamma_x1, gamma_x0, gamma_y1, gamma_y0] = neg_g2(&vk.gamma_g2);
    let [delta_x1, delta_x0, delta_y1, delta_y0] = neg_g2(&vk.delta_g2);
    let word = |w: [u8; 32]| format!("0x{}", hex::encode(w));

    let substitutions: [(&str, String); 25] = [
        ("NAME", contract_name.to_owned()),
        ("VK_LEN", bytes.len().to_string()),
        ("VK_HASH", hex::encode(digest)),
        ("SELECTOR", format!("0x{}", hex::encode(&digest[..4]))),
        ("Q", format!("0x{}", hex::encode(Fq::MODULUS.to_bytes_be()))),
        ("TWIST_B0", word(fq_word(twist_b.c0))),
        ("TWIST_B1", word(fq_word(twist_b.c1))),
        ("ALPHA_X", word(alpha_x)),
        ("ALPHA_Y", word(alpha_y)),
        ("NEG_BETA_X1", word(beta_x1)),
        ("NEG_BETA_X0", word(beta_x0)),
        ("NEG_BETA_Y1", word(beta_y1)),
        ("NEG_BETA_Y0", word(beta_y0)),
        ("NEG_GAMMA_X1", word(gamma_x1)),
        ("NEG_GAMMA_X0", word(gamma_x0)),
        ("NEG_GAMMA_Y1", word(gamma_y1)),
        ("NEG_GAMMA_Y0", word(gamma_y0)),
        ("NEG_DELTA_X1", word(delta_x1)),
        ("NEG_DELTA_X0", word(delta_x0)),
        ("NEG_DELTA_Y1", word(delta_y1)),
        ("NEG_DELTA_Y0", word(delta_y0)),
        ("IC0_X", word(ic0_x)),
        ("IC0_Y", word(ic0_y)),
        ("IC1_X", word(ic1_x)),
        ("IC1_Y", word(ic1_y)),
    ];
    let mut source = TEMPLATE.to_owned();
    for (key, value) in &substitutions {
        source = source.replace(&format!("{{{{{key}}}}}"), value);
    }
    debug_assert!(!source.contains("{{"), "every placeholder of the template is substituted");
    Ok(source)
}

/// `[A-Za-z_$][A-Za-z0-9_$]*`, not a keyword check: solc reports those, with its own message.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::{CurveGroup, PrimeGroup};

    /// A key of random-looking points (no circuit needed: the generator only reads points).
    fn key(seed: u64, inputs: usize) -> VerifyingKey<Bn254> {
        let g1 =
            |k: u64| -> G1Affine { (G1Projective::generator() * Fr::from(seed * 1000 + k)).into_affine() };
        let g2 =
            |k: u64| -> G2Affine { (G2Projective::generator() * Fr::from(seed * 1000 + k)).into_affine() };
        VerifyingKey {
            alpha_g1: g1(1),
            beta_g2: g2(2),
            gamma_g2: g2(3),
            delta_g2: g2(4),
            gamma_abc_g1: (0..=inputs as u64).map(|i| g1(10 + i)).collect(),
        }
    }

    #[test]
    fn same_key_same_bytes_other_key_other_bytes() {
        let first = solidity_verifier(&key(1, 1), "V").unwrap();
        assert_eq!(first, solidity_verifier(&key(1, 1), "V").unwrap());
        assert_ne!(first, solidity_verifier(&key(2, 1), "V").unwrap());
        assert!(!first.contains("{{"), "no placeholder left");
    }

    #[test]
    fn the_source_holds_the_key() {
        let vk = key(3, 1);
        let source = solidity_verifier(&vk, "NexusVerifierX").unwrap();
        let selector = super::super::encoding::selector(&vk).unwrap();
        assert!(source.contains(&format!("bytes4 public constant SELECTOR = 0x{};", hex::encode(selector))));
        assert!(source.contains("contract NexusVerifierX is INexusRoutedVerifier"));
        // Negated G2 constants: -β has β's x and the negated y.
        let neg_beta = g2_words(&(-vk.beta_g2));
        let beta = g2_words(&vk.beta_g2);
        assert_eq!(neg_beta[0], beta[0]);
        assert_ne!(neg_beta[2], beta[2]);
        assert!(source.contains(&format!("NEG_BETA_Y1 = 0x{};", hex::encode(neg_beta[2]))));
        assert!(source.contains(&format!("IC1_X = 0x{};", hex::encode(g1_words(&vk.gamma_abc_g1[1])[0]))));
    }

    #[test]
    fn rejects_other_input_counts_and_bad_names() {
        assert_eq!(solidity_verifier(&key(1, 2), "V"), Err(EvmError::PublicInputCount { actual: 2 }));
        assert_eq!(solidity_verifier(&key(1, 0), "V"), Err(EvmError::PublicInputCount { actual: 0 }));
        for bad in ["", "1V", "V-1", "V V", "Vé"] {
            assert_eq!(solidity_verifier(&key(1, 1), bad), Err(EvmError::ContractName(bad.to_owned())));
        }
        assert!(solidity_verifier(&key(1, 1), "_$V1").is_ok());
    }
}
