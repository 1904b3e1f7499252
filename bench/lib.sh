# Shared by the bench scripts (sourced after `cd` to the repository root or with its path):
# a free local port and waiting for a server started in the background.

# free_port: a TCP port on 127.0.0.1 nobody listens on right now
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_healthy PORT PID LOG [SECONDS]: poll http://127.0.0.1:PORT/health every SECONDS (0.2) until it
# answers; if process PID exits first, print its LOG and exit 1.
wait_healthy() {
  local port=$1 pid=$2 log=$3 every=${4:-0.2}
  until curl -fs "http://127.0.0.1:$port/health" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep "$every"
  done
}

# with_embedded_db BIN DATA: start BIN's embedded cluster in DATA and set $url; on exit, kill the
# processes whose ids are in the array bench_pids, then stop the cluster.
with_embedded_db() {
  bench_bin=$1 bench_data=$2
  bench_pids=()
  url="$("$bench_bin" --data-dir "$bench_data" db start | tail -1)"
  trap bench_stop EXIT
}
bench_stop() {
  for p in "${bench_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$bench_bin" --data-dir "$bench_data" db stop >/dev/null 2>&1 || true
}

# release_bin: sets bin to the release binary the benchmark runs — $MOKHATTAT_BIN (one built
# elsewhere), else ./target/release/mokhattat, built now
release_bin() {
  bin=${MOKHATTAT_BIN:-./target/release/mokhattat}
  [ -n "${MOKHATTAT_BIN:-}" ] || cargo build --release --locked --quiet
}

# bench_scratch (from the repository root): out=bench/out (made), a fresh temporary data dir in
# $dir, a free port in $port, and no DATABASE_URL (the binary starts its own cluster in $dir)
bench_scratch() {
  out=bench/out
  mkdir -p "$out"
  dir=$(mktemp -d /tmp/mokhattat-bench.XXXXXX)
  port=$(free_port)
  unset DATABASE_URL
}

# bench_out NAME (from anywhere): root=the repository, out=$root/bench/out/NAME (made); wrk must be
# installed
bench_out() {
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  out="$root/bench/out/$1"
  mkdir -p "$out"
  command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/setup.sh bench installs it)" >&2; exit 1; }
}

# remove_data_dir DIR…: delete each data dir and, when root put its cluster elsewhere because the
# postgres user cannot reach DIR (DIR/pg.location names it, under /var/lib/mokhattat/clusters),
# that cluster too. Stop the cluster first.
remove_data_dir() {
  local d c
  for d in "$@"; do
    c=$(cat "$d/pg.location" 2>/dev/null || true)
    case "$c" in /var/lib/mokhattat/clusters/?*) rm -rf "$c" ;; esac
    rm -rf "$d"
  done
}
