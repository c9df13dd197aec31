#!/usr/bin/env bash
# The main job: build the nzero CLI and the example guests, run each guest on the zkVM, prove
# and verify one execution natively, then prove one for the EVM, wrap it into Groth16 and verify that.
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

step "nzero prove --evm fibonacci (n = 10) in the test size class (INSECURE 14-bit configuration: a demo of the path, not of security)"
"$nzero" prove "$fib" --input-hex 0a --evm --class test -o target/demo/fibonacci.evm.proof
step "nzero setup --class test (only when its keys are missing; they live in \${NZERO_KEYS_DIR:-~/.cache/nexus-zero/keys})"
if ! "$nzero" export-verifier --class test -o target/demo/NexusVerifierTest.sol 2>/dev/null; then
  "$nzero" setup --class test
  "$nzero" export-verifier --class test -o target/demo/NexusVerifierTest.sol
fi
step "nzero wrap: the STARK becomes a Groth16 proof of its statement, for the Solidity verifier"
"$nzero" wrap target/demo/fibonacci.evm.proof -o target/demo/fibonacci.groth16.json
step "nzero verify the wrapped proof against the ELF"
"$nzero" verify target/demo/fibonacci.groth16.json --elf "$fib"
