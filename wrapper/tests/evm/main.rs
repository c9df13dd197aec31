//! The EVM side end to end: generated verifiers compiled with the project's solc and run in revm on fresh
//! Groth16 proofs, the committed verifiers and fixtures checked against their keys, and the snarkjs export
//! checked by snarkjs itself; and the whole path from a real zkVM proof of the test class.

mod chain;
mod circuit;
mod committed;
mod snarkjs;
mod solc;
mod verifier;
mod zkvm;
