//! Poseidon2 over the BN254 scalar field, width 3: the permutation, a sponge and a 2-to-1 compression.
//!
//! The instance is the reference one of the Poseidon2 paper (HorizenLabs' `poseidon2_instance_bn256.rs`):
//! S-box `x^5`, 8 full rounds (4 before and 4 after the partial rounds), 56 partial rounds, external matrix
//! `circ(2, 1, 1)` and internal matrix `[[2,1,1],[1,2,1],[1,1,3]]`. The native code here and the R1CS gadget
//! in `nzero-wrapper` compute the same function; both are pinned by the reference known-answer vector.
//!
//! Modes built on the permutation (the state is `[rate0, rate1, capacity]`):
//! - [`compress`]: `P([left, right, domain])[0]`, a fixed-length 2-to-1 compression (Merkle nodes, and the
//!   transcript steps that combine two elements). The domain tag in the capacity word separates its uses.
//! - [`Poseidon2Sponge`]: absorbs a sequence of field elements two at a time into the rate words, starting
//!   from `[0, 0, domain]`. A last block that is short is padded with a single `1` (then zero); a last
//!   block that is full instead gets [`FULL_BLOCK_FLAG`] added to the capacity word. Either way the padding
//!   is injective and no permutation is spent on padding alone, so 16 M31 values (2 elements) cost one
//!   permutation, natively and in the circuit.
//!
//! Domain tags are `u64`, so a capacity word starting at a tag never equals a tag plus the flag `2^64`.
//! Every use of the permutation in this crate has its own tag.

pub mod constants;

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, MontFp};

use constants::{FULL_ROUND_CONSTANTS_BEGIN, FULL_ROUND_CONSTANTS_END, PARTIAL_ROUND_CONSTANTS};

/// Number of field elements in the permutation state.
pub const WIDTH: usize = 3;
/// Number of state words a sponge absorbs per permutation (the rest is capacity).
pub const RATE: usize = 2;
/// Number of full rounds (half before, half after the partial rounds).
pub const FULL_ROUNDS: usize = 8;
/// Number of full rounds on each side of the partial rounds.
pub const HALF_FULL_ROUNDS: usize = FULL_ROUNDS / 2;
/// Number of partial rounds (S-box on the first word only).
pub const PARTIAL_ROUNDS: usize = 56;
/// Number of S-box evaluations per permutation; each costs three R1CS constraints.
pub const SBOXES_PER_PERMUTATION: usize = FULL_ROUNDS * WIDTH + PARTIAL_ROUNDS;

/// The S-box `x^5` (the smallest `d` coprime to `r - 1` for BN254).
///
/// Multiplications rather than squarings: with the `asm` feature ark-ff multiplies in assembly, but
/// squares in Rust, and `x · x` is then about 10% faster overall.
#[inline(always)]
fn sbox(x: Fr) -> Fr {
    let x2 = x * x;
    let x4 = x2 * x2;
    x4 * x
}

/// The external linear layer `circ(2, 1, 1)`: `x_i + (x_0 + x_1 + x_2)`.
#[inline(always)]
fn external_linear_layer(state: &mut [Fr; WIDTH]) {
    let sum = state[0] + state[1] + state[2];
    state.iter_mut().for_each(|x| *x += sum);
}

/// The internal linear layer `[[2,1,1],[1,2,1],[1,1,3]]`, i.e. `diag(1, 1, 2) · x + sum(x)`.
#[inline(always)]
fn internal_linear_layer(state: &mut [Fr; WIDTH]) {
    let sum = state[0] + state[1] + state[2];
    state[0] += sum;
    state[1] += sum;
    state[2].double_in_place();
    state[2] += sum;
}

