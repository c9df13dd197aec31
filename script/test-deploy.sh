#!/usr/bin/env bash
# Runs the forge deployment scripts against real local anvils (from node_modules, on free loopback
# ports): Deploy.s.sol broadcasts the gateway, the compute bridge and the committed verifiers (demo, test
# class, 2^16 class) through CREATE2 and routes them; CheckDeployment.s.sol checks the recorded
# addresses, the owner, each route and a real proof per verifier through the deployed gateway; a second
# Deploy.s.sol run must change nothing (same addresses, no new contracts). On a node with another chain
# id (standing for a chain with value) the default deploys no verifier and the demo and test verifiers
# are refused by name.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source script/foundry.sh

work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

rpc_call() {
  curl -sf -H 'content-type: application/json' --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}" "$rpc"
}

# Starts anvil (extra arguments: its options) on a free port and sets $rpc.
start_anvil() {
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  rpc="http://127.0.0.1:$port"
  "$anvil" --host 127.0.0.1 --port "$port" --silent "$@" &
  pids+=($!)
  for _ in $(seq 100); do
    rpc_call eth_chainId '[]' >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "anvil did not start on $rpc" >&2
  exit 1
}
start_anvil

# anvil's first development account: a published test key, worthless anywhere else.
export PRIVATE_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
deployment=deployments/31337.json
rm -f "$deployment"

"$forge" script script/Deploy.s.sol --rpc-url "$rpc" --broadcast --slow >"$work/deploy1.log" 2>&1 \
  || { cat "$work/deploy1.log" >&2; exit 1; }
"$forge" script script/CheckDeployment.s.sol --rpc-url "$rpc" >"$work/check.log" 2>&1 \
  || { cat "$work/check.log" >&2; exit 1; }
cp "$deployment" "$work/first.json"
nonce_before="$(rpc_call eth_getTransactionCount '["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","latest"]')"

"$forge" script script/Deploy.s.sol --rpc-url "$rpc" --broadcast --slow >"$work/deploy2.log" 2>&1 \
  || { cat "$work/deploy2.log" >&2; exit 1; }
nonce_after="$(rpc_call eth_getTransactionCount '["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","latest"]')"
cmp -s "$deployment" "$work/first.json" || { echo "a second deployment recorded other addresses" >&2; exit 1; }
[ "$nonce_before" = "$nonce_after" ] || { echo "a second deployment sent transactions" >&2; exit 1; }

gateway="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["gateway"])' "$deployment")"
code="$(rpc_call eth_getCode "[\"$gateway\",\"latest\"]")"
case "$code" in *'"result":"0x"'*) echo "no code at the gateway $gateway" >&2; exit 1 ;; esac
verifiers="$(python3 -c 'import json,sys; print(",".join(sorted(json.load(open(sys.argv[1]))["verifiers"])))' "$deployment")"
[ "$verifiers" = "NexusVerifier16,NexusVerifierDemo,NexusVerifierTest" ] \
  || { echo "anvil's default deployment has the verifiers [$verifiers], not every committed one" >&2; exit 1; }

# Another chain id: no verifier unless named, and never the demo or test verifier.
start_anvil --chain-id 8453
other=deployments/8453.json
rm -f "$other"
"$forge" script script/Deploy.s.sol --rpc-url "$rpc" --broadcast --slow >"$work/deploy3.log" 2>&1 \
  || { cat "$work/deploy3.log" >&2; exit 1; }
python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(d["verifiers"] != {})' "$other" \
  || { echo "a chain other than anvil got a verifier nobody named" >&2; exit 1; }
"$forge" script script/CheckDeployment.s.sol --rpc-url "$rpc" >"$work/check3.log" 2>&1 \
  || { cat "$work/check3.log" >&2; exit 1; }
if NZERO_VERIFIERS=NexusVerifierTest "$forge" script script/Deploy.s.sol --rpc-url "$rpc" --broadcast --slow \
  >"$work/deploy4.log" 2>&1; then
  echo "the INSECURE test verifier was deployed to a chain other than anvil" >&2
  exit 1
fi
grep -q "for a local anvil only" "$work/deploy4.log" \
  || { cat "$work/deploy4.log" >&2; echo "refused, but not by name" >&2; exit 1; }
rm -f "$other"
echo "deployment test: gateway $gateway, the compute bridge and the verifiers [$verifiers] deployed, checked and stable on re-run; on another chain none unless named, the test verifier refused"
