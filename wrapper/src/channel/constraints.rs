//! The R1CS twins of the Merkle hashing in [`super::merkle`]: the same leaf and node hashes over variables.
//!
//! Leaf values arrive as field variables holding canonical M31 values; range-checking them is the
//! caller's job (the circuit checks each queried value once). Packing is a linear combination, so a leaf
//! of `n` values costs `ceil(n / 16)` permutations and a node one permutation.

use ark_bn254::Fr;
use ark_ff::Field;
use ark_r1cs_std::fields::FieldVar;
use ark_relations::gr1cs::SynthesisError;

use super::{M31S_PER_FR, domain};
use crate::poseidon2::constraints::{FrVar, Poseidon2SpongeVar, compress_var};

/// Packs at most eight M31 variables into one, as [`super::pack_m31s`] does:
/// `sum_i v_i · 2^(31 i)` plus the length tag `k · 2^248` for a short chunk (a linear combination).
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] if more than eight values are given (a circuit-shape bug).
pub fn pack_m31s_var(values: &[FrVar]) -> Result<FrVar, SynthesisError> {
    if values.len() > M31S_PER_FR {
        return Err(SynthesisError::Unsatisfiable);
    }
    let two_31 = Fr::from(1u64 << 31);
    let mut packed = FrVar::zero();
    let mut scale = Fr::ONE;
    for v in values {
        packed += v * scale;
        scale *= two_31;
    }
    if values.len() < M31S_PER_FR {
        packed += Fr::from(values.len() as u64) * Fr::from(2u64).pow([8 * 31]);
    }
    Ok(packed)
}

/// The hash of a Merkle leaf holding `values`, as [`super::hash_leaf`].
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

/// The hash of a Merkle node, as [`super::hash_node`].
///
/// # Errors
/// Fails only if the constraint system fails.
pub fn hash_node_var(left: &FrVar, right: &FrVar) -> Result<FrVar, SynthesisError> {
    compress_var(domain::MERKLE_NODE, left, right)
}

#[cfg(test)]
mod tests {
    use ark_r1cs_std::GR1CSVar;
    use ark_r1cs_std::alloc::{AllocVar, AllocationMode};
    use ark_relations::gr1cs::ConstraintSystem;
    use stwo::core::fields::m31::BaseField;

    use super::*;
    use crate::channel::{Poseidon2Hash, hash_leaf, hash_node, pack_m31s};
    use crate::poseidon2::constraints::PERMUTATION_CONSTRAINTS;

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
}
