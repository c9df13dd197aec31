//! Keys on disk: one file per key, named by the circuit id, checked by a SHA-256 of its body.
//!
//! ```text
//! magic        8   "NZG16KEY"
//! version      u32 little-endian (KEY_FILE_VERSION)
//! kind         u32 (1 proving key, 2 verifying key, 3 constraint matrices)
//! id length    u32, then the circuit id (UTF-8, at most 64 bytes)
//! digest       32  the circuit digest the writer was given (its shape hash)
//! body length  u64
//! body hash    32  SHA-256 of the body
//! body             the arkworks uncompressed serialization
//! ```
//!
//! Checked and compressed loading of a proving key decompresses and subgroup-checks every point: minutes
//! for large keys. Here the body is uncompressed and read unchecked, and the hash stands for the checks:
//! a body whose hash matches is the one the setup wrote. The reader streams (a buffered reader feeding
//! the hash and the deserializer; no second copy of the body in memory) and compares the hash before it
//! returns anything. Files are written to a temporary name and renamed, so a reader never sees half a key.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use ark_bn254::{Bn254, G1Affine};
use ark_ec::AffineRepr;
use ark_groth16::{ProvingKey, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, SerializationError};
use sha2::{Digest, Sha256};

use super::error::{CircuitTag, KeyFileError};
use super::matrices::ConstraintMatrices;
use super::setup::Keys;

/// The first bytes of every key file.
pub const KEY_FILE_MAGIC: [u8; 8] = *b"NZG16KEY";

/// The key file format version this build writes and reads.
pub const KEY_FILE_VERSION: u32 = 1;

/// A circuit's digest: a hash of its shape, given by whoever builds the circuit, so that a key of another
/// circuit is refused before it is used.
pub type CircuitDigest = [u8; 32];

/// The longest circuit id.
const MAX_ID_LEN: usize = 64;

/// I/O buffer size: large sequential reads and writes.
const BUFFER: usize = 1 << 20;

/// What a key file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// A [`ProvingKey`] (with its verifying key inside).
    ProvingKey = 1,
    /// A [`VerifyingKey`].
    VerifyingKey = 2,
    /// The circuit's [`ConstraintMatrices`].
    Matrices = 3,
}

impl KeyKind {
    /// The file name extension: `pk`, `vk`, `r1cs`.
    pub const fn extension(self) -> &'static str {
        match self {
            Self::ProvingKey => "pk",
            Self::VerifyingKey => "vk",
            Self::Matrices => "r1cs",
        }
    }

    fn from_code(code: u32) -> Option<Self> {
        [Self::ProvingKey, Self::VerifyingKey, Self::Matrices].into_iter().find(|k| *k as u32 == code)
    }

    /// A kind code in words (for messages; unknown codes too).
    pub(super) fn describe(code: u32) -> String {
        Self::from_code(code).map_or_else(|| format!("unknown kind {code}"), |k| k.to_string())
    }
}

impl std::fmt::Display for KeyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::ProvingKey => "proving key",
            Self::VerifyingKey => "verifying key",
            Self::Matrices => "constraint matrices",
        })
    }
}

/// A type stored in key files, with its kind.
pub trait KeyBody: CanonicalSerialize + CanonicalDeserialize {
    /// The kind its files carry.
    const KIND: KeyKind;

    /// Checks a value read unchecked for what its users would otherwise index out of bounds with
    /// (group elements need none: the body hash vouches for them).
    fn is_usable(&self) -> bool;

    /// Reads a body of `len` bytes: arkworks' uncompressed serialization, unchecked.
    fn read_body(reader: impl Read, _len: u64) -> Result<Self, SerializationError> {
        Self::deserialize_uncompressed_unchecked(reader)
    }
}

impl KeyBody for ProvingKey<Bn254> {
    const KIND: KeyKind = KeyKind::ProvingKey;

    /// The same bytes as arkworks' `deserialize_uncompressed_unchecked`, its point vectors (nearly all
    /// of a key) read a block at a time and converted on every core: their coordinates' conversion to
    /// Montgomery form made loading the 2^16 class's 1.4 GB key CPU-bound (~8 s on one core).
    fn read_body(mut reader: impl Read, len: u64) -> Result<Self, SerializationError> {
        Ok(Self {
            vk: VerifyingKey::deserialize_uncompressed_unchecked(&mut reader)?,
            beta_g1: G1Affine::deserialize_uncompressed_unchecked(&mut reader)?,
            delta_g1: G1Affine::deserialize_uncompressed_unchecked(&mut reader)?,
            a_query: read_points(&mut reader, len)?,
            b_g1_query: read_points(&mut reader, len)?,
            b_g2_query: read_points(&mut reader, len)?,
            h_query: read_points(&mut reader, len)?,
            l_query: read_points(&mut reader, len)?,
        })
    }

