//! Nexus Zero's STARK-to-SNARK wrapper.
//!
//! So far:
//! - Poseidon2 over the BN254 scalar field (width 3, the reference instance), natively and as an R1CS
//!   gadget computing the same function, with the 2-to-1 compression and sponge built on it;
//! - a Poseidon2 Merkle channel for Stwo ([`Poseidon2MerkleChannel`]): the Fiat-Shamir transcript and the
//!   Merkle hash of the EVM proof mode, with the R1CS twins of its transcript and of its leaf and node
//!   hashes. With the `prover`
//!   feature, Stwo's `SimdBackend` and `CpuBackend` prove with it;
//! - the statement a wrapped proof makes, as its one Groth16 public input ([`public_input`]);
//! - the EVM side: the calldata encoding of a Groth16 proof and its selector ([`encode_proof`],
//!   [`selector`]), the Solidity verifier generated from a verifying key ([`solidity_verifier`]), its
//!   native twin ([`verify_encoded_proof`]), mock proofs, snarkjs exports and Foundry fixtures.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod channel;
mod evm;
mod poseidon2;
mod statement;

pub use channel::{
    HashDecodeError, M31S_PER_BLOCK, M31S_PER_FR, Poseidon2Channel, Poseidon2ChannelVar, Poseidon2Hash,
    Poseidon2MerkleChannel, Poseidon2MerkleHasher, SecureFieldVar, U32S_PER_FR, domain, hash_leaf,
    hash_leaf_var, hash_node, hash_node_var, pack_m31s, pack_m31s_var, pack_u32s, pack_u32s_var,
};

pub use poseidon2::constraints::{
    FrVar, PERMUTATION_CONSTRAINTS, Poseidon2SpongeVar, compress_var, hash_var, permute_var,
};
pub use poseidon2::{
    FULL_BLOCK_FLAG, FULL_ROUNDS, PARTIAL_ROUNDS, Poseidon2Sponge, RATE, SBOXES_PER_PERMUTATION, WIDTH,
    compress, hash, permute,
};

pub use evm::encoding::{PROOF_LENGTH, Selector, decode_proof, encode_proof, selector, vk_bytes};
pub use evm::error::{EvmError, ProofPoint};
pub use evm::fixture::Fixture;
pub use evm::mock::{MOCK_PROOF_LENGTH, MOCK_SELECTOR, mock_proof};
pub use evm::snarkjs::{snarkjs_proof, snarkjs_public_inputs, snarkjs_verification_key};
pub use evm::solidity::solidity_verifier;
pub use evm::verify::verify_encoded_proof;
pub use statement::{STATEMENT_BITS, public_input, public_values_digest, statement_digest};
