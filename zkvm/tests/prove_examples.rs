//! The example guests, built with the real toolchain, proven and verified.

mod common;

use nzero_zkvm::{ExecConfig, Input, StarkConfig, VerifyError, program_key, prove, verify};

const CONFIG: StarkConfig = StarkConfig::insecure_for_tests();

fn prove_and_verify(name: &str, input: &[u8]) -> (Vec<u8>, nzero_zkvm::Proof) {
    let (_, program) = common::example(name);
    let (run, proof) = prove(&program, input, &CONFIG, &ExecConfig::default()).expect("proves");
    let (_, _, key) = program_key(&program);
    verify(&proof, &key, &run.public_values, &CONFIG).expect("verifies");
    assert_eq!(proof.public_values, run.public_values);
    (run.public_values, proof)
}

#[test]
fn every_example_proves_and_verifies() {
    let mut fib = Input::new();
    fib.write(&30u32).unwrap();
    prove_and_verify("fibonacci", fib.as_bytes());
    prove_and_verify("sha256", b"abc");
    prove_and_verify("json", br#"{"threshold": 1, "transfers": [{"from": "a", "to": "b", "amount": 2}]}"#);
}

#[test]
fn a_proof_is_bound_to_its_program_and_public_values() {
    let mut fib = Input::new();
    fib.write(&10u32).unwrap();
    let (public_values, proof) = prove_and_verify("fibonacci", fib.as_bytes());
    let (_, sha) = common::example("sha256");
    let (_, _, sha_key) = program_key(&sha);
    assert!(matches!(
        verify(&proof, &sha_key, &public_values, &CONFIG),
        Err(VerifyError::WrongProgram { .. })
    ));
    let (_, fibonacci) = common::example("fibonacci");
    let (_, _, key) = program_key(&fibonacci);
    let mut other = public_values.clone();
    other[4] ^= 1;
    assert!(matches!(verify(&proof, &key, &other, &CONFIG), Err(VerifyError::PublicValuesMismatch)));
    // A proof for another input proves other public values.
    let mut fib = Input::new();
    fib.write(&11u32).unwrap();
    let (other_values, _) = prove_and_verify("fibonacci", fib.as_bytes());
    assert!(verify(&proof, &key, &other_values, &CONFIG).is_err());
}

#[test]
fn a_guest_panic_is_proven_with_its_exit_code() {
    let (_, proof) = prove_and_verify("json", b"{not json");
    assert_eq!(proof.statement.exit_code, 101);
}
