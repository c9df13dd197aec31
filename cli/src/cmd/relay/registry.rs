//! The programs a relay serves: every ELF in a directory, by program key.

use std::collections::HashMap;
use std::path::Path;

use alloy::primitives::B256;
use anyhow::Context;
use nzero_zkvm::{Program, program_key};

/// Programs by their verifying key.
pub(crate) struct Registry {
    programs: HashMap<B256, (String, Program)>,
}

impl Registry {
    /// Loads every file of `dir` that is an RV32IM ELF (others are skipped with a warning).
    pub(crate) fn load(dir: &Path) -> anyhow::Result<Self> {
        let mut programs = HashMap::new();
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("reading the registry {}", dir.display()))?
        {
            let path = entry?.path();
            if !path.is_file() {
                continue;
            }
            let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            match Program::from_elf(&bytes) {
                Ok(program) => {
                    let key = B256::from(program_key(&program).2.0);
                    let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
                    tracing::info!(program = %name, vkey = %key, "registered");
                    programs.insert(key, (name, program));
                }
                Err(e) => tracing::warn!(file = %path.display(), error = %e, "not an ELF, skipped"),
            }
        }
        anyhow::ensure!(!programs.is_empty(), "no program in the registry {}", dir.display());
        Ok(Self { programs })
    }

    /// The program with key `vkey`, and its file name.
    pub(crate) fn get(&self, vkey: &B256) -> Option<&(String, Program)> {
        self.programs.get(vkey)
    }
}
