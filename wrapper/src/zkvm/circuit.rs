//! The constraints: the zkVM verifier's transcript preamble, the logUp balance with the verifier's
//! public terms, and Stwo's verifier over the zkVM's components ([`verify_stark`]).

use ark_bn254::Fr;
use ark_r1cs_std::GR1CSVar;
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::convert::ToBitsGadget;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::uint8::UInt8;
use ark_r1cs_std::uint32::UInt32;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use itertools::Itertools;
use nzero_zkvm::{Claim, LookupElementsSource, Relations, SizeClass, StarkConfig, public_logup_sum};
use stwo::core::fields::m31::M31;
use stwo_constraint_framework::logup::LookupElements;

use super::witness::ZkvmWitness;
use super::{components, trace_trees};
use crate::channel::Poseidon2ChannelVar;
use crate::circuit::verifier::{
    CommitmentSchemeVar, ConstraintCounts, StarkWitnessError, mix_config, verify_stark,
};
use crate::circuit::{CircuitError, LookupElementsVar, M31Var, QM31Var, Substitutions};
use crate::circuit::{program_key_var, public_input_var};
use crate::poseidon2::FrVar;

/// The verifier circuit of one size class and configuration; without a witness it builds the same
/// constraints (setup mode).
#[derive(Clone, Debug)]
pub struct ZkvmCircuit {
    /// The class whose EVM shape the circuit verifies.
    pub class: SizeClass,
    /// The STARK configuration of the proofs it verifies.
    pub config: StarkConfig,
    /// The proof, or `None` in setup mode.
    pub witness: Option<ZkvmWitness>,
}

/// What the proof's statement is made of, as variables bound by the verification: the program key's
/// parts and the public values' digest. The public input is computed from them.
#[derive(Clone, Debug)]
pub struct StatementVars {
    /// The program's entry point.
    pub entry: UInt32<Fr>,
    /// Its program table's natural log size.
    pub program_log_size: UInt32<Fr>,
    /// Its image table's natural log size.
    pub image_log_size: UInt32<Fr>,
    /// Its Blake2s preprocessed root (not checked by this circuit: bound through the key).
    pub blake2s_root: Vec<UInt8<Fr>>,
    /// Its Poseidon2 preprocessed root: the root of the proof's preprocessed tree.
    pub poseidon2_root: FrVar,
    /// `sha256(public values)`.
    pub public_values_digest: Vec<UInt8<Fr>>,
}

/// Hands out the relations' lookup elements as placeholders for variables drawn from the channel.
struct DrawnElements<'a> {
    channel: &'a mut Poseidon2ChannelVar,
    substitutions: &'a mut Substitutions,
    error: Option<SynthesisError>,
}

impl LookupElementsSource for DrawnElements<'_> {
    fn next<const N: usize>(&mut self) -> LookupElements<N> {
        match LookupElementsVar::<N>::draw(self.channel) {
            Ok(elements) => self.substitutions.lookup_elements(&elements),
            Err(e) => {
                self.error.get_or_insert(e);
                LookupElements::dummy()
            }
        }
    }
}

