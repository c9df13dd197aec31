//! The verifier circuit on real zkVM proofs of the test class.

use ark_bn254::Fr;
use ark_relations::gr1cs::{ConstraintSystem, SynthesisMode};
use nzero_poseidon2::Poseidon2MerkleChannel;
use nzero_wrapper::zkvm::circuit::ZkvmCircuit;
use nzero_wrapper::zkvm::witness::ZkvmWitness;
use nzero_zkvm::abi::layout::PROGRAM_START;
use nzero_zkvm::abi::syscall;
use nzero_zkvm::isa::Instruction;
use nzero_zkvm::isa::asm::li;
use nzero_zkvm::{EvmProof, ExecConfig, Program, SizeClass, StarkConfig, prove_in};
use sha2::{Digest, Sha256};

const CONFIG: StarkConfig = StarkConfig::evm_insecure_for_tests();
const CLASS: SizeClass = SizeClass::Test;
const DIGEST: u32 = 0x0800_0000;

/// A few instructions, then a halt with exit code 0 and empty public values.
fn program() -> Program {
    let mut words = li(5, 1234).to_vec();
    words.extend(li(6, 99));
    words.push(Instruction::Alu { op: nzero_zkvm::isa::AluOp::Add, rd: 7, rs1: 5, rs2: 6 }.encode());
    for (reg, value) in [(10, 0), (11, DIGEST), (17, syscall::HALT)] {
        words.extend(li(reg, value));
    }
    words.push(Instruction::Ecall.encode());
    let mut program = Program::from_code(PROGRAM_START, words);
    for (i, chunk) in (0u32..).zip(Sha256::digest(b"").chunks(4)) {
        program.image.insert(DIGEST + 4 * i, u32::from_le_bytes(chunk.try_into().expect("4 bytes")));
    }
    program
}

fn proof() -> EvmProof {
    prove_in::<Poseidon2MerkleChannel>(&program(), b"", &CONFIG, &ExecConfig::default(), Some(CLASS))
        .expect("proves")
        .1
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
fn a_zkvm_proof_satisfies_its_class_circuit() {
    let proof = proof();
    let witness = ZkvmWitness::new(&proof, CLASS, &CONFIG).expect("a witness");
    let (satisfied, n) = build(Some(witness));
    assert!(satisfied);
    let (_, n_setup) = build(None);
    assert_eq!(n, n_setup, "the setup builds the same constraints");
}
