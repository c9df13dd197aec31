//! Proofs for `NexusMockVerifier`, the verifier applications use in their own tests.
//!
//! A mock proof is `MOCK_SELECTOR ‖ sha256(program_vkey ‖ public_values)`: it costs nothing to make, yet the
//! mock verifier still accepts it only for exactly that program key and those public values, so an
//! application's tests catch a wrong key or mis-encoded values instead of passing on "accept anything".

use sha2::{Digest, Sha256};

use super::encoding::Selector;

/// The selector of mock proofs (and of `NexusMockVerifier`). Real selectors are hashes of verifying keys;
/// all zeros marks a proof as a mock at a glance.
pub const MOCK_SELECTOR: Selector = [0; 4];

/// Bytes of a mock proof: the selector and a SHA-256 digest.
pub const MOCK_PROOF_LENGTH: usize = 4 + 32;

/// The proof `NexusMockVerifier` accepts for `program_vkey` and `public_values` (and for nothing else).
pub fn mock_proof(program_vkey: [u8; 32], public_values: &[u8]) -> [u8; MOCK_PROOF_LENGTH] {
    let mut hasher = Sha256::new();
    hasher.update(program_vkey);
    hasher.update(public_values);
    let mut proof = [0u8; MOCK_PROOF_LENGTH];
    proof[..4].copy_from_slice(&MOCK_SELECTOR);
    proof[4..].copy_from_slice(&hasher.finalize());
    proof
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector_shared_with_the_solidity_test() {
        // test/NexusMockVerifier.t.sol holds the same bytes: python3 -c "import hashlib;
        //   print('00000000' + hashlib.sha256(bytes(range(32)) + b'hello').hexdigest())"
        let vkey: [u8; 32] = core::array::from_fn(|i| i as u8);
        assert_eq!(
            hex::encode(mock_proof(vkey, b"hello")),
            "00000000e301c3733305cb982100a8c44467524d44e892e4fe2f59296e38c78bdf940b47"
        );
    }
}
