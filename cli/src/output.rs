//! How commands report: one JSON object on stdout with `--json`, readable text otherwise.

use serde::Serialize;

/// Prints a command's result: `value` as JSON, or the human text.
pub(crate) fn report<T: Serialize>(json: bool, value: &T, human: impl FnOnce() -> String) {
    if json {
        println!("{}", serde_json::to_string(value).expect("command reports serialize"));
    } else {
        println!("{}", human());
    }
}

/// Prints a failure: `{"error": ...}` on stdout with `--json` (so scripts always get one object),
/// and the error chain on stderr either way.
pub(crate) fn error(json: bool, error: &anyhow::Error) {
    if json {
        let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
        println!("{}", serde_json::json!({ "error": format!("{error:#}"), "causes": chain }));
    }
    eprintln!("error: {error:#}");
}

/// `0x`-prefixed lowercase hex.
pub(crate) fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// The process's peak resident memory (`VmHWM`), where the system reports it (Linux).
pub(crate) fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
