#!/usr/bin/env bash
# Concurrent writes (issue 9): 32 writers for 30 s, mixed create (OGC API POST), patch (OGC API
# PATCH) and progress (POST /api/projects/{code}/progress) against a release build on the sample.
# Prints throughput, p50/p99 latency and error counts (5xx other than 503 must be 0).
# Usage: bench/writes/run.sh [writers] [seconds]   (MOKHATTAT_BIN: a release binary built elsewhere)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
writers=${1:-32}
seconds=${2:-30}
release_bin
bench_scratch
export MOKHATTAT_DATA_DIR="$dir"

# an admin key, created in the (new) embedded database before the server starts
key=${MOKHATTAT_BENCH_KEY:-$("$bin" keys create --name bench --role admin 2>"$out/writes-keys.log" | tail -1)}
[ -n "$key" ] || { cat "$out/writes-keys.log"; exit 1; }

"$bin" serve --listen "127.0.0.1:$port" >"$out/writes-server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
wait_healthy "$port" "$pid" "$out/writes-server.log"

python3 - "$port" "$key" "$writers" "$seconds" <<'PY'
import json, sys, threading, time, urllib.request, urllib.error
port, key, writers, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
base = f"http://127.0.0.1:{port}"
lat, codes, lock = [], {}, threading.Lock()
def call(method, path, body=None, ctype="application/json", headers=None):
    h = {"Authorization": f"Bearer {key}", "Content-Type": ctype, **(headers or {})}
    rq = urllib.request.Request(base + path, method=method, headers=h,
                                data=None if body is None else json.dumps(body).encode())
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(rq, timeout=60) as r:
            s, hd = r.status, r.headers
    except urllib.error.HTTPError as e:
        s, hd = e.code, e.headers
    except Exception:
        s, hd = 599, {}
    return s, hd, time.perf_counter() - t
def writer(w):
    mine, i, pct, end = [], 0, 0, time.time() + seconds
    while time.time() < end:
        i += 1
        if not mine or i % 3 == 0:
            code = f"BW-{w}-{i}"
            s, hd, dt = call("POST", "/collections/projects/items",
                             {"type": "Feature", "geometry": {"type": "Point", "coordinates": [10.17 + w * 0.0004, 36.80 + i * 0.0001]},
                              "properties": {"code": code, "status": "planned", "budget_tnd": 1000 + i}}, "application/geo+json")
            if s == 201:
                mine.append((hd["Location"].rsplit("/", 1)[1], code))
            kind = "create"
        elif i % 3 == 1:
            fid, _ = mine[i % len(mine)]
            _, hd, _ = call("GET", f"/collections/projects/items/{fid}")
            s, _, dt = call("PATCH", f"/collections/projects/items/{fid}", {"properties": {"budget_tnd": 2000 + i}},
                            "application/merge-patch+json", {"If-Match": hd.get("ETag", "")})
            kind = "patch"
        else:
            _, code = mine[i % len(mine)]
            pct = min(pct + 1, 100)
            s, _, dt = call("POST", f"/api/projects/{code}/progress", {"physical_pct": pct})
            kind = "progress"
        with lock:
            lat.append((kind, s, dt))
ts = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
t0 = time.time(); [t.start() for t in ts]; [t.join() for t in ts]; el = time.time() - t0
ds = sorted(d for _, _, d in lat)
q = lambda p: ds[min(len(ds) - 1, int(p * len(ds)))] * 1000
by = lambda c: sum(1 for _, s, _ in lat if c(s))
print(f"writes: {writers} writers, {el:.1f} s: {len(lat)} requests, {len(lat)/el:.1f} writes/s; "
      f"p50 {q(0.5):.0f} ms, p99 {q(0.99):.0f} ms")
for k in ("create", "patch", "progress"):
    n = sum(1 for x, _, _ in lat if x == k)
    print(f"  {k}: {n}")
print(f"  2xx {by(lambda s: 200 <= s < 300)}, 4xx {by(lambda s: 400 <= s < 500)}, 503 {by(lambda s: s == 503)}, "
      f"other errors {by(lambda s: s >= 500 and s != 503)}")
PY
