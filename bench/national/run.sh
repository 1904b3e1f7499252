#!/usr/bin/env bash
# National-scale costs (issue 14; not part of the test suite), on the real sample boundaries plus a
# synthetic national load (bench/national/*.sql) grown in steps — 10 k, 100 k, 1 M project
# locations (BENCH_STEPS), with 50,000 land-use zones and 100,000 proposals from the first step:
#   assignment time of each step (the INSERT into project_location, with everything the database
#   derives in it), cold and warm tile throughput (every source, and `projects` alone), features
#   paging, GET /api/indicators, the server's memory (RSS) against its configured caches.
# Then, on the largest step, one primary and one streaming replica on this machine: features
# throughput through two instances reading the replica against one.
# Targets: 1 M assigned < 5 min; warm tiles at 1 M within 20 % of the sample; cold `projects`
# tiles at 1 M >= 200 tiles/s.   Usage: bench/national/run.sh   (wrk, psql; release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
bash scripts/setup.sh bench
release_bin
out=bench/out/national; mkdir -p "$out"
dir=$(mktemp -d /tmp/mokhattat-bench-national.XXXXXX)
steps=${BENCH_STEPS:-"10000 100000 1000000"}
duration=${BENCH_DURATION:-10s}
cache_mb=256
unset DATABASE_URL
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  $bin db stop --data-dir "$dir/replica" >/dev/null 2>&1 || true
  $bin db stop --data-dir "$dir" >/dev/null 2>&1 || true
  remove_data_dir "$dir/replica" "$dir"
}
trap cleanup EXIT

# BENCH_BASE_BIN: a baseline binary (e.g. main's release build) measured in the same run on the
# same database, its instances alternating with ours; it starts first (it creates the cluster and
# loads the sample) and both its instances start before ours, so our migrations come after its own.
base=${BENCH_BASE_BIN:-}
# serve_on BIN NAME CACHE_MB [ARGS]: start an instance in the background; sets port and pid
serve_on() {
  local b=$1 name=$2 mb=$3; shift 3
  port=$(free_port)
  RUST_LOG=warn $b serve --listen "127.0.0.1:$port" --tile-cache-mb "$mb" "$@" >"$out/$name.log" 2>&1 &
  pid=$!; pids+=($pid)
  wait_healthy "$port" "$pid" "$out/$name.log" 0.5
}
# the warm instances load the sample data (64 MiB features cache); the cold ones have no caches
first=${base:-$bin}
serve_on "$first" warm-first $cache_mb --data-dir "$dir" --features-cache-mb 64
url=$($bin db url --data-dir "$dir")
export DATABASE_URL="$url"
p_warm=$port; pid_warm=$pid
if [ -n "$base" ]; then
  p_warm_b=$p_warm
  serve_on "$base" cold-base 0 --no-sample --features-cache-mb 0; p_cold_b=$port
  serve_on "$bin" warm $cache_mb --no-sample --features-cache-mb 64; p_warm=$port; pid_warm=$pid
fi
serve_on "$bin" cold 0 --no-sample --features-cache-mb 0; p_cold=$port; pid_cold=$pid
unset DATABASE_URL
psql() { command psql "$url" -X -q -v ON_ERROR_STOP=1 "$@"; }
timed() { psql -c '\timing on' "$@" | awk '/^Time:/ {t+=$2} END {printf "%.1f", t/1000}'; }
psql -c "SELECT mk_masks_warm()" >/dev/null
# where a step's INSERT spends its time: the database's own functions (pg_stat_user_functions)
psql -c "DO \$\$ BEGIN EXECUTE format('ALTER DATABASE %I SET track_functions = %L', current_database(), 'all'); END \$\$"
fn_times() {
  psql -At -F ' ' -c "SELECT string_agg(funcname || ' ' || round(total_time::numeric / 1000, 1) || ' s', ', ' ORDER BY total_time DESC)
    FROM (SELECT funcname, sum(total_time) AS total_time FROM pg_stat_user_functions
          WHERE funcname IN ('mk_assign_apply', 'mk_assign_compute', 'mk_conformity_overlay', 'mk_location_verdicts',
            'mk_conformity_projects', 'mk_project_refresh', 'mk_apportion_compute', 'mk_indicators_refresh',
            'mk_tile_cells_store', 'mk_project_feature_refresh', 'mk_refresh_flush')
          GROUP BY funcname) f"
}

