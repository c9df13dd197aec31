//! Proving and verifying executions end to end, and rejecting tampered proofs and statements.

use nzero_abi::layout::PROGRAM_START;
use nzero_abi::syscall;
use nzero_zkvm::isa::asm::li;
use nzero_zkvm::isa::{AluOp, Instruction};
use nzero_zkvm::{ExecConfig, Program, Proof, StarkConfig, VerifyError, program_key, prove, verify};
use sha2::{Digest, Sha256};

const DATA: u32 = 0x0010_0000;
const ECALL: u32 = 0x0000_0073;
const CONFIG: StarkConfig = StarkConfig::insecure_for_tests();

/// `code`, then a halt with `exit_code` and the digest of empty public values (placed at `DATA`).
fn halting(code: &[u32], exit_code: u32) -> Program {
    let mut words = code.to_vec();
    for (reg, value) in [(10, exit_code), (11, DATA), (17, syscall::HALT)] {
        words.extend(li(reg, value));
    }
    words.push(ECALL);
    let mut program = Program::from_code(PROGRAM_START, words);
    for (i, chunk) in Sha256::digest(b"").chunks(4).enumerate() {
        program.image.insert(DATA + 4 * i as u32, u32::from_le_bytes(chunk.try_into().unwrap()));
    }
    program
}

fn prove_ok(program: &Program, input: &[u8]) -> Proof {
    let (_, proof) = prove(program, input, &CONFIG, &ExecConfig::default()).expect("proves");
    let (_, _, key) = program_key(program);
    verify(&proof, &key, b"", &CONFIG).expect("verifies");
    proof
}

fn arithmetic() -> Vec<u32> {
    let add = |rd, rs1, rs2| Instruction::Alu { op: AluOp::Add, rd, rs1, rs2 }.encode();
    let sub = |rd, rs1, rs2| Instruction::Alu { op: AluOp::Sub, rd, rs1, rs2 }.encode();
    let mut code = vec![];
    code.extend(li(5, 0xffff_fff0));
    code.extend(li(6, 0x7fff_ffff));
    code.push(add(7, 5, 6)); // carries out of both limbs
    code.push(sub(8, 5, 6));
    code.push(sub(9, 0, 6)); // negation
    code.push(add(0, 5, 5)); // to x0: discarded
    code.push(add(5, 5, 5)); // rd = rs1 = rs2
    code.push(Instruction::Auipc { rd: 12, imm: 0x1000 }.encode());
    code.push(Instruction::Fence.encode());
    code
}

#[test]
fn proves_and_verifies_add_sub_and_halt() {
    let proof = prove_ok(&halting(&arithmetic(), 0), b"");
    assert_eq!(proof.statement.exit_code, 0);
    assert_eq!(proof.statement.public_values_digest, <[u8; 32]>::from(Sha256::digest(b"")));
}

#[test]
fn proves_a_nonzero_exit_code_and_input_syscalls() {
    let mut code = vec![];
    code.extend(li(17, syscall::INPUT_LEN));
    code.push(ECALL);
    code.extend(li(17, syscall::READ_INPUT_WORD));
    code.push(ECALL);
    code.push(ECALL);
    code.extend(li(17, syscall::WRITE));
    code.extend(li(10, 1));
    code.push(ECALL);
    let proof = prove_ok(&halting(&code, 7), &[1, 2, 3, 4, 5]);
    assert_eq!(proof.statement.exit_code, 7);
}

#[test]
fn rejects_a_tampered_statement_program_or_public_values() {
    let program = halting(&arithmetic(), 0);
    let (_, proof) = prove(&program, b"", &CONFIG, &ExecConfig::default()).unwrap();
    let (_, _, key) = program_key(&program);

    assert!(matches!(verify(&proof, &key, b"x", &CONFIG), Err(VerifyError::PublicValuesMismatch)));

    let other = halting(&arithmetic()[2..], 0);
    let (_, _, other_key) = program_key(&other);
    assert!(matches!(verify(&proof, &other_key, b"", &CONFIG), Err(VerifyError::WrongProgram { .. })));

    let mut exit = proof.clone();
    exit.statement.exit_code = 1;
    assert!(verify(&exit, &key, b"", &CONFIG).is_err(), "a different exit code");

    let mut sums = proof.clone();
    // Move the add/sub chip's sum to the halt chip: the total still balances, the chips do not.
    let moved = std::mem::take(&mut sums.claimed_sums[0]);
    sums.claimed_sums[2] += moved;
    assert!(verify(&sums, &key, b"", &CONFIG).is_err(), "moved claimed sums");

    assert!(matches!(
        verify(&proof, &key, b"", &StarkConfig::secure()),
        Err(VerifyError::ConfigMismatch { .. })
    ));
}

#[test]
fn proof_files_round_trip_and_reject_damage() {
    let program = halting(&arithmetic(), 0);
    let (_, proof) = prove(&program, b"", &CONFIG, &ExecConfig::default()).unwrap();
    let (_, _, key) = program_key(&program);
    let bytes = proof.to_bytes();
    let decoded: Proof = Proof::from_bytes(&bytes).expect("round trip");
    verify(&decoded, &key, b"", &CONFIG).expect("the decoded proof verifies");

    use nzero_zkvm::ProofFileError as E;
    type Native = Proof;
    assert!(matches!(Native::from_bytes(&bytes[..bytes.len() - 1]), Err(E::Truncated { .. })));
    assert!(matches!(Native::from_bytes(&bytes[..5]), Err(E::BadMagic)));
    let mut version = bytes.clone();
    version[8] = 9;
    assert!(matches!(Native::from_bytes(&version), Err(E::UnsupportedVersion { found: 9 })));
    // Version 1 had the large lookup tables in the preprocessed trace: rejected, not misread.
    version[8] = 1;
    assert!(matches!(Native::from_bytes(&version), Err(E::UnsupportedVersion { found: 1 })));
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(Native::from_bytes(&longer), Err(E::TrailingBytes(1))));
    let mut other_hash = bytes.clone();
    other_hash[12] = nzero_zkvm::HashKind::Poseidon2.tag();
    assert!(matches!(Native::from_bytes(&other_hash), Err(E::WrongHash { .. })));
    other_hash[12] = 0xee;
    assert!(matches!(Native::from_bytes(&other_hash), Err(E::UnknownHash(0xee))));
    // Flipping any byte of the body is a decoding error or a proof that does not verify.
    for i in (21..bytes.len()).step_by(97) {
        let mut flipped = bytes.clone();
        flipped[i] ^= 0x10;
        if let Ok(proof) = Native::from_bytes(&flipped) {
            assert!(verify(&proof, &key, b"", &CONFIG).is_err(), "flipped byte {i} still verifies");
        }
    }
}
