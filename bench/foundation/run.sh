#!/usr/bin/env bash
# Foundation benchmarks (not part of the test suite):
#  1. time from an empty data dir to serving with all sample data loaded (release build, build excluded);
#  2. GET /api/locate throughput and latency with 16 concurrent clients (wrk on the same machine).
# Targets (issue 2): 1. under 60 s on 2 cores; 2. at least 3,000 requests/s.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
bash scripts/setup.sh bench
release_bin
bench_scratch

start=$(date +%s.%N)
"$bin" serve --data-dir "$dir" --listen "127.0.0.1:$port" >"$out/foundation-server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
wait_healthy "$port" "$pid" "$out/foundation-server.log" 0.1
ready=$(date +%s.%N)
munis=$(curl -fs "http://127.0.0.1:$port/api/units?q=tunis&level=municipality" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))')
startup=$(python3 -c "print(f'{$ready-$start:.1f}')")
echo "startup: empty data dir -> serving with sample data: ${startup} s (target < 60 s); search 'tunis' finds $munis municipalities"

# Random points over Tunisia's bounding box (fixed seed): inside, on land, offshore alike.
cat >"$out/locate.lua" <<'LUA'
math.randomseed(42)
request = function()
  local lon = 7.5 + math.random() * 4.1
  local lat = 30.2 + math.random() * 7.2
  return wrk.format("GET", string.format("/api/locate?lon=%.6f&lat=%.6f", lon, lat))
end
LUA
wrk -t2 -c16 -d5s -s "$out/locate.lua" "http://127.0.0.1:$port" >/dev/null   # warm-up
wrk -t2 -c16 -d20s --latency -s "$out/locate.lua" "http://127.0.0.1:$port" | tee "$out/locate.txt"
rps=$(awk '/Requests\/sec/ {print $2}' "$out/locate.txt")
p99=$(awk '$1=="99%" {print $2}' "$out/locate.txt")
echo
echo "| measure | result | target | ratio to target |"
echo "|---|---|---|---|"
echo "| startup with sample (s) | $startup | < 60 | $(python3 -c "print(f'{60/$startup:.1f}x faster')") |"
echo "| /api/locate req/s, 16 clients | $rps | >= 3000 | $(python3 -c "print(f'{$rps/3000:.2f}x')") |"
echo "| /api/locate p99 | $p99 | | |"
