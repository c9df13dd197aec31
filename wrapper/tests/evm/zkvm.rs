//! The whole path on a real zkVM proof of the test class: the verifier circuit satisfied by it, a fresh
//! Groth16 setup of the class's circuit, the proof wrapped, and the wrapped proof checked natively and by
//! the class's generated Solidity verifier in revm; every tampered part rejected.

use std::sync::OnceLock;

use ark_bn254::Fr;
use ark_relations::gr1cs::{ConstraintSystem, SynthesisMode};
use ark_std::rand::SeedableRng;
use ark_std::rand::rngs::StdRng;
use nzero_wrapper::zkvm::circuit::ZkvmCircuit;
use nzero_wrapper::zkvm::witness::{WitnessError, ZkvmWitness};
use nzero_wrapper::zkvm::wrap::{setup, verifier_contract, verify_wrapped, wrap};
use nzero_wrapper::{EvmError, Fixture, Keys, solidity_verifier};
use nzero_zkvm::abi::layout::PROGRAM_START;
use nzero_zkvm::abi::syscall;
use nzero_zkvm::isa::asm::li;
use nzero_zkvm::isa::{AluOp, Instruction};
use nzero_zkvm::{EvmProof, ExecConfig, Poseidon2MerkleChannel, Program, SizeClass, StarkConfig, prove_in};
use sha2::{Digest, Sha256};

use crate::chain::{Chain, Outcome, error_data, verify_proof_calldata};
use crate::solc::compile;

const CLASS: SizeClass = SizeClass::Test;
const CONFIG: StarkConfig = StarkConfig::evm_insecure_for_tests();
/// Where the program keeps its public values and their digest.
const PUBLIC: u32 = 0x0800_0000;
const DIGEST: u32 = 0x0800_0100;
const PUBLIC_VALUES: &[u8] = b"nexus zero: 1234 + 99 = 1333";

/// A few instructions, a commit of [`PUBLIC_VALUES`], then a halt with exit code 0 claiming their digest
/// (placed in the image).
fn program() -> Program {
    let mut words = li(5, 1234).to_vec();
    words.extend(li(6, 99));
    words.push(Instruction::Alu { op: AluOp::Add, rd: 7, rs1: 5, rs2: 6 }.encode());
    for (reg, value) in [(10, PUBLIC), (11, PUBLIC_VALUES.len() as u32), (17, syscall::COMMIT)] {
        words.extend(li(reg, value));
    }
    words.push(Instruction::Ecall.encode());
    for (reg, value) in [(10, 0), (11, DIGEST), (17, syscall::HALT)] {
        words.extend(li(reg, value));
    }
    words.push(Instruction::Ecall.encode());
    let mut program = Program::from_code(PROGRAM_START, words);
    let mut place = |at: u32, bytes: &[u8]| {
        for (i, chunk) in (0u32..).zip(bytes.chunks(4)) {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            program.image.insert(at + 4 * i, u32::from_le_bytes(word));
        }
    };
    place(PUBLIC, PUBLIC_VALUES);
    place(DIGEST, &Sha256::digest(PUBLIC_VALUES));
    program
}

/// One proof for every test of this binary.
fn proof() -> &'static EvmProof {
    static PROOF: OnceLock<EvmProof> = OnceLock::new();
    PROOF.get_or_init(|| {
        prove_in::<Poseidon2MerkleChannel>(&program(), b"", &CONFIG, &ExecConfig::default(), Some(CLASS))
            .expect("proves")
            .1
    })
}

/// One seeded setup of the test class's circuit.
fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| setup(CLASS, &mut StdRng::seed_from_u64(16), &mut |_| {}).expect("setup"))
}

fn wrapped() -> &'static Fixture {
    static WRAPPED: OnceLock<Fixture> = OnceLock::new();
    WRAPPED.get_or_init(|| wrap(proof(), keys(), &mut StdRng::seed_from_u64(17), &mut |_| {}).expect("wraps"))
}

/// Builds the circuit; returns whether it is satisfied and its size.
fn build(witness: Option<ZkvmWitness>) -> (bool, usize) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let setup = witness.is_none();
    if setup {
        cs.set_mode(SynthesisMode::Setup);
    }
    let circuit = ZkvmCircuit { class: CLASS, config: CONFIG, witness };
    let (_, counts) = circuit.verify(&cs).expect("builds");
    eprintln!(
        "zkVM verifier circuit, class {CLASS}: {} constraints; STARK part {counts:?}",
        cs.num_constraints()
    );
    (!setup && cs.is_satisfied().unwrap(), cs.num_constraints())
}

