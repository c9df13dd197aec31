//! Building guest programs: `cargo build` for `riscv32im-unknown-none-elf` with the VM's linker script.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use nzero_abi::layout::{HEAP_END, PROGRAM_START, STACK_TOP};
use sha2::{Digest, Sha256};

/// The Rust target every guest is compiled for.
pub const GUEST_TARGET: &str = "riscv32im-unknown-none-elf";

/// Why a guest could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The guest directory has no `Cargo.toml`.
    #[error("{0} is not a Cargo package (no Cargo.toml)")]
    NotAPackage(PathBuf),
    /// Cargo could not be started.
    #[error("cannot run cargo: {0}")]
    Cargo(#[source] std::io::Error),
    /// Writing the linker script failed.
    #[error("cannot write the linker script to {path}: {source}")]
    LinkerScript {
        /// Where.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Compilation failed; cargo's diagnostics went to standard error.
    #[error("cargo build failed with {0}")]
    Failed(std::process::ExitStatus),
    /// The package produced no binary.
    #[error("the package built no binary")]
    NoBinary,
    /// The package produced several binaries and none was chosen.
    #[error("the package built several binaries ({}); choose one", .0.join(", "))]
    SeveralBinaries(Vec<String>),
}

/// How to build a guest.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The binary to build when the package has several.
    pub bin: Option<String>,
    /// Cargo's target directory (default: the guest workspace's own `target/`).
    pub target_dir: Option<PathBuf>,
}

/// The linker script every guest is linked with: it places the program at
/// [`PROGRAM_START`], and tells the runtime where the heap and stack are.
pub fn linker_script() -> String {
    format!(
        r#"/* Nexus Zero guest memory map: generated from nzero_abi::layout. */
OUTPUT_ARCH(riscv)
ENTRY(_start)
SECTIONS
{{
  . = {PROGRAM_START:#x};
  .text : {{ *(.text._start) *(.text .text.*) }}
  . = ALIGN(0x1000);
  .rodata : {{ *(.rodata .rodata.*) *(.srodata .srodata.*) }}
  . = ALIGN(0x1000);
  .data : {{ *(.data .data.*) *(.sdata .sdata.*) }}
  .bss (NOLOAD) : {{ *(.sbss .sbss.*) *(.bss .bss.*) *(COMMON) }}
  . = ALIGN(16);
  _end = .;
  PROVIDE(__global_pointer$ = ADDR(.data) + 0x800);
  PROVIDE(__nzero_stack_top = {STACK_TOP:#x});
  PROVIDE(__nzero_heap_end = {HEAP_END:#x});
  /DISCARD/ : {{ *(.eh_frame .eh_frame_hdr .note .note.* .comment) }}
}}
"#
    )
}

/// Writes the linker script to a path named by its content hash, so every build with the same
/// script passes the same flags to rustc and cargo's cache stays valid.
fn write_linker_script() -> Result<PathBuf, BuildError> {
    let script = linker_script();
    let digest = Sha256::digest(script.as_bytes());
    let path = std::env::temp_dir().join(format!("nzero-link-{}.x", hex16(&digest)));
    if std::fs::read_to_string(&path).is_ok_and(|existing| existing == script) {
        return Ok(path);
    }
    // Write under a unique name and rename, so concurrent builds never see a partial file.
    let partial = path.with_extension(format!("{}.tmp", std::process::id()));
    std::fs::write(&partial, &script)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|source| BuildError::LinkerScript { path: path.clone(), source })?;
    Ok(path)
}

fn hex16(bytes: &[u8]) -> String {
    bytes.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Builds the guest package in `dir` (release profile) and returns the path of its ELF.
///
/// Cargo's own output streams to standard error.
///
/// # Errors
/// A [`BuildError`] when the directory is not a package, cargo fails, or the binary to return is
/// ambiguous.
pub fn build_guest(dir: &Path, options: &BuildOptions) -> Result<PathBuf, BuildError> {
    let manifest = dir.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(BuildError::NotAPackage(dir.to_path_buf()));
    }
    let script = write_linker_script()?;
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo
        .args(["build", "--release", "--target", GUEST_TARGET, "--message-format=json-render-diagnostics"])
        .arg("--manifest-path")
        .arg(&manifest)
        // The guest's flags replace any the host configured (target-cpu=native has no meaning here).
        .env("CARGO_ENCODED_RUSTFLAGS", format!("-Clink-arg=-T{}", script.display()))
        .env_remove("RUSTFLAGS")
        // A host build's target dir (CI caches one) would also hold the host's build lock while its
        // tests run, deadlocking a nested build; guests use their own workspace's `target/`.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(bin) = &options.bin {
        cargo.args(["--bin", bin]);
    }
    if let Some(target_dir) = &options.target_dir {
        cargo.arg("--target-dir").arg(target_dir);
    }
    tracing::debug!(?cargo, "building guest");
    let mut child = cargo.spawn().map_err(BuildError::Cargo)?;
    let mut executables = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(BuildError::Cargo)?;
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
            if message["reason"] == "compiler-artifact"
                && let Some(exe) = message["executable"].as_str()
            {
                executables.push(PathBuf::from(exe));
            }
        }
    }
    let status = child.wait().map_err(BuildError::Cargo)?;
    if !status.success() {
        return Err(BuildError::Failed(status));
    }
    match executables.len() {
        0 => Err(BuildError::NoBinary),
        1 => Ok(executables.remove(0)),
        _ => Err(BuildError::SeveralBinaries(
            executables
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect(),
        )),
    }
}
