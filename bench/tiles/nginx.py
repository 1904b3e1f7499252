#!/usr/bin/env python3
"""Warm tiles vs nginx static files (run through bench/tiles/nginx.sh).

`prepare DB_URL OURS WWW PATHS`: the tile list of bench.py (seeded, z5–z14), each tile fetched once
from Mokhattat with `Accept-Encoding: gzip` (this also warms its cache); the exact body bytes are
written to WWW/<path>.gz for nginx's gzip_static, the paths that answered 200 to PATHS (empty
tiles answer 204 and have no file, so both servers get the same list of non-empty tiles).

`run PATHS WWW nginx=URL=PID mokhattat=URL=PID [base=URL=PID]`: checks that every server sends
nginx's bytes, then wrk with the same paths, connections and headers against each, alternating
(BENCH_ROUNDS rounds, each starting one server later), and prints tiles/s, p50, p99 per run, the
ratio to nginx per round, and the CPU time each server spent per tile (user + system, from /proc;
nginx: master and workers). With a baseline build (`base`), also mokhattat / base per round. On a shared machine the throughput swings with the other load; CPU per tile does not.
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


def run(paths_file, www, *servers):
    """servers: NAME=URL=PID, nginx first; every other one is compared with nginx (and the last
    but one with the last: a baseline build run alongside, MOKHATTAT_BASE_BIN)."""
    servers = [tuple(s.split("=", 2)) for s in servers]
    urls = {name: url for name, url, _ in servers}
    pids = {name: int(pid) for name, _, pid in servers}
    nginx = urls["nginx"]
    paths = [p for p in open(paths_file).read().split() if p]
    for p in paths:
        status, headers, body = get(nginx + p)
        with open(www + p + ".gz", "rb") as f:
            same = body == f.read()
        for name, url, _ in servers[1:]:
            _, our_headers, our_body = get(url + p)
            if status != 200 or not same or our_body != body \
                    or headers.get("Content-Type") != our_headers.get("Content-Type") \
                    or headers.get("Content-Encoding") != "gzip":
                raise SystemExit(f"{p}: nginx and {name} do not send the same tile")
    names = [name for name, _, _ in servers]
    print(f"{len(paths)} paths, same bytes, Content-Type and Content-Encoding from {', '.join(names)}; "
          f"{bench.CONNECTIONS} connections, wrk -t2, {bench.DURATION} per run, {ROUNDS} rounds", flush=True)
    print(f"load before: {uptime()}", flush=True)
    rows, ratios = [], {n: [] for n in names[1:]}
    for i in range(ROUNDS):
        # alternating: each round starts one server later than the previous one
        order = names[i % len(names):] + names[:i % len(names)]
        got = {}
        for name in order:
            before = cpu_seconds(pids[name])
            got[name] = bench.wrk(urls[name], paths_file, f"{name}-{i + 1}")
            r = got[name]
            r["cpu_us"] = 1e6 * (cpu_seconds(pids[name]) - before) / max(1, r["requests"])
            rows.append((i + 1, name, r))
            print(f"  round {i + 1} {name:10} {r['rps']:10.0f} tiles/s  p50 {r['p50']:6.2f} ms  "
                  f"p99 {r['p99']:6.2f} ms  CPU {r['cpu_us']:5.1f} µs/tile  non-2xx {r['errors']}",
                  flush=True)
        for n in names[1:]:
            ratios[n].append(got[n]["rps"] / got["nginx"]["rps"])
        print(f"  round {i + 1} ratio / nginx: "
              + ", ".join(f"{n} {ratios[n][-1]:.2f}" for n in names[1:]), flush=True)
    print(f"load after: {uptime()}")
    print()
    print(f"{'server':12} {'tiles/s (median)':>17} {'p50 ms':>8} {'p99 ms':>8} {'CPU µs/tile':>12}")
    cpu = {}
    for name in names:
        rs = [r for _, n, r in rows if n == name]
        cpu[name] = statistics.median(r["cpu_us"] for r in rs)
        print(f"{name:12} {statistics.median(r['rps'] for r in rs):17.0f} "
              f"{statistics.median(r['p50'] for r in rs):8.2f} {statistics.median(r['p99'] for r in rs):8.2f} "
              f"{cpu[name]:12.1f}")
    for n in names[1:]:
        med = statistics.median(ratios[n])
        print(f"{n}: CPU per tile, nginx / {n}: {cpu['nginx'] / cpu[n]:.2f}; ratio / nginx per round: "
              f"{', '.join(f'{r:.2f}' for r in ratios[n])}; median {med:.2f}  "
              f"(target ≥ 0.8: {'OK' if med >= 0.8 else 'MISSED'})")
    if len(names) > 2:
        a, b = names[1], names[2]
        per_round = [x / y for x, y in zip(ratios[a], ratios[b])]
        print(f"{a} / {b} tiles/s per round: {', '.join(f'{r:.2f}' for r in per_round)}; "
              f"median {statistics.median(per_round):.2f}; CPU per tile {b} / {a}: {cpu[b] / cpu[a]:.2f}")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"prepare": prepare, "run": run}[cmd](*args)
