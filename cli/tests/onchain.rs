//! The whole path against real anvil nodes, in the test size class: `nzero demo` (build, prove, set up,
//! wrap, deploy and verify on a local anvil it starts), then `nzero deploy` and `nzero verify-onchain`
//! on a node of our own, with their named errors.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

/// anvil's first development key: published, funded on every anvil.
const DEV_KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `nzero args…` in the repository, with `env` set and no key from the caller's environment.
fn nzero(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nzero"));
    command.current_dir(repo()).args(args).env_remove("NZERO_PRIVATE_KEY").env_remove("NZERO_RPC_URL");
    command.envs(env.iter().copied()).output().expect("nzero starts")
}

fn json(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!("{e}: stdout {stdout}\nstderr {}", String::from_utf8_lossy(&output.stderr))
    })
}

fn ok(output: &Output) -> Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    json(output)
}

/// The error of a failed `--json` run.
fn error(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    json(output)["error"].as_str().expect("an error message").to_owned()
}

/// The Foundry binary `name` that npm installed (not the `node_modules/.bin` launcher, a node process that
/// neither passes the exit code on nor takes its child down when killed).
fn foundry(name: &str) -> PathBuf {
    let dir = repo().join("node_modules/@foundry-rs");
    std::fs::read_dir(&dir)
        .expect("node_modules/@foundry-rs (script/bootstrap.sh installs it)")
        .map(|entry| entry.unwrap().path())
        .find(|path| path.file_name().unwrap().to_string_lossy().starts_with(&format!("{name}-")))
        .map(|package| package.join("bin").join(name))
        .unwrap_or_else(|| panic!("no {name} under {}", dir.display()))
}

/// An anvil of our own on a free port, killed on drop.
struct Anvil {
    child: Child,
    url: String,
}

impl Anvil {
    fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(foundry("anvil"))
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--silent"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("anvil starts");
        let anvil = Self { child, url: format!("http://127.0.0.1:{port}") };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(30), "anvil did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        anvil
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
