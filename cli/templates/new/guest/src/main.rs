//! Counts the primes below `n` — a loop that would cost far more gas on chain than verifying its proof.
//!
//! Input: `n` as a `u32` (postcard's varint: `--input-hex 64` for 100, as script/prove.sh passes it).
//! Public values: `n` and the count, each as 4 little-endian bytes — what the contract decodes.
#![no_std]
#![no_main]

nzero_runtime::entry!(main);

fn main() {
    let n: u32 = nzero_runtime::read();
    let count = (2..n).filter(|&k| is_prime(k)).count() as u32;
    nzero_runtime::commit_slice(&n.to_le_bytes());
    nzero_runtime::commit_slice(&count.to_le_bytes());
}

fn is_prime(k: u32) -> bool {
    (2..).take_while(|&d| d <= k / d).all(|d| k % d != 0)
}
