//! Proofs, the program key they are bound to, and their file format.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use stwo::core::fields::qm31::SecureField;
use stwo::core::proof::StarkProof;
use stwo::core::vcs_lifted::blake2_merkle::Blake2sMerkleHasher;

use crate::air::{Claim, Statement};
use crate::class::SizeClass;
use crate::config::StarkConfig;

/// The public facts about a program a proof needs besides its preprocessed commitment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramShape {
    /// Entry point: the initial state is `(entry, 0)`.
    pub entry: u32,
    /// Log size of the program table.
    pub program_log_size: u32,
    /// Log size of the image table.
    pub image_log_size: u32,
}

/// The program's preprocessed-trace commitments, one per Merkle hash the toolchain proves with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramRoots {
    /// The Blake2s Merkle root (native proofs).
    pub blake2s: [u8; 32],
}

/// The program verifying key: `sha256(tag ‖ shape ‖ roots)`. It depends only on the program (its code
/// and initial data, through the preprocessed trace), never on the input or the execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProgramKey(pub [u8; 32]);

impl ProgramKey {
    const TAG: &'static [u8] = b"nexus-zero/program-vkey/v1";

    /// The key of a program with this shape and these commitments.
    pub fn from_parts(shape: &ProgramShape, roots: &ProgramRoots) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(Self::TAG);
        for v in [shape.entry, shape.program_log_size, shape.image_log_size] {
            hasher.update(v.to_le_bytes());
        }
        hasher.update(roots.blake2s);
        Self(hasher.finalize().into())
    }

    /// `0x`-prefixed hex.
    pub fn to_hex(&self) -> String {
        format!("0x{}", hex_string(&self.0))
    }
}

fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A proof that a program, run on some private input, halted with a statement.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Proof {
    /// The STARK parameters.
    pub config: StarkConfig,
    /// The program's shape.
    pub shape: ProgramShape,
    /// The program's commitments (the proof's own is checked against them).
    pub roots: ProgramRoots,
    /// Exit code and public-values digest.
    pub statement: Statement,
    /// The public values themselves, carried for convenience: verifiers check them against the
    /// digest (or use values they got elsewhere).
    pub public_values: Vec<u8>,
    /// The size class the execution was proven in.
    pub class: SizeClass,
    /// Component sizes.
    pub claim: Claim,
    /// Each component's logUp sum, in component order.
    pub claimed_sums: Vec<SecureField>,
    /// The Stwo proof.
    pub stark_proof: StarkProof<Blake2sMerkleHasher>,
}

impl Proof {
    /// The key of the program this proof claims to be about.
    pub fn program_key(&self) -> ProgramKey {
        ProgramKey::from_parts(&self.shape, &self.roots)
    }
}

/// Why a proof file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ProofFileError {
    /// The file does not start with the proof magic.
    #[error("not a Nexus Zero proof file (bad magic)")]
    BadMagic,
    /// A format version this build does not read.
    #[error("proof format version {found} is not supported (this build reads version {FORMAT_VERSION})")]
    UnsupportedVersion {
        /// The file's version.
        found: u32,
    },
    /// A Merkle hash this build does not verify.
    #[error("unknown proof hash kind {0}")]
    UnknownHash(u8),
    /// The file ends early.
    #[error("proof file truncated: expected {expected} bytes, found {found}")]
    Truncated {
        /// Bytes the header announces.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// Bytes after the proof.
    #[error("{0} unexpected bytes after the proof")]
    TrailingBytes(u64),
    /// The body does not decode.
    #[error("malformed proof body: {0}")]
    Malformed(#[from] postcard::Error),
}

/// `NZPROOF\0`.
const MAGIC: [u8; 8] = *b"NZPROOF\0";
/// The current proof file format.
pub const FORMAT_VERSION: u32 = 1;
/// Hash kind byte of Blake2s proofs.
const HASH_BLAKE2S: u8 = 1;
const HEADER_LEN: usize = 8 + 4 + 1 + 8;

impl Proof {
    /// The proof file: `magic ‖ version (u32 LE) ‖ hash kind (u8) ‖ body length (u64 LE) ‖ body`,
    /// the body being the postcard encoding of the proof (see `docs/PROOF_FORMAT.md`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let body = postcard::to_stdvec(self).expect("a proof always serializes");
        let mut out = Vec::with_capacity(HEADER_LEN + body.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.push(HASH_BLAKE2S);
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// Reads a proof file.
    ///
    /// # Errors
    /// A [`ProofFileError`] for a wrong magic, version or hash kind, truncation, trailing bytes or
    /// a body that does not decode.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofFileError> {
        let truncated = |expected: u64| ProofFileError::Truncated { expected, found: bytes.len() as u64 };
        if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
            return Err(ProofFileError::BadMagic);
        }
        if bytes.len() < HEADER_LEN {
            return Err(truncated(HEADER_LEN as u64));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != FORMAT_VERSION {
            return Err(ProofFileError::UnsupportedVersion { found: version });
        }
        if bytes[12] != HASH_BLAKE2S {
            return Err(ProofFileError::UnknownHash(bytes[12]));
        }
        let body_len = u64::from_le_bytes(bytes[13..21].try_into().expect("8 bytes"));
        let expected = (HEADER_LEN as u64).saturating_add(body_len);
        let found = bytes.len() as u64;
        if found < expected {
            return Err(truncated(expected));
        }
        if found > expected {
            return Err(ProofFileError::TrailingBytes(found - expected));
        }
        let (proof, rest) = postcard::take_from_bytes(&bytes[HEADER_LEN..])?;
        if !rest.is_empty() {
            return Err(ProofFileError::TrailingBytes(rest.len() as u64));
        }
        Ok(proof)
    }
}
