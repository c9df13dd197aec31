//! The R1CS constraint matrices of a circuit, captured at setup and reused by every proof.

use ark_bn254::Fr;
use ark_ff::Zero;
use ark_relations::gr1cs::{ConstraintSystemRef, Matrix, R1CS_PREDICATE_LABEL};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

use super::error::Groth16Error;

/// A circuit's R1CS `A·z ∘ B·z = C·z` over the assignment `z = (1, instance…, witness…)`, as arkworks'
/// sparse rows of `(coefficient, variable index)`. Synthesized once at setup; a proof needs only the
/// witness and these.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct ConstraintMatrices {
    /// Instance variables, the constant `1` included (a Nexus Zero circuit has 2).
    pub num_instance_variables: usize,
    /// Witness variables.
    pub num_witness_variables: usize,
    /// Constraints (rows of each matrix).
    pub num_constraints: usize,
    /// `[A, B, C]`.
    pub abc: [Matrix<Fr>; 3],
}

impl ConstraintMatrices {
    /// The matrices of a finalized constraint system (linear combinations inlined).
    pub(super) fn from_constraint_system(cs: &ConstraintSystemRef<Fr>) -> Result<Self, Groth16Error> {
        for (predicate, constraints) in cs.get_all_predicates_num_constraints() {
            if predicate != R1CS_PREDICATE_LABEL && constraints > 0 {
                return Err(Groth16Error::NotR1cs { predicate, constraints });
            }
        }
        let mut all = cs.to_matrices()?;
        let matrices = all.remove(R1CS_PREDICATE_LABEL).unwrap_or_default();
        let Ok([a, b, c]) = <[Matrix<Fr>; 3]>::try_from(matrices) else {
            return Err(Groth16Error::NotR1cs { predicate: R1CS_PREDICATE_LABEL.to_owned(), constraints: 0 });
        };
        Ok(Self {
            num_instance_variables: cs.num_instance_variables(),
            num_witness_variables: cs.num_witness_variables(),
            num_constraints: cs.num_constraints(),
            abc: [a, b, c],
        })
    }

    /// Variables in the full assignment `z`.
    pub fn num_variables(&self) -> usize {
        self.num_instance_variables + self.num_witness_variables
    }

    /// Non-zero entries of `A`, `B`, `C` together.
    pub fn num_non_zero(&self) -> usize {
        self.abc.iter().flatten().map(Vec::len).sum()
    }

    /// The first constraint `z` does not satisfy (`z` has [`Self::num_variables`] entries).
    pub fn first_unsatisfied(&self, z: &[Fr]) -> Option<usize> {
        let eval = |row: &[(Fr, usize)]| row.iter().fold(Fr::zero(), |acc, (c, i)| acc + *c * z[*i]);
        let [a, b, c] = &self.abc;
        (0..self.num_constraints).find(|&i| eval(&a[i]) * eval(&b[i]) != eval(&c[i]))
    }
}
