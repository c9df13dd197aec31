#!/usr/bin/env bash
# The host side: build the guest, prove an execution for the EVM, wrap it into a Groth16 proof, and
# write the Foundry fixture and the verifier of the keys that made it.
#   CLASS (default `test`: small, INSECURE, for development), N (default 100).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
nzero="${NZERO:-nzero}"
class="${CLASS:-test}"
n="${N:-100}"
input=$(python3 -c "import sys; n=int(sys.argv[1]); out=b''
while True:
    b = n & 0x7f; n >>= 7
    out += bytes([b | (0x80 if n else 0)])
    if not n: break
print(out.hex())" "$n")   # postcard's varint of n

elf=$("$nzero" build guest --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["elf"])')
mkdir -p target test/fixtures contracts/generated
"$nzero" prove "$elf" --input-hex "$input" --evm --class "$class" -o target/proof.evm.bin
# The class's keys: made once (single-party, development only) in ${NZERO_KEYS_DIR:-~/.cache/nexus-zero/keys}.
"$nzero" export-verifier --class "$class" -o contracts/generated/NexusVerifierTest.sol 2>/dev/null || {
  "$nzero" setup --class "$class"
  "$nzero" export-verifier --class "$class" -o contracts/generated/NexusVerifierTest.sol
}
"$nzero" wrap target/proof.evm.bin -o test/fixtures/primes.json
echo "fixture test/fixtures/primes.json and contracts/generated/NexusVerifierTest.sol written"
