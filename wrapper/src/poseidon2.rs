//! The R1CS twin of [`nzero_poseidon2::permutation`]: the same permutation, compression and sponge over `FpVar<Fr>`.
//!
//! Cost: only the S-box multiplies. `x^5` is `x2 = x·x`, `x4 = x2·x2`, `x5 = x4·x`, three constraints, and
//! its input `x + c` is a linear combination, so round constants and both linear layers fold into the
//! constraints' linear combinations for free. A permutation therefore costs
//! `3 · (8 · 3 + 56) = 240` constraints ([`PERMUTATION_CONSTRAINTS`]); on constant inputs it costs none.

use ark_bn254::Fr;
use ark_ff::Field;
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::SynthesisError;

use nzero_poseidon2::permutation::constants::{
    FULL_ROUND_CONSTANTS_BEGIN, FULL_ROUND_CONSTANTS_END, PARTIAL_ROUND_CONSTANTS,
};
use nzero_poseidon2::{FULL_BLOCK_FLAG, RATE, SBOXES_PER_PERMUTATION, WIDTH};

/// An R1CS variable over the BN254 scalar field.
pub type FrVar = FpVar<Fr>;

/// R1CS constraints per permutation on non-constant inputs: three per S-box.
pub const PERMUTATION_CONSTRAINTS: usize = 3 * SBOXES_PER_PERMUTATION;

/// `x^5`, three constraints (none if `x` is a constant).
fn sbox_var(x: &FrVar) -> Result<FrVar, SynthesisError> {
    // x2 = x · x; x4 = x2 · x2; x5 = x4 · x.
    let x2 = x.square()?;
    let x4 = x2.square()?;
    Ok(x4 * x)
}

/// `circ(2, 1, 1)`: `x_i + sum(x)`, a linear combination (no constraint).
fn external_linear_layer_var(state: &mut [FrVar; WIDTH]) {
    let sum = &state[0] + &state[1] + &state[2];
    state.iter_mut().for_each(|x| *x += &sum);
}

/// `[[2,1,1],[1,2,1],[1,1,3]]` as `diag(1, 1, 2) · x + sum(x)`, a linear combination (no constraint).
fn internal_linear_layer_var(state: &mut [FrVar; WIDTH]) -> Result<(), SynthesisError> {
    let sum = &state[0] + &state[1] + &state[2];
    state[0] += &sum;
    state[1] += &sum;
    state[2] = state[2].double()? + &sum;
    Ok(())
}

/// Applies the Poseidon2 permutation to `state` in place, as [`nzero_poseidon2::permute`] does natively.
///
/// # Errors
/// Fails only if the constraint system fails to allocate a variable or record a constraint.
pub fn permute_var(state: &mut [FrVar; WIDTH]) -> Result<(), SynthesisError> {
    external_linear_layer_var(state);
    for round_constants in &FULL_ROUND_CONSTANTS_BEGIN {
        for (x, c) in state.iter_mut().zip(round_constants) {
            *x = sbox_var(&(&*x + *c))?;
        }
        external_linear_layer_var(state);
    }
    for c in &PARTIAL_ROUND_CONSTANTS {
        state[0] = sbox_var(&(&state[0] + *c))?;
        internal_linear_layer_var(state)?;
    }
    for round_constants in &FULL_ROUND_CONSTANTS_END {
        for (x, c) in state.iter_mut().zip(round_constants) {
            *x = sbox_var(&(&*x + *c))?;
        }
        external_linear_layer_var(state);
    }
    Ok(())
}

/// The 2-to-1 compression `P([left, right, domain])[0]`, as [`nzero_poseidon2::compress`].
///
/// # Errors
/// Fails only if the constraint system fails.
pub fn compress_var(domain: u64, left: &FrVar, right: &FrVar) -> Result<FrVar, SynthesisError> {
    let mut state = [left.clone(), right.clone(), FrVar::constant(Fr::from(domain))];
    permute_var(&mut state)?;
    let [first, ..] = state;
    Ok(first)
}

/// The R1CS twin of [`nzero_poseidon2::Poseidon2Sponge`]: same state, same lazy absorption, same padding.
#[derive(Clone, Debug)]
pub struct Poseidon2SpongeVar {
    state: [FrVar; WIDTH],
    pending: Vec<FrVar>,
}

impl Poseidon2SpongeVar {
    /// A fresh sponge for the domain `domain` (its state is constant: no variable is allocated).
    pub fn new(domain: u64) -> Self {
        Self {
            state: [FrVar::zero(), FrVar::zero(), FrVar::constant(Fr::from(domain))],
            pending: Vec::with_capacity(RATE),
        }
    }

    /// Absorbs one element.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn absorb(&mut self, x: &FrVar) -> Result<(), SynthesisError> {
        if self.pending.len() == RATE {
            for (word, p) in self.state.iter_mut().zip(self.pending.drain(..)) {
                *word += p;
            }
            permute_var(&mut self.state)?;
        }
        self.pending.push(x.clone());
        Ok(())
    }

    /// Absorbs every element of `xs`, in order.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn absorb_all<'a>(&mut self, xs: impl IntoIterator<Item = &'a FrVar>) -> Result<(), SynthesisError> {
        xs.into_iter().try_for_each(|x| self.absorb(x))
    }

    /// Pads, permutes and returns the first state word.
    ///
    /// # Errors
    /// Fails only if the constraint system fails.
    pub fn squeeze(mut self) -> Result<FrVar, SynthesisError> {
        match self.pending.as_slice() {
            [] => self.state[0] += Fr::ONE,
            [last] => {
                self.state[0] += last;
                self.state[1] += Fr::ONE;
            }
            [a, b, ..] => {
                self.state[0] += a;
                self.state[1] += b;
                self.state[2] += FULL_BLOCK_FLAG;
            }
        }
        permute_var(&mut self.state)?;
        let [first, ..] = self.state;
        Ok(first)
    }
}

