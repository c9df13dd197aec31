//! Compiles Solidity with the project's solc (`script/solc`, the shim over npm's solc-js that forge uses
//! too), with the settings of `foundry.toml`, so the bytecode tested here is the bytecode forge builds.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// The repository root (the wrapper crate's parent).
pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the wrapper crate lives in the workspace")
        .to_owned()
}

/// Creation bytecode of `contract` in the source unit `path` (relative to the repository root), whose
/// content is `source`; the files it imports are read from the repository.
pub(crate) fn compile(path: &str, source: &str, contract: &str) -> Vec<u8> {
    let root = repo_root();
    let shim = root.join("script/solc");
    assert!(
        root.join("node_modules/solc").is_dir(),
        "node_modules/solc is missing: run script/bootstrap.sh (it installs solc-js and forge)"
    );
    // Keep in step with foundry.toml: via IR, optimizer on, 1,000,000 runs, prague, no metadata hash.
    let input = json!({
        "language": "Solidity",
        "sources": { path: { "content": source } },
        "settings": {
            "viaIR": true,
            "optimizer": { "enabled": true, "runs": 1_000_000 },
            "evmVersion": "prague",
            "metadata": { "bytecodeHash": "none", "appendCBOR": false },
            "outputSelection": { path: { contract: ["evm.bytecode.object"] } }
        }
    });
    let mut child = Command::new("node")
        .arg(&shim)
        .args(["--standard-json", "--base-path"])
        .arg(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run node script/solc");
    child.stdin.take().expect("stdin").write_all(input.to_string().as_bytes()).expect("write solc input");
    let out = child.wait_with_output().expect("solc output");
    assert!(out.status.success(), "script/solc failed: {}", out.status);
    let output: Value = serde_json::from_slice(&out.stdout).expect("solc prints JSON");
    let errors: Vec<&Value> = output["errors"]
        .as_array()
        .map(|errors| errors.iter().filter(|e| e["severity"] == "error").collect())
        .unwrap_or_default();
    assert!(errors.is_empty(), "solc errors: {errors:#?}");
    let object = output["contracts"][path][contract]["evm"]["bytecode"]["object"]
        .as_str()
        .unwrap_or_else(|| panic!("no bytecode for {path}:{contract}"));
    hex::decode(object).expect("bytecode hex")
}
