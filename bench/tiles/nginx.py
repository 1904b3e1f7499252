#!/usr/bin/env python3
"""Warm tiles vs nginx static files (run through bench/tiles/nginx.sh).

`prepare DB_URL OURS WWW PATHS`: the tile list of bench.py (seeded, z5–z14), each tile fetched once
from Mokhattat with `Accept-Encoding: gzip` (this also warms its cache); the exact body bytes are
written to WWW/<path>.gz for nginx's gzip_static, the paths that answered 200 to PATHS (empty
tiles answer 204 and have no file, so both servers get the same list of non-empty tiles).

`run NGINX OURS PATHS WWW NGINX_PID OURS_PID`: checks that nginx sends the same bytes, then wrk
with the same paths, connections and headers against each server, alternating (BENCH_ROUNDS pairs,
the order swapped every round), and prints tiles/s, p50, p99 per run, the ratio ours / nginx per
pair, and the CPU time each server spent per tile (user + system, from /proc; nginx: master and
workers). On a shared machine the throughput swings with the other load; CPU per tile does not.
Standard library only.
"""
import os
import statistics
import subprocess
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (tile list and wrk wrapper shared with the martin benchmark)

bench.OUT = os.path.join(HERE, "..", "out", "tiles-nginx")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
bench.DURATION = os.environ.get("BENCH_DURATION", "10s")


def get(url):
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.headers, r.read()


def prepare(db_url, ours, www, paths_file):
    tiles = bench.tile_set(db_url)
    kept, empty = [], 0
    for z, x, y in tiles:
        path = f"/tiles/municipalities/{z}/{x}/{y}"
        status, headers, body = get(ours + path)
        if status == 204:
            empty += 1
            continue
        if status != 200 or headers.get("Content-Encoding") != "gzip":
            raise SystemExit(f"{path}: {status} {headers.get('Content-Encoding')}")
        os.makedirs(os.path.dirname(www + path), exist_ok=True)
        with open(www + path + ".gz", "wb") as f:
            f.write(body)
        kept.append(path)
    with open(paths_file, "w") as f:
        f.write("\n".join(kept) + "\n")
    size = sum(os.path.getsize(www + p + ".gz") for p in kept)
    print(f"tile set: {len(tiles)} tiles z5–z14, {len(kept)} non-empty ({empty} empty left out), "
          f"{size / len(kept):.0f} gzip bytes per tile on average", flush=True)


def cpu_seconds(pid):
    """User + system CPU of a process and its children still running (nginx workers)."""
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                   text=True).stdout.split()]
    total = 0.0
    for p in pids:
        with open(f"/proc/{p}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run(nginx, ours, paths_file, www, nginx_pid, ours_pid):
    pids = {"nginx": int(nginx_pid), "mokhattat": int(ours_pid)}
    paths = [p for p in open(paths_file).read().split() if p]
    for p in paths:
        status, headers, body = get(nginx + p)
        with open(www + p + ".gz", "rb") as f:
            same = body == f.read()
        _, our_headers, our_body = get(ours + p)
        if status != 200 or not same or our_body != body \
                or headers.get("Content-Type") != our_headers.get("Content-Type") \
                or headers.get("Content-Encoding") != "gzip":
            raise SystemExit(f"{p}: nginx and Mokhattat do not send the same tile")
    print(f"{len(paths)} paths, same bytes, Content-Type and Content-Encoding from both; "
          f"{bench.CONNECTIONS} connections, wrk -t2, {bench.DURATION} per run, {ROUNDS} rounds", flush=True)
    print(f"load before: {uptime()}", flush=True)
    rows, ratios = [], []
    for i in range(ROUNDS):
        order = [("nginx", nginx), ("mokhattat", ours)]
        if i % 2:
            order.reverse()
        got = {}
        for name, base in order:
            before = cpu_seconds(pids[name])
            got[name] = bench.wrk(base, paths_file, f"{name}-{i + 1}")
            r = got[name]
            r["cpu_us"] = 1e6 * (cpu_seconds(pids[name]) - before) / max(1, r["requests"])
            rows.append((i + 1, name, r))
            print(f"  round {i + 1} {name:10} {r['rps']:10.0f} tiles/s  p50 {r['p50']:6.2f} ms  "
                  f"p99 {r['p99']:6.2f} ms  CPU {r['cpu_us']:5.1f} µs/tile  non-2xx {r['errors']}",
                  flush=True)
        ratios.append(got["mokhattat"]["rps"] / got["nginx"]["rps"])
        print(f"  round {i + 1} ratio mokhattat / nginx: {ratios[-1]:.2f}", flush=True)
    print(f"load after: {uptime()}")
    print()
    print(f"{'server':12} {'tiles/s (median)':>17} {'p50 ms':>8} {'p99 ms':>8} {'CPU µs/tile':>12}")
    cpu = {}
    for name in ("nginx", "mokhattat"):
        rs = [r for _, n, r in rows if n == name]
        cpu[name] = statistics.median(r["cpu_us"] for r in rs)
        print(f"{name:12} {statistics.median(r['rps'] for r in rs):17.0f} "
              f"{statistics.median(r['p50'] for r in rs):8.2f} {statistics.median(r['p99'] for r in rs):8.2f} "
              f"{cpu[name]:12.1f}")
    print(f"CPU per tile, nginx / mokhattat: {cpu['nginx'] / cpu['mokhattat']:.2f} "
          "(each server's own cost, whatever the other load)")
    med = statistics.median(ratios)
    print(f"ratio mokhattat / nginx per round: {', '.join(f'{r:.2f}' for r in ratios)}; "
          f"median {med:.2f}  (target ≥ 0.8: {'OK' if med >= 0.8 else 'MISSED'})")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"prepare": prepare, "run": run}[cmd](*args)
