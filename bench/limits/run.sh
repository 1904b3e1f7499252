#!/usr/bin/env bash
# Cost of the hostile-input limits (issue 8): the same requests against the release binary of a
# commit before the limits (BASE, default 153600e) and of the working tree, on the same database,
# measured in the same run; then the fuzz harness's cases per second.
#   bench/limits/run.sh            (needs wrk, psql; builds both release binaries)
# Workload, 16 connections, BENCH_DURATION each (default 20 s), after a warm-up of the same length:
#   features: GET /collections/municipalities/items?limit=100 (anonymous, default configuration)
#   cold tile: municipality tiles z5–z14 with the tile cache off (every request renders in PostGIS)
# Prints req/s and p99 before/after and the ratio (the target: no drop over 5 %).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib.sh"
bench_out limits
base="${BASE:-153600e}"
dur="${BENCH_DURATION:-20s}"

# BENCH_REUSE_BINARIES=1 keeps a mokhattat-before built by an earlier run
if [ -z "${BENCH_REUSE_BINARIES:-}" ] || [ ! -x "$out/mokhattat-before" ]; then
  echo "bench: building $base (release, in the project's target dir: dependencies are shared)" >&2
  rm -rf "$out/base-src"
  git -C "$root" worktree add --force --detach "$out/base-src" "$base" >/dev/null 2>&1
  (cd "$out/base-src" && CARGO_TARGET_DIR="$root/target" cargo build --release --quiet)
  cp "$root/target/release/mokhattat" "$out/mokhattat-before"
  git -C "$root" worktree remove --force "$out/base-src"
fi
echo "bench: building the working tree (release)" >&2
(cd "$root" && cargo build --release --quiet)
cp "$root/target/release/mokhattat" "$out/mokhattat-after"

# the old binary loads the sample as it was at BASE (the manifest's flags have grown since); the
# new one then migrates the same database forward, so both serve the same rows
rm -rf "$out/base-sample" && mkdir -p "$out/base-sample"
git -C "$root" archive "$base" sample-data | tar -x -C "$out/base-sample"
data="$out/data"
rm -rf "$data"
url="$("$out/mokhattat-before" --data-dir "$data" db start | tail -1)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  "$out/mokhattat-after" --data-dir "$data" db stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
port=$(free_port)
wait_up() {
  python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(400):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=2); sys.exit(0)
    except Exception: time.sleep(0.5)
sys.exit("server did not come up")
PY
}

# the tile list: 30 random points per zoom over Tunisia (seeded), z5–z14
tiles="$out/tiles.txt"
rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1=="99%" {v=$2; if (v ~ /ms$/) {sub("ms","",v); print v} else if (v ~ /us$/) {sub("us","",v); print v/1000} else {sub("s","",v); print v*1000}}' "$1"; }

# wait until the server's background work (overlay masks, index builds, refreshes) and autovacuum
# are done: no other active session for 5 checks in a row
settle() {
  local quiet=0
  for _ in $(seq 1 300); do
    n=$(psql "$url" -Atqc "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()
          AND (state = 'active' OR backend_type = 'autovacuum worker')
          AND backend_type IN ('client backend', 'autovacuum worker')")
    if [ "$n" = "0" ]; then quiet=$((quiet + 1)); else quiet=0; fi
    [ "$quiet" -ge 5 ] && return 0
    sleep 1
  done
}

run_one() { # name binary
  local name="$1" bin="$2"
  RUST_LOG=warn DATABASE_URL="$url" "$bin" serve --listen "127.0.0.1:$port" --tile-cache-mb 0 \
    --sample-dir "$out/base-sample/sample-data" >"$out/$name.log" 2>&1 &
  pid=$!
  wait_up
  # let the database settle (the new binary's migrations refresh derived tables: autovacuum
  # running during a measurement cost it 14 % in a first run)
  psql "$url" -qc "VACUUM ANALYZE"
  settle
  if [ ! -s "$tiles" ]; then
    psql "$url" -Atqc "
      SELECT '/tiles/municipalities/' || z || '/' || floor((ST_X(p) + 180) / 360 * 2 ^ z)::int || '/' ||
             floor((1 - ln(tan(radians(ST_Y(p))) + 1 / cos(radians(ST_Y(p)))) / pi()) / 2 * 2 ^ z)::int || '.pbf'
      FROM generate_series(5, 14) z,
           LATERAL (SELECT (ST_Dump(ST_GeneratePoints((SELECT ST_Union(geom) FROM admin_unit
                    WHERE level = 'governorate' AND valid_to IS NULL), 30, 20261201 + z))).geom AS p) pts" >"$tiles"
  fi
  local feat="http://127.0.0.1:$port/collections/municipalities/items?limit=100"
  wrk -t2 -c16 -d"$dur" --latency -H 'Accept-Encoding: gzip' "$feat" >/dev/null
  wrk -t2 -c16 -d"$dur" --latency -H 'Accept-Encoding: gzip' "$feat" >"$out/$name.features.txt"
  TILE_PATHS="$tiles" wrk -t2 -c16 -d"$dur" --latency -s "$root/bench/tiles/paths.lua" "http://127.0.0.1:$port" >/dev/null
  TILE_PATHS="$tiles" wrk -t2 -c16 -d"$dur" --latency -s "$root/bench/tiles/paths.lua" "http://127.0.0.1:$port" >"$out/$name.tiles.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

# before first: the working tree's binary migrates the database forward, the old one could not run after it
run_one before "$out/mokhattat-before"
run_one after "$out/mokhattat-after"

{
  printf '%-34s %12s %12s %8s %12s %12s\n' workload "before req/s" "after req/s" ratio "before p99" "after p99"
  for w in features tiles; do
    b=$(rate "$out/before.$w.txt"); a=$(rate "$out/after.$w.txt")
    bp=$(p99 "$out/before.$w.txt"); ap=$(p99 "$out/after.$w.txt")
    label=$([ "$w" = features ] && echo "municipalities?limit=100" || echo "cold tiles z5-z14 (cache off)")
    printf '%-34s %12s %12s %8.3f %10s ms %10s ms\n' "$label" "$b" "$a" "$(echo "$a / $b" | bc -l)" "$bp" "$ap"
  done
} | tee "$out/report.txt"

echo "bench: fuzz harness (the test profile CI runs)" >&2
(cd "$root" && MOKHATTAT_FUZZ_CASES="${FUZZ_CASES:-1000}" cargo test --quiet --test it -- fuzz:: --nocapture 2>/dev/null | grep '^fuzz') | tee -a "$out/report.txt"
