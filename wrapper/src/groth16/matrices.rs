//! The R1CS constraint matrices of a circuit, captured at setup and reused by every proof, and the QAP
//! witness map that uses them.
//!
//! arkworks keeps a matrix as rows of `(Fr, usize)` pairs: 40 bytes per entry, more with each row's own
//! allocation. Circuits of Poseidon2 have long rows (the linear layers inline into the S-box inputs: about
//! 27 entries per constraint), and few distinct coefficients. Here a matrix is compressed sparse rows of
//! `u32` column indices and `u32` ids into one table of distinct coefficients: 8 bytes per entry, a few
//! flat vectors to read back.

use std::collections::HashMap;

use ark_bn254::Fr;
use ark_ff::{FftField, Field, One, Zero};
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, Matrix, OptimizationGoal,
    R1CS_PREDICATE_LABEL, SynthesisError, SynthesisMode,
};
use ark_serialize::{
    CanonicalDeserialize, CanonicalSerialize, Compress, Read, SerializationError, Valid, Validate, Write,
};

use super::error::Groth16Error;
use super::{Stage, enter};

type Domain = GeneralEvaluationDomain<Fr>;

/// One matrix in compressed sparse rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
struct SparseMatrix {
    /// Row `i` is entries `row_starts[i]..row_starts[i + 1]` (one more than the rows).
    row_starts: U32s,
    /// Each entry's variable index in `z`.
    columns: U32s,
    /// Each entry's coefficient, an index into [`ConstraintMatrices::coefficients`].
    coefficients: U32s,
}

/// Values per chunk of [`U32s`]' reads and writes.
const CHUNK: usize = 1 << 16;

/// A `Vec<u32>` with the bytes of arkworks' `Vec<u32>` serialization (a `u64` length, then each value
/// little-endian), read and written a chunk at a time instead of a value at a time (5-10x faster for the
/// hundreds of millions of bytes of a large circuit's matrices). Reading grows the vector chunk by chunk,
/// so a corrupt length fails at the end of the input, not at a huge allocation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct U32s(Vec<u32>);

impl std::ops::Deref for U32s {
    type Target = Vec<u32>;

    fn deref(&self) -> &Vec<u32> {
        &self.0
    }
}

impl std::ops::DerefMut for U32s {
    fn deref_mut(&mut self) -> &mut Vec<u32> {
        &mut self.0
    }
}

impl CanonicalSerialize for U32s {
    fn serialize_with_mode<W: Write>(
        &self,
        mut writer: W,
        compress: Compress,
    ) -> Result<(), SerializationError> {
        (self.0.len() as u64).serialize_with_mode(&mut writer, compress)?;
        let mut bytes = Vec::with_capacity(4 * CHUNK.min(self.0.len()));
        for chunk in self.0.chunks(CHUNK) {
            bytes.clear();
            chunk.iter().for_each(|v| bytes.extend_from_slice(&v.to_le_bytes()));
            writer.write_all(&bytes)?;
        }
        Ok(())
    }

    fn serialized_size(&self, _: Compress) -> usize {
        8 + 4 * self.0.len()
    }
}

impl Valid for U32s {
    fn check(&self) -> Result<(), SerializationError> {
        Ok(())
    }
}

impl CanonicalDeserialize for U32s {
    fn deserialize_with_mode<R: Read>(
        mut reader: R,
        compress: Compress,
        validate: Validate,
    ) -> Result<Self, SerializationError> {
        let len = u64::deserialize_with_mode(&mut reader, compress, validate)?;
        let mut left = usize::try_from(len).map_err(|_| SerializationError::InvalidData)?;
        let mut values = Vec::new();
        let mut bytes = vec![0u8; 4 * CHUNK.min(left)];
        while left > 0 {
            let n = left.min(CHUNK);
            reader.read_exact(&mut bytes[..4 * n])?;
            values
                .extend(bytes[..4 * n].chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
            left -= n;
        }
        Ok(Self(values))
    }
}

/// A circuit's R1CS `A·z ∘ B·z = C·z` over the assignment `z = (1, instance…, witness…)`. Synthesized
/// once at setup; a proof needs only the witness and these.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct ConstraintMatrices {
    /// Instance variables, the constant `1` included (a Nexus Zero circuit has 2).
    pub num_instance_variables: usize,
    /// Witness variables.
    pub num_witness_variables: usize,
    /// Constraints (rows of each matrix).
    pub num_constraints: usize,
    /// The distinct coefficients; the first is `1`.
    coefficients: Vec<Fr>,
    /// `[A, B, C]`.
    abc: [SparseMatrix; 3],
}

