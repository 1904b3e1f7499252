#!/usr/bin/env bash
# Offline exports (issue 13): a national PMTiles z0–z14 of every source written by
# `mokhattat export tiles` (time, size, tiles per second) against martin-cp 1.14 writing an
# MBTiles of the same tables and zooms over the same extent, and the build time of a commune's
# open-data pack. Release build; not part of the tests.
# Usage: bench/offline/run.sh [MAXZOOM]   (default 14; needs psql; installs martin 1.14 with
#        martin-cp into bench/tiles/.martin, shared with bench/tiles/run.sh — a long compile)
#        NO_MARTIN=1: ours only; MOKHATTAT_BIN=path: that binary instead of a release build;
#        BENCH_DATABASE_URL=url: a database already holding the sample data (no embedded one).
# Output: the table on stdout and bench/out/offline/report.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/bench/lib.sh"
out="$root/bench/out/offline" maxzoom="${1:-14}"
mkdir -p "$out"

martin_root="$root/bench/tiles/.martin"
if [ -z "${NO_MARTIN:-}" ] && [ ! -x "$martin_root/bin/martin-cp" ]; then
  echo "bench: installing martin 1.14.0 with martin-cp (long compile)" >&2
  CARGO_TARGET_DIR="${MARTIN_TARGET_DIR:-/tmp/martin-build}" cargo install martin@1.14.0 --locked \
    --no-default-features --features postgres,mbtiles --root "$martin_root"
fi
bin="${MOKHATTAT_BIN:-}"
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release --quiet)
  bin="$root/target/release/mokhattat"
fi

if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  url="$BENCH_DATABASE_URL"   # a database already holding the sample data
else
  with_embedded_db "$bin" "$out/data"
  # load the sample data once (the server does it into an empty database), then stop it
  port=$(free_port)
  RUST_LOG=warn DATABASE_URL="$url" "$bin" serve --listen "127.0.0.1:$port" >"$out/serve.log" 2>&1 &
  pid=$!
  bench_pids+=("$pid")
  wait_healthy "$port" "$pid" "$out/serve.log" 0.5
  kill "$pid"; wait "$pid" 2>/dev/null || true
fi

bbox="$(psql "$url" -Atc "SELECT concat_ws(',', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)) FROM (SELECT ST_Extent(geom) e FROM admin_unit_current WHERE level = 'governorate') x")"

# ours: every source, the whole country
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
DATABASE_URL="$url" "$bin" export tiles --format pmtiles --minzoom 0 --maxzoom "$maxzoom" \
  --out "$out/national.pmtiles" 2>"$out/ours.log"
ours_s=$(echo "$(date +%s.%N) - $start" | bc)
ours_line="$(grep '^wrote ' "$out/ours.log" | tail -1)"
# stored, rendered empty, not rendered (nothing there), the area's grid
ours_tiles=$(echo "$ours_line" | sed -E "s/.*: ([0-9]+) tiles \(([0-9]+) empty, not stored; ([0-9]+) of the area's ([0-9]+) .*/\1 \2 \3 \4/")

# martin-cp: the same tables through views of their Web Mercator columns (its best case)
psql "$url" -q <<'SQL'
CREATE OR REPLACE VIEW bench_municipalities AS SELECT id, code, name_ar, name_fr, geom_3857 AS geom FROM admin_unit_current WHERE level = 'municipality';
CREATE OR REPLACE VIEW bench_delegations AS SELECT id, code, name_ar, name_fr, geom_3857 AS geom FROM admin_unit_current WHERE level = 'delegation';
CREATE OR REPLACE VIEW bench_governorates AS SELECT id, code, name_ar, name_fr, geom_3857 AS geom FROM admin_unit_current WHERE level = 'governorate';
CREATE OR REPLACE VIEW bench_landuse AS SELECT id, zone_code, class, geom_3857 AS geom FROM landuse_zone;
CREATE OR REPLACE VIEW bench_facilities AS SELECT id, kind, name_ar, name_fr, geom_3857 AS geom FROM facility;
CREATE OR REPLACE VIEW bench_projects AS SELECT pl.id, p.code, pl.precision, pl.geom_3857 AS geom
  FROM project_location pl JOIN project p ON p.id = pl.project_id
  WHERE p.is_public AND pl.precision IN ('exact', 'approximate');
SQL
sources="bench_municipalities bench_delegations bench_governorates bench_landuse bench_facilities bench_projects"
{
  echo "postgres:"
  echo "  connection_string: \"$url\""
  echo "  pool_size: 16"
  echo "  auto_publish: false"
  echo "  tables:"
  for s in $sources; do
    echo "    $s: {schema: public, table: $s, srid: 3857, geometry_column: geom, geometry_type: GEOMETRY, id_column: id}"
  done
} >"$out/martin.yaml"
rm -f "$out/martin.mbtiles"
martin_s=0 martin_tiles="not run"
if [ -z "${NO_MARTIN:-}" ]; then
  start=$(date +%s.%N)
  RUST_LOG=warn "$martin_root/bin/martin-cp" --config "$out/martin.yaml" \
    --source "$(echo $sources | tr ' ' ',')" --output-file "$out/martin.mbtiles" \
    --min-zoom 0 --max-zoom "$maxzoom" --bbox "$bbox" --concurrency 8 >"$out/martin.log" 2>&1
  martin_s=$(echo "$(date +%s.%N) - $start" | bc)
  martin_tiles=$(sqlite3 "$out/martin.mbtiles" "SELECT count(*) FROM tiles")
fi

# a commune's pack (Tunis) and the national pack
start=$(date +%s.%N)
DATABASE_URL="$url" "$bin" export pack --municipality 1111 --out "$out/pack-1111.zip" 2>"$out/pack.log"
pack_s=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
DATABASE_URL="$url" "$bin" export pack --municipality TN --out "$out/pack-TN.zip" 2>>"$out/pack.log"
pack_tn_s=$(echo "$(date +%s.%N) - $start" | bc)

size() { stat -c %s "$1"; }
{
  echo "offline exports, z0–z$maxzoom, extent $bbox, load before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg)"
  printf "%-34s %10s %14s %12s %12s %10s\n" "" "seconds" "bytes" "grid tiles" "stored" "grid/s"
  read -r t e skip grid <<<"$ours_tiles"
  printf "%-34s %10.1f %14s %12s %12s %10.0f\n" "mokhattat export tiles (PMTiles)" "$ours_s" "$(size "$out/national.pmtiles")" "$grid" "$t" "$(echo "$grid / $ours_s" | bc -l)"
  echo "  ours: $t stored, $e rendered empty, $skip not rendered (nothing there): $(echo "($t + $e) / $ours_s" | bc -l | xargs printf %.0f) rendered tiles/s"
  if [ -z "${NO_MARTIN:-}" ]; then
    printf "%-34s %10.1f %14s %12s %12s %10.0f\n" "martin-cp 1.14 (MBTiles)" "$martin_s" "$(size "$out/martin.mbtiles")" "$grid" "$martin_tiles" "$(echo "$grid / $martin_s" | bc -l)"
    printf "time ratio mokhattat / martin-cp: %.2f (below 1: ours is faster)\n" "$(echo "$ours_s / $martin_s" | bc -l)"
  else
    echo "martin-cp: not run (NO_MARTIN)"
  fi
  printf "pack of Tunis (1111): %.1f s, %s bytes; national pack: %.1f s, %s bytes\n" \
    "$pack_s" "$(size "$out/pack-1111.zip")" "$pack_tn_s" "$(size "$out/pack-TN.zip")"
} | tee "$out/report.txt"
