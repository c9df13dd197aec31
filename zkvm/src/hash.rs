//! The Merkle channels (Merkle hash and Fiat-Shamir transcript) the zkVM proves with: Blake2s for native
//! proofs, Poseidon2 over BN254 for proofs that a BN254 circuit verifies (the EVM mode). The AIR does not
//! depend on the choice.

use nzero_poseidon2::Poseidon2MerkleChannel;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use stwo::core::channel::MerkleChannel;
use stwo::core::vcs_lifted::blake2_merkle::Blake2sMerkleChannel;
use stwo::core::vcs_lifted::merkle_hasher::MerkleHasherLifted;

/// Which Merkle channel a proof is made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HashKind {
    /// Blake2s: native proofs, verified in Rust.
    Blake2s,
    /// Poseidon2 over BN254: proofs that the Groth16 wrapper's circuit verifies.
    Poseidon2,
}

impl HashKind {
    /// The byte that names the kind in a proof file.
    pub const fn tag(self) -> u8 {
        match self {
            Self::Blake2s => 1,
            Self::Poseidon2 => 2,
        }
    }

    /// The kind a proof file's byte names.
    pub const fn from_tag(tag: u8) -> Option<Self> {
        match tag {
            1 => Some(Self::Blake2s),
            2 => Some(Self::Poseidon2),
            _ => None,
        }
    }

    /// `log2` of the blowup the program key's commitment of this kind is made at: every configuration
    /// of this kind must use it, or the proof's preprocessed commitment is not the key's.
    pub const fn log_blowup_factor(self) -> u32 {
        match self {
            // Blowup 2 proves fastest; Blake2s is cheap, so queries make up the security.
            Self::Blake2s => 1,
            // Blowup 8: each query costs the verifier circuit ~60k constraints, each doubling of the
            // blowup doubles the prover's Poseidon2 hashing; 8 balances the two (27 queries at 101 bits).
            Self::Poseidon2 => 3,
        }
    }
}

/// A Merkle channel the zkVM proves and verifies with.
pub trait ProofHash: MerkleChannel<H: Serialize + DeserializeOwned> + 'static {
    /// Its kind.
    const KIND: HashKind;

    /// A Merkle root as the 32 bytes the program key hashes.
    fn root_bytes(root: &<Self::H as MerkleHasherLifted>::Hash) -> [u8; 32];
}

impl ProofHash for Blake2sMerkleChannel {
    const KIND: HashKind = HashKind::Blake2s;

    fn root_bytes(root: &<Self::H as MerkleHasherLifted>::Hash) -> [u8; 32] {
        root.0
    }
}

impl ProofHash for Poseidon2MerkleChannel {
    const KIND: HashKind = HashKind::Poseidon2;

    fn root_bytes(root: &<Self::H as MerkleHasherLifted>::Hash) -> [u8; 32] {
        root.to_bytes_be()
    }
}
