//! Proofs, the program key they are bound to, and their file format.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use stwo::core::fields::qm31::SecureField;
use stwo::core::proof::StarkProof;
use stwo::core::vcs_lifted::blake2_merkle::Blake2sMerkleChannel;

use crate::air::{Claim, Statement};
use crate::class::{EVM_TABLE_LOG_SIZE, SizeClass};
use crate::config::StarkConfig;
use crate::hash::{HashKind, ProofHash};

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

impl ProgramShape {
    /// The table sizes proofs of `kind` commit the program at: its own for Blake2s; for Poseidon2 (EVM)
    /// proofs at least [`EVM_TABLE_LOG_SIZE`], which is exactly that for every program EVM proofs can be
    /// made of (the shape of [`Claim::evm`]).
    pub fn committed(&self, kind: HashKind) -> Self {
        match kind {
            HashKind::Blake2s => *self,
            HashKind::Poseidon2 => Self {
                program_log_size: self.program_log_size.max(EVM_TABLE_LOG_SIZE),
                image_log_size: self.image_log_size.max(EVM_TABLE_LOG_SIZE),
                ..*self
            },
        }
    }
}

/// The program's preprocessed-trace commitments, one per Merkle hash the toolchain proves with, each
/// at the blowup of that hash's configurations ([`HashKind::log_blowup_factor`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramRoots {
    /// The Blake2s Merkle root (native proofs).
    pub blake2s: [u8; 32],
    /// The Poseidon2-BN254 Merkle root (EVM proofs), as a big-endian field element, of the tables
    /// padded to the EVM shape ([`ProgramShape::committed`]); zero for a program too large for it.
    pub poseidon2: [u8; 32],
}

impl ProgramRoots {
    /// The root of proofs of `kind`.
    pub const fn of(&self, kind: HashKind) -> &[u8; 32] {
        match kind {
            HashKind::Blake2s => &self.blake2s,
            HashKind::Poseidon2 => &self.poseidon2,
        }
    }
}

/// The program verifying key: `sha256(tag ‖ shape ‖ roots)`. It depends only on the program (its code
/// and initial data, through the preprocessed trace), never on the input or the execution, and is the
/// same for both proof modes: it covers the roots of both.
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
        hasher.update(roots.poseidon2);
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

/// A proof that a program, run on some private input, halted with a statement, made with the Merkle
/// channel `H` (Blake2s by default).
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Proof<H: ProofHash = Blake2sMerkleChannel> {
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
    pub stark_proof: StarkProof<H::H>,
}

/// A proof made for the EVM: with the Poseidon2-BN254 channel, at its class's fixed shape.
pub type EvmProof = Proof<nzero_poseidon2::Poseidon2MerkleChannel>;

// By hand: derives would demand `H: Clone + Debug` of the channel marker type, not of its hash.
impl<H: ProofHash> Clone for Proof<H> {
    fn clone(&self) -> Self {
        Self {
            config: self.config,
            shape: self.shape,
            roots: self.roots,
            statement: self.statement,
            public_values: self.public_values.clone(),
            class: self.class,
            claim: self.claim.clone(),
            claimed_sums: self.claimed_sums.clone(),
            stark_proof: self.stark_proof.clone(),
        }
    }
}

impl<H: ProofHash> std::fmt::Debug for Proof<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proof")
            .field("hash", &H::KIND)
            .field("config", &self.config)
            .field("shape", &self.shape)
            .field("roots", &self.roots)
            .field("statement", &self.statement)
            .field("class", &self.class)
            .field("claim", &self.claim)
            .finish_non_exhaustive()
    }
}

impl<H: ProofHash> Proof<H> {
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
    /// A proof of another hash kind than the reader expects.
    #[error("a {found:?} proof where a {expected:?} proof is expected")]
    WrongHash {
        /// The reader's kind.
        expected: HashKind,
        /// The file's kind.
        found: HashKind,
    },
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
/// The current proof file format. Version 2: the wide range tables and the byte-operation table moved
/// from the preprocessed trace to the main trace (version-1 proofs are read as unsupported, never
/// misread).
pub const FORMAT_VERSION: u32 = 3;
const HEADER_LEN: usize = 8 + 4 + 1 + 8;

/// The hash kind of a proof file, read from its header.
///
/// # Errors
/// [`ProofFileError::BadMagic`], [`ProofFileError::Truncated`], [`ProofFileError::UnsupportedVersion`] or
/// [`ProofFileError::UnknownHash`] for a header that is not a proof's.
pub fn proof_hash_kind(bytes: &[u8]) -> Result<HashKind, ProofFileError> {
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(ProofFileError::BadMagic);
    }
    if bytes.len() < HEADER_LEN {
        return Err(ProofFileError::Truncated { expected: HEADER_LEN as u64, found: bytes.len() as u64 });
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != FORMAT_VERSION {
        return Err(ProofFileError::UnsupportedVersion { found: version });
    }
    HashKind::from_tag(bytes[12]).ok_or(ProofFileError::UnknownHash(bytes[12]))
}

impl<H: ProofHash> Proof<H> {
    /// The proof file: `magic ‖ version (u32 LE) ‖ hash kind (u8) ‖ body length (u64 LE) ‖ body`,
    /// the body being the postcard encoding of the proof (see `docs/PROOF_FORMAT.md`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let body = postcard::to_stdvec(self).expect("a proof always serializes");
        let mut out = Vec::with_capacity(HEADER_LEN + body.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.push(H::KIND.tag());
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
        let kind = proof_hash_kind(bytes)?;
        if kind != H::KIND {
            return Err(ProofFileError::WrongHash { expected: H::KIND, found: kind });
        }
        let body_len = u64::from_le_bytes(bytes[13..21].try_into().expect("8 bytes"));
        let expected = (HEADER_LEN as u64).saturating_add(body_len);
        let found = bytes.len() as u64;
        if found < expected {
            return Err(ProofFileError::Truncated { expected, found });
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
