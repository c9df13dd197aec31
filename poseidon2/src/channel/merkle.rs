//! Stwo's lifted Merkle hasher and Merkle channel over Poseidon2.

use ark_bn254::Fr;
use serde::{Deserialize, Serialize};
use stwo::core::channel::MerkleChannel;
use stwo::core::fields::m31::BaseField;
use stwo::core::vcs_lifted::merkle_hasher::MerkleHasherLifted;

use super::{M31S_PER_FR, Poseidon2Channel, Poseidon2Hash, domain, pack_m31s};
use crate::permutation::{Poseidon2Sponge, compress};

/// The Merkle hasher: a leaf is the sponge (domain [`domain::MERKLE_LEAF`]) over its M31 values packed
/// eight to a field element ([`pack_m31s`]); a node is `compress(MERKLE_NODE, left, right)`.
///
/// Stwo feeds a leaf's values in several [`MerkleHasherLifted::update_leaf`] calls (one per group of
/// columns of a size); the hasher buffers a partial chunk so that the digest depends only on the whole
/// sequence of values, however it was split.
///
/// It serializes as its state (Stwo's proof types carry the hasher as a type parameter, and their serde
/// derives require it); a hasher never appears in a proof.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(into = "HasherState", try_from = "HasherState")]
pub struct Poseidon2MerkleHasher {
    sponge: Poseidon2Sponge,
    buffer: [BaseField; M31S_PER_FR],
    buffered: usize,
}

impl Default for Poseidon2MerkleHasher {
    fn default() -> Self {
        Self {
            sponge: Poseidon2Sponge::new(domain::MERKLE_LEAF),
            buffer: [BaseField::from_u32_unchecked(0); M31S_PER_FR],
            buffered: 0,
        }
    }
}

impl Poseidon2MerkleHasher {
    /// Continues a leaf from a sponge state at a block boundary (the batched prover path).
    #[cfg(feature = "prover")]
    pub(crate) fn from_sponge_state(state: [Fr; crate::permutation::WIDTH]) -> Self {
        Self { sponge: Poseidon2Sponge::from_state(state), ..Self::default() }
    }
}

impl MerkleHasherLifted for Poseidon2MerkleHasher {
    type Hash = Poseidon2Hash;

    fn hash_children((left, right): (Self::Hash, Self::Hash)) -> Self::Hash {
        hash_node(left, right)
    }

    fn update_leaf(&mut self, column_values: &[BaseField]) {
        for value in column_values {
            self.buffer[self.buffered] = *value;
            self.buffered += 1;
            if self.buffered == M31S_PER_FR {
                self.sponge.absorb(pack_m31s(&self.buffer));
                self.buffered = 0;
            }
        }
    }

    fn finalize(mut self) -> Self::Hash {
        if self.buffered > 0 {
            self.sponge.absorb(pack_m31s(&self.buffer[..self.buffered]));
        }
        Poseidon2Hash(self.sponge.squeeze())
    }
}

/// The serialized form of a [`Poseidon2MerkleHasher`].
#[derive(Clone, Serialize, Deserialize)]
struct HasherState {
    sponge: [Poseidon2Hash; crate::permutation::WIDTH],
    sponge_pending: Vec<Poseidon2Hash>,
    buffered: Vec<BaseField>,
}

/// A serialized hasher state that no hasher can be in.
#[derive(Debug, thiserror::Error)]
enum HasherStateError {
    #[error("{got} field elements pending in the sponge, at most {}", crate::permutation::RATE)]
    TooManyPending { got: usize },
    #[error("{got} M31 values buffered, fewer than {M31S_PER_FR} expected")]
    TooManyBuffered { got: usize },
}

impl From<Poseidon2MerkleHasher> for HasherState {
    fn from(hasher: Poseidon2MerkleHasher) -> Self {
        let (state, pending) = hasher.sponge.parts();
        Self {
            sponge: state.map(Poseidon2Hash),
            sponge_pending: pending.iter().copied().map(Poseidon2Hash).collect(),
            buffered: hasher.buffer[..hasher.buffered].to_vec(),
        }
    }
}

impl TryFrom<HasherState> for Poseidon2MerkleHasher {
    type Error = HasherStateError;

