//! The whole path against real anvil nodes, in the test size class: `nzero demo` (build, prove, set up,
//! wrap, deploy and verify on a local anvil it starts), then `nzero deploy` and `nzero verify-onchain`
//! on a node of our own, with their named errors.

mod common;

use std::net::TcpListener;
use std::process::Command;

use common::{Anvil, DEV_KEY, error, foundry, nzero, ok, repo};
use serde_json::Value;

#[test]
fn the_whole_path_on_anvil_and_its_errors() {
    let work = tempfile::tempdir().unwrap();
    let keys = work.path().join("keys");
    let out = work.path().join("demo");
    let (keys, out) = (keys.to_str().unwrap(), out.to_str().unwrap());

    // One command, a local anvil of its own: proven, wrapped, deployed, accepted; tampered: refused.
    let demo = ok(&nzero(&["demo", "--keys-dir", keys, "--out", out, "--json"], &[]));
    assert_eq!(demo["size_class"], "test");
    assert_eq!(demo["public_values"], "0x0a00000037000000");
    assert_eq!(demo["keys_made"], true);
    assert_eq!(demo["local_node"], true);
    assert_eq!(demo["groth16_proof_bytes"], 260);
    assert_eq!(demo["tampered_rejected_with"], "ProofInvalid()");
    let execution_gas = demo["execution_gas"].as_u64().unwrap();
    // The node's estimate: cold accounts and the 63/64 call reserve on top of the ~192.7k forge measures warm.
    assert!(
        (180_000..215_000).contains(&execution_gas),
        "verifyProof through the gateway: {execution_gas} gas"
    );
    let proof = demo["wrapped_proof"].as_str().unwrap().to_owned();

    // A node of our own: deploy (recorded), deploy again (nothing new), verify through the record.
    let anvil = Anvil::start();
    let deployments = work.path().join("deployments");
    let chain =
        ["--rpc-url", &anvil.url, "--deployments-dir", deployments.to_str().unwrap(), "--keys-dir", keys];
    let key = [("NZERO_PRIVATE_KEY", DEV_KEY)];
    let deploy = |extra: &[&str], env: &[(&str, &str)]| {
        nzero(&[&["deploy", "--json"][..], &chain[..], extra].concat(), env)
    };
    let first = ok(&deploy(&[], &key));
    assert!(first["steps"].as_array().unwrap().iter().all(|s| s["gas_used"].as_u64().is_some()));
    let record: Value =
        serde_json::from_slice(&std::fs::read(deployments.join("31337.json")).unwrap()).unwrap();
    assert_eq!(record, first["deployment"]);
    let second = ok(&deploy(&[], &key));
    assert!(second["steps"].as_array().unwrap().iter().all(|s| s["gas_used"].is_null()));
    assert_eq!(second["deployment"], first["deployment"]);

    let verify = |file: &str, extra: &[&str]| {
        nzero(&[&["verify-onchain", file, "--json"][..], &chain[..4], extra].concat(), &[])
    };
    let accepted = ok(&verify(&proof, &[]));
    assert_eq!(accepted["verified"], true);
    assert_eq!(accepted["via_gateway"], true);
    assert_eq!(accepted["target"], record["gateway"]);
    let verifier = record["verifiers"]["NexusVerifierTest"].as_str().unwrap();
    let direct = ok(&verify(&proof, &["--verifier", verifier]));
    assert!(direct["execution_gas"].as_u64().unwrap() < accepted["execution_gas"].as_u64().unwrap());

    // Tampered statements and proofs revert with their decoded custom errors.
    let fixture: Value = serde_json::from_slice(&std::fs::read(&proof).unwrap()).unwrap();
    let tampered = |field: &str, value: &str| {
        let mut f = fixture.clone();
        f[field] = Value::String(value.to_owned());
        let path = work.path().join(format!("tampered-{field}.json"));
        std::fs::write(&path, f.to_string()).unwrap();
        error(&verify(path.to_str().unwrap(), &[]))
    };
    assert!(tampered("public_values", "0x0a00000038000000").contains("ProofInvalid()"));
    let proof_hex = fixture["proof"].as_str().unwrap();
    assert!(
        tampered("proof", &proof_hex[..proof_hex.len() - 2])
            .contains("ProofLengthInvalid(expected 260, actual 259)")
    );
    assert!(
        tampered("proof", &format!("0xdeadbeef{}", &proof_hex[10..]))
            .contains("no route for selector 0xdeadbeef")
    );

    // A node that is not there, a key without funds.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let unreachable =
        nzero(&["verify-onchain", &proof, "--rpc-url", &format!("http://127.0.0.1:{closed}"), "--json"], &[]);
    assert!(error(&unreachable).contains("no Ethereum node answers"));
    let poor = [("NZERO_PRIVATE_KEY", "0x0000000000000000000000000000000000000000000000000000000000000b0b")];
    assert!(error(&deploy(&["--salt", &format!("0x{}", "11".repeat(32))], &poor)).contains("has no funds"));

    drop(anvil);

    // A new project, proven with the same keys: its guest builds and its Foundry tests pass on the real
    // fixture (with this repository's pinned forge and solc, linked in instead of `npm install`).
    let project = work.path().join("primes-app");
    let created = ok(&nzero(&["new", project.to_str().unwrap(), "--keys-dir", keys, "--json"], &[]));
    assert_eq!(created["fixture"], project.join("test/fixtures/primes.json").to_str().unwrap());
    std::os::unix::fs::symlink(repo().join("node_modules"), project.join("node_modules")).unwrap();
    let forge =
        Command::new(foundry("forge")).arg("test").current_dir(&project).output().expect("forge runs");
    let log = String::from_utf8_lossy(&forge.stdout);
    assert!(
        forge.status.success(),
        "forge test in the new project: {log}{}",
        String::from_utf8_lossy(&forge.stderr)
    );
    assert!(log.contains("4 passed; 0 failed"), "{log}");
    assert!(error(&nzero(&["new", project.to_str().unwrap(), "--json"], &[])).contains("already exists"));
}
