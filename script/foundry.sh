# Sourced by the test scripts: sets $forge and $anvil to the Foundry binaries that script/bootstrap.sh
# installed from npm. Not node_modules/.bin/{forge,anvil}: those npm launchers do not pass the binary's
# exit code on (a failing `forge test` would exit 0 through them).
forge="$(echo node_modules/@foundry-rs/forge-*/bin/forge)"
anvil="$(echo node_modules/@foundry-rs/anvil-*/bin/anvil)"
[ -x "$forge" ] && [ -x "$anvil" ] || { echo "forge/anvil missing under node_modules: run script/bootstrap.sh" >&2; exit 1; }
