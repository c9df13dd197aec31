//! The R1CS twins of [`nzero_poseidon2::channel`]'s Merkle hasher and transcript: the same leaf and node hashes, and the
//! same transcript, over variables.
//!
//! M31 values (leaf values, extension-field coordinates) arrive as field variables holding canonical M31
//! values, and `u32` words as variables below `2^32`; range-checking them is the caller's job (the
//! circuit checks each value once, where it enters). Packing is a linear combination, so a leaf of `n`
//! values costs `ceil(n / 16)` permutations and a node one permutation.

use ark_bn254::Fr;
use ark_ff::Field;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::convert::ToBitsGadget;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::FieldVar;
use ark_relations::gr1cs::SynthesisError;
use stwo::core::fields::m31::P;

use crate::poseidon2::{FrVar, Poseidon2SpongeVar, compress_var};
use nzero_poseidon2::{M31S_PER_FR, U32S_PER_FR, WORDS_PER_DRAW, domain};

/// An extension-field (QM31) element as its four M31 coordinates, in Stwo's `to_m31_array` order.
pub type SecureFieldVar = [FrVar; 4];

/// `sum_i w_i · 2^(bits · i)`, plus `len · 2^(bits · capacity)` if `len < capacity` (a linear combination).
fn pack_words_var(words: &[FrVar], bits: u32, capacity: usize) -> Result<FrVar, SynthesisError> {
    if words.len() > capacity {
        return Err(SynthesisError::Unsatisfiable);
    }
    let shift = Fr::from(2u64).pow([u64::from(bits)]);
    let mut packed = FrVar::zero();
    let mut scale = Fr::ONE;
    for w in words {
        packed += w * scale;
        scale *= shift;
    }
    if words.len() < capacity {
        packed += Fr::from(words.len() as u64) * shift.pow([capacity as u64]);
    }
    Ok(packed)
}

/// Packs at most eight M31 variables into one, as [`nzero_poseidon2::pack_m31s`] does:
/// `sum_i v_i · 2^(31 i)` plus the length tag `k · 2^248` for a short chunk (a linear combination).
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] if more than eight values are given (a circuit-shape bug).
pub fn pack_m31s_var(values: &[FrVar]) -> Result<FrVar, SynthesisError> {
    pack_words_var(values, 31, M31S_PER_FR)
}

/// Packs at most seven `u32` variables into one, as [`nzero_poseidon2::pack_u32s`] does.
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] if more than seven words are given (a circuit-shape bug).
pub fn pack_u32s_var(words: &[FrVar]) -> Result<FrVar, SynthesisError> {
    pack_words_var(words, 32, U32S_PER_FR)
}

/// The hash of a Merkle leaf holding `values`, as [`nzero_poseidon2::hash_leaf`].
///
/// # Errors
/// Fails only if the constraint system fails.
pub fn hash_leaf_var(values: &[FrVar]) -> Result<FrVar, SynthesisError> {
    let mut sponge = Poseidon2SpongeVar::new(domain::MERKLE_LEAF);
    for chunk in values.chunks(M31S_PER_FR) {
        sponge.absorb(&pack_m31s_var(chunk)?)?;
    }
    sponge.squeeze()
}

/// The hash of a Merkle node, as [`nzero_poseidon2::hash_node`].
///
/// # Errors
/// Fails only if the constraint system fails.
pub fn hash_node_var(left: &FrVar, right: &FrVar) -> Result<FrVar, SynthesisError> {
    compress_var(domain::MERKLE_NODE, left, right)
}

/// The R1CS twin of [`nzero_poseidon2::Poseidon2Channel`]: the same digest, mixes and draws.
///
/// Draws decompose the drawn element into its canonical 254 bits (640 constraints on top of the
/// permutation's 240); base-field draws also enforce that no 31-bit word equals `2^31 - 1`, the case the native
/// channel rejects and retries, which the circuit cannot follow (see [`nzero_poseidon2::Poseidon2Channel`]).
#[derive(Clone, Debug)]
pub struct Poseidon2ChannelVar {
    digest: FrVar,
    n_draws: u32,
}

impl Default for Poseidon2ChannelVar {
    /// The channel's initial state (a constant zero digest), as [`nzero_poseidon2::Poseidon2Channel::default`].
    fn default() -> Self {
        Self { digest: FrVar::zero(), n_draws: 0 }
    }
}

impl Poseidon2ChannelVar {
    /// The current digest.
    pub fn digest(&self) -> &FrVar {
        &self.digest
    }

