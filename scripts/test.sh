#!/usr/bin/env bash
# One command: install what is missing (PostgreSQL/PostGIS, GDAL, QGIS, Chromium, Python tools, npm
# assets) and run the whole test suite against real PostGIS and real clients.
# With DATABASE_URL set, tests create their databases there; otherwise a throwaway embedded cluster
# under target/tmp is used and stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
bash scripts/setup-rust.sh
bash scripts/setup-web.sh
export RUST_BACKTRACE=1
cargo build --locked --all-targets
cleanup() {
  if [ -z "${DATABASE_URL:-}" ] && [ -d target/tmp/test-cluster ]; then
    ./target/debug/mokhattat db stop --data-dir target/tmp/test-cluster >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --locked --no-fail-fast "$@"
else
  cargo test --locked --no-fail-fast "$@"
fi
