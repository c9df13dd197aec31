//! The circuit-specific setup, keeping the constraint matrices it synthesizes.
//!
//! arkworks' generator synthesizes the circuit and drops its matrices; a proof would then synthesize them
//! again. This is the same generator (`ark_groth16::generator`, with the libsnark R1CS-to-QAP reduction of
//! `ark_groth16::r1cs_to_qap::LibsnarkReduction`) written around the matrices: synthesize once, extract
//! the matrices, drop the constraint system, evaluate the QAP at the secret point from the matrices, then
//! the fixed-base multiplications. Keys it makes are ordinary `ark_groth16` keys.

use ark_bn254::{Bn254, Fr, G1Projective, G2Projective};
use ark_ec::CurveGroup;
use ark_ec::scalar_mul::BatchMulPreprocessing;
use ark_ff::{Field, UniformRand, Zero};
use ark_groth16::r1cs_to_qap::{LibsnarkReduction, R1CSToQAP};
use ark_groth16::{ProvingKey, VerifyingKey};
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::gr1cs::ConstraintSynthesizer;
use ark_std::rand::{CryptoRng, RngCore};

use super::error::Groth16Error;
use super::matrices::ConstraintMatrices;
use super::{Stage, enter};

type Domain = GeneralEvaluationDomain<Fr>;

/// What a setup makes: the proving key (its verifying key inside) and the circuit's constraint matrices.
#[derive(Clone, Debug, PartialEq)]
pub struct Keys {
    /// The proving key.
    pub proving_key: ProvingKey<Bn254>,
    /// The circuit's R1CS, for proving without re-deriving it.
    pub matrices: ConstraintMatrices,
}

impl Keys {
    /// The verifying key (part of the proving key).
    pub fn verifying_key(&self) -> &VerifyingKey<Bn254> {
        &self.proving_key.vk
    }
}

/// The circuit-specific setup of `circuit` with randomness from `rng` (a trusted setup: whoever knows the
/// randomness can forge proofs; production keys need an MPC ceremony).
///
/// The circuit runs in setup mode: its variables' values are never asked for.
///
/// # Errors
/// [`Groth16Error::Synthesis`] if the circuit fails to synthesize (or is too large for BN254's FFT
/// domains, `SynthesisError::PolynomialDegreeTooLarge`), [`Groth16Error::NotR1cs`] if it is not R1CS.
pub fn setup<C: ConstraintSynthesizer<Fr>>(
    circuit: C,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<Keys, Groth16Error> {
    setup_with_progress(circuit, rng, &mut |_| {})
}

/// [`setup`], calling `progress` as each [`Stage`] starts.
///
/// # Errors
/// As [`setup`].
pub fn setup_with_progress<C: ConstraintSynthesizer<Fr>>(
    circuit: C,
    rng: &mut (impl RngCore + CryptoRng),
    progress: &mut dyn FnMut(Stage),
) -> Result<Keys, Groth16Error> {
    let _setup = tracing::info_span!("groth16_setup").entered();
    let matrices = ConstraintMatrices::synthesize(circuit, progress)?;
    tracing::info!(
        constraints = matrices.num_constraints,
        instance = matrices.num_instance_variables,
        witness = matrices.num_witness_variables,
        non_zero = matrices.num_non_zero(),
        "circuit synthesized"
    );
    let proving_key = generate(&matrices, rng, progress)?;
    Ok(Keys { proving_key, matrices })
}

/// A random non-zero element and its inverse (zero has probability 2^-254; arkworks unwraps).
fn invertible(rng: &mut (impl RngCore + CryptoRng)) -> (Fr, Fr) {
    loop {
        let x = Fr::rand(rng);
        if let Some(inverse) = x.inverse() {
            return (x, inverse);
        }
    }
}

/// The proving key of the matrices, as `ark_groth16`'s `generate_parameters_with_qap` makes it.
fn generate(
    m: &ConstraintMatrices,
    rng: &mut (impl RngCore + CryptoRng),
    progress: &mut dyn FnMut(Stage),
) -> Result<ProvingKey<Bn254>, Groth16Error> {
    let stage = enter(Stage::InstanceMap, progress);
    let (alpha, beta) = (Fr::rand(rng), Fr::rand(rng));
    let (gamma, gamma_inverse) = invertible(rng);
    let (delta, delta_inverse) = invertible(rng);
    let g1_generator = G1Projective::rand(rng);
    let g2_generator = G2Projective::rand(rng);
    let domain = m.domain()?;
    let t = domain.sample_element_outside_domain(rng);
    let zt = domain.evaluate_vanishing_polynomial(t);
    let domain_size = domain.size();
    let [a, b, c] = m.instance_map(&domain, t);
    let num_instance = m.num_instance_variables;

    let non_zero_a = a.iter().filter(|x| !x.is_zero()).count();
    let non_zero_b = b.iter().filter(|x| !x.is_zero()).count();
    // (β·u_i(t) + α·v_i(t) + w_i(t)) / γ for the instance, / δ for the witness.
    let combine = |range: std::ops::Range<usize>, divisor: Fr| -> Vec<Fr> {
        range.map(|i| (beta * a[i] + alpha * b[i] + c[i]) * divisor).collect()
    };
    let gamma_abc = combine(0..num_instance, gamma_inverse);
    let l = combine(num_instance..a.len(), delta_inverse);
    drop(c);
    let h_scalars = LibsnarkReduction::h_query_scalars::<Fr, Domain>(domain_size - 1, t, zt, delta_inverse)?;
    drop(stage);

    let _stage = enter(Stage::KeyGeneration, progress);
    let g2_table = BatchMulPreprocessing::new(g2_generator, non_zero_b);
    let b_g2_query = g2_table.batch_mul(&b);
    drop(g2_table);
    let num_scalars = non_zero_a + non_zero_b + (a.len() - 1) + domain_size + 1;
    let g1_table = BatchMulPreprocessing::new(g1_generator, num_scalars);
    let a_query = g1_table.batch_mul(&a);
    drop(a);
    let b_g1_query = g1_table.batch_mul(&b);
    drop(b);
    let h_query = g1_table.batch_mul(&h_scalars);
    drop(h_scalars);
    let l_query = g1_table.batch_mul(&l);
    drop(l);
    let gamma_abc_g1 = g1_table.batch_mul(&gamma_abc);
    drop(g1_table);

    let vk = VerifyingKey::<Bn254> {
        alpha_g1: (g1_generator * alpha).into_affine(),
        beta_g2: (g2_generator * beta).into_affine(),
        gamma_g2: (g2_generator * gamma).into_affine(),
        delta_g2: (g2_generator * delta).into_affine(),
        gamma_abc_g1,
    };
    Ok(ProvingKey {
        vk,
        beta_g1: (g1_generator * beta).into_affine(),
        delta_g1: (g1_generator * delta).into_affine(),
        a_query,
        b_g1_query,
        b_g2_query,
        h_query,
        l_query,
    })
}
