//! What the on-chain tests share: `nzero` in the repository, its JSON, npm's Foundry binaries, anvil.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

/// anvil's first development key: published, funded on every anvil.
pub(crate) const DEV_KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

pub(crate) fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `nzero args…` in the repository, with `env` set and no key from the caller's environment.
pub(crate) fn nzero(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nzero"));
    command.current_dir(repo()).args(args).env_remove("NZERO_PRIVATE_KEY").env_remove("NZERO_RPC_URL");
    command.envs(env.iter().copied()).output().expect("nzero starts")
}

pub(crate) fn json(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!("{e}: stdout {stdout}\nstderr {}", String::from_utf8_lossy(&output.stderr))
    })
}

pub(crate) fn ok(output: &Output) -> Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    json(output)
}

/// The error of a failed `--json` run.
pub(crate) fn error(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    json(output)["error"].as_str().expect("an error message").to_owned()
}

/// The Foundry binary `name` that npm installed (`nzero_chain::foundry_binary`).
pub(crate) fn foundry(name: &str) -> PathBuf {
    nzero_chain::foundry_binary(&repo(), name)
        .unwrap_or_else(|| panic!("no {name} under node_modules/@foundry-rs: run script/bootstrap.sh"))
}

/// An anvil of our own on a free port, killed on drop.
pub(crate) struct Anvil {
    child: Child,
    pub(crate) url: String,
}

impl Anvil {
    pub(crate) fn start() -> Self {
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
