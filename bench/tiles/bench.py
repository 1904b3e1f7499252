#!/usr/bin/env python3
"""Vector tile benchmark: Mokhattat (cache cold and warm) against martin 1.14 on the same PostGIS.

Run through bench/tiles/run.sh (it builds both servers and starts the database). Standard library
only. Workload: a fixed random set of municipality tiles over Tunisia, z5–z14 (random points in
the municipalities, seeded), 16 concurrent clients (wrk), the same Accept-Encoding for both.
Prints tiles/s, p50, p99 and bytes per tile by zoom, and the ratios against martin. With
BENCH_ROUNDS > 1, martin and Mokhattat cold (and a baseline build, 5th argument) alternate.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "out", "tiles")
DURATION = os.environ.get("BENCH_DURATION", "20s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PER_ZOOM = int(os.environ.get("BENCH_TILES_PER_ZOOM", "40"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "1"))
ZOOMS = range(5, 15)

TILE_SET = """
SELECT z, floor((ST_X(p) + 180) / 360 * 2 ^ z)::int AS x,
       floor((1 - ln(tan(radians(ST_Y(p))) + 1 / cos(radians(ST_Y(p)))) / pi()) / 2 * 2 ^ z)::int AS y
FROM generate_series(5, 14) z,
     LATERAL (SELECT (ST_Dump(ST_GeneratePoints(
                 (SELECT ST_Union(geom) FROM admin_unit WHERE level = 'governorate' AND valid_to IS NULL),
                 %d, 20241130 + z))).geom AS p) pts