# the same tiles for every measure: 40 random points per zoom over Tunisia, z5–z14
all=municipalities,delegations,governorates,landuse,projects,facilities,indicators,proposals
psql -At -c "SELECT z || '/' || floor((ST_X(p) + 180) / 360 * 2 ^ z)::int || '/' ||
  floor((1 - ln(tan(radians(ST_Y(p))) + 1 / cos(radians(ST_Y(p)))) / pi()) / 2 * 2 ^ z)::int
  FROM generate_series(5, 14) z, LATERAL (SELECT (ST_Dump(ST_GeneratePoints((SELECT ST_Union(geom) FROM admin_unit
  WHERE level = 'governorate' AND valid_to IS NULL), 40, 20261201 + z))).geom AS p) pts" >"$out/zxy.txt"
sed "s|^|/tiles/$all/|" "$out/zxy.txt" >"$out/tiles-all.txt"
sed "s|^|/tiles/projects/|" "$out/zxy.txt" >"$out/tiles-projects.txt"
for k in $(seq 0 49); do echo "/collections/projects/items?f=json&limit=100&offset=$((k * 100))"; done >"$out/pages.txt"

# rate PORT PATHS: requests per second over the path list (16 clients)
rate() {
  TILE_PATHS="$2" wrk -t2 -c16 -d"$duration" -s bench/tiles/paths.lua "http://127.0.0.1:$1" 2>&1 |
    awk '/Requests\/sec/ {printf "%.0f", $2}'
}
indicators_ms() {
  for i in $(seq 1 10); do
    curl -fs -o /dev/null -w "%{time_total}\n" "http://127.0.0.1:$p_cold/api/indicators?level=municipality"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]*1000}'
}
# prime PORT PATHS: fetch every path once (4 at a time), so that a warm measure is all cache hits
# (one -o per URL: curl writes the URLs without one to stdout)
prime() { sed "s|^|-o /dev/null http://127.0.0.1:$1|" "$2" | xargs -P4 -L20 curl -fs; }
rss_mb() { ps -o rss= -p "$1" | awk '{printf "%.0f", $1/1024}'; }

# sizes PORT: mean bytes (uncompressed) of the distinct `projects` tiles of each zoom, from a primed
# warm instance
sizes() {
  sort -u "$out/tiles-projects.txt" | while read -r t; do
    echo "$(echo "$t" | cut -d/ -f4) $(curl -fs -H 'Accept-Encoding: identity' "http://127.0.0.1:$1$t" | wc -c)"
  done | awk '{s[$1]+=$2; n[$1]++; if ($2 > m[$1]) m[$1]=$2}
    END {for (z=5; z<=14; z++) printf "z%d %.0f/%.0f  ", z, s[z]/n[z]/1024, m[z]/1024}'
}
# cell upkeep (tile_cell, migration 0030; docs/scale.md "Precomputed cells"): what a bulk INSERT of
# every location adds to its transaction — the statement marking their cells, then the flush
# recomputing them (the bulk path reads every location once) — in a rolled-back transaction
cells() {
  [ "$(psql -At -c "SELECT to_regclass('tile_cell') IS NOT NULL")" = t ] || return 0
  echo "cell upkeep at $1 locations: mark $(timed -c BEGIN \
    -c "DO \$\$ BEGIN EXECUTE mk_tile_cells_mark('SELECT * FROM project_location'); END \$\$" -c ROLLBACK) s," \
    "recompute every cell $(timed -c BEGIN -c "SELECT mk_tile_cells_store(NULL)" -c ROLLBACK) s" \
    "($(psql -At -c "SELECT count(*) FROM tile_cell") cells; load $(uptime | sed 's/.*average: //'))"
}
rows=()
# BENCH_LOCK=FILE (a machine shared with builds): each measurement holds an flock on FILE, so it
# runs alone among the processes that take the same lock; loading and assigning do not hold it
locked() {
  if [ -n "${BENCH_LOCK:-}" ]; then { flock 9; "$@"; } 9>"$BENCH_LOCK"; else "$@"; fi
}
# tiles PORT_COLD PORT_WARM: cold all, cold projects, warm all, warm projects (tiles/s)
tiles() {
  echo "$(rate "$1" "$out/tiles-all.txt") $(rate "$1" "$out/tiles-projects.txt")" \
    "$(prime "$2" "$out/tiles-all.txt"; rate "$2" "$out/tiles-all.txt")" \
    "$(prime "$2" "$out/tiles-projects.txt"; rate "$2" "$out/tiles-projects.txt")"
}
measure() { # LABEL ASSIGN_S
  local cold_all warm_all cold_p warm_p pages ind b=""
  read -r cold_all cold_p warm_all warm_p <<<"$(tiles "$p_cold" "$p_warm")"
  if [ -n "$base" ]; then
    local bca bcp bwa bwp
    read -r bca bcp bwa bwp <<<"$(tiles "$p_cold_b" "$p_warm_b")"
    b="base: $bca / $bwa / $bcp / $bwp; ratio cold projects $(python3 -c "print(f'{$cold_p/max($bcp,1):.1f}')")×, warm projects $(python3 -c "print(f'{$warm_p/max($bwp,1):.2f}')")× |"
    echo "projects tile KiB mean/max per zoom, base: $(sizes "$p_warm_b")"
  fi
  echo "projects tile KiB mean/max per zoom: $(sizes "$p_warm")"
  pages=$(rate "$p_cold" "$out/pages.txt")
  ind=$(indicators_ms)
  rows+=("| $1 | $(uptime | sed 's/.*average: //') | $2 | $cold_all | $warm_all | $cold_p | $warm_p | $pages | $ind | $(rss_mb "$pid_warm") | $b")
  echo "${rows[-1]}"
  eval "warm_all_$3=$warm_all; cold_p_$3=$cold_p"
}

