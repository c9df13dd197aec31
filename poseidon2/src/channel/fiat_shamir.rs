//! The Fiat-Shamir transcript over Poseidon2.
//!
//! The state is a digest `d ∈ Fr` and a draw counter. Every mix replaces `d` and resets the counter:
//!
//! | operation | new digest |
//! |---|---|
//! | `mix_root(root)` | `compress(MIX_ROOT, d, root)` |
//! | `mix_felts(felts)` | `sponge(MIX_FELTS, [d, pack_m31s(8 coordinates)...])`, coordinates in order |
//! | `mix_u32s(words)` | `sponge(MIX_U32S, [d, pack_u32s(7 words)...])` |
//! | `mix_u64(v)` | `compress(MIX_U64, d, v)` |
//!
//! A draw is `x = compress(DRAW, d, n_draws)`, then `n_draws += 1`.
//!
//! ## Uniform draws
//! `x` is (modelled as) uniform in `[0, r)`, `r ≈ 48.4 · 2^248`. Its low 248 bits are split into eight
//! 31-bit words `w_0..w_7` (`w_i = (x >> 31 i) mod 2^31`). Each 248-bit value has 48 or 49 preimages below
//! `r`, so the probability of any event over the words is at most `49 · 2^248 / r < 1.013` times its
//! probability under the uniform distribution: a draw loses under 0.02 bits of soundness. The top 6 bits
//! are dropped.
//! - Base-field draws: a word equal to `2^31 - 1` (which would alias `0` in M31) rejects the whole draw,
//!   which is retried with the next counter, as Stwo's Blake2s channel does. Accepted words are uniform
//!   in `[0, 2^31 - 1)`. A rejection happens with probability `8 · 2^-31` per draw; the circuit, which
//!   cannot loop, only supports transcripts without one (it asserts `w_i ≠ 2^31 - 1`), so a prover
//!   fails to wrap about one proof in `2^22`.
//! - `draw_u32s` returns the eight words as they are (`< 2^31`); Stwo masks their low bits into query
//!   positions, which are uniform for domains up to `2^31`.
//!
//! ## Proof of work
//! `prefix = compress(POW_PREFIX, d, pow_bits)`, `h = compress(POW_NONCE, prefix, nonce)`; the nonce is
//! valid if the integer `h` has at least `pow_bits` trailing zero bits (low bits of a uniform `Fr` are
//! uniform up to a factor `1 + 2^(pow_bits - 253)`).

use core::array;

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use stwo::core::channel::Channel;
use stwo::core::fields::m31::{BaseField, P};
use stwo::core::fields::qm31::SecureField;

use super::{M31S_PER_FR, U32S_PER_FR, domain, pack_m31s, pack_u32s};
use crate::permutation::{Poseidon2Sponge, compress};

/// Random 31-bit words per draw.
pub const WORDS_PER_DRAW: usize = 8;

/// The Fiat-Shamir channel of the EVM proof mode (see the module documentation for its definition).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Poseidon2Channel {
    digest: Fr,
    n_draws: u32,
}

impl Poseidon2Channel {
    /// The current digest.
    pub fn digest(&self) -> Fr {
        self.digest
    }

    /// The number of draws since the last mix.
    pub fn n_draws(&self) -> u32 {
        self.n_draws
    }

    /// Replaces the digest (a mix) and resets the draw counter.
    pub fn update_digest(&mut self, digest: Fr) {
        self.digest = digest;
        self.n_draws = 0;
    }

    /// One raw draw: `compress(DRAW, digest, n_draws)`.
    fn draw_fr(&mut self) -> Fr {
        let x = compress(domain::DRAW, self.digest, Fr::from(self.n_draws));
        self.n_draws += 1;
        x
    }

    /// Eight uniform base-field elements, rejecting draws with a word equal to `2^31 - 1`.
    fn draw_base_felts(&mut self) -> [BaseField; WORDS_PER_DRAW] {
        loop {
            let words = low_31_bit_words(self.draw_fr());
            if words.iter().all(|w| *w < P) {
                return words.map(BaseField::from_u32_unchecked);
            }
        }
    }

