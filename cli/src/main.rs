//! `nzero`: the Nexus Zero command-line tool.

mod cmd;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    let filter = std::env::var("NZERO_LOG").unwrap_or_else(|_| "warn".into());
    // arkworks opens a span per gadget (target `gr1cs`), millions in a wrap: off unless named.
    let filter = if filter.contains("gr1cs") { filter } else { format!("{filter},gr1cs=off") };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        // A closed span logs its time: `NZERO_LOG=info` profiles a run by stage.
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .init();
    match cli.run() {
        Ok(code) => code,
        Err(error) => {
            output::error(cli.json(), &error);
            ExitCode::FAILURE
        }
    }
}
