//! A stand-in Groth16 circuit with the real circuits' public interface: its one public input is the
//! statement value `public_input(program_vkey, public_values)`. It proves only knowledge of that value
//! (and its square, so that the proof is not of an empty circuit); the zkVM's wrap circuits (issue 5)
//! will produce the real proofs, and nothing on the EVM side changes when they do: same key type, same
//! public input, same encoding.

use ark_bn254::{Bn254, Fr};
use ark_groth16::{Groth16, ProvingKey};
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use ark_std::rand::rngs::StdRng;
use ark_std::rand::{CryptoRng, RngCore, SeedableRng};
use nzero_wrapper::{ConstraintMatrices, Keys, public_input};

/// `x` public, `w` witness: `w = x` and `w · w = s` for a witness `s`.
struct StatementCircuit {
    statement: Option<Fr>,
}

impl ConstraintSynthesizer<Fr> for StatementCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let value = || self.statement.ok_or(SynthesisError::AssignmentMissing);
        let x = FpVar::new_input(cs.clone(), value)?;
        let w = FpVar::new_witness(cs.clone(), value)?;
        w.enforce_equal(&x)?;
        let s = FpVar::new_witness(cs, || value().map(|v| v * v))?;
        w.square()?.enforce_equal(&s)
    }
}

/// Keys of the stand-in circuit from `rng`.
pub(crate) fn setup(rng: &mut impl RngCore) -> ProvingKey<Bn254> {
    Groth16::<Bn254>::generate_random_parameters_with_reduction(StatementCircuit { statement: None }, rng)
        .expect("setup of the stand-in circuit")
}

/// Keys from a fixed seed: the committed demo verifier's key (any change of seed or circuit changes the
/// committed artifacts, which `regenerate_committed_artifacts` rewrites).
pub(crate) fn seeded_setup(seed: u64) -> (ProvingKey<Bn254>, StdRng) {
    let mut rng = StdRng::seed_from_u64(seed);
    (setup(&mut rng), rng)
}

/// A proof that the statement of `program_vkey` and `public_values` holds, made by the wrapper's prover
/// (witness-only synthesis, the circuit's matrices) with a key of arkworks' own setup.
pub(crate) fn prove(
    pk: &ProvingKey<Bn254>,
    program_vkey: [u8; 32],
    public_values: &[u8],
    rng: &mut (impl RngCore + CryptoRng),
) -> ark_groth16::Proof<Bn254> {
    let matrices = ConstraintMatrices::of_circuit(StatementCircuit { statement: None }).expect("matrices");
    let keys = Keys { proving_key: pk.clone(), matrices };
    let circuit = StatementCircuit { statement: Some(public_input(program_vkey, public_values)) };
    nzero_wrapper::prove(&keys, circuit, rng).expect("proving the stand-in circuit")
}

/// Fresh OS-independent randomness for a test run: seeded from the clock, printed so a failure reproduces.
pub(crate) fn fresh_rng() -> StdRng {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    eprintln!("fresh keys from seed {seed}");
    StdRng::seed_from_u64(seed)
}
