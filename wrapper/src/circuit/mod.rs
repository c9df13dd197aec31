//! The R1CS side of the Stwo verifier: Stwo's fields, circle geometry and AIR evaluation over BN254
//! variables, on which the verifier circuit is built.
//!
//! - [`fields`]: `M31`, `CM31`, `QM31` with lazy reduction ([`M31Var`], [`CM31Var`], [`QM31Var`]);
//! - [`circle`]: circle points, query positions' domain points, vanishing polynomials;
//! - [`air`]: the prover's own `FrameworkEval`s evaluated at the out-of-domain point, and the
//!   composition check;
//! - [`substitution`]: how proof-dependent values (lookup elements, claimed sums) reach those evals;
//! - [`merkle`]: openings of lifted Merkle commitments, and their witnesses;
//! - [`pcs`]: the DEEP quotients, the first FRI layer's values at the queries;
//! - [`fri`]: Stwo's FRI verifier over a fixed shape (commit, queries, per-query folds), and its witness;
//! - `statement`: the program key and the one public input ([`program_key_var`], [`public_input_var`]);
//! - [`verifier`]: all of it together, the twin of Stwo's `verify` ([`verifier::verify_stark`]), and the
//!   native replay that builds its witness ([`verifier::StarkWitness`]).

mod air;
mod bound;
mod circle;
mod fields;
pub mod fri;
pub mod merkle;
pub mod pcs;
mod statement;
mod substitution;
#[cfg(test)]
pub(crate) mod test_air;
pub mod verifier;

use ark_relations::gr1cs::SynthesisError;

pub use air::{
    CircuitComponent, PointEvaluationAccumulatorVar, PointEvaluatorVar, composition_log_degree_bound,
    composition_oods_eval, eval_composition_polynomial_at_point, mask_points,
};
pub use circle::{
    CirclePointVar, coset_vanishing, domain_point_at_bitrev, point_vanishing, random_point_from,
    repeated_double_x,
};
pub use fields::{CM31Var, M31FieldVar, M31Var, QM31Var, enforce_bits};
pub use statement::{
    PROGRAM_KEY_CONSTRAINTS, PROGRAM_KEY_TAG, PUBLIC_INPUT_CONSTRAINTS, program_key_var, public_input_var,
};
pub use substitution::{LookupElementsVar, SubstitutionScope, Substitutions};

/// Why a circuit gadget could not be built. Unsatisfied constraints are not errors: a wrong witness
/// yields an unsatisfied system.
#[derive(Debug, thiserror::Error)]
pub enum CircuitError {
    /// The constraint system failed.
    #[error(transparent)]
    Synthesis(#[from] SynthesisError),
    /// A circle domain's log size must be in `1..=30`.
    #[error("log size {0} is not that of a circle domain (1 to 30)")]
    InvalidLogSize(u32),
    /// A query position has fewer bits than the domain's log size.
    #[error("a position in a domain of log size {log_size} needs {log_size} bits, got {got}")]
    TooFewPositionBits {
        /// The domain's log size.
        log_size: u32,
        /// The bits given.
        got: usize,
    },
    /// The sampled values lack a column that a component reads.
    #[error("the sampled values have no column {column} in tree {tree}")]
    MissingMaskColumn {
        /// The commitment tree.
        tree: usize,
        /// The column within the tree.
        column: usize,
    },
    /// A column has a different number of sampled values than the component's mask offsets.
    #[error("column {column} of tree {tree} has {got} sampled values, the component reads {expected}")]
    MaskValues {
        /// The commitment tree.
        tree: usize,
        /// The column within the tree.
        column: usize,
        /// The component's number of mask offsets for the column.
        expected: usize,
        /// The number of values given.
        got: usize,
    },
    /// The eval read a column that its mask does not have.
    #[error("the eval read past its mask: column {column} of tree {tree}")]
    MaskTooShort {
        /// The commitment tree.
        tree: usize,
        /// The column within the component's part of the tree.
        column: usize,
    },
    /// The eval wrote logUp fractions and did not finalize them.
    #[error("the eval wrote logUp fractions and did not finalize them")]
    LogupNotFinalized,
    /// The eval finalized its logUp fractions wrongly.
    #[error("invalid logUp batching: {0}")]
    LogupBatching(&'static str),
    /// The proof or the components do not have the shape the verifier expects.
    #[error("malformed proof shape: {0}")]
    ProofShape(&'static str),
    /// The composition polynomial's sampled values are not eight columns of one value.
    #[error("the last tree of sampled values must be eight columns of one value each")]
    CompositionMask,
}
