//! A local anvil node on a free loopback port, for the length of a command: the default chain, so
//! that the whole path runs with no set-up.

use std::path::{Path, PathBuf};

use alloy::node_bindings::{Anvil, AnvilInstance};
use alloy::signers::local::PrivateKeySigner;

use crate::ChainError;

/// A running anvil, stopped when dropped.
pub struct LocalNode {
    instance: AnvilInstance,
}

impl LocalNode {
    /// Starts anvil: `$NZERO_ANVIL`, the nearest `node_modules/.bin/anvil` above `start`, or `anvil` on
    /// the PATH.
    ///
    /// # Errors
    /// [`ChainError::AnvilNotFound`], or [`ChainError::AnvilStart`] when it does not come up.
    pub fn start(start: &Path) -> Result<Self, ChainError> {
        let program = find_anvil(start)?;
        tracing::info!(anvil = %program.display(), "starting a local node");
        let instance = Anvil::at(&program).try_spawn().map_err(|e| ChainError::AnvilStart(e.to_string()))?;
        Ok(Self { instance })
    }

    /// The node's JSON-RPC URL.
    pub fn url(&self) -> String {
        self.instance.endpoint()
    }

    /// The node's first development account: a published key, funded here and worthless elsewhere.
    pub fn dev_signer(&self) -> PrivateKeySigner {
        PrivateKeySigner::from(self.instance.keys()[0].clone())
    }
}

/// `$NZERO_ANVIL`, the npm-installed binary above `start` ([`foundry_binary`]), or `anvil` on the PATH.
fn find_anvil(start: &Path) -> Result<PathBuf, ChainError> {
    if let Some(anvil) = std::env::var_os("NZERO_ANVIL") {
        return Ok(anvil.into());
    }
    let start = start.canonicalize().unwrap_or_else(|_| start.to_owned());
    let on_path = || {
        std::env::var_os("PATH")
            .and_then(|path| std::env::split_paths(&path).map(|dir| dir.join("anvil")).find(|p| p.is_file()))
    };
    foundry_binary(&start, "anvil").or_else(on_path).ok_or(ChainError::AnvilNotFound { start })
}

/// The Foundry binary `name` (`anvil`, `forge`) that npm installed in the nearest `node_modules` above
/// `start`: the platform package's binary, not the `node_modules/.bin` launcher — a node process that
/// neither passes the exit code on nor takes its child down when killed.
pub fn foundry_binary(start: &Path, name: &str) -> Option<PathBuf> {
    let prefix = format!("{name}-");
    start.ancestors().find_map(|dir| {
        std::fs::read_dir(dir.join("node_modules/@foundry-rs"))
            .ok()?
            .filter_map(Result::ok)
            .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
            .map(|entry| entry.path().join("bin").join(name))
            .find(|binary| binary.is_file())
    })
}
