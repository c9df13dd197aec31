pub mod gkr_prover;
pub mod gkr_verifier;
pub mod mle;
pub mod sumcheck;
pub mod utils;