    /// The proof-of-work prefix `compress(POW_PREFIX, digest, pow_bits)`, shared by every nonce tried.
    pub(crate) fn pow_prefix(&self, pow_bits: u32) -> Fr {
        compress(domain::POW_PREFIX, self.digest, Fr::from(pow_bits))
    }
}

/// Whether `nonce` solves the proof of work of `prefix` (see [`Poseidon2Channel::pow_prefix`]).
pub(crate) fn pow_nonce_is_valid(prefix: Fr, pow_bits: u32, nonce: u64) -> bool {
    trailing_zeros(compress(domain::POW_NONCE, prefix, Fr::from(nonce))) >= pow_bits
}

fn trailing_zeros(x: Fr) -> u32 {
    let bits = x.into_bigint();
    if bits.is_zero() {
        return 256;
    }
    let mut zeros = 0;
    for limb in bits.0 {
        if limb != 0 {
            return zeros + limb.trailing_zeros();
        }
        zeros += 64;
    }
    zeros
}

/// The eight 31-bit words of the low 248 bits of `x`, least significant first.
pub(crate) fn low_31_bit_words(x: Fr) -> [u32; WORDS_PER_DRAW] {
    let limbs = x.into_bigint().0;
    array::from_fn(|i| {
        let offset = 31 * i;
        let (limb, shift) = (offset / 64, offset % 64);
        let mut word = limbs[limb] >> shift;
        if shift > 64 - 31 {
            word |= limbs[limb + 1] << (64 - shift);
        }
        (word & 0x7fff_ffff) as u32
    })
}

impl Channel for Poseidon2Channel {
    const BYTES_PER_HASH: usize = 32;

    fn verify_pow_nonce(&self, n_bits: u32, nonce: u64) -> bool {
        pow_nonce_is_valid(self.pow_prefix(n_bits), n_bits, nonce)
    }

    fn mix_u32s(&mut self, data: &[u32]) {
        let mut sponge = Poseidon2Sponge::new(domain::MIX_U32S);
        sponge.absorb(self.digest);
        sponge.absorb_all(data.chunks(U32S_PER_FR).map(pack_u32s));
        self.update_digest(sponge.squeeze());
    }

    fn mix_felts(&mut self, felts: &[SecureField]) {
        let coordinates: Vec<BaseField> = felts.iter().flat_map(|f| f.to_m31_array()).collect();
        let mut sponge = Poseidon2Sponge::new(domain::MIX_FELTS);
        sponge.absorb(self.digest);
        sponge.absorb_all(coordinates.chunks(M31S_PER_FR).map(pack_m31s));
        self.update_digest(sponge.squeeze());
    }

    fn mix_u64(&mut self, value: u64) {
        self.update_digest(compress(domain::MIX_U64, self.digest, Fr::from(value)));
    }

    fn draw_secure_felt(&mut self) -> SecureField {
        let felts = self.draw_base_felts();
        SecureField::from_m31_array(array::from_fn(|i| felts[i]))
    }

    fn draw_secure_felts(&mut self, n_felts: usize) -> Vec<SecureField> {
        // Two extension elements per draw, as in Stwo's Blake2s channel.
        let mut felts = Vec::with_capacity(n_felts);
        while felts.len() < n_felts {
            let [a0, a1, a2, a3, b0, b1, b2, b3] = self.draw_base_felts();
            felts.push(SecureField::from_m31_array([a0, a1, a2, a3]));
            if felts.len() < n_felts {
                felts.push(SecureField::from_m31_array([b0, b1, b2, b3]));
            }
        }
        felts
    }

    fn draw_u32s(&mut self) -> Vec<u32> {
        low_31_bit_words(self.draw_fr()).to_vec()
    }
}

