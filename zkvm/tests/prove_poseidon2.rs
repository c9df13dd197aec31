//! The zkVM proves with the Poseidon2-BN254 Merkle channel (the EVM mode) through the same AIR.

mod common;

use common::halting;
use nzero_poseidon2::Poseidon2MerkleChannel;
use nzero_zkvm::isa::asm::li;
use nzero_zkvm::isa::{AluOp, BranchOp, Instruction};
use nzero_zkvm::{
    Claim, ExecConfig, HashKind, ProofFileError, ProveError, SizeClass, StarkConfig, VerifyError,
    program_key, prove_in, prove_with, verify,
};

const CONFIG: StarkConfig = StarkConfig::evm_insecure_for_tests();

type EvmProof = nzero_zkvm::Proof<Poseidon2MerkleChannel>;

#[test]
fn a_poseidon2_proof_verifies_and_binds_its_statement() {
    let mut code = li(5, 1234).to_vec();
    code.extend(li(10, 7)); // exit code 7
    let program = halting(&code);
    let (execution, proof) = prove_in::<Poseidon2MerkleChannel>(
        &program,
        b"",
        &CONFIG,
        &ExecConfig::default(),
        Some(SizeClass::Test),
    )
    .expect("proves");
    assert_eq!(proof.statement.exit_code, execution.exit_code);
    assert_eq!(proof.class, SizeClass::Test);
    assert_eq!(proof.claim, Claim::evm(SizeClass::Test), "EVM proofs take their class's fixed shape");
    let (_, roots, key) = program_key(&program);
    assert_eq!(proof.program_key(), key, "one program key covers both proof modes");
    verify(&proof, &key, b"", &CONFIG).expect("verifies");

    let bytes = proof.to_bytes();
    assert_eq!(nzero_zkvm::proof_hash_kind(&bytes).unwrap(), HashKind::Poseidon2);
    let decoded = EvmProof::from_bytes(&bytes).expect("round trip");
    verify(&decoded, &key, b"", &CONFIG).expect("the decoded proof verifies");
    assert!(matches!(
        nzero_zkvm::Proof::<stwo::core::vcs_lifted::blake2_merkle::Blake2sMerkleChannel>::from_bytes(&bytes),
        Err(ProofFileError::WrongHash { expected: HashKind::Blake2s, found: HashKind::Poseidon2 })
    ));

    let mut exit = proof.clone();
    exit.statement.exit_code = 0;
    assert!(verify(&exit, &key, b"", &CONFIG).is_err(), "another exit code");
    let mut swapped = proof.clone();
    swapped.roots.poseidon2 = roots.blake2s;
    assert!(matches!(
        verify(&swapped, &swapped.program_key(), b"", &CONFIG),
        Err(VerifyError::PreprocessedMismatch)
    ));
    assert!(matches!(
        verify(&proof, &key, b"", &StarkConfig::evm()),
        Err(VerifyError::ConfigMismatch { .. })
    ));
    let mut unpadded = proof.clone();
    unpadded.claim.log_sizes[0] -= 1;
    assert!(matches!(verify(&unpadded, &key, b"", &CONFIG), Err(VerifyError::Malformed(_))));
    let mut other_class = proof.clone();
    other_class.class = SizeClass::C16;
    assert!(verify(&other_class, &key, b"", &CONFIG).is_err(), "another class's shape");
}

#[test]
fn a_configuration_at_another_blowup_than_the_keys_is_refused() {
    let program = halting(&li(10, 0));
    let native = StarkConfig::insecure_for_tests();
    assert!(matches!(
        prove_with::<Poseidon2MerkleChannel>(&program, b"", &native, &ExecConfig::default()),
        Err(ProveError::BlowupMismatch { kind: HashKind::Poseidon2, .. })
    ));
}

#[test]
fn an_execution_too_long_for_the_class_asked_for_is_refused() {
    // A loop of 2^12 iterations runs longer than the test class's 2^12 cycles.
    let mut code = li(5, 1 << 12).to_vec();
    code.push(Instruction::AluImm { op: AluOp::Add, rd: 5, rs1: 5, imm: u32::MAX }.encode());
    code.push(Instruction::Branch { op: BranchOp::Bne, rs1: 5, rs2: 0, imm: (-4i32) as u32 }.encode());
    code.extend(li(10, 0));
    let program = halting(&code);
    assert!(matches!(
        prove_in::<Poseidon2MerkleChannel>(
            &program,
            b"",
            &CONFIG,
            &ExecConfig::default(),
            Some(SizeClass::Test)
        ),
        Err(ProveError::DoesNotFit { class: SizeClass::Test, .. })
    ));
}
