#!/usr/bin/env bash
# Rebuilds sample-data/ from the real Tunisian data in ../shared/data (read only). Reproducible:
# same inputs, same outputs. Needs python3 (stdlib only), GDAL's ogr2ogr, psql and PostGIS.
#
#   scripts/build-sample-data.sh                 # starts a throwaway embedded cluster (cargo-built mokhattat)
#   DATABASE_URL=postgres://… scripts/build-sample-data.sh   # or uses that PostGIS database (schema sample_build,
#                                                             # dropped afterwards)
# Environment: MOKHATTAT_SOURCE_DATA (default ../shared/data), MOKHATTAT_BIN (default: cargo build),
#              KEEP_SAMPLE_BUILD=1 keeps the sample_build schema of a DATABASE_URL database for inspection.
# Outputs: sample-data/*.geojson, manifest.json, build-report.txt, sectors_2018_attributes.csv.
# sample-data/README.md is written by hand and left alone.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${MOKHATTAT_SOURCE_DATA:-$root/../shared/data}"
out="$root/sample-data"
here="$root/scripts"

for tool in python3 ogr2ogr psql; do
  command -v "$tool" >/dev/null || { echo "build-sample-data: $tool is missing (run scripts/setup.sh)" >&2; exit 1; }
done
[ -f "$src/boundaries/municipalities_2018.geojson" ] || {
  echo "build-sample-data: no source data in $src (set MOKHATTAT_SOURCE_DATA)" >&2; exit 1; }

tmp="$(mktemp -d)"
chmod 755 "$tmp"   # the embedded cluster runs as the postgres user when we are root
bin=""
cleanup() {
  if [ -n "$bin" ]; then "$bin" db stop --data-dir "$tmp/db" >/dev/null 2>&1 || true; fi
  if [ -n "${db:-}" ] && [ -z "${KEEP_SAMPLE_BUILD:-}" ]; then psql -X -q "$db" -c "DROP SCHEMA IF EXISTS sample_build CASCADE" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -n "${DATABASE_URL:-}" ]; then
  db="$DATABASE_URL"
else
  if [ -n "${MOKHATTAT_BIN:-}" ]; then bin="$MOKHATTAT_BIN"; else
    (cd "$root" && cargo build --quiet --bin mokhattat)
    bin="$root/target/debug/mokhattat"
  fi
  echo "build-sample-data: starting a throwaway PostGIS in $tmp/db" >&2
  db="$("$bin" db start --data-dir "$tmp/db" 2>/dev/null | tail -n 1)"
fi
[[ "$db" == postgres* ]] || { echo "build-sample-data: no database URL (got '$db')" >&2; exit 1; }

# ogr2ogr (GDAL 3.6) wants key=value connection strings, not URLs
pg="$(python3 - "$db" <<'EOF'
import sys, urllib.parse as u
p = u.urlparse(sys.argv[1])
q = dict(u.parse_qsl(p.query))
parts = {"host": q.get("host", p.hostname or "localhost"), "port": p.port or q.get("port", 5432),
         "dbname": p.path.lstrip("/"), "user": u.unquote(p.username or ""), "password": u.unquote(p.password or "")}
print(" ".join(f"{k}='{v}'" for k, v in parts.items() if v))
EOF
)"

psql -X -q -v ON_ERROR_STOP=1 "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis" \
  -c "DROP SCHEMA IF EXISTS sample_build CASCADE" -c "CREATE SCHEMA sample_build"
for pair in municipalities_2018:mun delegations_2018:del municipal_perimeters_2014:per governorates:gov; do
  ogr2ogr -f PostgreSQL PG:"$pg" "$src/boundaries/${pair%%:*}.geojson" -nln "sample_build.${pair##*:}" \
    -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=GIST -nlt PROMOTE_TO_MULTI
done
echo "build-sample-data: overlaying municipalities, 2014 perimeters and delegations" >&2
psql -X -q -v ON_ERROR_STOP=1 "$db" -f "$here/build-sample-data.sql"

mkdir -p "$out"
python3 "$here/build-sample-data.py" --src "$src" --out "$out" --db "$db"

# every output must open in GDAL with the expected number of features
for f in governorates:24 delegations:274 municipalities:350; do
  n="$(ogrinfo -ro -so -al "$out/${f%%:*}.geojson" | sed -n 's/^Feature Count: //p')"
  [ "$n" = "${f##*:}" ] || { echo "build-sample-data: ${f%%:*}.geojson has $n features, expected ${f##*:}" >&2; exit 1; }
done
for f in landuse_perimeters facilities projects; do
  ogrinfo -ro -so -al "$out/$f.geojson" >/dev/null
done
echo "build-sample-data: done; see sample-data/build-report.txt ($(du -sh "$out" | cut -f1))" >&2
