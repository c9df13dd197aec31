#!/usr/bin/env bash
# The main job: build the nzero CLI and the example guests, run each guest on the zkVM, prove
# and verify one execution natively, then the whole EVM path in one command (`nzero demo`): prove for
# the EVM, wrap into Groth16, deploy the verifier and gateway to a local anvil, verify on chain.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./script/bootstrap.sh
cargo build --release -p nzero-cli
nzero=target/release/nzero
if [ -n "${CARGO_TARGET_DIR:-}" ]; then nzero="$CARGO_TARGET_DIR/release/nzero"; fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "nzero build examples/fibonacci"
fib=$("$nzero" build examples/fibonacci --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["elf"])')
step "nzero run fibonacci (n = 1000: --input-hex e807, postcard's varint for 1000)"
"$nzero" run "$fib" --input-hex e807

mkdir -p target/demo
step "nzero prove fibonacci (n = 1000; secure 100-bit configuration)"
"$nzero" prove "$fib" --input-hex e807 -o target/demo/fibonacci.proof
step "nzero verify the proof against the ELF"
"$nzero" verify target/demo/fibonacci.proof --elf "$fib"

step "nzero build examples/sha256 && nzero run (input: this script)"
sha=$("$nzero" build examples/sha256 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["elf"])')
"$nzero" run "$sha" --input script/demo.sh
printf 'host sha256sum: %s\n' "$(sha256sum script/demo.sh | cut -d' ' -f1)"

step "nzero build examples/json && nzero run (a small ledger)"
json=$("$nzero" build examples/json --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["elf"])')
ledger=$(mktemp)
trap 'rm -f "$ledger"' EXIT
echo '{"threshold": 100, "transfers": [{"from": "alice", "to": "bob", "amount": 250}, {"from": "bob", "to": "carol", "amount": 40}]}' > "$ledger"
"$nzero" run "$json" --input "$ledger" --json

step "nzero demo: fibonacci (n = 10) proven for the EVM in the test size class (INSECURE 14-bit configuration: a demo of the path, not of security), wrapped into Groth16 (keys made once in \${NZERO_KEYS_DIR:-~/.cache/nexus-zero/keys}), deployed with the gateway to a local anvil and verified on chain"
"$nzero" demo --out target/demo
