//! The EVM side end to end: generated verifiers compiled with the project's solc and run in revm on fresh
//! Groth16 proofs, the committed verifiers and fixtures checked against their keys, and the snarkjs export
//! checked by snarkjs itself.

mod chain;
mod circuit;
mod committed;
mod snarkjs;
mod solc;
mod verifier;
