#!/usr/bin/env bash
# One command: install what is missing, build, and run Mokhattat on the embedded database with the
# real Tunisian sample data loaded on first start.   Usage: scripts/run.sh [serve options…]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
bash scripts/setup-rust.sh
[ -x scripts/setup-web.sh ] && bash scripts/setup-web.sh
cargo build --release --locked
exec ./target/release/mokhattat serve "$@"
