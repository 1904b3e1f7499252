#!/usr/bin/env bash
# Make sure a Rust toolchain is on PATH (rustup's, from the distribution's rustup package or sh.rustup.rs).
set -euo pipefail
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: no Rust toolchain found; install it with rustup (https://rustup.rs): curl -sSf https://sh.rustup.rs | sh" >&2
  exit 1
fi
