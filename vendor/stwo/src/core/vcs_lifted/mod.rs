pub mod blake2_merkle;
pub mod merkle_hasher;
#[cfg(not(target_arch = "wasm32"))]
pub mod poseidon252_merkle;
#[cfg(feature = "prover")]
pub mod test_utils;
pub mod verifier;

pub use merkle_hasher::MerkleHasherLifted;
