//! Poseidon2 over the BN254 scalar field, width 3: the permutation, a sponge and a 2-to-1 compression.
//!
//! The instance is the reference one of the Poseidon2 paper (HorizenLabs' `poseidon2_instance_bn256.rs`):
//! S-box `x^5`, 8 full rounds (4 before and 4 after the partial rounds), 56 partial rounds, external matrix
//! `circ(2, 1, 1)` and internal matrix `[[2,1,1],[1,2,1],[1,1,3]]`. The native code here and the R1CS gadget
//! in [`constraints`] compute the same function; both are pinned by the reference known-answer vector.
//!
//! Modes built on the permutation (the state is `[rate0, rate1, capacity]`):
//! - [`compress`]: `P([left, right, domain])[0]`, a fixed-length 2-to-1 compression (Merkle nodes, and the
//!   transcript steps that combine two elements). The domain tag in the capacity word separates its uses.
//! - [`Poseidon2Sponge`]: absorbs a sequence of field elements two at a time into the rate words, starting
//!   from `[0, 0, domain]`, and pads with a single `1` (then zeros) before the last permutation, so that
//!   sequences of different lengths never share a padded form.

mod constants;
pub(crate) mod constraints;

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

use constants::{FULL_ROUND_CONSTANTS_BEGIN, FULL_ROUND_CONSTANTS_END, PARTIAL_ROUND_CONSTANTS};

/// Number of field elements in the permutation state.
pub const WIDTH: usize = 3;
/// Number of state words a sponge absorbs per permutation (the rest is capacity).
pub const RATE: usize = 2;
/// Number of full rounds (half before, half after the partial rounds).
pub const FULL_ROUNDS: usize = 8;
/// Number of full rounds on each side of the partial rounds.
pub(crate) const HALF_FULL_ROUNDS: usize = FULL_ROUNDS / 2;
/// Number of partial rounds (S-box on the first word only).
pub const PARTIAL_ROUNDS: usize = 56;
/// Number of S-box evaluations per permutation; each costs three R1CS constraints.
pub const SBOXES_PER_PERMUTATION: usize = FULL_ROUNDS * WIDTH + PARTIAL_ROUNDS;

/// The S-box `x^5` (the smallest `d` coprime to `r - 1` for BN254).
#[inline(always)]
fn sbox(x: Fr) -> Fr {
    let x2 = x.square();
    let x4 = x2.square();
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

/// A sponge over Poseidon2 with rate 2 and capacity 1, absorbing field elements.
///
/// It starts from `[0, 0, domain]`. Elements are added into the rate words two at a time, each full pair
/// followed by a permutation. [`Poseidon2Sponge::squeeze`] pads the message with one `1` and then zeros
/// up to a full pair, permutes and returns the first word: an injective padding, so messages of different
/// lengths are hashed as different padded messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poseidon2Sponge {
    state: [Fr; WIDTH],
    /// An absorbed element waiting for its pair; pairs are only added once complete so that the sponge
    /// can be fed one element at a time.
    pending: Option<Fr>,
}

impl Poseidon2Sponge {
    /// A fresh sponge for the domain `domain`.
    pub fn new(domain: u64) -> Self {
        Self { state: [Fr::from(0u64), Fr::from(0u64), Fr::from(domain)], pending: None }
    }

    /// Absorbs one element.
    pub fn absorb(&mut self, x: Fr) {
        match self.pending.take() {
            None => self.pending = Some(x),
            Some(first) => {
                self.state[0] += first;
                self.state[1] += x;
                permute(&mut self.state);
            }
        }
    }

    /// Absorbs every element of `xs`, in order.
    pub fn absorb_all(&mut self, xs: impl IntoIterator<Item = Fr>) {
        xs.into_iter().for_each(|x| self.absorb(x));
    }

    /// Pads, permutes and returns the first state word.
    pub fn squeeze(mut self) -> Fr {
        match self.pending.take() {
            None => self.state[0] += Fr::from(1u64),
            Some(last) => {
                self.state[0] += last;
                self.state[1] += Fr::from(1u64);
            }
        }
        permute(&mut self.state);
        self.state[0]
    }
}

/// Hashes a sequence of field elements with a [`Poseidon2Sponge`] for `domain`.
pub fn hash(domain: u64, inputs: &[Fr]) -> Fr {
    let mut sponge = Poseidon2Sponge::new(domain);
    sponge.absorb_all(inputs.iter().copied());
    sponge.squeeze()
}

#[cfg(test)]
mod tests {
    use ark_ff::MontFp;

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
        let zero = Fr::from(0u64);
        let one = Fr::from(1u64);
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
        let xs: Vec<Fr> = (0..7u64).map(Fr::from).collect();
        let mut sponge = Poseidon2Sponge::new(5);
        for x in &xs {
            sponge.absorb(*x);
        }
        assert_eq!(sponge.squeeze(), hash(5, &xs));
        // Two elements: one permutation to absorb, one after padding.
        let mut state = [xs[0], xs[1], Fr::from(5u64)];
        permute(&mut state);
        state[0] += Fr::from(1u64);
        permute(&mut state);
        assert_eq!(hash(5, &xs[..2]), state[0]);
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
