pub mod ops;
pub mod prover;
