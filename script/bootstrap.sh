#!/usr/bin/env bash
# Installs everything the Nexus Zero toolchain and its tests need on a fresh machine that has only
# Rust (rustup), Node/npm, Python and gcc. Idempotent: every step checks before it acts, so the README
# commands and CI can call it every time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*" >&2; }

# 1. The guest target: guests are RV32IM, no_std, built by the stable toolchain.
if ! rustup target list --installed | grep -qx riscv32im-unknown-none-elf; then
  say "adding rust target riscv32im-unknown-none-elf"
  rustup target add riscv32im-unknown-none-elf
fi

# 2. The EVM toolchain (forge, anvil, solc-js, OpenZeppelin, snarkjs) pinned by package-lock.json.
stamp=node_modules/.nzero-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -x node_modules/.bin/forge ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing npm tools (forge, anvil, solc, @openzeppelin/contracts, snarkjs)"
  # `npm ci` rejects this lock file (npm 11 omits the other platforms' optional binaries from it);
  # `npm install` installs the same locked versions.
  npm install --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

# 3. The differential-testing oracle: Unicorn (QEMU's CPU emulator) in a project-local virtualenv.
if ! .venv/bin/python -c 'import unicorn' 2>/dev/null; then
  say "installing the unicorn emulator into .venv"
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r script/requirements.txt
fi
say "toolchain ready"
