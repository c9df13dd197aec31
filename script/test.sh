#!/usr/bin/env bash
# Runs every test of the project: the Rust workspace (executor, differential tests against Unicorn,
# example guests, CLI). Installs what it needs first (script/bootstrap.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./script/bootstrap.sh
# Benchmarks (`cargo bench`) are not tests: they run for minutes and record figures.
cargo test --workspace
