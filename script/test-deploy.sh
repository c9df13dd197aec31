#!/usr/bin/env bash
# Runs the forge deployment scripts against a real local anvil (from node_modules, on a free loopback
# port): Deploy.s.sol broadcasts the gateway, the compute bridge and the demo verifier through CREATE2 and
# routes them;
# CheckDeployment.s.sol checks the recorded addresses, the owner, the route and a proof verified through
# the deployed gateway; a second Deploy.s.sol run must change nothing (same addresses, no new contracts).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source script/foundry.sh

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
rpc="http://127.0.0.1:$port"
"$anvil" --host 127.0.0.1 --port "$port" --silent &
anvil_pid=$!
work="$(mktemp -d)"
trap 'kill "$anvil_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

rpc_call() {
  curl -sf -H 'content-type: application/json' --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}" "$rpc"
}
for _ in $(seq 100); do
  rpc_call eth_chainId '[]' >/dev/null 2>&1 && break
  sleep 0.1
done
rpc_call eth_chainId '[]' >/dev/null || { echo "anvil did not start on $rpc" >&2; exit 1; }

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
echo "deployment test: gateway $gateway, the compute bridge and the demo verifier deployed, checked and stable on re-run"