    fn update_digest(&mut self, digest: FrVar) {
        self.digest = digest;
        self.n_draws = 0;
    }

    /// `digest = compress(MIX_ROOT, digest, root)`, as [`nzero_poseidon2::Poseidon2MerkleChannel`]'s `mix_root`.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn mix_root(&mut self, root: &FrVar) -> Result<(), SynthesisError> {
        let digest = compress_var(domain::MIX_ROOT, &self.digest, root)?;
        self.update_digest(digest);
        Ok(())
    }

    /// Mixes extension-field elements, as `Channel::mix_felts`.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn mix_felts(&mut self, felts: &[SecureFieldVar]) -> Result<(), SynthesisError> {
        let coordinates: Vec<FrVar> = felts.iter().flatten().cloned().collect();
        let mut sponge = Poseidon2SpongeVar::new(domain::MIX_FELTS);
        sponge.absorb(&self.digest)?;
        for chunk in coordinates.chunks(M31S_PER_FR) {
            sponge.absorb(&pack_m31s_var(chunk)?)?;
        }
        let digest = sponge.squeeze()?;
        self.update_digest(digest);
        Ok(())
    }

    /// Mixes `u32` words, as `Channel::mix_u32s`.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn mix_u32s(&mut self, words: &[FrVar]) -> Result<(), SynthesisError> {
        let mut sponge = Poseidon2SpongeVar::new(domain::MIX_U32S);
        sponge.absorb(&self.digest)?;
        for chunk in words.chunks(U32S_PER_FR) {
            sponge.absorb(&pack_u32s_var(chunk)?)?;
        }
        let digest = sponge.squeeze()?;
        self.update_digest(digest);
        Ok(())
    }

    /// `digest = compress(MIX_U64, digest, value)`, as `Channel::mix_u64`.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn mix_u64(&mut self, value: &FrVar) -> Result<(), SynthesisError> {
        let digest = compress_var(domain::MIX_U64, &self.digest, value)?;
        self.update_digest(digest);
        Ok(())
    }

    /// One draw as its eight 31-bit words, each as its little-endian bits.
    fn draw_word_bits(&mut self) -> Result<Vec<Vec<Boolean<Fr>>>, SynthesisError> {
        let x = compress_var(domain::DRAW, &self.digest, &FrVar::constant(Fr::from(self.n_draws)))?;
        self.n_draws += 1;
        // Canonical (below the modulus), so the words are those of the native integer.
        let bits = x.to_bits_le()?;
        Ok(bits.chunks(31).take(WORDS_PER_DRAW).map(<[Boolean<Fr>]>::to_vec).collect())
    }

    /// Eight base-field elements, as the native channel's draw when it needs no retry.
    fn draw_base_felts(&mut self) -> Result<Vec<FrVar>, SynthesisError> {
        let p = FrVar::constant(Fr::from(P));
        self.draw_word_bits()?
            .iter()
            .map(|bits| {
                let word = Boolean::le_bits_to_fp(bits)?;
                // word ≠ 2^31 - 1: the native channel would have retried.
                word.enforce_not_equal(&p)?;
                Ok(word)
            })
            .collect()
    }

    /// Draws one extension-field element, as `Channel::draw_secure_felt`.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn draw_secure_felt(&mut self) -> Result<SecureFieldVar, SynthesisError> {
        let felts = self.draw_base_felts()?;
        Ok([felts[0].clone(), felts[1].clone(), felts[2].clone(), felts[3].clone()])
    }

    /// Draws `n_felts` extension-field elements, two per draw, as `Channel::draw_secure_felts`.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn draw_secure_felts(&mut self, n_felts: usize) -> Result<Vec<SecureFieldVar>, SynthesisError> {
        let mut felts = Vec::with_capacity(n_felts);
        while felts.len() < n_felts {
            let base = self.draw_base_felts()?;
            for chunk in base.chunks_exact(4).take(n_felts - felts.len()) {
                felts.push([chunk[0].clone(), chunk[1].clone(), chunk[2].clone(), chunk[3].clone()]);
            }
        }
        Ok(felts)
    }

    /// Draws eight 31-bit words, as `Channel::draw_u32s`, each as its little-endian bits (query positions
    /// are their low bits).
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn draw_u32s(&mut self) -> Result<Vec<Vec<Boolean<Fr>>>, SynthesisError> {
        self.draw_word_bits()
    }

    /// Enforces that `nonce` solves the proof of work, as `Channel::verify_pow_nonce`.
    ///
    /// The nonce needs no range check: any field element that solves the puzzle costs the same work.
    ///
    /// # Errors
    /// Fails only if the constraint system fails; a wrong nonce leaves it unsatisfied.
    pub fn verify_pow_nonce(&self, pow_bits: u32, nonce: &FrVar) -> Result<(), SynthesisError> {
        let prefix = compress_var(domain::POW_PREFIX, &self.digest, &FrVar::constant(Fr::from(pow_bits)))?;
        let hash = compress_var(domain::POW_NONCE, &prefix, nonce)?;
        let bits = hash.to_bits_le()?;
        bits.iter().take(pow_bits as usize).try_for_each(|bit| bit.enforce_equal(&Boolean::FALSE))
    }

    /// The number of draws since the last mix (a constant of the circuit's shape).
    pub fn n_draws(&self) -> u32 {
        self.n_draws
    }
}

