//! The committed EVM artifacts stay true to their keys: every `contracts/generated/<Name>.sol` is exactly
//! what the generator makes from `contracts/generated/<Name>.vk.hex`, and every `test/fixtures/*.json`
//! verifies natively under its verifier's key. `regenerate_committed_artifacts` (ignored) rewrites the
//! demo verifier, its key and its fixtures from a fixed seed.

use std::fs;
use std::path::{Path, PathBuf};

use ark_bn254::Bn254;
use ark_groth16::VerifyingKey;
use ark_serialize::CanonicalDeserialize;
use nzero_wrapper::{
    EvmError, Fixture, decode_proof, public_values_digest, selector, solidity_verifier, verify_encoded_proof,
    vk_bytes,
};

use crate::circuit::{prove, seeded_setup};
use crate::solc::repo_root;

/// The stand-in circuit's committed verifier (until the zkVM's size classes have theirs).
const DEMO_VERIFIER: &str = "NexusVerifierDemo";
/// Changing it changes every committed demo artifact.
const DEMO_SEED: u64 = 0x6e7a_6572_6f5f_7631;

fn generated_dir() -> PathBuf {
    repo_root().join("contracts/generated")
}

pub(crate) fn fixtures_dir() -> PathBuf {
    repo_root().join("test/fixtures")
}

pub(crate) fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    files.sort();
    files
}

/// The committed key of a generated verifier (validated: points on the curve, in the subgroup).
pub(crate) fn committed_key(verifier: &str) -> VerifyingKey<Bn254> {
    let path = generated_dir().join(format!("{verifier}.vk.hex"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let bytes = hex::decode(text.trim()).expect("hex verifying key");
    VerifyingKey::deserialize_uncompressed(&bytes[..]).expect("a valid verifying key")
}

#[test]
fn committed_verifiers_match_their_keys() {
    let sources = files_with_extension(&generated_dir(), "sol");
    assert!(!sources.is_empty(), "no generated verifier is committed");
    for path in sources {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 name");
        let committed = fs::read_to_string(&path).expect("read the verifier");
        let generated = solidity_verifier(&committed_key(name), name).expect("generate");
        assert!(
            committed == generated,
            "{} differs from what the generator makes from {name}.vk.hex: regenerate it, never edit it",
            path.display()
        );
    }
}

#[test]
fn committed_fixtures_verify_natively() {
    let fixtures = files_with_extension(&fixtures_dir(), "json");
    assert!(!fixtures.is_empty(), "no fixture is committed");
    for path in fixtures {
        let fixture = Fixture::from_json(&fs::read_to_string(&path).expect("read")).expect("a fixture");
        let vk = committed_key(&fixture.verifier);
        assert_eq!(fixture.selector, selector(&vk).unwrap(), "{}: selector", path.display());
        assert_eq!(
            Fixture::new(
                &fixture.verifier,
                &vk,
                &decode_proof(&fixture.proof).expect("a well-formed proof").1,
                fixture.program_vkey,
                &fixture.public_values
            )
            .unwrap(),
            fixture,
            "{}: the fixture's derived fields (public input, encoding) are consistent",
            path.display()
        );
        verify_encoded_proof(&vk, fixture.program_vkey, &fixture.public_values, &fixture.proof)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut other_values = fixture.public_values.clone();
        other_values.push(0);
        assert_eq!(
            verify_encoded_proof(&vk, fixture.program_vkey, &other_values, &fixture.proof),
            Err(EvmError::ProofInvalid)
        );
    }
}

/// The demo fixtures: (name, program key, public values).
fn demo_statements() -> Vec<(&'static str, [u8; 32], Vec<u8>)> {
    // A program key and the public values a fibonacci guest would commit: n = 20, fib(n) = 6765 (u32 LE).
    let program_vkey: [u8; 32] = public_values_digest(b"nexus-zero demo program");
    let fib: Vec<u8> = [20u32, 6765].iter().flat_map(|v| v.to_le_bytes()).collect();
    vec![("demo", program_vkey, fib), ("demo_empty", program_vkey, Vec::new())]
}

#[test]
#[ignore = "rewrites committed files; run after changing the generator, the encoding or the demo circuit"]
fn regenerate_committed_artifacts() {
    let (pk, mut rng) = seeded_setup(DEMO_SEED);
    let dir = generated_dir();
    fs::write(
        dir.join(format!("{DEMO_VERIFIER}.vk.hex")),
        format!("{}\n", hex::encode(vk_bytes(&pk.vk).unwrap())),
    )
    .unwrap();
    fs::write(dir.join(format!("{DEMO_VERIFIER}.sol")), solidity_verifier(&pk.vk, DEMO_VERIFIER).unwrap())
        .unwrap();
    fs::create_dir_all(fixtures_dir()).unwrap();
    for (name, program_vkey, public_values) in demo_statements() {
        let proof = prove(&pk, program_vkey, &public_values, &mut rng);
        let fixture = Fixture::new(DEMO_VERIFIER, &pk.vk, &proof, program_vkey, &public_values).unwrap();
        fs::write(fixtures_dir().join(format!("{name}.json")), fixture.to_json()).unwrap();
    }
}
