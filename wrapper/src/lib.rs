//! Nexus Zero's STARK-to-SNARK wrapper.
//!
//! So far: Poseidon2 over the BN254 scalar field (width 3, the reference instance), natively and as an R1CS
//! gadget computing the same function, with the 2-to-1 compression and sponge built on it.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod poseidon2;

pub use poseidon2::constraints::{
    FrVar, PERMUTATION_CONSTRAINTS, Poseidon2SpongeVar, compress_var, hash_var, permute_var,
};
pub use poseidon2::{
    FULL_BLOCK_FLAG, FULL_ROUNDS, PARTIAL_ROUNDS, Poseidon2Sponge, RATE, SBOXES_PER_PERMUTATION, WIDTH,
    compress, hash, permute,
};
