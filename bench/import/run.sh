#!/usr/bin/env bash
# Import benchmark (not part of the test suite), issue 9 part 6: importing a unit layer with
# multipart units (merged into their union) and overlap / area-change reporting, against the same
# import on the base commit (5306112, before that work), which kept the first part of each unit
# and rejected the others. Target: within 1.5x of the base.
#
# The layer: the sample's 350 municipalities, each MultiPolygon exploded into its polygons
# (islands) and one polygon unit in five cut into two halves overlapping by a 0.002° strip, so
# about 100 units come in several features. Two scenarios, each on a fresh database:
#   1. initial import into an empty level;
#   2. re-import of the same layer with 20 boundaries grown by ~300 m (new versions, overlaps with
#      their neighbours, lost/gained area reported).
# Both binaries are debug builds by default (BENCH_PROFILE=release for release builds; slow on 2
# cores). They share one embedded PostgreSQL cluster; the median of BENCH_RUNS runs is reported.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
base_rev=${BENCH_BASE:-5306112}
profile=${BENCH_PROFILE:-debug}
runs=${BENCH_RUNS:-3}
flag=(); [ "$profile" = release ] && flag=(--release)
work=$(mktemp -d /tmp/mokhattat-import-bench.XXXXXX)
out=bench/out; mkdir -p "$out"
unset DATABASE_URL

