//! The n-th Fibonacci number mod 2^32 (F(0) = 0, F(1) = 1).
//!
//! Input: `n` as a `u32` (`Input::write(&n)`, or postcard's varint: `--input-hex 0a` for 10).
//! Public values: `n` and `F(n) mod 2^32`, each as 4 little-endian bytes.
#![no_std]
#![no_main]

nzero_runtime::entry!(main);

fn main() {
    let n: u32 = nzero_runtime::read();
    let (mut a, mut b) = (0u32, 1u32);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    nzero_runtime::commit_slice(&n.to_le_bytes());
    nzero_runtime::commit_slice(&a.to_le_bytes());
}
