//! Proving from the matrices cached at setup.
//!
//! `Groth16::prove` synthesizes the circuit with matrix construction on: every linear combination is
//! recorded, inlined and turned into sparse rows, for each proof, although they never change. Here the
//! circuit runs with `construct_matrices: false` (the constraint system keeps only the assignment), and
//! the witness map takes the stored matrices (`ConstraintMatrices::witness_map`, arkworks'
//! `LibsnarkReduction::witness_map_from_matrices` over compressed rows). The group
//! arithmetic is arkworks' `create_proof_with_assignment` over our MSM ([`super::msm`]), with the
//! assignment converted to integers once and each scalar vector dropped as soon as its MSM is done.

use ark_bn254::{Bn254, Fr, G1Projective};
use ark_ec::CurveGroup;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ff::{PrimeField, UniformRand, Zero};
use ark_groth16::{Groth16, Proof, ProvingKey, prepare_verifying_key};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode};
use ark_std::rand::{CryptoRng, RngCore};

use super::error::Groth16Error;
use super::msm::msm;
use super::setup::Keys;
use super::{Stage, enter};

type BigInt = <Fr as PrimeField>::BigInt;

/// A zero-knowledge proof that `circuit`'s witness satisfies the keys' circuit.
///
/// The circuit is synthesized for its assignment only: its constraints are not recorded (the keys'
/// matrices stand for them), so it must allocate the same variables in the same order as at setup. The
/// proof is checked against the keys' verifying key before it is returned.
///
/// # Errors
/// [`Groth16Error::Synthesis`] if the circuit fails, [`Groth16Error::WitnessShape`] if it allocates
/// other numbers of variables than the keys' circuit, [`Groth16Error::Unsatisfied`] if the witness does
/// not satisfy the matrices, [`Groth16Error::KeyMismatch`] if it does and the proof still fails (a proving
/// key of another circuit or setup than the matrices).
pub fn prove<C: ConstraintSynthesizer<Fr>>(
    keys: &Keys,
    circuit: C,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<Proof<Bn254>, Groth16Error> {
    prove_with_progress(keys, circuit, rng, &mut |_| {})
}

/// [`prove`], calling `progress` as each [`Stage`] starts.
///
/// # Errors
/// As [`prove`].
pub fn prove_with_progress<C: ConstraintSynthesizer<Fr>>(
    keys: &Keys,
    circuit: C,
    rng: &mut (impl RngCore + CryptoRng),
    progress: &mut dyn FnMut(Stage),
) -> Result<Proof<Bn254>, Groth16Error> {
    let _prove = tracing::info_span!("groth16_prove").entered();
    let m = &keys.matrices;
    let (instance_values, witness_values) = {
        let _stage = enter(Stage::Synthesize, progress);
        synthesize_assignment(circuit)?
    };
    let (instance, witness) = (instance_values.len(), witness_values.len());
    if (instance, witness) != (m.num_instance_variables, m.num_witness_variables) {
        return Err(Groth16Error::WitnessShape {
            expected_instance: m.num_instance_variables,
            expected_witness: m.num_witness_variables,
            found_instance: instance,
            found_witness: witness,
        });
    }
    // z = (1, instance…, witness…).
    let mut full = instance_values;
    full.extend_from_slice(&witness_values);
    drop(witness_values);

    let h = {
        let _stage = enter(Stage::WitnessMap, progress);
        m.witness_map(&full)?
    };
    let public_inputs = full[1..instance].to_vec();
    let r = Fr::rand(rng);
    let s = Fr::rand(rng);
    let proof = {
        let _stage = enter(Stage::Msm, progress);
        let assignment: Vec<BigInt> = full[1..].iter().map(|x| x.into_bigint()).collect();
        let proof = create_proof(&keys.proving_key, r, s, h, &assignment, instance - 1);
        drop(assignment);
        proof
    };

    let _stage = enter(Stage::SelfCheck, progress);
    let pvk = prepare_verifying_key(&keys.proving_key.vk);
    if Groth16::<Bn254>::verify_proof(&pvk, &proof, &public_inputs)? {
        return Ok(proof);
    }
    Err(match m.first_unsatisfied(&full) {
        Some(constraint) => Groth16Error::Unsatisfied { constraint },
        None => Groth16Error::KeyMismatch,
    })
}

/// Runs the circuit for its assignment only: `(instance, witness)`, the instance starting with the
/// constant `1`.
fn synthesize_assignment<C: ConstraintSynthesizer<Fr>>(
    circuit: C,
) -> Result<(Vec<Fr>, Vec<Fr>), Groth16Error> {
    let cs = ConstraintSystem::new_ref();
    // The same goal as at setup, so that gadgets that consult it allocate the same variables.
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove { construct_matrices: false, generate_lc_assignments: false });
    circuit.generate_constraints(cs.clone())?;
    // The circuit's variables are gone with the circuit, so the system is usually ours alone: take its
    // vectors rather than copy them.
    match cs.into_inner() {
        Some(inner) => {
            let assignments = inner.assignments;
            Ok((assignments.instance_assignment, assignments.witness_assignment))
        }
        None => Err(Groth16Error::Synthesis(ark_relations::gr1cs::SynthesisError::MissingCS)),
    }
}

/// `Σ bases[i] · scalars[i]` plus `base[0]` and the key's `extra`: arkworks' `calculate_coeff`.
fn coefficient<P: SWCurveConfig<ScalarField = Fr>>(
    initial: Projective<P>,
    query: &[Affine<P>],
    extra: Affine<P>,
    assignment: &[BigInt],
) -> Projective<P> {
    initial + query[0] + msm(&query[1..], assignment) + extra
}

/// The proof for the quotient `h` and the assignment without its constant (`instance - 1` public inputs
/// first), with blinding `r`, `s`: arkworks' `create_proof_with_assignment`.
fn create_proof(
    pk: &ProvingKey<Bn254>,
    r: Fr,
    s: Fr,
    h: Vec<Fr>,
    assignment: &[BigInt],
    num_public: usize,
) -> Proof<Bn254> {
    let span = |name: &'static str| tracing::debug_span!("msm", name).entered();
    let h: Vec<BigInt> = h.into_iter().map(|x| x.into_bigint()).collect();
    let h_acc = {
        let _msm = span("h");
        msm(&pk.h_query, &h)
    };
    drop(h);
    let l_aux_acc = {
        let _msm = span("l");
        msm(&pk.l_query, &assignment[num_public..])
    };
    let g_a = {
        let _msm = span("a");
        coefficient(pk.delta_g1 * r, &pk.a_query, pk.vk.alpha_g1, assignment)
    };
    let g1_b = if r.is_zero() {
        G1Projective::zero()
    } else {
        let _msm = span("b_g1");
        coefficient(pk.delta_g1 * s, &pk.b_g1_query, pk.beta_g1, assignment)
    };
    let g2_b = {
        let _msm = span("b_g2");
        coefficient(pk.vk.delta_g2 * s, &pk.b_g2_query, pk.vk.beta_g2, assignment)
    };

    // C = s·A + r·B₁ − r·s·δ + L·w + H·h.
    let g_c: G1Projective = g_a * s + g1_b * r - pk.delta_g1 * (r * s) + l_aux_acc + h_acc;
    Proof { a: g_a.into_affine(), b: g2_b.into_affine(), c: g_c.into_affine() }
}
