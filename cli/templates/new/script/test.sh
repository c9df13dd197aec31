#!/usr/bin/env bash
# Installs the pinned EVM toolchain if needed, makes the proof fixture if there is none, runs the tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
forge() { "$(echo node_modules/@foundry-rs/forge-*/bin/forge)" "$@"; }   # the binary: npm's launcher drops the exit code
[ -d node_modules/@foundry-rs ] || npm install --no-audit --no-fund --loglevel=error
[ -f test/fixtures/primes.json ] || ./script/prove.sh
forge test