    fn is_usable(&self) -> bool {
        // The prover reads `query[0]` of these and the verifier the first IC point.
        !self.a_query.is_empty()
            && !self.b_g1_query.is_empty()
            && !self.b_g2_query.is_empty()
            && self.vk.is_usable()
    }
}

impl KeyBody for VerifyingKey<Bn254> {
    const KIND: KeyKind = KeyKind::VerifyingKey;

    fn is_usable(&self) -> bool {
        !self.gamma_abc_g1.is_empty()
    }
}

impl KeyBody for ConstraintMatrices {
    const KIND: KeyKind = KeyKind::Matrices;

    fn is_usable(&self) -> bool {
        self.is_well_formed()
    }
}

/// The key directory: `$NZERO_KEYS_DIR`, else the user's cache directory's `nexus-zero/keys`
/// (`$XDG_CACHE_HOME`, else `$HOME/.cache`).
///
/// # Errors
/// [`KeyFileError::NoKeysDir`] when none of these variables is set.
pub fn keys_dir() -> Result<PathBuf, KeyFileError> {
    if let Some(dir) = std::env::var_os("NZERO_KEYS_DIR") {
        return Ok(PathBuf::from(dir));
    }
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .map(|cache| cache.join("nexus-zero").join("keys"))
        .ok_or(KeyFileError::NoKeysDir)
}

/// The file of the `kind` key of circuit `circuit_id` in `dir`: `<dir>/<circuit_id>.<extension>`.
///
/// # Errors
/// [`KeyFileError::InvalidCircuitId`] unless the id is 1 to 64 characters of `[A-Za-z0-9._-]`, not
/// starting with `.` (it names files).
pub fn key_path(dir: &Path, circuit_id: &str, kind: KeyKind) -> Result<PathBuf, KeyFileError> {
    let valid = (1..=MAX_ID_LEN).contains(&circuit_id.len())
        && !circuit_id.starts_with('.')
        && circuit_id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if !valid {
        return Err(KeyFileError::InvalidCircuitId(circuit_id.to_owned()));
    }
    Ok(dir.join(format!("{circuit_id}.{}", kind.extension())))
}

/// Writes the keys of a setup: the matrices, the proving key, the verifying key (three files, each
/// written atomically), creating `dir` if needed. Returns the files in that order.
///
/// # Errors
/// As [`write_key`].
pub fn write_keys(
    dir: &Path,
    circuit_id: &str,
    digest: &CircuitDigest,
    keys: &Keys,
) -> Result<[PathBuf; 3], KeyFileError> {
    Ok([
        write_key(dir, circuit_id, digest, &keys.matrices)?,
        write_key(dir, circuit_id, digest, &keys.proving_key)?,
        write_key(dir, circuit_id, digest, keys.verifying_key())?,
    ])
}

/// Reads what proving needs: the proving key and the matrices of circuit `circuit_id` with `digest`.
///
/// # Errors
/// As [`read_key`].
pub fn read_keys(dir: &Path, circuit_id: &str, digest: &CircuitDigest) -> Result<Keys, KeyFileError> {
    Ok(Keys { proving_key: read_key(dir, circuit_id, digest)?, matrices: read_key(dir, circuit_id, digest)? })
}