/// Applies the Poseidon2 permutation to `state` in place.
pub fn permute(state: &mut [Fr; WIDTH]) {
    external_linear_layer(state);
    for round_constants in &FULL_ROUND_CONSTANTS_BEGIN {
        for (x, c) in state.iter_mut().zip(round_constants) {
            *x = sbox(*x + c);
        }
        external_linear_layer(state);
    }
    for c in &PARTIAL_ROUND_CONSTANTS {
        state[0] = sbox(state[0] + c);
        internal_linear_layer(state);
    }
    for round_constants in &FULL_ROUND_CONSTANTS_END {
        for (x, c) in state.iter_mut().zip(round_constants) {
            *x = sbox(*x + c);
        }
        external_linear_layer(state);
    }
}

/// The 2-to-1 compression `P([left, right, domain])[0]`.
///
/// The inputs have a fixed length, so no padding is needed; `domain` keeps the different uses (Merkle
/// nodes, transcript steps) from ever evaluating the same function.
pub fn compress(domain: u64, left: Fr, right: Fr) -> Fr {
    let mut state = [left, right, Fr::from(domain)];
    permute(&mut state);
    state[0]
}

/// Added to the capacity word when the last absorbed block is full (`2^64`, above every `u64` tag).
pub const FULL_BLOCK_FLAG: Fr = MontFp!("18446744073709551616");

/// A sponge over Poseidon2 with rate 2 and capacity 1, absorbing field elements.
///
/// It starts from `[0, 0, domain]`. Elements are added into the rate words two at a time; a block is only
/// permuted once the next element arrives, so that [`Poseidon2Sponge::squeeze`] knows whether the last
/// block is full. Squeezing pads a short last block with `1` (then `0`), or adds [`FULL_BLOCK_FLAG`] to the
/// capacity word if the last block is full, permutes and returns the first word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Poseidon2Sponge {
    state: [Fr; WIDTH],
    pending: [Fr; RATE],
    n_pending: usize,
}

impl Poseidon2Sponge {
    /// A fresh sponge for the domain `domain`.
    pub fn new(domain: u64) -> Self {
        Self::from_state([Fr::ZERO, Fr::ZERO, Fr::from(domain)])
    }

    /// A sponge that continues from `state` with nothing pending (used to resume a batched absorption).
    pub(crate) fn from_state(state: [Fr; WIDTH]) -> Self {
        Self { state, pending: [Fr::ZERO; RATE], n_pending: 0 }
    }

    /// The state words and the elements absorbed but not yet permuted (for serialization).
    pub(crate) fn parts(&self) -> ([Fr; WIDTH], &[Fr]) {
        (self.state, &self.pending[..self.n_pending])
    }

    /// The inverse of [`Poseidon2Sponge::parts`]; `None` if more than a block is pending.
    pub(crate) fn from_parts(state: [Fr; WIDTH], pending: &[Fr]) -> Option<Self> {
        let mut sponge = Self::from_state(state);
        sponge.pending.get_mut(..pending.len())?.copy_from_slice(pending);
        sponge.n_pending = pending.len();
        Some(sponge)
    }

    /// Absorbs one element.
    pub fn absorb(&mut self, x: Fr) {
        if self.n_pending == RATE {
            absorb_block(&mut self.state, self.pending);
            self.n_pending = 0;
        }
        self.pending[self.n_pending] = x;
        self.n_pending += 1;
    }

    /// Absorbs every element of `xs`, in order.
    pub fn absorb_all(&mut self, xs: impl IntoIterator<Item = Fr>) {
        xs.into_iter().for_each(|x| self.absorb(x));
    }

    /// Pads, permutes and returns the first state word.
    pub fn squeeze(mut self) -> Fr {
        match self.n_pending {
            0 => self.state[0] += Fr::ONE,
            1 => {
                self.state[0] += self.pending[0];
                self.state[1] += Fr::ONE;
            }
            _ => {
                self.state[0] += self.pending[0];
                self.state[1] += self.pending[1];
                self.state[2] += FULL_BLOCK_FLAG;
            }
        }
        permute(&mut self.state);
        self.state[0]
    }
}

/// Adds a full block to the rate words and permutes: the sponge step for a block that is known not to be
/// the last one.
pub(crate) fn absorb_block(state: &mut [Fr; WIDTH], block: [Fr; RATE]) {
    state[0] += block[0];
    state[1] += block[1];
    permute(state);
}