    fn try_from(repr: HasherState) -> Result<Self, Self::Error> {
        let pending: Vec<Fr> = repr.sponge_pending.iter().map(|h| h.0).collect();
        let sponge = Poseidon2Sponge::from_parts(repr.sponge.map(|h| h.0), &pending)
            .ok_or(HasherStateError::TooManyPending { got: pending.len() })?;
        let mut hasher = Self { sponge, ..Self::default() };
        if repr.buffered.len() >= M31S_PER_FR {
            return Err(HasherStateError::TooManyBuffered { got: repr.buffered.len() });
        }
        hasher.buffer[..repr.buffered.len()].copy_from_slice(&repr.buffered);
        hasher.buffered = repr.buffered.len();
        Ok(hasher)
    }
}

/// The hash of a Merkle leaf holding `values` (in Stwo's column order).
pub fn hash_leaf(values: &[BaseField]) -> Poseidon2Hash {
    let mut hasher = Poseidon2MerkleHasher::default();
    hasher.update_leaf(values);
    hasher.finalize()
}

/// The hash of a Merkle node: `compress(MERKLE_NODE, left, right)`.
pub fn hash_node(left: Poseidon2Hash, right: Poseidon2Hash) -> Poseidon2Hash {
    Poseidon2Hash(compress(domain::MERKLE_NODE, left.0, right.0))
}

/// The Merkle channel of the EVM proof mode: [`Poseidon2Channel`] with [`Poseidon2MerkleHasher`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Poseidon2MerkleChannel;

impl MerkleChannel for Poseidon2MerkleChannel {
    type C = Poseidon2Channel;
    type H = Poseidon2MerkleHasher;

    /// `digest = compress(MIX_ROOT, digest, root)`.
    fn mix_root(channel: &mut Self::C, root: Poseidon2Hash) {
        channel.update_digest(compress(domain::MIX_ROOT, channel.digest(), root.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permutation::hash;

    fn m31s(n: u32) -> Vec<BaseField> {
        (0..n).map(|i| BaseField::from_u32_unchecked(i * 0x0123_4567 % ((1 << 31) - 1))).collect()
    }

    #[test]
    fn leaf_is_the_sponge_over_packed_values() {
        for n in [0, 1, 7, 8, 9, 15, 16, 17, 33] {
            let values = m31s(n);
            let packed: Vec<Fr> = values.chunks(M31S_PER_FR).map(pack_m31s).collect();
            assert_eq!(hash_leaf(&values).0, hash(domain::MERKLE_LEAF, &packed), "{n} values");
        }
    }

    #[test]
    fn leaf_does_not_depend_on_how_values_are_split() {
        let values = m31s(41);
        for split in [1, 3, 8, 16, 40] {
            let mut hasher = Poseidon2MerkleHasher::default();
            values.chunks(split).for_each(|chunk| hasher.update_leaf(chunk));
            assert_eq!(hasher.finalize(), hash_leaf(&values), "split {split}");
        }
    }

    #[test]
    fn hasher_state_round_trips() {
        let mut hasher = Poseidon2MerkleHasher::default();
        hasher.update_leaf(&m31s(21));
        let json = serde_json::to_string(&hasher).unwrap();
        let mut back: Poseidon2MerkleHasher = serde_json::from_str(&json).unwrap();
        hasher.update_leaf(&m31s(3));
        back.update_leaf(&m31s(3));
        assert_eq!(back.finalize(), hasher.finalize());
        let bad = json.replacen("\"buffered\":[", "\"buffered\":[1,2,3,4,5,6,7,8,", 1);
        assert!(serde_json::from_str::<Poseidon2MerkleHasher>(&bad).is_err());
    }

    #[test]
    fn leaves_and_nodes_are_separated() {
        let (a, b) = (Poseidon2Hash(Fr::from(1u64)), Poseidon2Hash(Fr::from(2u64)));
        assert_eq!(hash_node(a, b).0, compress(domain::MERKLE_NODE, a.0, b.0));
        assert_ne!(hash_node(a, b).0, compress(domain::MERKLE_LEAF, a.0, b.0));
        // Trailing zero values change the leaf.
        let zero = BaseField::from_u32_unchecked(0);
        assert_ne!(hash_leaf(&[zero]), hash_leaf(&[zero, zero]));
        assert_ne!(hash_leaf(&[]), hash_leaf(&[zero]));
    }
}
