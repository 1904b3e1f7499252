#!/usr/bin/env python3
"""Features benchmark: Mokhattat against pygeoapi (PostgreSQL provider on views of the same tables),
measured in the same run with wrk (16 connections) and a full ogr2ogr copy of municipalities.

Usage: DATABASE_URL=postgres://…/db python3 bench/features/run.py [--duration 10]
       [--baseline OLD_BIN [--baseline-db URL_OF_A_COPY]]   (an older build, cache off, in the same run)
The database must hold the sample data (start `mokhattat serve` on it once). Run
bench/features/setup.sh first, and `cargo build --release`.
"""
import argparse, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VENV = os.path.join(ROOT, "target", "bench-venv-pygeoapi")


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def wait(url, timeout=180):
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def wrk(url, duration, conns=16, threads=2):
    # --timeout 60s: wrk leaves requests slower than its 2 s default out of the latency figures
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}s", "--timeout", "60s", "--latency", "-H", "Accept: application/geo+json", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return rps, p99, (int(errors.group(1)) if errors else 0) + (int(timeouts.group(1)) if timeouts else 0)


def check(url):
    """Number of features of one page, or the HTTP error the server answered."""
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        return None, f"HTTP {e.code}"
    return len(body.get("features", [])), None


# The measured queries: (label, path and query string), the same for every server.
QUERIES = [
    ("municipalities limit=100", "/collections/municipalities/items?limit=100"),
    ("municipalities limit=1000", "/collections/municipalities/items?limit=1000"),
    ("projects limit=100", "/collections/projects/items?limit=100"),
    ("projects limit=1000", "/collections/projects/items?limit=1000"),
    ("facilities bbox (Grand Tunis)", "/collections/facilities/items?limit=100&bbox=10.0,36.7,10.4,36.95"),
    # pygeoapi 0.21 names the language cql-text (the same expression)
    ("municipalities CQL2 population > 100000", "/collections/municipalities/items?limit=100&filter-lang=cql2-text&filter=" + urllib.parse.quote("population > 100000")),
    ("municipalities CQL2 area_km2 > 100", "/collections/municipalities/items?limit=100&filter-lang=cql2-text&filter=" + urllib.parse.quote("area_km2 > 100")),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--baseline", help="also measure this binary with the cache off (e.g. main's release build), "
                    "in the same run, alternating with ours")
    ap.add_argument("--baseline-db", help="the baseline's DATABASE_URL (default: DATABASE_URL; a copy of the same data "
                    "when ours adds a migration the baseline does not know)")
    args = ap.parse_args()
    db = os.environ["DATABASE_URL"]
    u = urllib.parse.urlparse(db)
    subprocess.run(["psql", db, "-q", "-f", os.path.join(ROOT, "bench/features/views.sql")], check=True)
    procs = []
    try:
        mk_port, cold_port, py_port = free_port(), free_port(), free_port()
        mk_bin = os.environ.get("MOKHATTAT_BIN", os.path.join(ROOT, "target/release/mokhattat"))
        # Mokhattat twice: as configured by default (answer cache on) and with the cache off
        base_port = free_port()
        servers = [(mk_bin, mk_port, [], db), (mk_bin, cold_port, ["--features-cache-mb", "0"], db)]
        if args.baseline:
            servers.append((args.baseline, base_port, ["--features-cache-mb", "0"], args.baseline_db or db))
        for binary, port, extra, url in servers:
            procs.append(subprocess.Popen([binary, "serve", "--no-sample", "--listen", f"127.0.0.1:{port}", *extra],
                                          env={**os.environ, "RUST_LOG": "warn", "DATABASE_URL": url},
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        work = tempfile.mkdtemp(prefix="bench-features-")
        res = ""
        for name, table, idf in [("municipalities", "bench_oapif_municipalities", "code"), ("projects", "bench_oapif_projects", "id"), ("facilities", "bench_oapif_facilities", "id")]:
            res += (f"  {name}:\n    type: collection\n    title: {name}\n    description: {name}\n    keywords: [{name}]\n"
                    f"    extents: {{spatial: {{bbox: [7, 30, 12, 38], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}}}\n"
                    f"    providers:\n      - type: feature\n        name: PostgreSQL\n"
                    f"        data: {{host: '{u.hostname}', port: {u.port or 5432}, dbname: '{u.path[1:]}', user: '{u.username}', password: '{urllib.parse.unquote(u.password or '')}', search_path: [public]}}\n"
                    f"        id_field: {idf}\n        table: {table}\n        geom_field: geom\n")
        cfg = open(os.path.join(ROOT, "bench/features/pygeoapi.yml.in")).read().replace("@PORT@", str(py_port)).replace("@RESOURCES@", res)
        cfg_path = os.path.join(work, "pygeoapi.yml"); open(cfg_path, "w").write(cfg)
        oas = os.path.join(work, "openapi.yml")
        env = {**os.environ, "PYGEOAPI_CONFIG": cfg_path, "PYGEOAPI_OPENAPI": oas}
        subprocess.run([os.path.join(VENV, "bin/pygeoapi"), "openapi", "generate", cfg_path, "--output-file", oas], env=env, check=True, capture_output=True)
        # gunicorn with 2 workers per core, as pygeoapi's docs suggest for production
        os.makedirs(os.path.join(ROOT, "bench/out"), exist_ok=True)
        py_log = open(os.path.join(ROOT, "bench/out/pygeoapi.log"), "w")
        py = subprocess.Popen([os.path.join(VENV, "bin/gunicorn"), "-w", "4", "-b", f"127.0.0.1:{py_port}", "pygeoapi.flask_app:APP"],
                              env=env, stdout=py_log, stderr=py_log)
        procs.append(py)
        mk_base, py_base = f"http://127.0.0.1:{mk_port}", f"http://127.0.0.1:{py_port}"
        cold_base = f"http://127.0.0.1:{cold_port}"
        base_base = f"http://127.0.0.1:{base_port}" if args.baseline else None
        wait(mk_base + "/health"); wait(cold_base + "/health"); wait(py_base + "/collections?f=json")
        if base_base:
            wait(base_base + "/health")
        py_lang = {"cql2-text": "cql-text"}
        rows = []
        for label, q in QUERIES:
            sep = "&" if "?" in q else "?"
            mk_url, py_url = mk_base + q, py_base + q.replace("filter-lang=cql2-text", "filter-lang=" + py_lang["cql2-text"]) + sep + "f=json"
            cold_url = cold_base + q
            (n_mk, e_mk), (n_py, e_py) = check(mk_url), check(py_url)
            assert e_mk is None, f"{label}: Mokhattat answered {e_mk}"
            wrk(cold_url, 2); wrk(mk_url, 2)  # warm-up
            b = None
            if base_base:
                # baseline and ours alternate: baseline, ours, baseline; the baseline's mean
                wrk(base_base + q, 2)
                b1 = wrk(base_base + q, args.duration)
            c = wrk(cold_url, args.duration)
            if base_base:
                b2 = wrk(base_base + q, args.duration)
                b = ((b1[0] + b2[0]) / 2, max(b1[1], b2[1]), b1[2] + b2[2])
            m = wrk(mk_url, args.duration)
            line = (f"{label:42s} n={n_mk:4d}  mokhattat cache off {c[0]:8.1f} req/s p99 {c[1]:7.1f} ms, "
                    f"on {m[0]:8.1f} req/s p99 {m[1]:6.1f} ms | "
                    + (f"baseline cache off {b[0]:7.1f} req/s (ours x{c[0] / max(b[0], 1e-9):4.2f}) | " if b else ""))
            if e_py is not None:
                # a query the baseline cannot answer is reported, not measured
                print(line + f"pygeoapi fails ({e_py}, see bench/out/pygeoapi.log)", flush=True)
                continue
            assert n_mk == n_py, f"{label}: Mokhattat returns {n_mk} features, pygeoapi {n_py}"
            wrk(py_url, 2)
            p = wrk(py_url, args.duration)
            print(line + f"pygeoapi {p[0]:7.1f} req/s p99 {p[1]:8.1f} ms | x{c[0] / max(p[0], 1e-9):5.1f} cache off, x{m[0] / max(p[0], 1e-9):6.1f} on"
                  + (f", baseline cache off x{b[0] / max(p[0], 1e-9):5.1f}" if b else "")
                  + (f"  (errors or timeouts: {c[2]}/{m[2]}/{p[2]})" if c[2] or m[2] or p[2] else ""), flush=True)
        copies = {}
        for name, base in [("mokhattat", mk_base), ("mokhattat cache off", cold_base), ("pygeoapi", py_base)]:
            out = os.path.join(work, f"{name}.gpkg")
            best = None
            for _ in range(3):
                if os.path.exists(out):
                    os.remove(out)
                t0 = time.time()
                # as a user would run it (GDAL 3.6 reads pages of 10 features; best of 3 runs)
                subprocess.run(["ogr2ogr", "-f", "GPKG", out, f"OAPIF:{base}/collections/municipalities"], check=True, capture_output=True)
                dt = time.time() - t0
                best = dt if best is None else min(best, dt)
            n = subprocess.run(["ogrinfo", "-so", out, "municipalities"], capture_output=True, text=True).stdout
            copies[name] = (best, re.search(r"Feature Count: (\d+)", n).group(1))
        print(f"{'ogr2ogr municipalities -> GPKG':42s} mokhattat {copies['mokhattat'][0]:.2f} s, cache off {copies['mokhattat cache off'][0]:.2f} s ({copies['mokhattat'][1]} features) | "
              f"pygeoapi {copies['pygeoapi'][0]:.2f} s ({copies['pygeoapi'][1]} features) | x{copies['pygeoapi'][0] / copies['mokhattat'][0]:5.1f}, "
              f"cache off x{copies['pygeoapi'][0] / copies['mokhattat cache off'][0]:5.1f}")
        shutil.rmtree(work, ignore_errors=True)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
