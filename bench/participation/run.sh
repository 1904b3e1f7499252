#!/usr/bin/env bash
# Participation benchmarks (issue 11), printed with ratios against a baseline measured in the same run:
#  (a) anonymous proposal submissions, 16 clients (wrk), commune 1111 in moderate-first mode and the
#      automatic tagging on; the per-IP rate limit is switched off for the bench
#      (MOKHATTAT_RATE_LIMIT_PER_MINUTE=0: every wrk connection comes from 127.0.0.1);
#  (b) `proposals` tiles over 100,000 generated proposals (generate.sql), cold (tile cache off) and
#      warm, against the `projects` source on the same servers;
#  (c) a scenario over 50 candidates for commune 1111 (median of 5).
# Usage: [PARTS=a|ab|abc] bench/participation/run.sh [seconds]   (MOKHATTAT_BIN: a binary built elsewhere; default:
#        builds --release). Needs wrk (scripts/setup.sh bench) and psql. Output: bench/out/participation/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/bench/lib.sh"
out="$root/bench/out/participation"; mkdir -p "$out"
secs=${1:-20}
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/setup.sh bench installs it)" >&2; exit 1; }
bin=${MOKHATTAT_BIN:-$root/target/release/mokhattat}
[ -n "${MOKHATTAT_BIN:-}" ] || (cd "$root" && cargo build --release --quiet)
unset DATABASE_URL
data=$(mktemp -d /tmp/mokhattat-bench-part.XXXXXX)
url="$("$bin" --data-dir "$data" db start 2>"$out/db.log" | tail -1)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$bin" --data-dir "$data" db stop >/dev/null 2>&1 || true
  remove_data_dir "$data"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { until curl -fs "http://127.0.0.1:$1/health" >/dev/null; do sleep 0.5; done; }
pc=$(free_port); pw=$(free_port)
export MOKHATTAT_RATE_LIMIT_PER_MINUTE=0
RUST_LOG=warn DATABASE_URL="$url" "$bin" serve --listen "127.0.0.1:$pc" --tile-cache-mb 0 >"$out/cold.log" 2>&1 &
pids+=($!); wait_up "$pc"
RUST_LOG=warn DATABASE_URL="$url" "$bin" serve --no-sample --listen "127.0.0.1:$pw" --tile-cache-mb 512 >"$out/warm.log" 2>&1 &
pids+=($!); wait_up "$pw"
key=$(DATABASE_URL="$url" "$bin" keys create --name bench --role admin 2>/dev/null | tail -1)
curl -fs -X PUT "http://127.0.0.1:$pc/api/participation/communes/1111/settings" -H "Authorization: Bearer $key" \
  -H 'content-type: application/json' -d '{"mode":"moderate_first","report_threshold":3}' >/dev/null
# BENCH_SQL="file.sql …": database function files applied after start (texts newer than the binary)
for f in ${BENCH_SQL:-}; do psql "$url" -q -f "$f"; echo "applied $f"; done
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at start; binary $bin; pool ${MOKHATTAT_DB_POOL:-16}"

# (a) submissions; baseline: the same 16 clients on GET /health (the HTTP edge alone)
base=$(wrk -t2 -c16 -d"${secs}s" "http://127.0.0.1:$pc/health" | awk '/Requests\/sec/ {print $2}')
sub=$(wrk -t2 -c16 -d"${secs}s" -s "$here/submit.lua" "http://127.0.0.1:$pc" | tee "$out/submit.txt" | awk '/Requests\/sec/ {print $2}')
grep '^submit:' "$out/submit.txt"
psql "$url" -Atc "SELECT 'stored: ' || count(*) || ' proposals, ' || count(*) FILTER (WHERE awaiting_moderation) || ' awaiting moderation, ' || count(*) FILTER (WHERE zone_id IS NOT NULL OR municipality_code IS NOT NULL) || ' tagged' FROM proposal"
python3 -c "import sys; s,b=float(sys.argv[1]),float(sys.argv[2]); print(f'(a) submissions: {s:.0f}/s (target >= 500/s, ratio to target {s/500:.2f}); /health baseline {b:.0f}/s; ratio {s/b:.3f}')" "$sub" "$base"

