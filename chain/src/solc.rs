//! Compiling the contracts with the project's Solidity compiler and the settings of `foundry.toml`, so
//! that the bytecode deployed here is byte for byte what forge builds (and lands at the same CREATE2
//! address as `script/Deploy.s.sol`'s).

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::ChainError;

/// The contract sources this crate deploys, embedded at their paths in the repository, so that a
/// deployment does not depend on the working directory's copy. OpenZeppelin is read from
/// `node_modules` under the compiler's root.
pub const SOURCES: [(&str, &str); 6] = [
    ("contracts/INexusVerifier.sol", include_str!("../../contracts/INexusVerifier.sol")),
    ("contracts/INexusGateway.sol", include_str!("../../contracts/INexusGateway.sol")),
    ("contracts/NexusGateway.sol", include_str!("../../contracts/NexusGateway.sol")),
    ("contracts/NexusStatement.sol", include_str!("../../contracts/NexusStatement.sol")),
    ("contracts/bridge/IComputeBridge.sol", include_str!("../../contracts/bridge/IComputeBridge.sol")),
    ("contracts/bridge/ComputeBridge.sol", include_str!("../../contracts/bridge/ComputeBridge.sol")),
];

/// A Solidity compiler speaking `--standard-json`: `$NZERO_SOLC`, or the shim over npm's solc-js
/// (`script/solc`, installed by `script/bootstrap.sh`) of the nearest project above a directory.
#[derive(Clone, Debug)]
pub struct Solc {
    command: Vec<OsString>,
    root: PathBuf,
}

impl Solc {
    /// The compiler of the project containing `start` (or `$NZERO_SOLC`, with `start` as the root).
    ///
    /// # Errors
    /// [`ChainError::SolcNotFound`] when neither exists.
    pub fn find(start: &Path) -> Result<Self, ChainError> {
        if let Some(solc) = std::env::var_os("NZERO_SOLC") {
            return Ok(Self { command: vec![solc], root: start.to_owned() });
        }
        let start = start.canonicalize().unwrap_or_else(|_| start.to_owned());
        start
            .ancestors()
            .find(|dir| dir.join("script/solc").is_file() && dir.join("node_modules/solc").is_dir())
            .map(|root| Self {
                command: vec!["node".into(), root.join("script/solc").into()],
                root: root.to_owned(),
            })
            .ok_or(ChainError::SolcNotFound { start })
    }

    /// The project root: the base path of imports.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Creation bytecode of `contract`, declared in `path`, given [`SOURCES`] and `extra` sources
    /// (path, content); other imports are read from the root.
    ///
    /// # Errors
    /// [`ChainError::Solc`] when the compiler cannot run or reports an error.
    pub fn compile(&self, extra: &[(&str, &str)], path: &str, contract: &str) -> Result<Vec<u8>, ChainError> {
        let fail = |message: String| ChainError::Solc { contract: contract.to_owned(), message };
        let sources: serde_json::Map<String, Value> = SOURCES
            .iter()
            .chain(extra)
            .map(|(path, content)| ((*path).to_owned(), json!({ "content": content })))
            .collect();
        // Keep in step with foundry.toml: via IR, optimizer on, 1,000,000 runs, prague, no metadata hash.
        let input = json!({
            "language": "Solidity",
            "sources": sources,
            "settings": {
                "viaIR": true,
                "optimizer": { "enabled": true, "runs": 1_000_000 },
                "evmVersion": "prague",
                "metadata": { "bytecodeHash": "none", "appendCBOR": false },
                "remappings": ["@openzeppelin/contracts/=node_modules/@openzeppelin/contracts/"],
                "outputSelection": { path: { contract: ["evm.bytecode.object"] } }
            }
        });
        let (program, args) = self.command.split_first().expect("a command");
        let mut child = Command::new(program)
            .args(args)
            .args(["--standard-json", "--base-path"])
            .arg(&self.root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| fail(format!("cannot run {}: {e}", program.to_string_lossy())))?;
        child
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(input.to_string().as_bytes())
            .map_err(|e| fail(format!("writing the compiler's input: {e}")))?;
        let out =
            child.wait_with_output().map_err(|e| fail(format!("reading the compiler's output: {e}")))?;
        if !out.status.success() {
            return Err(fail(format!("{}: {}", out.status, String::from_utf8_lossy(&out.stderr).trim())));
        }
        let output: Value =
            serde_json::from_slice(&out.stdout).map_err(|e| fail(format!("the output is not JSON: {e}")))?;
        let errors: Vec<String> = output["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["severity"] == "error")
            .map(|e| e["formattedMessage"].as_str().unwrap_or("(no message)").to_owned())
            .collect();
        if !errors.is_empty() {
            return Err(fail(errors.join("\n")));
        }
        let object = output["contracts"][path][contract]["evm"]["bytecode"]["object"]
            .as_str()
            .ok_or_else(|| fail(format!("no bytecode for {path}:{contract}")))?;
        hex::decode(object).map_err(|e| fail(format!("bytecode is not hex: {e}")))
    }
}
