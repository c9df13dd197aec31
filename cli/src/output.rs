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