impl ZkvmCircuit {
    /// Verifies the proof (or, in setup mode, builds the constraints that do) and returns the
    /// statement's variables and the constraints spent on the STARK's parts.
    ///
    /// # Errors
    /// Fails only if the constraint system fails (a wrong witness leaves it unsatisfied).
    pub fn verify(
        &self,
        cs: &ConstraintSystemRef<Fr>,
    ) -> Result<(StatementVars, ConstraintCounts), StarkWitnessError> {
        let w = self.witness.as_ref();
        let pcs = self.config.pcs();
        let [preprocessed_sizes, main_sizes, interaction_sizes] = trace_trees(self.class);
        let word = |f: fn(&ZkvmWitness) -> u32| UInt32::new_witness(cs.clone(), || assign(w, f));
        let bytes = |f: fn(&ZkvmWitness) -> [u8; 32]| {
            (0..32)
                .map(|i| UInt8::new_witness(cs.clone(), || assign(w, |w| f(w)[i])))
                .collect::<Result<Vec<_>, _>>()
        };
        let root = |i: usize| FrVar::new_witness(cs.clone(), || assign(w, |w| w.trace_roots[i]));
        let statement_parts = (
            word(|w| w.shape.entry)?,
            word(|w| w.shape.program_log_size)?,
            word(|w| w.shape.image_log_size)?,
            bytes(|w| w.roots.blake2s)?,
            bytes(|w| w.public_values_digest)?,
        );
        let (entry, program_log_size, image_log_size, blake2s_root, digest) = statement_parts;

        // The zkVM verifier's transcript (`nzero_zkvm::commit_traces`).
        let channel = &mut Poseidon2ChannelVar::default();
        let mut scheme = CommitmentSchemeVar::new(pcs);
        let poseidon2_root = root(0)?;
        scheme.commit(poseidon2_root.clone(), &preprocessed_sizes, channel)?;
        let poseidon2_root_bytes = fr_be_bytes(&poseidon2_root)?;
        mix_config(channel, &pcs)?;
        channel.mix_u32s(&[
            constant(self.class.log_cycles()),
            entry.to_fp()?,
            program_log_size.to_fp()?,
            image_log_size.to_fp()?,
            constant(0), // the exit code: EVM proofs state a successful run
        ])?;
        for bytes in [&blake2s_root, &poseidon2_root_bytes, &digest] {
            channel.mix_u32s(&le_words(bytes)?)?;
        }
        let claim = Claim::evm(self.class).log_sizes.into_iter().map(constant).collect_vec();
        channel.mix_u32s(&claim)?;
        scheme.commit(root(1)?, &main_sizes, channel)?;

        let mut substitutions = Substitutions::new();
        let mut source = DrawnElements { channel, substitutions: &mut substitutions, error: None };
        let relations = Relations::from_source(&mut source);
        if let Some(e) = source.error {
            return Err(e.into());
        }
        let n_components = Claim::evm(self.class).log_sizes.len();
        let claimed_sums = (0..n_components)
            .map(|i| QM31Var::new_witness(cs.clone(), || assign(w, |w| w.claimed_sums[i])))
            .collect::<Result<Vec<_>, _>>()?;
        let placeholders = claimed_sums.iter().map(|s| substitutions.placeholder(s)).collect_vec();
        let _scope = substitutions.enter();

        // The claimed sums and the verifier's own terms balance.
        let entry_m31 = QM31Var::from_m31(M31Var::from_bits_le(&entry.to_bits_le()?));
        let statement = statement_limbs(&digest)?.map(QM31Var::from_m31);
        let public: QM31Var = public_logup_sum(&relations, entry_m31, &statement);
        let total = claimed_sums.iter().fold(public, |total, sum| &total + sum);
        total.enforce_equal(&QM31Var::zero())?;
        let felts = claimed_sums.iter().map(QM31Var::canonical_fr).collect::<Result<Vec<_>, _>>()?;
        channel.mix_felts(&felts)?;
        scheme.commit(root(2)?, &interaction_sizes, channel)?;

        let components = components(self.class, &relations, &placeholders);
        let components = components.iter().map(|c| c.as_ref()).collect_vec();
        let counts = verify_stark(cs, &components, channel, scheme, w.map(|w| &w.stark))?;
        let vars = StatementVars {
            entry,
            program_log_size,
            image_log_size,
            blake2s_root,
            poseidon2_root,
            public_values_digest: digest,
        };
        Ok((vars, counts))
    }
}

impl ConstraintSynthesizer<Fr> for ZkvmCircuit {
    /// The STARK verification, then the statement: its one public input is
    /// `sha256(program_key ‖ public_values_digest)` masked to 253 bits, computed from the values the
    /// verification used (`crate::public_input` natively).
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let (vars, _) = self.verify(&cs).map_err(|e| match e {
            StarkWitnessError::Circuit(CircuitError::Synthesis(e)) => e,
            _ => SynthesisError::Unsatisfiable,
        })?;
        let key = program_key_var(
            &vars.entry,
            &vars.program_log_size,
            &vars.image_log_size,
            &vars.blake2s_root,
            &vars.poseidon2_root,
        )?;
        let statement = public_input_var(&key, &vars.public_values_digest)?;
        let public_input = FrVar::new_input(cs, || statement.value())?;
        public_input.enforce_equal(&statement)
    }
}

fn assign<T>(witness: Option<&ZkvmWitness>, f: impl FnOnce(&ZkvmWitness) -> T) -> Result<T, SynthesisError> {
    witness.map(f).ok_or(SynthesisError::AssignmentMissing)
}

fn constant(value: u32) -> FrVar {
    FrVar::constant(Fr::from(value))
}

/// The little-endian `u32` words of 4-byte chunks (as `nzero_zkvm`'s transcript reads roots and digests).
fn le_words(bytes: &[UInt8<Fr>]) -> Result<Vec<FrVar>, SynthesisError> {
    bytes
        .chunks_exact(4)
        .map(|chunk| {
            let bits = chunk.iter().map(UInt8::to_bits_le).flatten_ok().collect::<Result<Vec<_>, _>>()?;
            Boolean::le_bits_to_fp(&bits)
        })
        .collect()
}

/// The statement's tuple in the public relation (`Statement::limbs`): the exit code 0, then each
/// little-endian digest word's 16-bit limbs.
fn statement_limbs(digest: &[UInt8<Fr>]) -> Result<[M31Var; 18], SynthesisError> {
    let mut limbs = vec![M31Var::constant(M31::from(0)), M31Var::constant(M31::from(0))];
    for pair in digest.chunks_exact(2) {
        let bits = pair.iter().map(UInt8::to_bits_le).flatten_ok().collect::<Result<Vec<_>, _>>()?;
        limbs.push(M31Var::from_bits_le(&bits));
    }
    Ok(limbs.try_into().expect("two limbs and sixteen"))
}

/// `x`'s canonical 32-byte big-endian encoding (`Poseidon2Hash::to_bytes_be`).
fn fr_be_bytes(x: &FrVar) -> Result<Vec<UInt8<Fr>>, SynthesisError> {
    let mut bits = x.to_bits_le()?;
    bits.resize(256, Boolean::FALSE);
    Ok(bits.chunks(8).rev().map(UInt8::from_bits_le).collect())
}
