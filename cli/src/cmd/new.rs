//! `nzero new`: a ready project — guest crate, consumer contract, Foundry tests on a real proof of the
//! guest, a host script that proves and wraps, a deployment script — that builds and passes its tests.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use nzero_wrapper::solidity_verifier;
use nzero_zkvm::SizeClass;
use serde::Serialize;

use super::pipeline::prove_and_wrap;
use super::setup::KeysDirArg;
use crate::output::report;

/// Arguments of `nzero new`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The project's directory (its last component names it); must not exist.
    path: PathBuf,
    /// The guest runtime crate (`nzero-runtime`) the guest depends on (default: this toolchain's).
    #[arg(long, value_name = "DIR")]
    runtime: Option<PathBuf>,
    /// Skip proving the guest for the Foundry fixture (`script/prove.sh` or `script/test.sh` makes it).
    #[arg(long)]
    no_fixture: bool,
    #[command(flatten)]
    keys: KeysDirArg,
}

/// The project's files: path, content (with `{{name}}` and `{{runtime}}` placeholders), executable.
const FILES: &[(&str, &str, bool)] = &[
    ("README.md", include_str!("../../templates/new/README.md"), false),
    (".gitignore", include_str!("../../templates/new/gitignore"), false),
    ("package.json", include_str!("../../templates/new/package.json"), false),
    ("foundry.toml", include_str!("../../templates/new/foundry.toml"), false),
    ("guest/Cargo.toml", include_str!("../../templates/new/guest/Cargo.toml"), false),
    ("guest/src/main.rs", include_str!("../../templates/new/guest/src/main.rs"), false),
    ("contracts/PrimeCounter.sol", include_str!("../../templates/new/contracts/PrimeCounter.sol"), false),
    ("contracts/INexusVerifier.sol", include_str!("../../../contracts/INexusVerifier.sol"), false),
    ("contracts/NexusStatement.sol", include_str!("../../../contracts/NexusStatement.sol"), false),
    ("test/PrimeCounter.t.sol", include_str!("../../templates/new/test/PrimeCounter.t.sol"), false),
    ("test/utils/Vm.sol", include_str!("../../../test/utils/Vm.sol"), false),
    ("test/utils/NexusTest.sol", include_str!("../../../test/utils/NexusTest.sol"), false),
    ("script/Deploy.s.sol", include_str!("../../templates/new/script/Deploy.s.sol"), false),
    ("script/prove.sh", include_str!("../../templates/new/script/prove.sh"), true),
    ("script/test.sh", include_str!("../../templates/new/script/test.sh"), true),
    ("script/solc", include_str!("../../../script/solc"), true),
];

/// The guest's input in the fixture: n = 100 (postcard's varint), 25 primes below it.
const FIXTURE_INPUT: [u8; 1] = [100];

#[derive(Serialize)]
struct Report {
    project: PathBuf,
    files: Vec<String>,
    fixture: Option<PathBuf>,
    program_vkey: Option<String>,
}

pub(crate) fn run(args: &Args, json: bool) -> anyhow::Result<ExitCode> {
    let root = &args.path;
    if root.exists() {
        bail!("{} already exists", root.display());
    }
    let name = root
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .with_context(|| format!("{}: a project name is ASCII letters, digits, - and _", root.display()))?
        .to_lowercase();
    let runtime = match &args.runtime {
        Some(dir) => dir.clone(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../zkvm/runtime"),
    };
    let runtime = runtime
        .canonicalize()
        .with_context(|| format!("the guest runtime crate {} (pass --runtime)", runtime.display()))?;
    let runtime = runtime.to_str().context("the runtime's path is not UTF-8")?;
    for (path, content, executable) in FILES {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().expect("a file in the project"))
            .with_context(|| format!("creating {}", file.display()))?;
        let content = content.replace("{{name}}", &name).replace("{{runtime}}", runtime);
        std::fs::write(&file, content).with_context(|| format!("writing {}", file.display()))?;
        if *executable {
            set_executable(&file)?;
        }
    }

    let (fixture, program_vkey) = if args.no_fixture {
        (None, None)
    } else {
        let done = prove_and_wrap(&root.join("guest"), &FIXTURE_INPUT, SizeClass::Test, &args.keys.dir()?)?;
        let fixture = root.join("test/fixtures/primes.json");
        let verifier = root.join("contracts/generated/NexusVerifierTest.sol");
        for (path, content) in [
            (&fixture, done.fixture.to_json()),
            (&verifier, solidity_verifier(done.keys.verifying_key(), "NexusVerifierTest")?),
        ] {
            std::fs::create_dir_all(path.parent().expect("a file in the project"))?;
            std::fs::write(path, content).with_context(|| format!("writing {}", path.display()))?;
        }
        (Some(fixture), Some(done.program_vkey))
    };
    let report_value = Report {
        project: root.clone(),
        files: FILES.iter().map(|(path, ..)| (*path).to_owned()).collect(),
        fixture,
        program_vkey,
    };
    report(json, &report_value, || {
        let next = if report_value.fixture.is_some() { "" } else { " (it proves the guest first)" };
        format!(
            "created {}: guest/, contracts/PrimeCounter.sol, Foundry tests, script/prove.sh\n\
             next: cd {} && ./script/test.sh{next}",
            root.display(),
            root.display()
        )
    });
    Ok(ExitCode::SUCCESS)
}

#[cfg(unix)]
fn set_executable(file: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("making {} executable", file.display()))
}

#[cfg(not(unix))]
fn set_executable(_: &Path) -> anyhow::Result<()> {
    Ok(())
}