#[test]
fn a_zkvm_proof_satisfies_its_class_circuit_whose_shape_does_not_depend_on_it() {
    let witness = ZkvmWitness::new(proof(), CLASS, &CONFIG).expect("a witness");
    let (satisfied, n) = build(Some(witness));
    assert!(satisfied);
    let (_, n_setup) = build(None);
    assert_eq!(n, n_setup, "the setup builds the same constraints");
}

#[test]
fn a_changed_statement_leaves_the_circuit_unsatisfied() {
    let witness = ZkvmWitness::new(proof(), CLASS, &CONFIG).expect("a witness");
    let mut digest = witness.clone();
    digest.public_values_digest[0] ^= 1;
    assert!(!build(Some(digest)).0, "another public-values digest");
    let mut entry = witness.clone();
    entry.shape.entry += 4;
    assert!(!build(Some(entry)).0, "another entry point");
    let mut sums = witness;
    // A balanced pair: the logUp total still cancels, so only the AIR's constraints can catch it.
    let one = stwo::core::fields::qm31::SecureField::from_u32_unchecked(1, 0, 0, 0);
    sums.claimed_sums[0] += one;
    sums.claimed_sums[1] -= one;
    assert!(!build(Some(sums)).0, "claimed sums moved between components");
}

#[test]
fn proofs_of_another_class_or_configuration_or_that_do_not_verify_are_not_wrapped() {
    let proof = proof();
    assert!(matches!(
        ZkvmWitness::new(proof, SizeClass::C16, &StarkConfig::evm()),
        Err(WitnessError::OtherCircuit { class: SizeClass::Test, .. })
    ));
    let mut other_values = proof.clone();
    other_values.public_values = b"nexus zero: 1234 + 99 = 1334".to_vec();
    assert!(matches!(ZkvmWitness::new(&other_values, CLASS, &CONFIG), Err(WitnessError::Invalid(_))));
}

#[test]
fn a_wrapped_zkvm_proof_verifies_natively_and_on_chain_and_binds_its_statement() {
    let (proof, keys, wrapped) = (proof(), keys(), wrapped());
    assert_eq!(wrapped.program_vkey, proof.program_key().0);
    assert_eq!(wrapped.public_values, PUBLIC_VALUES);
    assert_eq!(wrapped.verifier, verifier_contract(CLASS));
    let vk = keys.verifying_key();
    verify_wrapped(vk, wrapped).expect("verifies natively");

    let mut values = wrapped.clone();
    values.public_values[0] ^= 1;
    assert!(matches!(verify_wrapped(vk, &values), Err(EvmError::ProofInvalid)), "other public values");
    let mut program = wrapped.clone();
    program.program_vkey[31] ^= 1;
    assert!(matches!(verify_wrapped(vk, &program), Err(EvmError::ProofInvalid)), "another program");
    for word in 0..8 {
        let mut tampered = wrapped.clone();
        tampered.proof[4 + 32 * word + 31] ^= 1;
        assert!(verify_wrapped(vk, &tampered).is_err(), "proof word {word}");
    }
    let other = crate::circuit::setup(&mut StdRng::seed_from_u64(99));
    assert!(
        matches!(verify_wrapped(&other.vk, wrapped), Err(EvmError::SelectorMismatch { .. })),
        "another circuit's key"
    );

    let name = verifier_contract(CLASS);
    let source = solidity_verifier(vk, &name).expect("generate");
    let code = compile(&format!("contracts/generated/{name}.sol"), &source, &name);
    let mut chain = Chain::new();
    let verifier = chain.deploy(code);
    let call = |chain: &mut Chain, fixture: &Fixture| {
        chain.call(
            verifier,
            verify_proof_calldata(fixture.program_vkey, &fixture.public_values, &fixture.proof),
        )
    };
    match call(&mut chain, wrapped) {
        Outcome::Success { execution_gas } => {
            eprintln!("verifyProof of a wrapped zkVM proof: {execution_gas} gas")
        }
        other => panic!("the verifier rejected a wrapped proof: {other:?}"),
    }
    for tampered in [&values, &program] {
        match call(&mut chain, tampered) {
            Outcome::Revert(data) => assert_eq!(data, error_data("ProofInvalid()", &[])),
            other => panic!("a tampered statement was not rejected: {other:?}"),
        }
    }
}