impl ConstraintMatrices {
    /// The matrices of `circuit`, synthesized in setup mode (no values are asked for), as a setup
    /// extracts them. For keys made elsewhere (arkworks' own setup) or a lost `.r1cs` file.
    ///
    /// # Errors
    /// [`Groth16Error::Synthesis`] if the circuit fails, [`Groth16Error::NotR1cs`] if it is not R1CS.
    pub fn of_circuit<C: ConstraintSynthesizer<Fr>>(circuit: C) -> Result<Self, Groth16Error> {
        Self::synthesize(circuit, &mut |_| {})
    }

    /// [`Self::of_circuit`], reporting [`Stage::Synthesize`] then [`Stage::Matrices`].
    pub(super) fn synthesize<C: ConstraintSynthesizer<Fr>>(
        circuit: C,
        progress: &mut dyn FnMut(Stage),
    ) -> Result<Self, Groth16Error> {
        let stage = enter(Stage::Synthesize, progress);
        let cs = ConstraintSystem::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Setup);
        circuit.generate_constraints(cs.clone())?;
        drop(stage);
        let _stage = enter(Stage::Matrices, progress);
        cs.finalize();
        Self::from_constraint_system(&cs)
    }

    /// The matrices of a finalized constraint system (linear combinations inlined).
    fn from_constraint_system(cs: &ConstraintSystemRef<Fr>) -> Result<Self, Groth16Error> {
        for (predicate, constraints) in cs.get_all_predicates_num_constraints() {
            if predicate != R1CS_PREDICATE_LABEL && constraints > 0 {
                return Err(Groth16Error::NotR1cs { predicate, constraints });
            }
        }
        let num_variables = cs.num_instance_variables() + cs.num_witness_variables();
        if u32::try_from(num_variables).is_err() {
            return Err(Groth16Error::Synthesis(SynthesisError::PolynomialDegreeTooLarge));
        }
        let mut all = cs.to_matrices()?;
        let matrices = all.remove(R1CS_PREDICATE_LABEL).unwrap_or_default();
        drop(all);
        let mut coefficients = vec![Fr::one()];
        let mut ids: HashMap<Fr, u32> = HashMap::from([(Fr::one(), 0)]);
        let mut abc: [SparseMatrix; 3] = Default::default();
        for (out, matrix) in abc.iter_mut().zip(matrices) {
            *out = Self::compress(matrix, &mut coefficients, &mut ids)?;
        }
        Ok(Self {
            num_instance_variables: cs.num_instance_variables(),
            num_witness_variables: cs.num_witness_variables(),
            num_constraints: cs.num_constraints(),
            coefficients,
            abc,
        })
    }

    fn compress(
        matrix: Matrix<Fr>,
        coefficients: &mut Vec<Fr>,
        ids: &mut HashMap<Fr, u32>,
    ) -> Result<SparseMatrix, Groth16Error> {
        let too_large = || Groth16Error::Synthesis(SynthesisError::PolynomialDegreeTooLarge);
        let entries: usize = matrix.iter().map(Vec::len).sum();
        let mut m = SparseMatrix {
            row_starts: U32s(Vec::with_capacity(matrix.len() + 1)),
            columns: U32s(Vec::with_capacity(entries)),
            coefficients: U32s(Vec::with_capacity(entries)),
        };
        m.row_starts.push(0);
        for row in matrix {
            for (coefficient, column) in row {
                let next = u32::try_from(coefficients.len()).map_err(|_| too_large())?;
                let id = *ids.entry(coefficient).or_insert_with(|| {
                    coefficients.push(coefficient);
                    next
                });
                m.columns.push(u32::try_from(column).map_err(|_| too_large())?);
                m.coefficients.push(id);
            }
            m.row_starts.push(u32::try_from(m.columns.len()).map_err(|_| too_large())?);
        }
        Ok(m)
    }

    /// Whether the matrices are well formed: row and column indices within bounds, coefficient ids within
    /// the table. Key files are read unchecked behind their hash; this cheap pass keeps even a
    /// hand-made file with a valid hash from indexing out of bounds.
    pub(super) fn is_well_formed(&self) -> bool {
        let variables = self.num_variables();
        let coefficient_count = self.coefficients.len();
        self.coefficients.first() == Some(&Fr::one())
            && self.abc.iter().all(|m| {
                m.row_starts.len() == self.num_constraints + 1
                    && m.row_starts.first() == Some(&0)
                    && m.row_starts.windows(2).all(|w| w[0] <= w[1])
                    && m.row_starts.last().map(|&l| l as usize) == Some(m.columns.len())
                    && m.columns.len() == m.coefficients.len()
                    && m.columns.iter().all(|&c| (c as usize) < variables)
                    && m.coefficients.iter().all(|&c| (c as usize) < coefficient_count)
            })
    }

    /// Points an entry of `A` past the last variable (a test's malformed matrices).
    #[cfg(test)]
    pub(super) fn point_past_the_variables(&mut self) {
        self.abc[0].columns[0] = u32::try_from(self.num_variables()).unwrap();
    }

    /// Variables in the full assignment `z`.
    pub fn num_variables(&self) -> usize {
        self.num_instance_variables + self.num_witness_variables
    }

    /// Non-zero entries of `A`, `B`, `C` together.
    pub fn num_non_zero(&self) -> usize {
        self.abc.iter().map(|m| m.columns.len()).sum()
    }

    /// Distinct coefficients.
    pub fn num_coefficients(&self) -> usize {
        self.coefficients.len()
    }

    /// `Σ_k M[row][k] · z[k]` for matrix `which` (0: A, 1: B, 2: C).
    fn eval_row(&self, which: usize, row: usize, z: &[Fr]) -> Fr {
        let m = &self.abc[which];
        let range = m.row_starts[row] as usize..m.row_starts[row + 1] as usize;
        let mut acc = Fr::zero();
        for (&column, &id) in m.columns[range.clone()].iter().zip(&m.coefficients[range]) {
            let value = z[column as usize];
            // Most coefficients are 1: skip the multiplication.
            if id == 0 {
                acc += value;
            } else {
                acc += self.coefficients[id as usize] * value;
            }
        }
        acc
    }

    /// Row evaluations `M·z` of matrix `which` into `out[..num_constraints]`.
    fn eval_rows(&self, which: usize, z: &[Fr], out: &mut [Fr]) {
        let out = &mut out[..self.num_constraints];
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            out.par_iter_mut().enumerate().for_each(|(i, o)| *o = self.eval_row(which, i, z));
        }
        #[cfg(not(feature = "parallel"))]
        out.iter_mut().enumerate().for_each(|(i, o)| *o = self.eval_row(which, i, z));
    }

    /// The first constraint `z` does not satisfy (`z` has [`Self::num_variables`] entries).
    pub fn first_unsatisfied(&self, z: &[Fr]) -> Option<usize> {
        (0..self.num_constraints)
            .find(|&i| self.eval_row(0, i, z) * self.eval_row(1, i, z) != self.eval_row(2, i, z))
    }

    /// The QAP polynomials at `t`: `(u_i(t), v_i(t), w_i(t))` for every variable `i`, with the libsnark
    /// reduction's extra rows `z_i · 1 = z_i` for the instance variables (they make the public inputs'
    /// polynomials independent), as `LibsnarkReduction::instance_map_with_evaluation`; and `u`, the
    /// domain's Lagrange polynomials at `t`, is computed once here.
    pub(super) fn instance_map(&self, domain: &Domain, t: Fr) -> [Vec<Fr>; 3] {
        let u = domain.evaluate_all_lagrange_coefficients(t);
        let n = self.num_variables();
        let mut abc = [vec![Fr::zero(); n], vec![Fr::zero(); n], vec![Fr::zero(); n]];
        let instance = self.num_constraints..self.num_constraints + self.num_instance_variables;
        abc[0][..self.num_instance_variables].copy_from_slice(&u[instance]);
        for (out, m) in abc.iter_mut().zip(&self.abc) {
            for (i, u_i) in u.iter().enumerate().take(self.num_constraints) {
                let range = m.row_starts[i] as usize..m.row_starts[i + 1] as usize;
                for (&column, &id) in m.columns[range.clone()].iter().zip(&m.coefficients[range]) {
                    out[column as usize] += *u_i * self.coefficients[id as usize];
                }
            }
        }
        abc
    }

    /// The evaluation domain of the QAP: constraints plus the instance rows.
    pub(super) fn domain(&self) -> Result<Domain, SynthesisError> {
        Domain::new(self.num_constraints + self.num_instance_variables)
            .ok_or(SynthesisError::PolynomialDegreeTooLarge)
    }

    /// The coefficients of `h = (A·z · B·z − C·z) / Z` over the domain, as
    /// `LibsnarkReduction::witness_map_from_matrices` computes them: each product evaluated on a coset,
    /// divided by the vanishing polynomial there, interpolated back. `z` is the full assignment.
    pub(super) fn witness_map(&self, z: &[Fr]) -> Result<Vec<Fr>, SynthesisError> {
        let domain = self.domain()?;
        let coset = domain.get_coset(Fr::GENERATOR).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        let to_coset = |values: &mut Vec<Fr>| {
            domain.ifft_in_place(values);
            coset.fft_in_place(values);
        };
        let size = domain.size();
        let mut a = vec![Fr::zero(); size];
        self.eval_rows(0, z, &mut a);
        let instance = self.num_constraints..self.num_constraints + self.num_instance_variables;
        a[instance].copy_from_slice(&z[..self.num_instance_variables]);
        to_coset(&mut a);
        let mut b = vec![Fr::zero(); size];
        self.eval_rows(1, z, &mut b);
        to_coset(&mut b);
        a.iter_mut().zip(&b).for_each(|(a, b)| *a *= b);
        // b's memory serves for c.
        b.iter_mut().for_each(|x| *x = Fr::zero());
        let mut c = b;
        self.eval_rows(2, z, &mut c);
        to_coset(&mut c);
        let vanishing_inverse = domain
            .evaluate_vanishing_polynomial(Fr::GENERATOR)
            .inverse()
            .ok_or(SynthesisError::DivisionByZero)?;
        a.iter_mut().zip(&c).for_each(|(ab, c)| *ab = (*ab - c) * vanishing_inverse);
        drop(c);
        coset.ifft_in_place(&mut a);
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u32s_are_arkworks_vec_u32_bytes() {
        for len in [0usize, 1, 5, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 3] {
            let values: Vec<u32> = (0..len as u32).map(|i| i.wrapping_mul(0x9e37_79b9)).collect();
            let mut ours = Vec::new();
            U32s(values.clone()).serialize_uncompressed(&mut ours).unwrap();
            let mut theirs = Vec::new();
            values.serialize_uncompressed(&mut theirs).unwrap();
            assert_eq!(ours, theirs, "length {len}");
            assert_eq!(ours.len(), U32s(values.clone()).uncompressed_size());
            assert_eq!(U32s::deserialize_uncompressed_unchecked(&ours[..]).unwrap().0, values);
            if len > 0 {
                // Cut short: an error, not a panic.
                assert!(U32s::deserialize_uncompressed_unchecked(&ours[..ours.len() - 1]).is_err());
            }
        }
        // A corrupt length far past the input fails at the end of the input.
        let mut huge = u64::MAX.to_le_bytes().to_vec();
        huge.extend_from_slice(&[0; 16]);
        assert!(U32s::deserialize_uncompressed_unchecked(&huge[..]).is_err());
    }
}
