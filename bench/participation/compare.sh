#!/usr/bin/env bash
# Submissions (part (a) of run.sh) of two binaries, alternating: each binary gets its own embedded
# cluster with the sample data and one server on it (commune 1111 moderate-first, tagging on, rate
# limit off), then ROUNDS rounds of SECS seconds of 16 wrk connections on submit.lua, the order of
# the two swapped every round, so that both see the same machine load. Prints each round, the
# totals and the ratio of the second binary to the first (the baseline).
# Usage: bench/participation/compare.sh BASE_BIN NEW_BIN [rounds] [secs]   (PUBLISH_FIRST=1: leave
#        the commune publishing first). Needs wrk and psql. Output: bench/out/participation/compare/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/out/participation/compare"; mkdir -p "$out"
bins=("$1" "$2"); rounds=${3:-4}; secs=${4:-10}
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/setup.sh bench installs it)" >&2; exit 1; }
unset DATABASE_URL
export MOKHATTAT_RATE_LIMIT_PER_MINUTE=0
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -a data urls ports pids clusters
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for i in 0 1; do
    [ -n "${data[$i]:-}" ] || continue
    "${bins[$i]}" --data-dir "${data[$i]}" db stop >/dev/null 2>&1 || true
    rm -rf "${data[$i]}"
    case "${clusters[$i]:-}" in /var/lib/mokhattat/clusters/?*) rm -rf "${clusters[$i]}" ;; esac
  done
}
trap cleanup EXIT
for i in 0 1; do
  data[$i]=$(mktemp -d /tmp/mokhattat-bench-cmp.XXXXXX)
  urls[$i]="$("${bins[$i]}" --data-dir "${data[$i]}" db start 2>"$out/db$i.log" | tail -1)"
  clusters[$i]=$(sed 's/\x1b\[[0-9;]*m//g' "$out/db$i.log" | grep -o 'cluster_dir=[^ ]*' | head -1 | cut -d= -f2 || true)
  ports[$i]=$(free_port)
  RUST_LOG=warn DATABASE_URL="${urls[$i]}" "${bins[$i]}" serve --listen "127.0.0.1:${ports[$i]}" --tile-cache-mb 0 >"$out/serve$i.log" 2>&1 &
  pids+=($!)
done
for i in 0 1; do
  until curl -fs "http://127.0.0.1:${ports[$i]}/health" >/dev/null; do sleep 0.5; done
  if [ -z "${PUBLISH_FIRST:-}" ]; then
    key=$(DATABASE_URL="${urls[$i]}" "${bins[$i]}" keys create --name bench --role admin 2>/dev/null | tail -1)
    curl -fs -X PUT "http://127.0.0.1:${ports[$i]}/api/participation/communes/1111/settings" -H "Authorization: Bearer $key" \
      -H 'content-type: application/json' -d '{"mode":"moderate_first","report_threshold":3}' >/dev/null
  fi
done
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at start; base ${bins[0]}; new ${bins[1]}; ${rounds} rounds of ${secs} s"
declare -a total=(0 0)
for r in $(seq 1 "$rounds"); do
  order=(0 1); [ $((r % 2)) -eq 0 ] && order=(1 0)
  line="round $r (load $(cut -d' ' -f1 /proc/loadavg)):"
  for i in "${order[@]}"; do
    wrk -t2 -c16 -d"${secs}s" -s "$here/submit.lua" "http://127.0.0.1:${ports[$i]}" >"$out/submit$i-$r.txt"
    rate=$(awk '/Requests\/sec/ {print $2}' "$out/submit$i-$r.txt")
    total[$i]=$(python3 -c "print(${total[$i]} + $rate)")
    line="$line $([ "$i" = 0 ] && echo base || echo new) $(grep '^submit:' "$out/submit$i-$r.txt" | cut -d' ' -f4-) |"
  done
  echo "$line"
done
for i in 0 1; do
  echo "$([ "$i" = 0 ] && echo base || echo new): $(psql "${urls[$i]}" -Atc "SELECT count(*) || ' stored, ' || count(*) FILTER (WHERE awaiting_moderation) || ' awaiting moderation, ' || count(*) FILTER (WHERE municipality_code IS NOT NULL) || ' tagged' FROM proposal")"
done
python3 -c "import sys; b,n,k=float(sys.argv[1]),float(sys.argv[2]),int(sys.argv[3]); print(f'mean submissions/s: base {b/k:.0f}, new {n/k:.0f}; ratio new/base {n/b:.2f}; new/500 {n/k/500:.2f}')" "${total[0]}" "${total[1]}" "$rounds"
echo "machine: load $(cut -d' ' -f1-3 /proc/loadavg) at end"
