//! Nexus Zero's STARK-to-SNARK wrapper.
//!
//! So far: the R1CS twins of `nzero-poseidon2` — the Poseidon2-BN254 permutation, its compression and
//! sponge, and the Poseidon2 channel's transcript and Merkle leaf and node hashes — from which the
//! verifier circuit for Stwo proofs is built.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod channel;
pub mod circuit;
mod poseidon2;

pub use channel::{
    Poseidon2ChannelVar, SecureFieldVar, hash_leaf_var, hash_node_var, pack_m31s_var, pack_u32s_var,
};
pub use poseidon2::{
    FrVar, PERMUTATION_CONSTRAINTS, Poseidon2SpongeVar, compress_var, hash_var, permute_var,
};
