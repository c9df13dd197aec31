//! Poseidon2 over the BN254 scalar field (width 3, the reference instance), natively, and the Poseidon2
//! Merkle channel for Stwo built on it: the transcript and Merkle hash of the zkVM's EVM proof mode, which
//! the R1CS verifier circuit of `nzero-wrapper` replays. With the `prover` feature, Stwo's `SimdBackend`
//! and `CpuBackend` prove with it.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod channel;
pub mod permutation;

pub use channel::{
    HashDecodeError, M31S_PER_BLOCK, M31S_PER_FR, Poseidon2Channel, Poseidon2Hash, Poseidon2MerkleChannel,
    Poseidon2MerkleHasher, U32S_PER_FR, WORDS_PER_DRAW, domain, hash_leaf, hash_node, pack_m31s, pack_u32s,
};
pub use permutation::{
    FULL_BLOCK_FLAG, FULL_ROUNDS, HALF_FULL_ROUNDS, PARTIAL_ROUNDS, Poseidon2Sponge, RATE,
    SBOXES_PER_PERMUTATION, WIDTH, compress, hash, permute,
};
