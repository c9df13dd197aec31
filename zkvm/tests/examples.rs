//! The example guests, built with the real toolchain and run on the executor, against host results.

mod common;

use nzero_zkvm::{ExecConfig, Input, abi, execute, trace};
use sha2::{Digest, Sha256};

fn fib(n: u32) -> u32 {
    (0..n).fold((0u32, 1u32), |(a, b), _| (b, a.wrapping_add(b))).0
}

#[test]
fn fibonacci_commits_n_and_the_nth_number() {
    let (_, program) = common::example("fibonacci");
    for n in [0u32, 1, 2, 10, 47, 48, 1000] {
        let mut input = Input::new();
        input.write(&n).unwrap();
        let run = execute(&program, input.as_bytes(), &ExecConfig::default()).unwrap();
        let mut want = n.to_le_bytes().to_vec();
        want.extend_from_slice(&fib(n).to_le_bytes());
        assert_eq!(run.exit_code, 0, "n = {n}");
        assert_eq!(run.public_values, want, "n = {n}");
        assert_eq!(run.public_values_digest, <[u8; 32]>::from(Sha256::digest(&want)));
    }
}

#[test]
fn sha256_matches_the_host() {
    let (_, program) = common::example("sha256");
    let long: Vec<u8> = (0..5000u32).map(|i| (i * 31 % 251) as u8).collect();
    for data in [&b""[..], b"abc", &long] {
        let run = execute(&program, data, &ExecConfig::default()).unwrap();
        assert_eq!(run.exit_code, 0);
        assert_eq!(run.public_values, Sha256::digest(data).to_vec(), "{} bytes", data.len());
    }
}

/// The ComputeBridge convention: `sha256(input)` first, then the output (`nzero_runtime::read_request`).
#[test]
fn primes_commits_its_input_digest_then_the_count() {
    let (_, program) = common::example("primes");
    for (n, count) in [(0u32, 0u32), (2, 0), (3, 1), (100, 25), (1000, 168), (7919, 999)] {
        let input = n.to_be_bytes();
        let run = execute(&program, &input, &ExecConfig::default()).unwrap();
        let want = [Sha256::digest(input).as_slice(), &count.to_be_bytes()].concat();
        assert_eq!(run.exit_code, 0, "n = {n}");
        assert_eq!(run.public_values, want, "n = {n}");
    }
    let short = execute(&program, &[1, 2, 3], &ExecConfig::default()).unwrap();
    assert_eq!(short.exit_code, abi::exit_code::PANIC, "an input that is not 4 bytes");
}

#[test]
fn json_parses_the_ledger() {
    let (_, program) = common::example("json");
    let doc = br#"{"threshold": 100, "transfers": [
        {"from": "alice", "to": "bob", "amount": 250},
        {"from": "bob", "to": "carol", "amount": 50},
        {"from": "carol", "to": "alice", "amount": 101}
    ]}"#;
    let run = execute(&program, doc, &ExecConfig::default()).unwrap();
    assert_eq!(run.exit_code, 0);
    let (total, large): (u64, u32) = postcard::from_bytes(&run.public_values).unwrap();
    assert_eq!((total, large), (401, 2));
}

#[test]
fn a_guest_panic_is_an_exit_code_with_its_message() {
    let (_, program) = common::example("json");
    let run = execute(&program, b"{not json", &ExecConfig::default()).unwrap();
    assert_eq!(run.exit_code, abi::exit_code::PANIC);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("invalid ledger JSON"), "{stderr}");
    assert!(run.public_values.is_empty());
    assert_eq!(run.public_values_digest, <[u8; 32]>::from(Sha256::digest(b"")));

    let (_, fibonacci) = common::example("fibonacci");
    let run = execute(&fibonacci, &[], &ExecConfig::default()).unwrap();
    assert_eq!(run.exit_code, abi::exit_code::PANIC, "reading past the input panics");
}

#[test]
fn the_trace_has_one_step_per_cycle_and_follows_the_pc() {
    let (_, program) = common::example("sha256");
    let (run, record) = trace(&program, b"abc", &ExecConfig::default()).unwrap();
    assert_eq!(record.steps.len() as u64, run.cycles);
    assert_eq!(record.steps[0].pc, program.entry);
    for pair in record.steps.windows(2) {
        assert_eq!(pair[0].next_pc, pair[1].pc);
    }
}

#[test]
fn the_cycle_limit_stops_a_long_run() {
    let (_, program) = common::example("fibonacci");
    let mut input = Input::new();
    input.write(&1_000_000u32).unwrap();
    let err = execute(&program, input.as_bytes(), &ExecConfig { max_cycles: 10_000 }).unwrap_err();
    assert!(matches!(err, nzero_zkvm::ExecError::CycleLimitExceeded { limit: 10_000, .. }), "{err}");
}
