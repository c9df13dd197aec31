//! Nexus Zero's STARK-to-SNARK wrapper.
//!
//! So far:
//! - Poseidon2 over the BN254 scalar field (width 3, the reference instance), natively and as an R1CS
//!   gadget computing the same function, with the 2-to-1 compression and sponge built on it;
//! - a Poseidon2 Merkle channel for Stwo ([`Poseidon2MerkleChannel`]): the Fiat-Shamir transcript and the
//!   Merkle hash of the EVM proof mode, with the R1CS twins of its transcript and of its leaf and node
//!   hashes. With the `prover`
//!   feature, Stwo's `SimdBackend` and `CpuBackend` prove with it;
//! - the circuit's arithmetic: Stwo's fields over R1CS variables with lazy reduction ([`M31Var`],
//!   [`CM31Var`], [`QM31Var`]), circle points ([`CirclePointVar`]), and the prover's own AIR evaluated at
//!   the out-of-domain point ([`CircuitComponent`], [`eval_composition_polynomial_at_point`]).

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod channel;
mod circuit;
mod poseidon2;

pub use channel::{
    HashDecodeError, M31S_PER_BLOCK, M31S_PER_FR, Poseidon2Channel, Poseidon2ChannelVar, Poseidon2Hash,
    Poseidon2MerkleChannel, Poseidon2MerkleHasher, SecureFieldVar, U32S_PER_FR, domain, hash_leaf,
    hash_leaf_var, hash_node, hash_node_var, pack_m31s, pack_m31s_var, pack_u32s, pack_u32s_var,
};

pub use circuit::{
    CM31Var, CirclePointVar, CircuitComponent, CircuitError, LookupElementsVar, M31FieldVar, M31Var,
    PointEvaluationAccumulatorVar, PointEvaluatorVar, QM31Var, SubstitutionScope, Substitutions,
    composition_log_degree_bound, composition_oods_eval, coset_vanishing, domain_point_at_bitrev,
    enforce_bits, eval_composition_polynomial_at_point, mask_points, point_vanishing, random_point_from,
    repeated_double_x,
};

pub use poseidon2::constraints::{
    FrVar, PERMUTATION_CONSTRAINTS, Poseidon2SpongeVar, compress_var, hash_var, permute_var,
};
pub use poseidon2::{
    FULL_BLOCK_FLAG, FULL_ROUNDS, PARTIAL_ROUNDS, Poseidon2Sponge, RATE, SBOXES_PER_PERMUTATION, WIDTH,
    compress, hash, permute,
};