/// Hashes a sequence of variables with a [`Poseidon2SpongeVar`] for `domain`, as [`nzero_poseidon2::hash`].
///
/// # Errors
/// Fails only if the constraint system fails.
pub fn hash_var(domain: u64, inputs: &[FrVar]) -> Result<FrVar, SynthesisError> {
    let mut sponge = Poseidon2SpongeVar::new(domain);
    sponge.absorb_all(inputs)?;
    sponge.squeeze()
}

#[cfg(test)]
mod tests {
    use ark_ff::{MontFp, UniformRand};
    use ark_r1cs_std::GR1CSVar;
    use ark_r1cs_std::alloc::{AllocVar, AllocationMode};
    use ark_r1cs_std::eq::EqGadget;
    use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef};
    use ark_std::rand::SeedableRng;
    use ark_std::rand::rngs::StdRng;

    use super::*;
    use nzero_poseidon2::{compress, hash, permute};

    const MODES: [AllocationMode; 3] =
        [AllocationMode::Constant, AllocationMode::Input, AllocationMode::Witness];

    fn alloc(cs: &ConstraintSystemRef<Fr>, values: &[Fr], mode: AllocationMode) -> Vec<FrVar> {
        values.iter().map(|v| FrVar::new_variable(cs.clone(), || Ok(*v), mode).unwrap()).collect()
    }

    fn expected_constraints(mode: AllocationMode, permutations: usize) -> usize {
        match mode {
            AllocationMode::Constant => 0,
            AllocationMode::Input | AllocationMode::Witness => permutations * PERMUTATION_CONSTRAINTS,
        }
    }

    fn check_permutation(input: [Fr; WIDTH]) {
        let mut expected = input;
        permute(&mut expected);
        for mode in MODES {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let mut state: [FrVar; WIDTH] = alloc(&cs, &input, mode).try_into().unwrap();
            permute_var(&mut state).unwrap();
            let got: Vec<Fr> = state.iter().map(|x| x.value().unwrap()).collect();
            assert_eq!(got, expected, "{mode:?}");
            assert_eq!(state.iter().all(|x| x.is_constant()), mode == AllocationMode::Constant);
            assert_eq!(cs.num_constraints(), expected_constraints(mode, 1), "{mode:?}");
            assert!(cs.is_satisfied().unwrap(), "{mode:?}");
        }
    }

    #[test]
    fn permutation_matches_reference_vector_in_every_mode() {
        const KAT_INPUT: [Fr; WIDTH] = [MontFp!("0"), MontFp!("1"), MontFp!("2")];
        const KAT_OUTPUT_0: Fr =
            MontFp!("0x0bb61d24daca55eebcb1929a82650f328134334da98ea4f847f760054f4a3033");
        assert_eq!(PERMUTATION_CONSTRAINTS, 240);
        check_permutation(KAT_INPUT);
        let cs = ConstraintSystem::<Fr>::new_ref();
        let mut state: [FrVar; WIDTH] = alloc(&cs, &KAT_INPUT, AllocationMode::Witness).try_into().unwrap();
        permute_var(&mut state).unwrap();
        assert_eq!(state[0].value().unwrap(), KAT_OUTPUT_0);
    }

    #[test]
    fn permutation_matches_native_on_random_inputs() {
        let mut rng = StdRng::seed_from_u64(0x5eed);
        for _ in 0..4 {
            check_permutation([Fr::rand(&mut rng), Fr::rand(&mut rng), Fr::rand(&mut rng)]);
        }
    }

    #[test]
    fn wrong_output_is_unsatisfiable() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let input = [Fr::from(1u64), Fr::from(2u64), Fr::from(3u64)];
        let mut state: [FrVar; WIDTH] = alloc(&cs, &input, AllocationMode::Witness).try_into().unwrap();
        permute_var(&mut state).unwrap();
        let mut expected = input;
        permute(&mut expected);
        let claimed = FrVar::new_input(cs.clone(), || Ok(expected[0] + Fr::from(1u64))).unwrap();
        state[0].enforce_equal(&claimed).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }

    #[test]
    fn compress_matches_native_in_every_mode() {
        let mut rng = StdRng::seed_from_u64(7);
        let (l, r) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        for mode in MODES {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let vars = alloc(&cs, &[l, r], mode);
            let out = compress_var(42, &vars[0], &vars[1]).unwrap();
            assert_eq!(out.value().unwrap(), compress(42, l, r), "{mode:?}");
            assert_eq!(cs.num_constraints(), expected_constraints(mode, 1), "{mode:?}");
            assert!(cs.is_satisfied().unwrap());
        }
    }

    #[test]
    fn sponge_matches_native_in_every_mode() {
        let mut rng = StdRng::seed_from_u64(11);
        for len in 0..7usize {
            let inputs: Vec<Fr> = (0..len).map(|_| Fr::rand(&mut rng)).collect();
            for mode in MODES {
                let cs = ConstraintSystem::<Fr>::new_ref();
                let vars = alloc(&cs, &inputs, mode);
                let out = hash_var(3, &vars).unwrap();
                assert_eq!(out.value().unwrap(), hash(3, &inputs), "len {len} {mode:?}");
                // One permutation per block (a full last block needs no extra one); the empty message
                // hashes constants.
                let permutations = len.div_ceil(2);
                assert_eq!(
                    cs.num_constraints(),
                    expected_constraints(mode, permutations),
                    "len {len} {mode:?}"
                );
                assert!(cs.is_satisfied().unwrap());
            }
        }
    }
}
