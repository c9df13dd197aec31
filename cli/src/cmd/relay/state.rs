//! The relay's memory, on disk: how far it has read the chain and where each request stands. Written
//! atomically after every change, so a restart resumes every unfinished request and submits none twice
//! (a request sent before the restart is checked on chain before it is sent again).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alloy::primitives::{Address, B256, U256};
use anyhow::Context;
use nzero_chain::bridge::BridgeRequest;
use serde::{Deserialize, Serialize};

/// Where a request stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub(crate) enum Progress {
    /// Seen, waiting for a worker.
    Queued,
    /// A worker is proving it.
    Proving,
    /// `fulfil` sent in this transaction.
    Fulfilled { tx: B256 },
    /// Fulfilled or refunded by someone else.
    Settled { status: String },
    /// Not served, and why (unknown program, deadline passed).
    Skipped { reason: String },
    /// Proving or submitting failed.
    Failed { error: String },
}

impl Progress {
    /// Whether a worker still has to take it after a restart: what was queued or in flight, and what
    /// failed (a node that was down, say) gets another try.
    pub(crate) fn unfinished(&self) -> bool {
        matches!(self, Self::Queued | Self::Proving | Self::Failed { .. })
    }
}

/// One request and its progress.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub(crate) request: BridgeRequest,
    #[serde(flatten)]
    pub(crate) progress: Progress,
}

/// The relay's state file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) chain_id: u64,
    pub(crate) bridge: Address,
    /// The first block not yet read.
    pub(crate) next_block: u64,
    pub(crate) requests: BTreeMap<U256, Entry>,
    #[serde(skip)]
    path: PathBuf,
}

impl State {
    /// The state in `path`, or a fresh one reading from `from_block`; refuses another chain's or
    /// bridge's state.
    pub(crate) fn open(path: &Path, chain_id: u64, bridge: Address, from_block: u64) -> anyhow::Result<Self> {
        let mut state = match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice::<Self>(&bytes)
                .with_context(|| format!("{} is not a relay state file", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self {
                chain_id,
                bridge,
                next_block: from_block,
                requests: BTreeMap::new(),
                path: PathBuf::new(),
            },
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        anyhow::ensure!(
            state.chain_id == chain_id && state.bridge == bridge,
            "{} belongs to the bridge {} on chain {}, not {bridge} on chain {chain_id}",
            path.display(),
            state.bridge,
            state.chain_id
        );
        state.path = path.to_owned();
        Ok(state)
    }

    /// Writes the state (a temporary file renamed into place).
    pub(crate) fn save(&self) -> anyhow::Result<()> {
        let tmp = self.path.with_extension("tmp");
        let json = serde_json::to_vec_pretty(self).expect("plain JSON");
        std::fs::write(&tmp, json).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &self.path).with_context(|| format!("writing {}", self.path.display()))
    }

    /// Records `progress` for request `id` and saves.
    pub(crate) fn set(&mut self, id: U256, progress: Progress) -> anyhow::Result<()> {
        if let Some(entry) = self.requests.get_mut(&id) {
            entry.progress = progress;
        }
        self.save()
    }
}
