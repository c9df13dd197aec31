//! Errors of the EVM layer: generating a verifier, decoding a proof's calldata bytes.

use core::fmt;

use thiserror::Error;

/// One of the three points of a Groth16 proof, in encoding order (the index the Solidity verifier's
/// `ProofPointNotOnCurve(uint256 point)` reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofPoint {
    /// `A`, in G1 (bytes 4..68 of the encoded proof).
    A = 0,
    /// `B`, in G2 (bytes 68..196).
    B = 1,
    /// `C`, in G1 (bytes 196..260).
    C = 2,
}

impl fmt::Display for ProofPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
        })
    }
}

/// Why a verifier could not be generated or an encoded proof was rejected. The proof variants mirror the
/// custom errors of the generated Solidity verifier, so native and on-chain checks fail alike.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum EvmError {
    /// The verifying key is for a circuit with another number of public inputs than the one statement.
    #[error("the verifying key has {actual} public inputs; Nexus Zero verifiers take exactly 1")]
    PublicInputCount {
        /// Public inputs of the key's circuit (`gamma_abc_g1.len() - 1`).
        actual: usize,
    },
    /// The contract name is not a Solidity identifier.
    #[error("`{0}` is not a Solidity identifier ([A-Za-z_$][A-Za-z0-9_$]*)")]
    ContractName(String),
    /// The encoded proof does not have [`PROOF_LENGTH`](crate::PROOF_LENGTH) bytes.
    #[error("the encoded proof has {actual} bytes, expected {expected}")]
    ProofLength {
        /// The required length.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// The proof's selector is not the verifying key's.
    #[error(
        "the proof's selector is 0x{}, the verifying key's is 0x{}",
        hex::encode(actual),
        hex::encode(expected)
    )]
    SelectorMismatch {
        /// The verifying key's selector.
        expected: [u8; 4],
        /// The proof's first four bytes.
        actual: [u8; 4],
    },
    /// A 32-byte coordinate of the proof is not below the base field modulus `q`.
    #[error("proof word {word} (0 = A.x .. 7 = C.y) is not below the BN254 base field modulus")]
    CoordinateOutOfRange {
        /// The coordinate's index among the eight proof words after the selector.
        word: usize,
    },
    /// A proof point is not on its curve (the point at infinity, encoded as zeros, is not accepted).
    #[error("proof point {point} is not on the curve")]
    PointNotOnCurve {
        /// Which point.
        point: ProofPoint,
    },
    /// `B` is on the twist but outside the order-r subgroup. On chain the pairing precompile refuses it
    /// without saying why, and the contract reverts with `ProofInvalid()`.
    #[error("proof point {point} is not in the prime-order subgroup")]
    PointNotInSubgroup {
        /// Which point.
        point: ProofPoint,
    },
    /// The pairing check failed: the proof is not for this key and statement.
    #[error("the proof does not verify for this verifying key, program key and public values")]
    ProofInvalid,
    /// Serializing the verifying key failed (it cannot for keys of this curve; kept typed, not unwrapped).
    #[error("serializing the verifying key: {0}")]
    Serialization(String),
}
