//! Errors of Groth16 setup, proving and verification, and of key files.

use std::path::PathBuf;

use ark_relations::gr1cs::SynthesisError;
use ark_serialize::SerializationError;
use thiserror::Error;

use super::key_file::KeyKind;
use crate::evm::error::ProofPoint;

/// Why a setup, a proof or a verification failed.
#[derive(Debug, Error)]
pub enum Groth16Error {
    /// The circuit's synthesizer failed (a missing assignment, an unsatisfiable gadget input, ...).
    #[error("circuit synthesis: {0}")]
    Synthesis(#[from] SynthesisError),
    /// The circuit uses constraints other than R1CS (a GR1CS predicate Groth16 cannot prove).
    #[error("the circuit has {constraints} constraints of predicate `{predicate}`; Groth16 proves R1CS only")]
    NotR1cs {
        /// The predicate's label.
        predicate: String,
        /// Its number of constraints.
        constraints: usize,
    },
    /// The witness does not have the shape of the key's circuit: another circuit, or a circuit whose
    /// variables depend on its witness.
    #[error(
        "the witness has {found_instance} instance and {found_witness} witness variables; the key's circuit has {expected_instance} and {expected_witness}"
    )]
    WitnessShape {
        /// Instance variables (the constant one included) of the key's circuit.
        expected_instance: usize,
        /// Witness variables of the key's circuit.
        expected_witness: usize,
        /// Instance variables the synthesizer allocated.
        found_instance: usize,
        /// Witness variables the synthesizer allocated.
        found_witness: usize,
    },
    /// The witness does not satisfy the circuit: this constraint (an index into the matrices) fails.
    #[error("the witness does not satisfy constraint {constraint}")]
    Unsatisfied {
        /// The first unsatisfied constraint.
        constraint: usize,
    },
    /// The witness satisfies the matrices, yet the proof does not verify: the proving key is not the
    /// matrices' (keys of two setups or two circuits mixed).
    #[error(
        "the proof does not verify although the witness satisfies the matrices: proving key and matrices differ"
    )]
    KeyMismatch,
    /// The verifying key is not for one public input.
    #[error("the verifying key has {found} public inputs; Nexus Zero circuits have exactly 1")]
    PublicInputCount {
        /// Public inputs of the key's circuit.
        found: usize,
    },
    /// A proof point is not on its curve or not in the prime-order subgroup.
    #[error("proof point {point} is not a valid group element")]
    InvalidProofPoint {
        /// Which point.
        point: ProofPoint,
    },
    /// The pairing check failed: the proof is not for this key and public input.
    #[error("the proof does not verify for this verifying key and public input")]
    ProofInvalid,
}

/// Why a key file could not be written or read. Every case names the file.
#[derive(Debug, Error)]
pub enum KeyFileError {
    /// No key directory: neither `NZERO_KEYS_DIR` nor a home or cache directory is set.
    #[error("no key directory: set NZERO_KEYS_DIR (or HOME / XDG_CACHE_HOME)")]
    NoKeysDir,
    /// A circuit id must be 1 to 64 characters of `[A-Za-z0-9._-]`, not starting with `.`.
    #[error("`{0}` is not a circuit id (1 to 64 of [A-Za-z0-9._-], not starting with '.')")]
    InvalidCircuitId(String),
    /// The file system failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        #[source]
        source: std::io::Error,
    },
    /// The file is shorter than its header says.
    #[error("{}: truncated: {expected} bytes expected, {found} present", path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// The length the header announces (or the header's own length, when that is cut).
        expected: u64,
        /// The file's length.
        found: u64,
    },
    /// The file is longer than its header says.
    #[error("{}: {extra} bytes after the key", path.display())]
    TrailingBytes {
        /// The file.
        path: PathBuf,
        /// Bytes past the body.
        extra: u64,
    },
    /// The file does not start with [`KEY_FILE_MAGIC`](super::KEY_FILE_MAGIC).
    #[error("{}: not a Nexus Zero key file (bad magic)", path.display())]
    BadMagic {
        /// The file.
        path: PathBuf,
    },
    /// A format version this build does not read.
    #[error("{}: key file version {found}; this build reads version {}", path.display(), super::KEY_FILE_VERSION)]
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// The file's version.
        found: u32,
    },
    /// The file holds another kind of key.
    #[error("{}: a {found} file where a {expected} file is expected", path.display(), found = KeyKind::describe(*found))]
    WrongKind {
        /// The file.
        path: PathBuf,
        /// The kind the reader asked for.
        expected: KeyKind,
        /// The file's kind code.
        found: u32,
    },
    /// The file is the key of another circuit (its id or its digest differs).
    #[error("{}: the key of circuit {found}, expected {expected}", path.display())]
    WrongCircuit {
        /// The file.
        path: PathBuf,
        /// The circuit the reader asked for.
        expected: Box<CircuitTag>,
        /// The file's circuit.
        found: Box<CircuitTag>,
    },
    /// The body's SHA-256 is not the header's: the file is corrupt.
    #[error("{}: corrupt: body hash {} does not match the header's {}", path.display(), hex::encode(found), hex::encode(expected))]
    HashMismatch {
        /// The file.
        path: PathBuf,
        /// The header's hash.
        expected: [u8; 32],
        /// The body's hash.
        found: [u8; 32],
    },
    /// The body has the right hash but is not a key of the expected type (written by another build).
    #[error("{}: the body does not deserialize: {source}", path.display())]
    Deserialize {
        /// The file.
        path: PathBuf,
        /// The arkworks error.
        #[source]
        source: SerializationError,
    },
    /// The key did not serialize (arkworks failed writing into the file).
    #[error("{}: serializing the key: {source}", path.display())]
    Serialize {
        /// The file.
        path: PathBuf,
        /// The arkworks error.
        #[source]
        source: SerializationError,
    },
}

/// The circuit a key file is for: the id that names its files and the digest of its shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CircuitTag {
    /// The circuit id (`class-16`, ...).
    pub id: String,
    /// The circuit digest.
    pub digest: [u8; 32],
}

impl std::fmt::Display for CircuitTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` (digest {})", self.id, hex::encode(self.digest))
    }
}
