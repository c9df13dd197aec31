//! The ComputeBridge convention (`contracts/bridge/ComputeBridge.sol`, `docs/BRIDGE.md`): a guest that
//! serves on-chain requests commits `sha256(input)` as its first 32 bytes of public values, so a proof
//! answers exactly the request whose input it ran on; the rest of the public values is the output the
//! requesting contract receives.

use alloc::vec::Vec;

use sha2::{Digest, Sha256};

use crate::io::{commit_slice, read_vec};

/// Reads the whole private input — a request's `input` bytes, exactly — and commits its SHA-256 as the
/// first public values. Call it before committing anything else; then commit the output.
pub fn read_request() -> Vec<u8> {
    let input = read_vec();
    commit_slice(&Sha256::digest(&input));
    input
}
