//! The EVM side of the wrapper: how a Groth16 proof travels in calldata and the contract that checks it
//! (specified in `docs/EVM.md`).
//!
//! - `encoding`: `proof = selector ‖ A ‖ B ‖ C` (260 bytes) and `selector = bytes4(sha256(vk bytes))`;
//! - `solidity`: the verifier contract generated from a verifying key;
//! - `verify`: the same checks natively, in the same order, with the same errors;
//! - `mock`: proofs for `NexusMockVerifier`, which binds program key and public values without a SNARK;
//! - `snarkjs`: the key, proof and public input in snarkjs's JSON formats;
//! - `fixture`: the JSON fixtures the Foundry tests read.

pub(crate) mod encoding;
pub(crate) mod error;
pub(crate) mod fixture;
pub(crate) mod mock;
pub(crate) mod snarkjs;
pub(crate) mod solidity;
pub(crate) mod verify;