/// Writes `value` to its file in `dir` ([`key_path`]), through a temporary file renamed into place.
///
/// # Errors
/// [`KeyFileError::InvalidCircuitId`], [`KeyFileError::Io`] (with the path),
/// [`KeyFileError::Serialize`].
pub fn write_key<T: KeyBody>(
    dir: &Path,
    circuit_id: &str,
    digest: &CircuitDigest,
    value: &T,
) -> Result<PathBuf, KeyFileError> {
    let path = key_path(dir, circuit_id, T::KIND)?;
    let io = |source| KeyFileError::Io { path: path.clone(), source };
    std::fs::create_dir_all(dir).map_err(io)?;
    let temporary = dir.join(format!(".{circuit_id}.{}.{}.tmp", T::KIND.extension(), std::process::id()));
    let written = write_file(&temporary, circuit_id, digest, value).and_then(|()| {
        std::fs::rename(&temporary, &path).map_err(|source| KeyFileError::Io { path: path.clone(), source })
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map(|()| path)
}

fn write_file<T: KeyBody>(
    path: &Path,
    circuit_id: &str,
    digest: &CircuitDigest,
    value: &T,
) -> Result<(), KeyFileError> {
    let io = |source| KeyFileError::Io { path: path.to_owned(), source };
    let body_len = value.uncompressed_size() as u64;
    let mut header = Vec::with_capacity(96 + circuit_id.len());
    header.extend_from_slice(&KEY_FILE_MAGIC);
    header.extend_from_slice(&KEY_FILE_VERSION.to_le_bytes());
    header.extend_from_slice(&(T::KIND as u32).to_le_bytes());
    header.extend_from_slice(&(circuit_id.len() as u32).to_le_bytes());
    header.extend_from_slice(circuit_id.as_bytes());
    header.extend_from_slice(digest);
    header.extend_from_slice(&body_len.to_le_bytes());
    let hash_offset = header.len() as u64;
    // The hash is known once the body is written: a placeholder now, the value after.
    header.extend_from_slice(&[0u8; 32]);

    let mut file = BufWriter::with_capacity(BUFFER, File::create(path).map_err(io)?);
    file.write_all(&header).map_err(io)?;
    let mut body = HashingWriter { inner: &mut file, hasher: Sha256::new(), len: 0 };
    value
        .serialize_uncompressed(&mut body)
        .map_err(|source| KeyFileError::Serialize { path: path.to_owned(), source })?;
    let (hash, len) = (body.hasher.finalize(), body.len);
    if len != body_len {
        return Err(KeyFileError::Serialize {
            path: path.to_owned(),
            source: SerializationError::InvalidData,
        });
    }
    let mut file = file.into_inner().map_err(|e| io(e.into_error()))?;
    file.seek(SeekFrom::Start(hash_offset)).map_err(io)?;
    file.write_all(&hash).map_err(io)?;
    file.sync_all().map_err(io)
}

/// Reads the `T` key of circuit `circuit_id` with `digest` from `dir` ([`key_path`]): the header checked
/// field by field, the body deserialized unchecked while it is hashed, and returned only if the hash is
/// the header's.
///
/// # Errors
/// [`KeyFileError::InvalidCircuitId`], [`KeyFileError::Io`], [`KeyFileError::Truncated`],
/// [`KeyFileError::TrailingBytes`], [`KeyFileError::BadMagic`], [`KeyFileError::UnsupportedVersion`],
/// [`KeyFileError::WrongKind`], [`KeyFileError::WrongCircuit`], [`KeyFileError::HashMismatch`],
/// [`KeyFileError::Deserialize`]: never a panic, whatever the file holds.
pub fn read_key<T: KeyBody>(dir: &Path, circuit_id: &str, digest: &CircuitDigest) -> Result<T, KeyFileError> {
    let path = key_path(dir, circuit_id, T::KIND)?;
    let _span = tracing::debug_span!("read_key", kind = %T::KIND).entered();
    let io = |source| KeyFileError::Io { path: path.clone(), source };
    let file = File::open(&path).map_err(io)?;
    let file_len = file.metadata().map_err(io)?.len();
    let mut reader = BufReader::with_capacity(BUFFER, file);
    let mut offset = 0u64;
    // Reads `N` header bytes; a file that ends first is truncated.
    let mut take = |n: usize, reader: &mut BufReader<File>| -> Result<Vec<u8>, KeyFileError> {
        offset += n as u64;
        if offset > file_len {
            return Err(KeyFileError::Truncated { path: path.clone(), expected: offset, found: file_len });
        }
        let mut bytes = vec![0u8; n];
        reader.read_exact(&mut bytes).map_err(|source| KeyFileError::Io { path: path.clone(), source })?;
        Ok(bytes)
    };
    let u32_at = |bytes: Vec<u8>| u32::from_le_bytes(bytes.try_into().expect("4 bytes taken"));

    if take(8, &mut reader)? != KEY_FILE_MAGIC {
        return Err(KeyFileError::BadMagic { path });
    }
    let version = u32_at(take(4, &mut reader)?);
    if version != KEY_FILE_VERSION {
        return Err(KeyFileError::UnsupportedVersion { path, found: version });
    }
    let kind = u32_at(take(4, &mut reader)?);
    if kind != T::KIND as u32 {
        return Err(KeyFileError::WrongKind { path, expected: T::KIND, found: kind });
    }
    let id_len = u32_at(take(4, &mut reader)?) as usize;
    let wrong_circuit = |id: String, digest_found: [u8; 32]| KeyFileError::WrongCircuit {
        path: path.clone(),
        expected: Box::new(CircuitTag { id: circuit_id.to_owned(), digest: *digest }),
        found: Box::new(CircuitTag { id, digest: digest_found }),
    };
    if id_len > MAX_ID_LEN {
        return Err(wrong_circuit(format!("<{id_len}-byte id>"), [0; 32]));
    }
    let found_id = String::from_utf8_lossy(&take(id_len, &mut reader)?).into_owned();
    let found_digest: [u8; 32] = take(32, &mut reader)?.try_into().expect("32 bytes taken");
    if found_id != circuit_id || found_digest != *digest {
        return Err(wrong_circuit(found_id, found_digest));
    }
    let body_len = u64::from_le_bytes(take(8, &mut reader)?.try_into().expect("8 bytes taken"));
    let expected: [u8; 32] = take(32, &mut reader)?.try_into().expect("32 bytes taken");
    let expected_len = offset.saturating_add(body_len);
    if file_len < expected_len {
        return Err(KeyFileError::Truncated { path, expected: expected_len, found: file_len });
    }
    if file_len > expected_len {
        return Err(KeyFileError::TrailingBytes { path, extra: file_len - expected_len });
    }

    let mut body = HashingReader { inner: reader.take(body_len), hasher: Sha256::new() };
    let value = T::read_body(&mut body, body_len);
    // Whatever the deserializer made of it, the hash covers the whole body: read what it left.
    let left = io::copy(&mut body, &mut io::sink()).map_err(io)?;
    let found: [u8; 32] = body.hasher.finalize().into();
    if found != expected {
        return Err(KeyFileError::HashMismatch { path, expected, found });
    }
    match value {
        Ok(_) if left > 0 => Err(KeyFileError::Deserialize { path, source: SerializationError::InvalidData }),
        Ok(value) if value.is_usable() => Ok(value),
        Ok(_) => Err(KeyFileError::Deserialize { path, source: SerializationError::InvalidData }),
        Err(source) => Err(KeyFileError::Deserialize { path, source }),
    }
}

/// A `Vec` of uncompressed points as arkworks writes it (a `u64` length, then the points), read in
/// blocks that are converted in parallel; a length that would not fit in `limit` bytes is invalid.
fn read_points<G: AffineRepr>(reader: &mut impl Read, limit: u64) -> Result<Vec<G>, SerializationError> {
    const BLOCK: usize = 1 << 14;
    let len = u64::deserialize_uncompressed(&mut *reader)?;
    let size = G::zero().uncompressed_size();
    if len.checked_mul(size as u64).is_none_or(|bytes| bytes > limit) {
        return Err(SerializationError::InvalidData);
    }
    let len = len as usize;
    // Allocated at once and converted in place: growing by doubling faulted in and copied the largest
    // vectors again, and collecting each block cost another copy.
    let mut points = vec![G::zero(); len];
    let mut bytes = vec![0u8; BLOCK.min(len) * size];
    for block in points.chunks_mut(BLOCK) {
        let input = &mut bytes[..block.len() * size];
        reader.read_exact(input)?;
        let convert = |(point, input): (&mut G, &[u8])| {
            *point = G::deserialize_uncompressed_unchecked(input)?;
            Ok::<_, SerializationError>(())
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            block.par_iter_mut().zip(input.par_chunks(size)).try_for_each(convert)?;
        }
        #[cfg(not(feature = "parallel"))]
        block.iter_mut().zip(input.chunks(size)).try_for_each(convert)?;
    }
    Ok(points)
}

/// A writer that hashes and counts what passes through.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    len: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A reader that hashes what passes through.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use ark_bn254::{G1Projective, G2Affine, G2Projective};
    use ark_ec::CurveGroup;

    use super::*;

    fn points<G: CurveGroup>(n: usize) -> Vec<G::Affine> {
        let mut sums = vec![G::zero()];
        for i in 1..n {
            sums.push(sums[i - 1] + G::generator());
        }
        G::normalize_batch(&sums)
    }

    #[test]
    fn point_vectors_read_in_blocks_are_arkworks_vectors() {
        for n in [0, 1, (1 << 14) - 1, 2 * (1 << 14) + 5] {
            let g1 = points::<G1Projective>(n);
            let mut bytes = Vec::new();
            g1.serialize_uncompressed(&mut bytes).unwrap();
            let limit = bytes.len() as u64;
            assert_eq!(read_points::<G1Affine>(&mut &bytes[..], limit).unwrap(), g1, "{n} points");
            if n > 0 {
                assert!(read_points::<G1Affine>(&mut &bytes[..bytes.len() - 1], limit).is_err(), "cut short");
                assert!(read_points::<G1Affine>(&mut &bytes[..], limit - 9).is_err(), "over the limit");
            }
        }
        let g2 = points::<G2Projective>(1 << 14 | 3);
        let mut bytes = Vec::new();
        g2.serialize_uncompressed(&mut bytes).unwrap();
        assert_eq!(read_points::<G2Affine>(&mut &bytes[..], bytes.len() as u64).unwrap(), g2);
        // A corrupt length is refused before anything is allocated for it.
        let mut huge = u64::MAX.to_le_bytes().to_vec();
        huge.extend_from_slice(&bytes[8..200]);
        assert!(read_points::<G2Affine>(&mut &huge[..], u64::MAX).is_err());
    }
}