# (b) tiles over 100,000 generated proposals vs projects (PARTS=a: submissions only)
if [[ "${PARTS:-abc}" == *b* ]]; then
t0=$(date +%s.%N); psql "$url" -q -v n=100000 -f "$here/generate.sql"; t1=$(date +%s.%N)
python3 -c "import sys; print(f'generated 100,000 proposals in {float(sys.argv[2])-float(sys.argv[1]):.1f} s')" "$t0" "$t1"
python3 - "$out/tiles.txt" <<'PY'
import math, sys
def tile(lon, lat, z):
    n = 2 ** z; r = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
paths = []
for z in range(11, 15):  # one feature a proposal from 11 (clusters below)
    (x0, y0), (x1, y1) = tile(10.0, 36.9, z), tile(10.35, 36.7, z)
    paths += [f"/{z}/{x}/{y}.pbf" for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)][:400]
open(sys.argv[1], "w").write("\n".join(paths) + "\n")
PY
echo "tile list: $(wc -l <"$out/tiles.txt") tiles, zooms 11-14 over Grand Tunis"
run_tiles() { # port source
  sed "s#^#/tiles/$2#" "$out/tiles.txt" >"$out/paths-$2.txt"
  TILE_PATHS="$out/paths-$2.txt" wrk -t2 -c16 -d"${secs}s" -s "$root/bench/tiles/paths.lua" "http://127.0.0.1:$1" | awk '/Requests\/sec/ {print $2}'
}
declare -A r
for src in proposals projects; do
  r[cold-$src]=$(run_tiles "$pc" "$src")
  sed "s#^#http://127.0.0.1:$pw/tiles/$src#" "$out/tiles.txt" | xargs -n 1 -P 4 curl -s -o /dev/null  # fill the cache
  r[warm-$src]=$(run_tiles "$pw" "$src")
done
for m in cold warm; do
  python3 -c "import sys; a,b=float(sys.argv[2]),float(sys.argv[3]); print(f'(b) {sys.argv[1]} tiles: proposals {a:.0f}/s, projects {b:.0f}/s; ratio {a/b:.2f}')" \
    "$m" "${r[$m-proposals]}" "${r[$m-projects]}"
done

fi

# (c) a scenario over 50 candidates (5 runs, median); baseline: the same with 1 candidate
if [[ "${PARTS:-abc}" == *c* ]]; then
python3 - "http://127.0.0.1:$pc" <<'PY'
import json, random, statistics, sys, time, urllib.request
base = sys.argv[1]; random.seed(11)
kinds = ["school", "health", "administration", "post", "police"]
def body(n):
    return {"municipality": "1111", "envelope_tnd": 20_000_000, "distance_m": 800,
            "candidates": [{"ref": f"C{i}", "facility_type": kinds[i % 5], "capacity": 1 + i % 3, "cost_tnd": 400_000,
                            "geometry": {"type": "Point", "coordinates": [10.16 + random.random() * 0.03, 36.79 + random.random() * 0.02]}}
                           for i in range(n)]}
def timed(n):
    ts = []
    for _ in range(5):
        rq = urllib.request.Request(base + "/api/participation/scenarios", data=json.dumps(body(n)).encode(),
                                    headers={"content-type": "application/json"}, method="POST")
        t = time.perf_counter()
        with urllib.request.urlopen(rq, timeout=60) as r:
            assert r.status == 200, r.status; r.read()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)
one, fifty = timed(1), timed(50)
print(f"(c) scenario, 50 candidates: {fifty*1000:.0f} ms median (target < 1 s); 1 candidate {one*1000:.0f} ms; ratio {fifty/one:.2f}")
PY
fi
echo "machine: load $(cut -d' ' -f1-3 /proc/loadavg) at end"
