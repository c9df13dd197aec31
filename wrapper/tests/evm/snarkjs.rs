//! The snarkjs export checked by snarkjs itself (`snarkjs groth16 verify`, from node_modules): an
//! independent implementation accepts our key, proof and public input — of a fresh proof, and of every
//! committed fixture, the wrapped zkVM proofs among them — and rejects a wrong input.

use std::fs;
use std::process::Command;

use ark_bn254::Fr;
use ark_ff::PrimeField;
use nzero_wrapper::{
    Fixture, decode_proof, public_input, snarkjs_proof, snarkjs_public_inputs, snarkjs_verification_key,
};

use crate::circuit::{fresh_rng, prove, setup};
use crate::committed::{committed_key, files_with_extension, fixtures_dir};
use crate::solc::repo_root;

fn snarkjs_verify(dir: &std::path::Path, public: &serde_json::Value) -> (bool, String) {
    fs::write(dir.join("public.json"), public.to_string()).unwrap();
    let out = Command::new("node")
        .arg(repo_root().join("node_modules/snarkjs/build/cli.cjs"))
        .args(["groth16", "verify", "verification_key.json", "public.json", "proof.json"])
        .current_dir(dir)
        .output()
        .expect("run snarkjs (script/bootstrap.sh installs it)");
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success() && log.contains("OK"), log)
}

#[test]
fn snarkjs_verifies_the_exported_key_and_proof() {
    assert!(
        repo_root().join("node_modules/snarkjs").is_dir(),
        "node_modules/snarkjs is missing: run script/bootstrap.sh"
    );
    let mut rng = fresh_rng();
    let pk = setup(&mut rng);
    let program_vkey = [3u8; 32];
    let proof = prove(&pk, program_vkey, b"snarkjs", &mut rng);

    let dir = std::env::temp_dir().join(format!("nzero-snarkjs-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("verification_key.json"), snarkjs_verification_key(&pk.vk).to_string()).unwrap();
    fs::write(dir.join("proof.json"), snarkjs_proof(&proof).to_string()).unwrap();

    let (ok, log) = snarkjs_verify(&dir, &snarkjs_public_inputs(&[public_input(program_vkey, b"snarkjs")]));
    assert!(ok, "snarkjs rejected a valid export:\n{log}");
    let (ok, log) = snarkjs_verify(&dir, &snarkjs_public_inputs(&[public_input(program_vkey, b"snarkjS")]));
    assert!(!ok, "snarkjs accepted the proof for another statement:\n{log}");
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn snarkjs_verifies_every_committed_fixture() {
    let fixtures = files_with_extension(&fixtures_dir(), "json");
    let dir = std::env::temp_dir().join(format!("nzero-snarkjs-fixtures-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let mut zkvm_proofs = 0;
    for path in fixtures {
        let fixture = Fixture::from_json(&fs::read_to_string(&path).expect("read")).expect("a fixture");
        zkvm_proofs += usize::from(fixture.verifier != "NexusVerifierDemo");
        let vk = committed_key(&fixture.verifier);
        let (_, proof) = decode_proof(&fixture.proof).expect("a well-formed proof");
        fs::write(dir.join("verification_key.json"), snarkjs_verification_key(&vk).to_string()).unwrap();
        fs::write(dir.join("proof.json"), snarkjs_proof(&proof).to_string()).unwrap();
        let input = Fr::from_be_bytes_mod_order(&fixture.public_input);
        let (ok, log) = snarkjs_verify(&dir, &snarkjs_public_inputs(&[input]));
        assert!(ok, "snarkjs rejected {}:\n{log}", path.display());
        let (ok, log) = snarkjs_verify(&dir, &snarkjs_public_inputs(&[input + Fr::from(1u64)]));
        assert!(!ok, "snarkjs accepted {} for another public input:\n{log}", path.display());
    }
    assert!(zkvm_proofs >= 4, "the wrapped zkVM proofs are among the fixtures");
    fs::remove_dir_all(&dir).ok();
}
