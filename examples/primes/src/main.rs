//! Counts the primes below `n`: a loop that costs far more gas on chain than verifying its proof. It
//! serves `contracts/examples/PrimeOracle.sol` through the ComputeBridge.
//!
//! Input (a bridge request's bytes, as Solidity's `abi.encodePacked(uint32 n)`): `n`, 4 bytes big-endian.
//! Public values: `sha256(input)` (the bridge's binding, [`nzero_runtime::read_request`]), then the
//! count, 4 bytes big-endian (`uint32(bytes4(output))` in Solidity).
#![no_std]
#![no_main]

nzero_runtime::entry!(main);

fn main() {
    let input = nzero_runtime::read_request();
    let n = u32::from_be_bytes(input.as_slice().try_into().expect("the input is n, 4 bytes big-endian"));
    let count = (2..n).filter(|&k| is_prime(k)).count() as u32;
    nzero_runtime::commit_slice(&count.to_be_bytes());
}

fn is_prime(k: u32) -> bool {
    (2..).take_while(|&d| d <= k / d).all(|d| k % d != 0)
}
