//! A Poseidon2-BN254 Merkle channel for Stwo: the Fiat-Shamir transcript and the Merkle hash of the EVM
//! proof mode, chosen so that the R1CS verifier circuit hashes natively in BN254 (one permutation is 240
//! constraints; a Blake2s compression would cost tens of thousands).
//!
//! - [`Poseidon2Hash`]: the digest, an `Fr` with a canonical 32-byte big-endian encoding.
//! - [`Poseidon2MerkleHasher`]: Stwo's lifted Merkle hasher. A leaf packs its M31 values eight to a field
//!   element ([`pack_m31s`]) and hashes them with the sponge; a node is the 2-to-1 compression.
//! - [`Poseidon2Channel`]: the transcript, a running digest that every mix replaces.
//! - [`Poseidon2MerkleChannel`]: ties them together for Stwo's prover and verifier.
//! - Their R1CS twins, for the verifier circuit, live in `nzero-wrapper`.
//! - With the `prover` feature, `SimdBackend` (and `CpuBackend`) implement `MerkleOpsLifted`, `GrindOps` and
//!   `BackendForChannel` for them.
//!
//! Every use of the permutation has its own domain tag ([`domain`]), so a leaf can never be read as a node,
//! nor a transcript step as another.

mod fiat_shamir;
mod hash;
mod merkle;
#[cfg(feature = "prover")]
mod prover;

use ark_bn254::Fr;
use ark_ff::{BigInt, PrimeField};
use stwo::core::fields::m31::BaseField;

pub use fiat_shamir::{Poseidon2Channel, WORDS_PER_DRAW};
pub use hash::{HashDecodeError, Poseidon2Hash};
pub use merkle::{Poseidon2MerkleChannel, Poseidon2MerkleHasher, hash_leaf, hash_node};

/// Domain tags: the capacity word that starts each use of the permutation. Distinct, and below `2^64`.
pub mod domain {
    /// Merkle leaves (the sponge over packed M31 values).
    pub const MERKLE_LEAF: u64 = 1;
    /// Merkle nodes (the 2-to-1 compression of two child hashes).
    pub const MERKLE_NODE: u64 = 2;
    /// Mixing a Merkle root into the transcript: `compress(digest, root)`.
    pub const MIX_ROOT: u64 = 3;
    /// Mixing extension-field elements: the sponge over `digest` and the packed M31 coordinates.
    pub const MIX_FELTS: u64 = 4;
    /// Mixing `u32` words: the sponge over `digest` and the packed words.
    pub const MIX_U32S: u64 = 5;
    /// Mixing a `u64`: `compress(digest, value)`.
    pub const MIX_U64: u64 = 6;
    /// Drawing randomness: `compress(digest, n_draws)`.
    pub const DRAW: u64 = 7;
    /// The proof-of-work prefix: `compress(digest, pow_bits)`.
    pub const POW_PREFIX: u64 = 8;
    /// The proof-of-work hash: `compress(prefix, nonce)`.
    pub const POW_NONCE: u64 = 9;
}

/// M31 values packed into one field element: `8 · 31 = 248` bits, below the 254-bit modulus.
pub const M31S_PER_FR: usize = 8;
/// M31 values absorbed per permutation: two packed elements fill the sponge's rate.
pub const M31S_PER_BLOCK: usize = M31S_PER_FR * crate::permutation::RATE;
/// `u32` words packed into one field element (`7 · 32 = 224` bits).
pub const U32S_PER_FR: usize = 7;

/// Packs at most [`M31S_PER_FR`] M31 values into one field element:
/// `sum_i v_i · 2^(31 i)`, plus `k · 2^248` when the chunk is short (`k = values.len() < 8`).
///
/// The length tag makes the packing of a sequence injective: a short chunk can only be the last one, and
/// `[a]` and `[a, 0]` pack differently. Callers pass canonical M31 values (`< 2^31 - 1`), as Stwo's
/// `BaseField` always is.
///
/// # Panics
/// If `values` holds more than [`M31S_PER_FR`] values (a bug in the caller, never caused by proof data).
pub fn pack_m31s(values: &[BaseField]) -> Fr {
    assert!(values.len() <= M31S_PER_FR, "at most {M31S_PER_FR} M31 values fit in one field element");
    pack_words(values.iter().map(|v| u64::from(v.0)), 31, values.len(), M31S_PER_FR)
}