#[cfg(test)]
mod tests {
    use ark_r1cs_std::GR1CSVar;
    use ark_r1cs_std::alloc::{AllocVar, AllocationMode};
    use ark_relations::gr1cs::ConstraintSystem;
    use stwo::core::fields::m31::BaseField;

    use stwo::core::channel::{Channel, MerkleChannel};
    use stwo::core::fields::qm31::SecureField;

    use super::*;
    use crate::poseidon2::PERMUTATION_CONSTRAINTS;
    use nzero_poseidon2::{
        Poseidon2Channel, Poseidon2Hash, Poseidon2MerkleChannel, hash_leaf, hash_node, pack_m31s,
    };

    const MODES: [AllocationMode; 3] =
        [AllocationMode::Constant, AllocationMode::Input, AllocationMode::Witness];

    #[test]
    fn leaf_and_node_match_native_in_every_mode() {
        for n in [0usize, 1, 8, 15, 16, 17, 100] {
            let values: Vec<BaseField> = (0..n as u32)
                .map(|i| BaseField::from_u32_unchecked(i.wrapping_mul(0x2545_f491) % 0x7fff_ffff))
                .collect();
            for mode in MODES {
                let cs = ConstraintSystem::<Fr>::new_ref();
                let vars: Vec<FrVar> = values
                    .iter()
                    .map(|v| FrVar::new_variable(cs.clone(), || Ok(Fr::from(v.0)), mode).unwrap())
                    .collect();
                if n <= M31S_PER_FR {
                    assert_eq!(pack_m31s_var(&vars).unwrap().value().unwrap(), pack_m31s(&values));
                }
                let leaf = hash_leaf_var(&vars).unwrap();
                assert_eq!(leaf.value().unwrap(), hash_leaf(&values).0, "{n} values, {mode:?}");
                let permutations =
                    if mode == AllocationMode::Constant || n == 0 { 0 } else { n.div_ceil(16) };
                assert_eq!(cs.num_constraints(), permutations * PERMUTATION_CONSTRAINTS, "{n} {mode:?}");

                let node = hash_node_var(&leaf, &leaf).unwrap();
                let native =
                    hash_node(Poseidon2Hash(leaf.value().unwrap()), Poseidon2Hash(leaf.value().unwrap()));
                assert_eq!(node.value().unwrap(), native.0);
                assert!(cs.is_satisfied().unwrap());
            }
        }
        assert!(pack_m31s_var(&vec![FrVar::zero(); 9]).is_err());
    }

    fn secure(seed: u32) -> SecureField {
        SecureField::from_m31_array(std::array::from_fn(|i| {
            BaseField::from_u32_unchecked(seed.wrapping_mul(0x9e37_79b9).wrapping_add(i as u32) % 0x7fff_ffff)
        }))
    }

    fn word_value(bits: &[Boolean<Fr>]) -> u32 {
        bits.iter().rev().fold(0, |acc, b| (acc << 1) | u32::from(b.value().unwrap()))
    }

    fn coordinates(felt: &SecureFieldVar) -> Vec<Fr> {
        felt.iter().map(|c| c.value().unwrap()).collect()
    }

    fn native_coordinates(felt: SecureField) -> Vec<Fr> {
        felt.to_m31_array().iter().map(|c| Fr::from(c.0)).collect()
    }

