//! `nzero` as a user runs it: a real build of an example guest, then runs with JSON output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

fn nzero(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nzero")).args(args).output().expect("nzero starts")
}

fn json(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "exactly one JSON line on stdout: {stdout}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `nzero build examples/fibonacci --json`, once.
fn fibonacci_elf() -> &'static str {
    static ELF: OnceLock<String> = OnceLock::new();
    ELF.get_or_init(|| {
        let dir = repo().join("examples/fibonacci");
        let output = nzero(&["build", dir.to_str().unwrap(), "--json"]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let elf = json(&output)["elf"].as_str().expect("`elf` field").to_owned();
        assert!(Path::new(&elf).is_file());
        elf
    })
}

#[test]
fn run_reports_stable_json_fields() {
    let output = nzero(&["run", fibonacci_elf(), "--input-hex", "0x0a", "--json"]);
    assert!(output.status.success());
    let report = json(&output);
    assert_eq!(report["exit_code"], 0);
    assert_eq!(report["public_values"], "0x0a00000037000000");
    assert_eq!(
        report["public_values_digest"],
        "0x895693f034323905cae504ec0226edfed289514beb8f22f192631abc87877576"
    );
    assert!(report["cycles"].as_u64().unwrap() > 100);
    assert!(report["mhz"].as_f64().unwrap() > 0.0);
}

#[test]
fn run_reads_input_from_a_file_and_prints_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.bin");
    std::fs::write(&input, [20u8]).unwrap();
    let output = nzero(&["run", fibonacci_elf(), "--input", input.to_str().unwrap()]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("0x140000006d1a0000"), "n = 20, F(20) = 6765 = 0x1a6d; got {text}");
}

#[test]
fn a_guest_panic_becomes_the_exit_code() {
    let output = nzero(&["run", fibonacci_elf(), "--json"]); // no input: the guest panics
    assert_eq!(output.status.code(), Some(101));
    let report = json(&output);
    assert_eq!(report["exit_code"], 101);
    assert!(report["stderr"].as_str().unwrap().contains("panicked"));
}

#[test]
fn bad_inputs_are_named_errors() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.elf");
    std::fs::write(&garbage, b"definitely not an ELF file").unwrap();
    let cases: [(Vec<&str>, &str); 4] = [
        (vec!["run", garbage.to_str().unwrap()], "not an ELF file"),
        (vec!["run", "/nonexistent/guest.elf"], "reading /nonexistent/guest.elf"),
        (vec!["run", fibonacci_elf(), "--input-hex", "0xzz"], "is not valid hex"),
        (vec!["build", dir.path().to_str().unwrap()], "is not a Cargo package"),
    ];
    for (args, message) in cases {
        let mut with_json = args.clone();
        with_json.push("--json");
        let output = nzero(&with_json);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let report = json(&output);
        assert!(report["error"].as_str().unwrap().contains(message), "{args:?}: {report}");
        assert!(String::from_utf8_lossy(&output.stderr).contains(message));
    }
}

#[test]
fn input_file_and_hex_are_exclusive() {
    let output = nzero(&["run", "x.elf", "--input", "a", "--input-hex", "00"]);
    assert_eq!(output.status.code(), Some(2), "a usage error");
}

#[test]
fn vkey_is_stable_and_program_specific() {
    let first = json(&nzero(&["vkey", fibonacci_elf(), "--json"]));
    let second = json(&nzero(&["vkey", fibonacci_elf(), "--json"]));
    let key = first["program_vkey"].as_str().unwrap();
    assert_eq!(key.len(), 66, "0x + 32 bytes: {key}");
    assert_eq!(first, second);
}

#[test]
fn verify_rejects_bad_proof_files_with_named_errors() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.bin");
    std::fs::write(&garbage, b"not a proof at all").unwrap();
    let truncated = dir.path().join("truncated.bin");
    let mut header = b"NZPROOF\0".to_vec();
    header.extend(1u32.to_le_bytes());
    header.push(1);
    header.extend(1000u64.to_le_bytes());
    header.extend([0u8; 10]);
    std::fs::write(&truncated, &header).unwrap();
    for (file, message) in [(&garbage, "bad magic"), (&truncated, "truncated")] {
        let output = nzero(&["verify", file.to_str().unwrap(), "--elf", fibonacci_elf(), "--json"]);
        assert_eq!(output.status.code(), Some(1));
        let report = json(&output);
        assert!(report["error"].as_str().unwrap().contains(message), "{report}");
    }
    let output = nzero(&["verify", garbage.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "--elf or --vkey is required");
    let output = nzero(&["verify", garbage.to_str().unwrap(), "--vkey", "0x1234", "--json"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn prove_then_verify_by_elf_and_by_vkey() {
    let dir = tempfile::tempdir().unwrap();
    let proof = dir.path().join("fib.proof");
    let proof_path = proof.to_str().unwrap();
    let output = nzero(&[
        "prove",
        fibonacci_elf(),
        "--input-hex",
        "0a",
        "-o",
        proof_path,
        "--insecure-test-config",
        "--json",
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report = json(&output);
    assert_eq!(report["exit_code"], 0);
    assert_eq!(report["public_values"], "0x0a00000037000000");
    assert_eq!(report["size_class"], "16");
    assert_eq!(report["security_bits"], 12);
    let vkey = report["program_vkey"].as_str().unwrap().to_owned();

    let by_elf = nzero(&["verify", proof_path, "--elf", fibonacci_elf(), "--insecure-test-config", "--json"]);
    assert!(by_elf.status.success(), "{}", String::from_utf8_lossy(&by_elf.stderr));
    assert_eq!(json(&by_elf)["ok"], true);
    let by_vkey = nzero(&["verify", proof_path, "--vkey", &vkey, "--insecure-test-config", "--json"]);
    assert_eq!(json(&by_vkey)["public_values"], "0x0a00000037000000");

    // Other public values, the secure configuration, another program: all rejected.
    let tampered = nzero(&[
        "verify",
        proof_path,
        "--vkey",
        &vkey,
        "--public-values-hex",
        "0x0a00000038000000",
        "--insecure-test-config",
        "--json",
    ]);
    assert_eq!(tampered.status.code(), Some(1));
    assert!(json(&tampered)["error"].as_str().unwrap().contains("public values"));
    let secure = nzero(&["verify", proof_path, "--vkey", &vkey, "--json"]);
    assert_eq!(secure.status.code(), Some(1));
    let mut other = vkey.clone().into_bytes();
    other[10] = if other[10] == b'0' { b'1' } else { b'0' };
    let other = String::from_utf8(other).unwrap();
    let wrong = nzero(&["verify", proof_path, "--vkey", &other, "--insecure-test-config", "--json"]);
    assert_eq!(wrong.status.code(), Some(1));
}