echo "| locations | load | assignment of the step (s) | cold tiles/s, all sources | warm, all | cold, projects | warm, projects | features pages/s (no cache) | indicators (ms) | RSS of the warm instance (MiB; tile cache $cache_mb) |${base:+ baseline cold all / warm all / cold projects / warm projects |}"
echo "|---|---|---|---|---|---|---|---|---|---|${base:+---|}"
locked measure "sample ($(psql -At -c 'SELECT count(*) FROM project_location'))" "" sample
from=0; total=0
for to in $steps; do
  psql -v from=$from -v to=$to -f bench/national/generate.sql >/dev/null
  if [ $from -eq 0 ]; then
    psql -f bench/national/zones.sql >/dev/null
    psql -f bench/national/proposals.sql >/dev/null
  fi
  psql -c "SELECT pg_stat_reset()" >/dev/null
  t=$(timed -c "INSERT INTO project_location (project_id, source_id, precision, unit_code, geom)
    SELECT p.id, 'nat-' || l.n, l.precision, l.unit_code, l.geom FROM bench_nat_loc l
    JOIN project p ON p.code = 'NAT-' || lpad((1 + (l.n - 1) / 5)::text, 7, '0')")
  total=$(python3 -c "print(f'{$total + $t:.1f}')")
  sleep 1
  echo "step to $to: INSERT $t s; inside it (functions, nested times overlap): $(fn_times)"
  psql -c "VACUUM ANALYZE project_location" -c "VACUUM ANALYZE location_assignment" >/dev/null
  sleep 2
  locked measure "$to" "$t (total $total)" last
  echo "load after the step's measures: $(uptime | sed 's/.*average: //')"
  cells "$to"
  from=$to
done
echo
echo "targets: $from locations assigned in $total s (1 M: < 300); warm tiles, all sources, at the largest step / sample:" \
  "$(python3 -c "print(f'{$warm_all_last/$warm_all_sample:.2f}')") (>= 0.80);" \
  "cold projects tiles at the largest step: $cold_p_last/s (>= 200)"

# one primary, one replica, two instances reading it vs one (features, no caches); BENCH_REPLICA=0
# leaves it out
[ "${BENCH_REPLICA:-1}" = 1 ] || exit 0
$bin db replica --from "$url" --data-dir "$dir/replica" >"$out/replica-url.txt" 2>"$out/replica.log"
rurl=$(tail -1 "$out/replica-url.txt")
ports=()
for i in 1 2; do
  p=$(free_port)
  RUST_LOG=warn DATABASE_URL="$url" DATABASE_READ_URL="$rurl" $bin serve --no-sample --listen "127.0.0.1:$p" \
    --tile-cache-mb 0 --features-cache-mb 0 >"$out/replica-$i.log" 2>&1 &
  pids+=($!); wait_healthy "$p" "$!" "$out/replica-$i.log"; ports+=($p)
done
one_and_two() {
  rate "${ports[0]}" "$out/pages.txt" >"$out/one.txt"
  rate "${ports[0]}" "$out/pages.txt" >"$out/two-a.txt" & wa=$!
  rate "${ports[1]}" "$out/pages.txt" >"$out/two-b.txt" & wb=$!
  wait $wa $wb
}
locked one_and_two
one=$(cat "$out/one.txt")
two=$(( $(cat "$out/two-a.txt") + $(cat "$out/two-b.txt") ))
echo "features pages/s through instances reading the replica: one $one, two $two," \
  "ratio $(python3 -c "print(f'{$two/$one:.2f}')") (2 cores: the instances, the primary and the replica share them)"
