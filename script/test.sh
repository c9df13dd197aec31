#!/usr/bin/env bash
# Runs every test of the project: the Rust workspace (executor, differential tests against Unicorn,
# example guests, CLI, the wrapper with its revm and snarkjs checks of the generated verifiers), then
# the contracts: Foundry tests on the fixtures Rust wrote, with the committed gas snapshots checked, and
# the forge deployment scripts against a local anvil. Installs what it needs first (script/bootstrap.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./script/bootstrap.sh
# Benchmarks (`cargo bench`) are not tests: they run for minutes and record figures.
cargo test --workspace
# Solidity formatting (generated verifiers excepted), then the Foundry tests through `forge snapshot
# --check`: it runs them all and fails when a test's gas differs
# from .gas-snapshot, or (--gas-snapshot-check) a verify path's own gas (`snapshotGasLastCall`) differs
# from snapshots/*.json. After an intended change: `forge snapshot` and commit both.
source script/foundry.sh
"$forge" fmt --check
"$forge" snapshot --check --gas-snapshot-check true
./script/test-deploy.sh
