#!/usr/bin/env python3
"""CPU per request of the features queries, cache off: the server's own CPU plus PostgreSQL's (every
child of the cluster's postmaster), read from /proc before and after a fixed-length wrk run. Two
binaries, measured alternately query by query (A, B, A, B, ...) on the same database, so a busy
machine slows both alike; the ratio B/A is the figure to read.

Usage: DATABASE_URL=postgres://…/db python3 bench/features/cpu.py --baseline BIN_A [--candidate BIN_B]
       [--duration 5] [--rounds 2]
BIN_B defaults to target/release/mokhattat. The database must hold the sample data; its role must
read `data_directory` (the embedded cluster's does).
"""
import argparse, os, re, signal, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
from run import QUERIES, free_port, wait  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid):
    """utime + stime of a process, seconds (0 when it is gone)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def children(ppid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if int(open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()[1]) == ppid:
                    out.append(int(d))
            except OSError:
                pass
    return out


class Cluster:
    """CPU of PostgreSQL: the postmaster's children, including backends that exited meanwhile
    (their time is added to the postmaster's cutime/cstime)."""

    def __init__(self, db):
        data = subprocess.run(["psql", db, "-Atc", "SHOW data_directory"], capture_output=True, text=True, check=True).stdout.strip()
        self.pm = int(open(os.path.join(data, "postmaster.pid")).readline())

    def cpu(self):
        fields = open(f"/proc/{self.pm}/stat").read().rsplit(")", 1)[1].split()
        reaped = (int(fields[13]) + int(fields[14])) / TICK
        return cpu_of(self.pm) + reaped + sum(cpu_of(p) for p in children(self.pm))


def measure(url, duration, server_pid, cluster):
    s0, p0 = cpu_of(server_pid), cluster.cpu()
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{duration}s", "--timeout", "60s", "-H", "Accept: application/geo+json", url],
                         capture_output=True, text=True, check=True).stdout
    s1, p1 = cpu_of(server_pid), cluster.cpu()
    n = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, 1000 * (s1 - s0) / max(n, 1), 1000 * (p1 - p0) / max(n, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--candidate", default=os.path.join(ROOT, "target/release/mokhattat"))
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--baseline-db", help="the baseline's DATABASE_URL (default: DATABASE_URL; a copy of the "
                    "same data when the candidate adds a migration the baseline does not know)")
    args = ap.parse_args()
    db = os.environ["DATABASE_URL"]
    cluster = Cluster(db)
    servers = []
    try:
        for b, url in ((args.baseline, args.baseline_db or db), (args.candidate, db)):
            port = free_port()
            p = subprocess.Popen([b, "serve", "--no-sample", "--listen", f"127.0.0.1:{port}", "--features-cache-mb", "0"],
                                 env={**os.environ, "RUST_LOG": "warn", "DATABASE_URL": url}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            servers.append((p, f"http://127.0.0.1:{port}"))
        for _, base in servers:
            wait(base + "/health")
        print(f"load average {os.getloadavg()[0]:.1f} at start; CPU ms per request (server + PostgreSQL), best of {args.rounds} alternating rounds")
        for label, q in QUERIES:
            best = [None, None]
            for _ in range(args.rounds):
                for i, (p, base) in enumerate(servers):
                    measure(base + q, 1, p.pid, cluster)  # warm-up
                    r = measure(base + q, args.duration, p.pid, cluster)
                    if best[i] is None or r[1] + r[2] < best[i][1] + best[i][2]:
                        best[i] = r
            (ra, sa, pa), (rb, sb, pb) = best
            print(f"{label:42s} baseline {sa:5.2f}+{pa:5.2f} = {sa + pa:5.2f} ms ({ra:6.1f} req/s) | "
                  f"candidate {sb:5.2f}+{pb:5.2f} = {sb + pb:5.2f} ms ({rb:6.1f} req/s) | CPU x{(sa + pa) / max(sb + pb, 1e-9):4.2f} less",
                  flush=True)
        print(f"load average {os.getloadavg()[0]:.1f} at end")
    finally:
        for p, _ in servers:
            p.send_signal(signal.SIGTERM)
        for p, _ in servers:
            p.wait(timeout=20)


if __name__ == "__main__":
    main()
