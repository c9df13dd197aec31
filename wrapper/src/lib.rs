//! Nexus Zero's STARK-to-SNARK wrapper.
//!
//! So far:
//! - the R1CS twins of `nzero-poseidon2`: the Poseidon2-BN254 permutation, its compression and sponge, and
//!   the Poseidon2 channel's transcript and Merkle leaf and node hashes;
//! - the verifier circuit's parts ([`circuit`]): Merkle openings of lifted commitments, Stwo's fields over
//!   R1CS variables with lazy reduction ([`M31Var`], [`CM31Var`], [`QM31Var`]), circle points
//!   ([`CirclePointVar`]), the prover's own AIR evaluated at the out-of-domain point ([`CircuitComponent`],
//!   [`eval_composition_polynomial_at_point`]), and the DEEP quotients.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod channel;
pub mod circuit;
mod poseidon2;

pub use channel::{
    Poseidon2ChannelVar, SecureFieldVar, hash_leaf_var, hash_node_var, pack_m31s_var, pack_u32s_var,
};
pub use circuit::{
    CM31Var, CirclePointVar, CircuitComponent, CircuitError, LookupElementsVar, M31FieldVar, M31Var,
    PointEvaluationAccumulatorVar, PointEvaluatorVar, QM31Var, SubstitutionScope, Substitutions,
    composition_log_degree_bound, composition_oods_eval, coset_vanishing, domain_point_at_bitrev,
    enforce_bits, eval_composition_polynomial_at_point, mask_points, point_vanishing, random_point_from,
    repeated_double_x,
};
pub use poseidon2::{
    FrVar, PERMUTATION_CONSTRAINTS, Poseidon2SpongeVar, compress_var, hash_var, permute_var,
};