/// Hashes a sequence of field elements with a [`Poseidon2Sponge`] for `domain`.
pub fn hash(domain: u64, inputs: &[Fr]) -> Fr {
    let mut sponge = Poseidon2Sponge::new(domain);
    sponge.absorb_all(inputs.iter().copied());
    sponge.squeeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference known-answer vector: HorizenLabs' `kats()` for `POSEIDON2_BN256_PARAMS`.
    const KAT_INPUT: [Fr; WIDTH] = [MontFp!("0"), MontFp!("1"), MontFp!("2")];
    const KAT_OUTPUT: [Fr; WIDTH] = [
        MontFp!("0x0bb61d24daca55eebcb1929a82650f328134334da98ea4f847f760054f4a3033"),
        MontFp!("0x303b6f7c86d043bfcbcc80214f26a30277a15d3f74ca654992defe7ff8d03570"),
        MontFp!("0x1ed25194542b12eef8617361c3ba7c52e660b145994427cc86296242cf766ec8"),
    ];

    #[test]
    fn permutation_matches_reference_vector() {
        let mut state = KAT_INPUT;
        permute(&mut state);
        assert_eq!(state, KAT_OUTPUT);
    }

    /// The internal layer written as the reference matrix product, to check the cheap form above.
    #[test]
    fn internal_layer_is_the_reference_matrix() {
        let m = [[2u64, 1, 1], [1, 2, 1], [1, 1, 3]];
        let x = [Fr::from(7u64), Fr::from(11u64), Fr::from(13u64)];
        let mut y = x;
        internal_linear_layer(&mut y);
        for (row, yi) in m.iter().zip(y) {
            let expected: Fr = row.iter().zip(&x).map(|(a, b)| Fr::from(*a) * b).sum();
            assert_eq!(yi, expected);
        }
    }

    #[test]
    fn sponge_padding_separates_lengths() {
        let (zero, one) = (Fr::ZERO, Fr::ONE);
        // Trailing zeros, and a trailing element equal to the padding, must not collide.
        let digests = [
            hash(0, &[]),
            hash(0, &[zero]),
            hash(0, &[zero, zero]),
            hash(0, &[one]),
            hash(0, &[zero, one]),
            hash(0, &[zero, zero, one]),
            hash(1, &[]),
        ];
        for (i, a) in digests.iter().enumerate() {
            for b in &digests[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn sponge_is_streaming() {
        for len in 0..7u64 {
            let xs: Vec<Fr> = (0..len).map(Fr::from).collect();
            let mut sponge = Poseidon2Sponge::new(5);
            for x in &xs {
                sponge.absorb(*x);
            }
            assert_eq!(sponge.squeeze(), hash(5, &xs));
        }
    }

    #[test]
    fn sponge_pads_as_documented() {
        let (a, b) = (Fr::from(3u64), Fr::from(4u64));
        let domain = Fr::from(5u64);
        // A full last block: one permutation, flag in the capacity.
        let mut state = [a, b, domain + FULL_BLOCK_FLAG];
        permute(&mut state);
        assert_eq!(hash(5, &[a, b]), state[0]);
        // A short last block: padded with 1.
        let mut state = [a, Fr::ONE, domain];
        permute(&mut state);
        assert_eq!(hash(5, &[a]), state[0]);
        // Three elements: the first block is permuted as it is, the second padded.
        let mut state = [a, b, domain];
        permute(&mut state);
        state[0] += a;
        state[1] += Fr::ONE;
        permute(&mut state);
        assert_eq!(hash(5, &[a, b, a]), state[0]);
    }

    #[test]
    fn compress_is_the_truncated_permutation() {
        let (l, r) = (Fr::from(3u64), Fr::from(4u64));
        let mut state = [l, r, Fr::from(9u64)];
        permute(&mut state);
        assert_eq!(compress(9, l, r), state[0]);
        assert_ne!(compress(9, l, r), compress(10, l, r));
    }
}