/// Packs at most [`U32S_PER_FR`] `u32` words into one field element, as [`pack_m31s`] with 32-bit words
/// and the length tag at bit 224.
///
/// # Panics
/// If `words` holds more than [`U32S_PER_FR`] words.
pub fn pack_u32s(words: &[u32]) -> Fr {
    assert!(words.len() <= U32S_PER_FR, "at most {U32S_PER_FR} words fit in one field element");
    pack_words(words.iter().map(|w| u64::from(*w)), 32, words.len(), U32S_PER_FR)
}

/// `sum_i w_i · 2^(bits · i)`, plus `len · 2^(bits · capacity)` if `len < capacity`.
fn pack_words(words: impl Iterator<Item = u64>, bits: u32, len: usize, capacity: usize) -> Fr {
    let mut limbs = [0u64; 4];
    // ORs a value of `width` bits in at bit `offset` (fields never overlap, so no carries).
    let mut put = |value: u64, offset: u32, width: u32| {
        let (limb, shift) = ((offset / 64) as usize, offset % 64);
        limbs[limb] |= value << shift;
        if shift + width > 64 {
            limbs[limb + 1] |= value >> (64 - shift);
        }
    };
    for (i, word) in words.enumerate() {
        put(word, bits * i as u32, bits);
    }
    if len < capacity {
        // The length (below 8) takes 3 bits.
        put(len as u64, bits * capacity as u32, 3);
    }
    // Eight 32-bit words end at bit 248 and the tag (< 8) at bit 251, so the value is below 2^252, under
    // the modulus (even for a non-canonical M31): the conversion cannot fail.
    Fr::from_bigint(BigInt::new(limbs)).expect("packed words stay below 2^252")
}

#[cfg(test)]
mod tests {
    use ark_ff::{AdditiveGroup, BigInteger, Field, MontFp};

    use super::*;

    #[test]
    fn packing_is_little_endian_with_a_length_tag() {
        let m = |v: u32| BaseField::from_u32_unchecked(v);
        assert_eq!(pack_m31s(&[]), Fr::ZERO);
        assert_eq!(pack_m31s(&[m(5)]), Fr::from(5u64) + Fr::from(2u64).pow([248]));
        let full: Vec<BaseField> = (1..=8).map(m).collect();
        let expected: Fr = (0..8).map(|i| Fr::from(i + 1) * Fr::from(2u64).pow([31 * i])).sum();
        assert_eq!(pack_m31s(&full), expected);
        // Largest packed value: eight times 2^31 - 2, untagged.
        let max = pack_m31s(&[m((1 << 31) - 2); 8]);
        assert_eq!(max.into_bigint().num_bits(), 248);
        assert_ne!(pack_m31s(&[m(1)]), pack_m31s(&[m(1), m(0)]));
        let words = pack_u32s(&[u32::MAX, 1]);
        let expected: Fr = MontFp!("0x2000000000000000000000000000000000000000000000001ffffffff");
        assert_eq!(words, expected);
    }

    /// Pins the channel's definition: the circuit, and any other implementation, must reproduce these.
    #[test]
    fn regression_vectors() {
        use stwo::core::channel::{Channel, MerkleChannel};
        use stwo::core::fields::qm31::SecureField;

        let values: Vec<BaseField> = (0..20).map(BaseField::from_u32_unchecked).collect();
        let leaf = hash_leaf(&values);
        let node = hash_node(leaf, hash_leaf(&[]));
        let mut channel = Poseidon2Channel::default();
        Poseidon2MerkleChannel::mix_root(&mut channel, node);
        channel.mix_felts(&[SecureField::from_u32_unchecked(1, 2, 3, 4)]);
        channel.mix_u32s(&[5, 6, 7]);
        channel.mix_u64(8);
        let words = channel.draw_u32s();
        let felt = channel.draw_secure_felt();
        let hex = |s: &str| Poseidon2Hash::from_hex(s).unwrap();
        assert_eq!(leaf, hex("0x1b2919e77c1ead376f96488e77654eeb2866ddc28f0dcfa4193c6a566fcf2b47"));
        assert_eq!(node, hex("0x295ea7f87e5531f4c169a73e85bae4076f1cbb81dc1c87722d04d8bc1fbf38e7"));
        assert_eq!(
            Poseidon2Hash(channel.digest()),
            hex("0x2de85ec9f4d1f42fb94e610a5e8e8c3b03116c142e5c2e5f54015be039a59e46")
        );
        assert_eq!(
            words,
            [1888363613, 1318679607, 78441981, 247098714, 234833464, 488654227, 557108835, 1587844283]
        );
        assert_eq!(felt, SecureField::from_u32_unchecked(606783319, 1576507639, 1624696667, 1837636022));
    }
}
