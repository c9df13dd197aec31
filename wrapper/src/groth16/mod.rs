//! Groth16 over BN254 for the wrapper's circuits: setup, proving, verification and key files.
//!
//! - `setup`: the circuit-specific setup. It synthesizes the circuit once, keeps its constraint matrices
//!   ([`ConstraintMatrices`]) and derives the proving key from them ([`setup`], [`Keys`]);
//! - `prover`: proving from the cached matrices. The circuit is synthesized for its witness only (no
//!   linear-combination bookkeeping, no matrices), then reduced to the QAP with the stored matrices
//!   ([`prove`]); every proof is checked against the key before it is returned;
//! - `verifier`: the native check of a proof for the one public input ([`verify`]);
//! - `key_file`: keys on disk: a header that names the key's kind and circuit, the SHA-256 of the body,
//!   then the arkworks uncompressed body, read back unchecked behind that hash ([`write_keys`],
//!   [`read_keys`], [`read_key`], [`keys_dir`]).
//!
//! Each phase reports its [`Stage`]s to an optional callback (for progress displays) and runs inside
//! `tracing` spans named after them (target `nzero_wrapper::groth16`).

mod error;
mod key_file;
mod matrices;
pub mod msm;
mod prover;
mod setup;
mod verifier;

#[cfg(test)]
mod tests;

pub use error::{CircuitTag, Groth16Error, KeyFileError};
pub use key_file::{
    CircuitDigest, KEY_FILE_MAGIC, KEY_FILE_VERSION, KeyBody, KeyKind, key_path, keys_dir, read_key,
    read_keys, write_key, write_keys,
};
pub use matrices::ConstraintMatrices;
pub use prover::{prove, prove_with_progress};
pub use setup::{Keys, setup, setup_with_progress};
pub use verifier::verify;

/// The operating system's randomness, for setups (`setup(circuit, &mut OsRng)`: the keys' toxic waste) and
/// the zero-knowledge blinding of proofs: an RNG of the `rand_core` version arkworks takes.
pub use rand_core::OsRng;

/// A step of [`setup`] or [`prove`], reported to their progress callbacks as it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Running the circuit's synthesizer: at setup for its constraints, at proving for its witness only.
    Synthesize,
    /// Setup: inlining the linear combinations into the A, B, C matrices.
    Matrices,
    /// Setup: the QAP polynomials evaluated at the secret point (one FFT-sized pass over the matrices).
    InstanceMap,
    /// Setup: the keys' group elements (fixed-base multiplications, the bulk of the setup).
    KeyGeneration,
    /// Proving: the quotient polynomial `h` from the matrices and the witness (seven FFTs).
    WitnessMap,
    /// Proving: the multi-scalar multiplications of `A`, `B` (G1 and G2) and `C`.
    Msm,
    /// Proving: the new proof verified against the proving key's verifying key.
    SelfCheck,
}

impl Stage {
    /// A short lowercase name (the `tracing` span's name).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Synthesize => "synthesize",
            Self::Matrices => "matrices",
            Self::InstanceMap => "instance_map",
            Self::KeyGeneration => "key_generation",
            Self::WitnessMap => "witness_map",
            Self::Msm => "msm",
            Self::SelfCheck => "self_check",
        }
    }
}

/// Enters `stage`: tells the callback and opens its span (closed when the guard drops).
fn enter(stage: Stage, progress: &mut dyn FnMut(Stage)) -> tracing::span::EnteredSpan {
    progress(stage);
    tracing::info_span!("stage", name = stage.name()).entered()
}