# Build the base binary in a worktree with its own target dir, seeded with hard links to this
# tree's compiled dependencies (the crate itself is left out, so only it is rebuilt), and keep it.
# (Sharing one target dir does not work: cargo then takes one tree's crate for the other's.)
base_tree=/tmp/mokhattat-base-$base_rev
[ -d "$base_tree" ] || git worktree add --detach "$base_tree" "$base_rev" >/dev/null
if [ ! -x "$base_tree/mokhattat-$profile" ]; then
  bt="$base_tree/target"
  if [ ! -d "$bt/$profile" ] && [ -d "target/$profile" ]; then
    mkdir -p "$bt" && cp -al "target/$profile" "$bt/$profile"
    rm -rf "$bt/$profile/incremental" "$bt/$profile"/.fingerprint/mokhattat-* "$bt/$profile"/deps/*mokhattat* \
      "$bt/$profile"/mokhattat* "$bt/$profile"/build/mokhattat-*
  fi
  (cd "$base_tree" && CARGO_TARGET_DIR="$bt" cargo build "${flag[@]}" --quiet --bin mokhattat)
  cp "$bt/$profile/mokhattat" "$base_tree/mokhattat-$profile"
fi
cp "$base_tree/mokhattat-$profile" "$work/mokhattat-base"
cargo build "${flag[@]}" --quiet --bin mokhattat
cp "target/$profile/mokhattat" "$work/mokhattat-new"

new="$work/mokhattat-new"
admin=$("$new" --data-dir "$work/pg" db start | tail -1)
trap '"$new" --data-dir "$work/pg" db stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
with_db() { python3 -c "import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path='/'+sys.argv[2])))" "$admin" "$1"; }
fresh() { # fresh migrated database $1, printed URL
  psql -q "$admin" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
  local url; url=$(with_db "$1")
  DATABASE_URL="$url" "$new" migrate >/dev/null
  echo "$url"
}

# The fixture layers, written by PostGIS from the sample.
src=$(fresh bench_src)
DATABASE_URL="$src" "$new" import sample-data/municipalities.geojson --as municipalities >/dev/null
cols="code, parent_code, name_ar, name_fr, name_en, population, population_year, population_source"
# Window functions are not allowed in WHERE: materialise the part counts first.
psql -q "$src" -c "CREATE TABLE bench_parts AS SELECT u.code, u.parent_code, u.name_ar, u.name_fr, u.name_en,
    p.population, p.year AS population_year, p.source AS population_source, (ST_Dump(u.geom)).geom AS g
  FROM admin_unit u LEFT JOIN population p ON p.level = u.level AND p.code = u.code
  WHERE u.level = 'municipality' AND u.valid_to IS NULL" \
  -c "CREATE TABLE bench_n AS SELECT code, count(*) AS parts, dense_rank() OVER (ORDER BY code) AS n FROM bench_parts GROUP BY code" >/dev/null
split_sql="SELECT $cols, g FROM bench_parts p JOIN bench_n USING (code) WHERE parts > 1 OR n % 5 <> 0
UNION ALL SELECT $cols, ST_ClipByBox2D(g, ST_MakeEnvelope(ST_XMin(g), ST_YMin(g), (ST_XMin(g) + ST_XMax(g)) / 2 + 0.001, ST_YMax(g)))
 FROM bench_parts p JOIN bench_n USING (code) WHERE parts = 1 AND n % 5 = 0
UNION ALL SELECT $cols, ST_ClipByBox2D(g, ST_MakeEnvelope((ST_XMin(g) + ST_XMax(g)) / 2 - 0.001, ST_YMin(g), ST_XMax(g), ST_YMax(g)))
 FROM bench_parts p JOIN bench_n USING (code) WHERE parts = 1 AND n % 5 = 0"
grown_sql="SELECT $cols, CASE WHEN n % 17 = 1 AND n <= 340 THEN ST_Buffer(g, 0.003) ELSE g END AS g
 FROM ($split_sql) s JOIN bench_n USING (code)"
pg=$(python3 -c "import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(f'dbname={p.path[1:]} host={p.hostname} port={p.port} user={u.unquote(p.username)} password={u.unquote(p.password or \"\")}')" "$src")
ogr2ogr -f GeoJSON "$work/split.geojson" PG:"$pg" -sql "$split_sql" -nln municipalities
ogr2ogr -f GeoJSON "$work/grown.geojson" PG:"$pg" -sql "$grown_sql" -nln municipalities
features=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['features']; c=[f['properties']['code'] for f in d]; print(len(d), len(set(c)), len([x for x in set(c) if c.count(x) > 1]))" "$work/split.geojson")
read -r n_features n_units n_multi <<<"$features"
echo "layer: $n_features features, $n_units units, $n_multi of them in several features ($profile builds, median of $runs runs)"

time_import() { # binary, url, file -> seconds
  local t0 t1
  t0=$(date +%s.%N)
  DATABASE_URL="$2" "$1" import "$3" --as municipalities --source bench >"$out/import-last.txt" 2>/dev/null || true
  t1=$(date +%s.%N)
  python3 -c "print(f'{$t1-$t0:.3f}')"
}
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" "$@"; }

declare -A times
for i in $(seq "$runs"); do
  for who in base new; do
    bin="$work/mokhattat-$who"
    url=$(fresh "bench_$who")
    times[$who-initial]+=" $(time_import "$bin" "$url" "$work/split.geojson")"
    [ "$who" = new ] && [ "$i" = 1 ] && cp "$out/import-last.txt" "$out/import-initial-summary.txt"
    times[$who-reimport]+=" $(time_import "$bin" "$url" "$work/grown.geojson")"
    [ "$who" = new ] && [ "$i" = 1 ] && cp "$out/import-last.txt" "$out/import-reimport-summary.txt"
  done
done

echo
echo "| scenario | base $base_rev (s) | this tree (s) | ratio | target |"
echo "|---|---|---|---|---|"
for s in initial reimport; do
  b=$(median ${times[base-$s]}); n=$(median ${times[new-$s]})
  r=$(python3 -c "print(f'{$n/$b:.2f}')")
  ok=$(python3 -c "print('ok' if $r <= 1.5 else 'OVER')")
  echo "| $s | $b | $n | ${r}x | <= 1.5x ($ok) |"
done
echo
echo "this tree's summaries: $out/import-initial-summary.txt, $out/import-reimport-summary.txt"
grep -E "read|merged into|overlap|lost" "$out/import-reimport-summary.txt" | head -8
