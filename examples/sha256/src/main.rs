//! SHA-256 of the whole private input (raw bytes), committed as 32 bytes.
#![no_std]
#![no_main]

use sha2::{Digest, Sha256};

nzero_runtime::entry!(main);

fn main() {
    let data = nzero_runtime::read_vec();
    nzero_runtime::commit_slice(&Sha256::digest(&data));
}