"""


def psql(url, sql):
    return subprocess.run(["psql", url, "-Atqc", sql], check=True, capture_output=True, text=True).stdout


def tile_set(url):
    rows = psql(url, TILE_SET % PER_ZOOM).split()
    tiles = sorted({tuple(int(v) for v in r.split("|")) for r in rows})
    return tiles


def wait_up(url, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def fetch_size(url):
    req = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return len(r.read())
    except urllib.error.HTTPError as e:
        if e.code in (204, 404):
            return 0
        raise


def wrk(base, paths_file, label):
    lua = os.path.join(HERE, "paths.lua")
    env = dict(os.environ, TILE_PATHS=paths_file)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s", lua,
         "-H", "Accept-Encoding: gzip", base],
        check=True, capture_output=True, text=True, env=env).stdout
    with open(os.path.join(OUT, f"wrk-{label}.txt"), "w") as f:
        f.write(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": pct(50), "p99": pct(99), "requests": requests,
            "errors": int(non2xx.group(1)) if non2xx else 0}


def main():
    db_url, ours_cold, ours_warm, martin = sys.argv[1:5]
    base_cold = sys.argv[5] if len(sys.argv) > 5 else None
    os.makedirs(OUT, exist_ok=True)
    tiles = tile_set(db_url)
    for base in (ours_cold, ours_warm, martin) + ((base_cold,) if base_cold else ()):
        wait_up(base + ("/health" if base != martin else "/health"))
    paths = {
        "ours": [f"/tiles/municipalities/{z}/{x}/{y}" for z, x, y in tiles],
        "martin": [f"/bench_municipalities/{z}/{x}/{y}" for z, x, y in tiles],
        "martin4326": [f"/bench_municipalities_4326/{z}/{x}/{y}" for z, x, y in tiles],
    }
    files = {}
    for k, v in paths.items():
        files[k] = os.path.join(OUT, f"paths-{k}.txt")
        with open(files[k], "w") as f:
            f.write("\n".join(v) + "\n")
    print(f"tile set: {len(tiles)} tiles z5–z14 ({PER_ZOOM} random points per zoom, seeded); "
          f"{CONNECTIONS} connections, {DURATION} per run", flush=True)

    # bytes per tile by zoom (uncompressed MVT)
    sizes = {}
    for (z, x, y), po, pm in zip(tiles, paths["ours"], paths["martin"]):
        s = sizes.setdefault(z, {"ours": 0, "martin": 0, "n": 0})
        s["ours"] += fetch_size(ours_cold + po)
        s["martin"] += fetch_size(martin + pm)
        s["n"] += 1

    # warm the cache of the warm instance: every tile once
    for p in paths["ours"]:
        fetch_size(ours_warm + p)

    # martin and the cold instances alternate (BENCH_ROUNDS rounds, each starting one server
    # later); the median run of each is kept
    cold = {"martin (no cache)": (martin, files["martin"], "martin"),
            "mokhattat cold (no cache)": (ours_cold, files["ours"], "ours-cold")}
    if base_cold:
        cold["baseline build cold"] = (base_cold, files["ours"], "base-cold")
    names, runs = list(cold), {n: [] for n in cold}
    print(f"load before: {os.getloadavg()}", flush=True)
    for i in range(ROUNDS):
        for n in names[i % len(names):] + names[:i % len(names)]:
            runs[n].append(wrk(*cold[n][:2], f"{cold[n][2]}-{i + 1}"))
            print(f"  round {i + 1} {n:28} {runs[n][-1]['rps']:10.1f} tiles/s", flush=True)
        if base_cold:
            r = runs["mokhattat cold (no cache)"][-1]["rps"] / runs["baseline build cold"][-1]["rps"]
            print(f"  round {i + 1} mokhattat cold / baseline build cold: {r:.2f}", flush=True)
    print(f"load after: {os.getloadavg()}", flush=True)
    results = {n: sorted(runs[n], key=lambda r: r["rps"])[len(runs[n]) // 2] for n in names}
    results["martin, 4326 column"] = wrk(martin, files["martin4326"], "martin-4326")
    results["mokhattat warm (cache)"] = wrk(ours_warm, files["ours"], "ours-warm")
    m = results["martin (no cache)"]
    print()
    print("martin (no cache) serves the geom_3857 column — its best case, and the baseline of the ratios;")
    print("'martin, 4326 column' serves the stored EPSG:4326 geometry (transformed per request), for reference.")
    print(f"{'server':28} {'tiles/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'non-2xx':>8} {'× martin tiles/s':>17} {'p99 / martin':>13}")
    for name in list(cold) + ["martin, 4326 column", "mokhattat warm (cache)"]:
        r = results[name]
        print(f"{name:28} {r['rps']:10.1f} {r['p50']:9.2f} {r['p99']:9.2f} {r['errors']:8d} "
              f"{r['rps'] / m['rps']:17.2f} {r['p99'] / m['p99']:13.2f}")
    print()
    print(f"{'zoom':>4} {'tiles':>6} {'ours B/tile':>12} {'martin B/tile':>14} {'ours / martin':>14}")
    for z in ZOOMS:
        s = sizes.get(z)
        if not s:
            continue
        o, mm = s["ours"] / s["n"], s["martin"] / s["n"]
        print(f"{z:4d} {s['n']:6d} {o:12.0f} {mm:14.0f} {o / mm if mm else float('nan'):14.2f}")
    cold, warm = results["mokhattat cold (no cache)"], results["mokhattat warm (cache)"]
    low = [sizes[z] for z in (5, 6, 7) if z in sizes]
    low_ratio = sum(s["ours"] for s in low) / max(1, sum(s["martin"] for s in low))
    print()
    print("targets:")
    print(f"  cold throughput ≥ 1.5× martin: {cold['rps'] / m['rps']:.2f}×  {'OK' if cold['rps'] >= 1.5 * m['rps'] else 'MISSED'}")
    print(f"  cold p99 no worse than martin: {cold['p99']:.2f} ms vs {m['p99']:.2f} ms  {'OK' if cold['p99'] <= m['p99'] else 'MISSED'}")
    print(f"  z5–z7 size ≤ ½ martin: {low_ratio:.2f}  {'OK' if low_ratio <= 0.5 else 'MISSED'}")
    print(f"  warm throughput ≥ 10× martin cold: {warm['rps'] / m['rps']:.1f}×  {'OK' if warm['rps'] >= 10 * m['rps'] else 'MISSED'}")
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump({"results": results, "sizes": sizes}, f, indent=1)


if __name__ == "__main__":
    main()
