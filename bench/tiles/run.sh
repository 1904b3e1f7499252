#!/usr/bin/env bash
# Vector tile benchmark: Mokhattat (cold and warm cache) vs martin 1.14, same PostGIS, same tables.
# Usage: bench/tiles/run.sh      (needs wrk, psql; builds mokhattat --release, or takes
#        $MOKHATTAT_BIN, and installs martin)
# Output: the ratio table on stdout; raw wrk output and results.json in bench/out/tiles/.
# Env: BENCH_ROUNDS (1: martin and cold alternate that many times), MOKHATTAT_BASE_BIN (a baseline
#      build, cold, alternating with them), BENCH_DURATION (20s), BENCH_CONNECTIONS (16).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/bench/lib.sh"
out="$root/bench/out/tiles"
mkdir -p "$out"
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/setup.sh bench installs it)" >&2; exit 1; }

# martin 1.14 in a bench-local root; its own target dir so it does not fight the project's build
martin="$here/.martin/bin/martin"
if [ ! -x "$martin" ]; then
  echo "bench: installing martin 1.14.0 (long compile)" >&2
  CARGO_TARGET_DIR="${MARTIN_TARGET_DIR:-/tmp/martin-build}" cargo install martin@1.14.0 --locked \
    --no-default-features --features postgres --root "$here/.martin"
fi
cd "$root"
release_bin # $MOKHATTAT_BIN, else target/release/mokhattat built now

# one database for everyone: the embedded cluster in bench/out/tiles/data, sample data loaded
data="$out/data"
url="$("$bin" --data-dir "$data" db start | tail -1)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$bin" --data-dir "$data" db stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

p_cold=$(free_port); p_warm=$(free_port); p_martin=$(free_port)

# the first instance loads the sample data into an empty database, the others wait for it
RUST_LOG=warn DATABASE_URL="$url" "$bin" serve --listen "127.0.0.1:$p_cold" --tile-cache-mb 0 >"$out/cold.log" 2>&1 &
pids+=($!)
python3 - "$p_cold" <<'PY'
import sys, time, urllib.request
for _ in range(600):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=2); break
    except Exception: time.sleep(0.5)
PY
RUST_LOG=warn DATABASE_URL="$url" "$bin" serve --no-sample --listen "127.0.0.1:$p_warm" --tile-cache-mb 512 >"$out/warm.log" 2>&1 &
pids+=($!)
base_url=()
if [ -n "${MOKHATTAT_BASE_BIN:-}" ]; then
  p_base=$(free_port)
  RUST_LOG=warn DATABASE_URL="$url" "$MOKHATTAT_BASE_BIN" serve --no-sample --listen "127.0.0.1:$p_base" --tile-cache-mb 0 >"$out/base-cold.log" 2>&1 &
  pids+=($!)
  base_url=("http://127.0.0.1:$p_base")
fi

# martin reads the same rows through two views: the Web Mercator column (its best case) and the
# stored EPSG:4326 geometry (what it would publish from the table as it is)
cols="id, code, name_ar, name_fr, name_en, parent_code, round(area_km2::numeric, 2)::float8 AS area_km2"
psql "$url" -qc "CREATE OR REPLACE VIEW bench_municipalities AS SELECT $cols, geom_3857 AS geom FROM admin_unit WHERE level = 'municipality' AND valid_to IS NULL"
psql "$url" -qc "CREATE OR REPLACE VIEW bench_municipalities_4326 AS SELECT $cols, geom FROM admin_unit WHERE level = 'municipality' AND valid_to IS NULL"
# one martin source per view: its table name and SRID
martin_table() {
  cat <<YAML
    $1:
      schema: public
      table: $1
      srid: $2
      geometry_column: geom
      geometry_type: MULTIPOLYGON
      id_column: id
      properties:
        code: text
        name_ar: text
        name_fr: text
        name_en: text
        parent_code: text
        area_km2: float8
YAML
}
{
  cat <<YAML
listen_addresses: "127.0.0.1:$p_martin"
cache_size_mb: 0
postgres:
  connection_string: "$url"
  pool_size: 16
  auto_publish: false
  tables:
YAML
  martin_table bench_municipalities 3857
  martin_table bench_municipalities_4326 4326
} >"$out/martin.yaml"
RUST_LOG=warn "$martin" --config "$out/martin.yaml" >"$out/martin.log" 2>&1 &
pids+=($!)

python3 "$here/bench.py" "$url" "http://127.0.0.1:$p_cold" "http://127.0.0.1:$p_warm" "http://127.0.0.1:$p_martin" "${base_url[@]}" | tee "$out/report.txt"
