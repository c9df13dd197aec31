//! The digest type of the Poseidon2 Merkle channel: a BN254 scalar with one canonical encoding.

use core::fmt;

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A Poseidon2 digest: an element of the BN254 scalar field.
///
/// It is encoded as 32 big-endian bytes (as the EVM and the Solidity verifier read field elements), and
/// as a `0x`-prefixed hex string in human-readable formats. Decoding rejects values at or above the
/// modulus, so a proof has exactly one encoding of each hash.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Poseidon2Hash(pub Fr);

/// Why bytes or a string are not a [`Poseidon2Hash`].
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum HashDecodeError {
    /// The 32 bytes encode an integer at or above the BN254 scalar modulus.
    #[error("the 32 bytes encode an integer at or above the BN254 scalar field modulus")]
    NotCanonical,
    /// A hex string that is not `0x` followed by 64 hex digits.
    #[error("expected `0x` and 64 hex digits, got {len} characters")]
    BadHex {
        /// Length of the string received.
        len: usize,
    },
}

impl Poseidon2Hash {
    /// The canonical encoding: 32 bytes, big-endian.
    pub fn to_bytes_be(&self) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&self.0.into_bigint().to_bytes_be());
        bytes
    }

    /// Decodes the canonical encoding.
    ///
    /// # Errors
    /// [`HashDecodeError::NotCanonical`] if the integer is not below the modulus.
    pub fn from_bytes_be(bytes: &[u8; 32]) -> Result<Self, HashDecodeError> {
        let mut limbs = [0u64; 4];
        for (limb, chunk) in limbs.iter_mut().rev().zip(bytes.chunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            *limb = u64::from_be_bytes(word);
        }
        Fr::from_bigint(ark_ff::BigInt::new(limbs)).map(Self).ok_or(HashDecodeError::NotCanonical)
    }

    /// Parses `0x` followed by 64 hex digits (the [`fmt::Display`] form).
    ///
    /// # Errors
    /// [`HashDecodeError::BadHex`] for a malformed string, [`HashDecodeError::NotCanonical`] for a value
    /// not below the modulus.
    pub fn from_hex(s: &str) -> Result<Self, HashDecodeError> {
        let bad = HashDecodeError::BadHex { len: s.len() };
        let digits = s.strip_prefix("0x").filter(|d| d.len() == 64).ok_or(bad)?;
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(digits.as_bytes().chunks_exact(2)) {
            let pair = core::str::from_utf8(pair).map_err(|_| bad)?;
            *byte = u8::from_str_radix(pair, 16).map_err(|_| bad)?;
        }
        Self::from_bytes_be(&bytes)
    }
}

impl fmt::Display for Poseidon2Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        self.to_bytes_be().iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Poseidon2Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<Fr> for Poseidon2Hash {
    fn from(value: Fr) -> Self {
        Self(value)
    }
}

impl From<Poseidon2Hash> for Fr {
    fn from(value: Poseidon2Hash) -> Self {
        value.0
    }
}

impl stwo::core::vcs::hash::Hash for Poseidon2Hash {}

impl Serialize for Poseidon2Hash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            self.to_bytes_be().serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Poseidon2Hash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            struct HexVisitor;
            impl Visitor<'_> for HexVisitor {
                type Value = Poseidon2Hash;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a 0x-prefixed 32-byte hex string")
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                    Poseidon2Hash::from_hex(s).map_err(E::custom)
                }
            }
            deserializer.deserialize_str(HexVisitor)
        } else {
            let bytes = <[u8; 32]>::deserialize(deserializer)?;
            Self::from_bytes_be(&bytes).map_err(de::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use ark_ff::{Field, MontFp};

    use super::*;

    const MODULUS_BE: [u8; 32] = [
        0x30, 0x64, 0x4e, 0x72, 0xe1, 0x31, 0xa0, 0x29, 0xb8, 0x50, 0x45, 0xb6, 0x81, 0x81, 0x58, 0x5d, 0x28,
        0x33, 0xe8, 0x48, 0x79, 0xb9, 0x70, 0x91, 0x43, 0xe1, 0xf5, 0x93, 0xf0, 0x00, 0x00, 0x01,
    ];

    #[test]
    fn bytes_round_trip_and_reject_non_canonical() {
        let h = Poseidon2Hash(MontFp!("0x0bb61d24daca55eebcb1929a82650f328134334da98ea4f847f760054f4a3033"));
        let bytes = h.to_bytes_be();
        assert_eq!(bytes[0], 0x0b);
        assert_eq!(bytes[31], 0x33);
        assert_eq!(Poseidon2Hash::from_bytes_be(&bytes), Ok(h));
        assert_eq!(Poseidon2Hash::from_bytes_be(&MODULUS_BE), Err(HashDecodeError::NotCanonical));
        let mut below = MODULUS_BE;
        below[31] = 0;
        assert_eq!(Poseidon2Hash::from_bytes_be(&below), Ok(Poseidon2Hash(-Fr::ONE)));
        assert_eq!(Poseidon2Hash::from_bytes_be(&[0xff; 32]), Err(HashDecodeError::NotCanonical));
    }

    #[test]
    fn hex_round_trip() {
        let h = Poseidon2Hash(Fr::from(0x1234u64));
        let s = h.to_string();
        assert_eq!(s, format!("0x{}1234", "0".repeat(60)));
        assert_eq!(Poseidon2Hash::from_hex(&s), Ok(h));
        assert_eq!(Poseidon2Hash::from_hex("0x12"), Err(HashDecodeError::BadHex { len: 4 }));
        assert!(Poseidon2Hash::from_hex(&format!("0x{}", "g".repeat(64))).is_err());
        assert!(Poseidon2Hash::from_hex(&format!("0x{}", "é".repeat(32))).is_err());
    }

    #[test]
    fn serde_json_uses_hex() {
        let h = Poseidon2Hash(Fr::from(7u64));
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(json, format!("\"{h}\""));
        assert_eq!(serde_json::from_str::<Poseidon2Hash>(&json).unwrap(), h);
        let too_big = format!("\"0x{}\"", "f".repeat(64));
        assert!(serde_json::from_str::<Poseidon2Hash>(&too_big).is_err());
    }

    #[test]
    fn binary_encoding_is_the_32_bytes() {
        let h = Poseidon2Hash(Fr::from(7u64));
        let bytes = postcard::to_stdvec(&h).unwrap();
        assert_eq!(bytes, h.to_bytes_be());
        assert_eq!(postcard::from_bytes::<Poseidon2Hash>(&bytes).unwrap(), h);
        assert!(postcard::from_bytes::<Poseidon2Hash>(&MODULUS_BE).is_err());
    }
}