    #[test]
    fn channel_matches_native_in_every_mode() {
        for mode in MODES {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let alloc = |v: Fr| FrVar::new_variable(cs.clone(), || Ok(v), mode).unwrap();
            let alloc_felt =
                |f: SecureField| -> SecureFieldVar { f.to_m31_array().map(|c| alloc(Fr::from(c.0))) };
            let mut native = Poseidon2Channel::default();
            let mut var = Poseidon2ChannelVar::default();

            native.mix_u64(0xdead_beef_1234);
            var.mix_u64(&alloc(Fr::from(0xdead_beef_1234u64))).unwrap();
            assert_eq!(var.digest().value().unwrap(), native.digest(), "{mode:?}");

            let root = Poseidon2Hash(Fr::from(77u64));
            Poseidon2MerkleChannel::mix_root(&mut native, root);
            var.mix_root(&alloc(root.0)).unwrap();

            let felts: Vec<SecureField> = (0..3).map(secure).collect();
            native.mix_felts(&felts);
            var.mix_felts(&felts.iter().map(|f| alloc_felt(*f)).collect::<Vec<_>>()).unwrap();
            assert_eq!(var.digest().value().unwrap(), native.digest(), "{mode:?}");

            let drawn = var.draw_secure_felts(3).unwrap();
            for (v, n) in drawn.iter().zip(native.draw_secure_felts(3)) {
                assert_eq!(coordinates(v), native_coordinates(n), "{mode:?}");
            }
            let drawn = var.draw_secure_felt().unwrap();
            assert_eq!(coordinates(&drawn), native_coordinates(native.draw_secure_felt()));
            let words: Vec<u32> = var.draw_u32s().unwrap().iter().map(|w| word_value(w)).collect();
            assert_eq!(words, native.draw_u32s());
            assert_eq!(var.n_draws(), native.n_draws());

            let data: Vec<u32> = (1..=9).map(|i| u32::MAX - i).collect();
            native.mix_u32s(&data);
            var.mix_u32s(&data.iter().map(|w| alloc(Fr::from(*w))).collect::<Vec<_>>()).unwrap();
            assert_eq!(var.digest().value().unwrap(), native.digest(), "{mode:?}");

            let pow_bits = 5;
            let nonce = (0u64..).find(|n| native.verify_pow_nonce(pow_bits, *n)).unwrap_or_default();
            var.verify_pow_nonce(pow_bits, &alloc(Fr::from(nonce))).unwrap();
            native.mix_u64(nonce);
            var.mix_u64(&alloc(Fr::from(nonce))).unwrap();
            assert_eq!(var.digest().value().unwrap(), native.digest(), "{mode:?}");
            assert!(cs.is_satisfied().unwrap(), "{mode:?}");
        }
    }

    #[test]
    fn wrong_pow_nonce_is_unsatisfiable() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let mut native = Poseidon2Channel::default();
        native.mix_u64(3);
        let mut var = Poseidon2ChannelVar::default();
        var.mix_u64(&FrVar::new_witness(cs.clone(), || Ok(Fr::from(3u64))).unwrap()).unwrap();
        let bad = (0u64..).find(|n| !native.verify_pow_nonce(8, *n)).unwrap_or_default();
        var.verify_pow_nonce(8, &FrVar::new_witness(cs.clone(), || Ok(Fr::from(bad))).unwrap()).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }

    /// Constraint costs the circuit will pay per transcript operation (digest already a variable).
    #[test]
    fn transcript_costs() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let mut var = Poseidon2ChannelVar::default();
        let root = FrVar::new_witness(cs.clone(), || Ok(Fr::from(5u64))).unwrap();
        var.mix_root(&root).unwrap();
        assert_eq!(cs.num_constraints(), PERMUTATION_CONSTRAINTS);
        let before = cs.num_constraints();
        assert_eq!(var.draw_secure_felt().unwrap().len(), 4);
        let draw = cs.num_constraints() - before;
        let before = cs.num_constraints();
        var.draw_u32s().unwrap();
        let draw_words = cs.num_constraints() - before;
        let before = cs.num_constraints();
        var.verify_pow_nonce(20, &root).unwrap();
        let pow = cs.num_constraints() - before;
        // A draw: one permutation, 640 for the canonical bit decomposition (254 booleans and the
        // comparison with the modulus), plus one per word for `w ≠ 2^31 - 1` in base-field draws. The proof
        // of work: two permutations, the decomposition and one per bit.
        assert_eq!((draw, draw_words, pow), (888, 880, 1140), "draw, draw_u32s, pow");
    }
}
