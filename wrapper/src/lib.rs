//! Nexus Zero's STARK-to-SNARK wrapper.
//!
//! So far:
//! - the R1CS twins of `nzero-poseidon2`: the Poseidon2-BN254 permutation, its compression and sponge, and
//!   the Poseidon2 channel's transcript and Merkle leaf and node hashes;
//! - the verifier circuit ([`circuit`]): Stwo's verifier for Poseidon2-channel proofs over R1CS variables
//!   ([`circuit::verifier::verify_stark`]), built from Merkle openings of lifted commitments, Stwo's fields
//!   with lazy reduction ([`M31Var`], [`CM31Var`], [`QM31Var`]), circle points ([`CirclePointVar`]), the
//!   prover's own AIR evaluated at the out-of-domain point ([`CircuitComponent`]), DEEP quotients and FRI;
//! - the statement a wrapped proof makes, as its one Groth16 public input ([`public_input`]), and its
//!   R1CS twin ([`circuit::program_key_var`], [`circuit::public_input_var`]);
//! - Groth16 over BN254: setup keeping the constraint matrices, proving from them, verification, key
//!   files ([`setup`], [`prove`], [`verify`], [`write_keys`], [`read_keys`]);
//! - the EVM side: the calldata encoding of a Groth16 proof and its selector ([`encode_proof`],
//!   [`selector`]), the Solidity verifier generated from a verifying key ([`solidity_verifier`]), its
//!   native twin ([`verify_encoded_proof`]), mock proofs, snarkjs exports and Foundry fixtures.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod channel;
pub mod circuit;
mod evm;
pub mod groth16;
mod poseidon2;
mod statement;
pub mod zkvm;

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
pub use evm::encoding::{PROOF_LENGTH, Selector, decode_proof, encode_proof, selector, vk_bytes};
pub use evm::error::{EvmError, ProofPoint};
pub use evm::fixture::Fixture;
pub use evm::mock::{MOCK_PROOF_LENGTH, MOCK_SELECTOR, mock_proof};
pub use evm::snarkjs::{snarkjs_proof, snarkjs_public_inputs, snarkjs_verification_key};
pub use evm::solidity::solidity_verifier;
pub use evm::verify::verify_encoded_proof;
pub use groth16::{
    CircuitDigest, CircuitTag, ConstraintMatrices, Groth16Error, KEY_FILE_MAGIC, KEY_FILE_VERSION, KeyBody,
    KeyFileError, KeyKind, Keys, OsRng, Stage, key_path, keys_dir, prove, prove_with_progress, read_key,
    read_keys, setup, setup_with_progress, verify, write_key, write_keys,
};
pub use poseidon2::{
    FrVar, PERMUTATION_CONSTRAINTS, Poseidon2SpongeVar, compress_var, hash_var, permute_var,
};
pub use statement::{STATEMENT_BITS, public_input, public_values_digest, statement_digest};