#[cfg(test)]
mod tests {
    use ark_ff::{AdditiveGroup, Field};

    use super::*;
    use crate::permutation::hash;

    #[test]
    fn words_are_the_low_248_bits() {
        let x = Fr::from(2u64).pow([250]) - Fr::ONE; // 250 one bits
        assert_eq!(low_31_bit_words(x), [0x7fff_ffff; 8]);
        let y = Fr::from(5u64) + Fr::from(3u64) * Fr::from(2u64).pow([31 * 7]);
        assert_eq!(low_31_bit_words(y), [5, 0, 0, 0, 0, 0, 0, 3]);
    }

    #[test]
    fn draws_follow_the_definition() {
        let mut channel = Poseidon2Channel::default();
        channel.mix_u64(42);
        let d = compress(domain::MIX_U64, Fr::ZERO, Fr::from(42u64));
        assert_eq!(channel.digest(), d);
        let words = channel.draw_u32s();
        assert_eq!(words, low_31_bit_words(compress(domain::DRAW, d, Fr::ZERO)).to_vec());
        assert_eq!(channel.n_draws(), 1);
        let felt = channel.draw_secure_felt();
        let w = low_31_bit_words(compress(domain::DRAW, d, Fr::ONE));
        let expected = SecureField::from_m31_array(array::from_fn(|i| BaseField::from_u32_unchecked(w[i])));
        assert_eq!(felt, expected);
        // Two extension elements per draw.
        channel.draw_secure_felts(5);
        assert_eq!(channel.n_draws(), 5);
    }

    #[test]
    fn mixes_follow_the_definition() {
        let mut channel = Poseidon2Channel::default();
        let felts: Vec<SecureField> = (0..3u32)
            .map(|i| SecureField::from_m31_array(array::from_fn(|j| BaseField::from(4 * i + j as u32))))
            .collect();
        channel.mix_felts(&felts);
        let coords: Vec<BaseField> = felts.iter().flat_map(|f| f.to_m31_array()).collect();
        let expected = hash(domain::MIX_FELTS, &[Fr::ZERO, pack_m31s(&coords[..8]), pack_m31s(&coords[8..])]);
        assert_eq!(channel.digest(), expected);

        let d = channel.digest();
        channel.mix_u32s(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let expected = hash(domain::MIX_U32S, &[d, pack_u32s(&[1, 2, 3, 4, 5, 6, 7]), pack_u32s(&[8])]);
        assert_eq!(channel.digest(), expected);
        assert_eq!(channel.n_draws(), 0);
    }

    #[test]
    fn every_operation_changes_the_digest() {
        let base = Poseidon2Channel::default();
        let mut digests = vec![base.digest()];
        let mut c = base.clone();
        c.mix_u64(0);
        digests.push(c.digest());
        let mut c = base.clone();
        c.mix_u32s(&[0, 0]);
        digests.push(c.digest());
        let mut c = base.clone();
        c.mix_u32s(&[]);
        digests.push(c.digest());
        let mut c = base.clone();
        c.mix_felts(&[SecureField::from(BaseField::from(0))]);
        digests.push(c.digest());
        let mut c = base.clone();
        c.mix_felts(&[]);
        digests.push(c.digest());
        for (i, a) in digests.iter().enumerate() {
            for b in &digests[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn proof_of_work_counts_trailing_zeros() {
        assert_eq!(trailing_zeros(Fr::from(8u64)), 3);
        assert_eq!(trailing_zeros(Fr::from(2u64).pow([100])), 100);
        let mut channel = Poseidon2Channel::default();
        channel.mix_u64(7);
        let nonce = (0u64..).find(|n| channel.verify_pow_nonce(6, *n)).unwrap_or_default();
        let h = compress(domain::POW_NONCE, channel.pow_prefix(6), Fr::from(nonce));
        assert!(trailing_zeros(h) >= 6);
        assert!((0..nonce).all(|n| !channel.verify_pow_nonce(6, n)));
    }
}
