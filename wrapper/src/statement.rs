//! The statement a wrapped proof makes, as the single Groth16 public input.
//!
//! A Nexus Zero proof says: the program with verifying key `program_vkey` halted with exit code 0 after
//! committing `public_values`. The Groth16 circuit exposes that as one BN254 scalar,
//!
//! ```text
//! public_input = sha256(program_vkey ‖ sha256(public_values)) & (2^253 - 1)
//! ```
//!
//! read as a big-endian integer. One public input is the cheapest statement on chain (each further input
//! costs an EC multiplication and addition, 6,150 gas), and SHA-256 is a precompile there (0x02). The mask
//! keeps the top three bits clear, so the value is below `2^253 < r` and needs no reduction: the integer is
//! the field element, on chain and here. The generated Solidity verifier computes the same value
//! (`contracts/NexusStatement.sol`) from the calldata it is given, so a proof can only be accepted for the
//! program key and public values it was made for.

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use sha2::{Digest, Sha256};

/// How many low bits of the statement digest the public input keeps (`2^253 < r`, BN254's scalar modulus).
pub const STATEMENT_BITS: u32 = 253;

/// `sha256(public_values)`: the digest the guest runtime computes inside the VM and the STARK exposes.
pub fn public_values_digest(public_values: &[u8]) -> [u8; 32] {
    Sha256::digest(public_values).into()
}

/// The statement digest `sha256(program_vkey ‖ sha256(public_values))` masked to [`STATEMENT_BITS`] bits, as
/// 32 big-endian bytes: the bytes of [`public_input`].
pub fn statement_digest(program_vkey: [u8; 32], public_values: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(program_vkey);
    hasher.update(public_values_digest(public_values));
    let mut digest: [u8; 32] = hasher.finalize().into();
    // 256 - 253 = 3 top bits cleared: big-endian, so they live in the first byte.
    digest[0] &= 0xff >> (256 - STATEMENT_BITS);
    digest
}

/// The Groth16 public input for a program verifying key and the public values its run committed.
///
/// The masked digest is below `2^253 < r`, so the conversion is exact (no modular reduction): the same
/// integer the Solidity verifier computes and passes to the `ecMul` precompile.
pub fn public_input(program_vkey: [u8; 32], public_values: &[u8]) -> Fr {
    Fr::from_be_bytes_mod_order(&statement_digest(program_vkey, public_values))
}

/// A field element as 32 big-endian bytes (the EVM's word order).
pub(crate) fn fr_to_be_bytes(value: Fr) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&value.into_bigint().to_bytes_be());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{BigInteger256, One};

    #[test]
    fn mask_keeps_the_value_below_the_scalar_modulus() {
        // 2^253 - 1 is the largest public input; it must be a canonical field element.
        let max = BigInteger256::from(1u64) << STATEMENT_BITS;
        assert!(max < Fr::MODULUS, "2^253 must be below r for the mask to make reduction unnecessary");
        let all_ones = [0xffu8; 32];
        let mut masked = all_ones;
        masked[0] &= 0xff >> (256 - STATEMENT_BITS);
        let value = Fr::from_be_bytes_mod_order(&masked);
        assert_eq!(value + Fr::one(), Fr::from_bigint(max).unwrap());
    }

    #[test]
    fn known_vector() {
        // Computed independently: python3 -c "import hashlib; pv=b'hello'; vk=bytes(range(32));
        //   d=hashlib.sha256(vk+hashlib.sha256(pv).digest()).digest(); print(hex(int.from_bytes(d,'big') & (2**253-1)))"
        let vkey: [u8; 32] = core::array::from_fn(|i| i as u8);
        let expected = "008ea2da34d94065a98b56c65a554c82c6e6f4ca5983ff0f15b68e459fdc3068";
        let digest = statement_digest(vkey, b"hello");
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, expected);
        assert_eq!(fr_to_be_bytes(public_input(vkey, b"hello")), digest);
    }

    #[test]
    fn every_part_of_the_statement_changes_the_input() {
        let vkey = [7u8; 32];
        let base = public_input(vkey, b"values");
        let mut other_key = vkey;
        other_key[31] ^= 1;
        assert_ne!(public_input(other_key, b"values"), base);
        assert_ne!(public_input(vkey, b"valuet"), base);
        assert_ne!(public_input(vkey, b""), base);
        assert_ne!(public_input(vkey, b"values\0"), base);
    }
}
