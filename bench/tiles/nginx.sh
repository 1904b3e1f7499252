#!/usr/bin/env bash
# Warm tiles against static files: Mokhattat with its tile cache (every tile served from memory)
# vs nginx serving the very gzip bytes Mokhattat answers, as files, same paths, same wrk settings.
# Usage: bench/tiles/nginx.sh   (needs wrk, nginx, psql: `scripts/setup.sh bench`)
# Env: BENCH_DURATION (10s per run), BENCH_ROUNDS (3 alternating pairs), BENCH_CONNECTIONS (16),
#      BENCH_TILES_PER_ZOOM (40), MOKHATTAT_BIN (a release binary built elsewhere),
#      MOKHATTAT_BASE_BIN (a baseline build, run alongside on the same database and compared).
# Output: the ratio table on stdout; wrk output, the nginx config and its files in bench/out/tiles-nginx/.
# wrk shares the 2 cores with both servers: see docs/scale.md ("Measuring it") for what the ratio means.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
. bench/lib.sh
out="$root/bench/out/tiles-nginx"
mkdir -p "$out"
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/setup.sh bench installs it)" >&2; exit 1; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "bench: nginx is missing (scripts/setup.sh bench installs it)" >&2; exit 1; }
release_bin
# the same cluster as bench/tiles/run.sh (sample data loaded by the first start)
with_embedded_db "$bin" "$root/bench/out/tiles/data"

p_ours=$(free_port); p_nginx=$(free_port)
RUST_LOG=warn DATABASE_URL="$url" "$bin" serve --listen "127.0.0.1:$p_ours" --tile-cache-mb 512 >"$out/ours.log" 2>&1 &
ours_pid=$!
bench_pids+=($ours_pid)
wait_healthy "$p_ours" "$ours_pid" "$out/ours.log" 0.5

# the exact bytes Mokhattat answers (Accept-Encoding: gzip), as files for nginx: gzip_static
# always sends <path>.gz with Content-Encoding: gzip whatever the client asked
www="$out/www"
rm -rf "$www"
mkdir -p "$www"
python3 "$here/nginx.py" prepare "$url" "http://127.0.0.1:$p_ours" "$www" "$out/paths.txt"
servers=("mokhattat=http://127.0.0.1:$p_ours=$ours_pid")
if [ -n "${MOKHATTAT_BASE_BIN:-}" ]; then
  p_base=$(free_port)
  RUST_LOG=warn DATABASE_URL="$url" "$MOKHATTAT_BASE_BIN" serve --no-sample --listen "127.0.0.1:$p_base" --tile-cache-mb 512 >"$out/base.log" 2>&1 &
  bench_pids+=($!)
  wait_healthy "$p_base" "${bench_pids[-1]}" "$out/base.log" 0.5
  servers+=("base=http://127.0.0.1:$p_base=${bench_pids[-1]}")
  # warm its cache: the same tiles, once
  while read -r p; do curl -fs -o /dev/null -H 'Accept-Encoding: gzip' "http://127.0.0.1:$p_base$p"; done <"$out/paths.txt"
fi

user_line=""; [ "$(id -u)" -ne 0 ] || user_line="user root;"
cat >"$out/nginx.conf" <<CONF
$user_line
worker_processes auto;
pid $out/nginx.pid;
error_log $out/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  open_file_cache max=10000 inactive=60s;
  client_body_temp_path $out/tmp/body;
  proxy_temp_path $out/tmp/proxy;
  fastcgi_temp_path $out/tmp/fastcgi;
  uwsgi_temp_path $out/tmp/uwsgi;
  scgi_temp_path $out/tmp/scgi;
  server {
    listen 127.0.0.1:$p_nginx;
    root $www;
    location /tiles/ {
      default_type application/vnd.mapbox-vector-tile;
      gzip_static always;
      gzip_vary on;
      add_header Cache-Control "public, max-age=60";
    }
  }
}
CONF
mkdir -p "$out/tmp"
"$nginx" -p "$out" -c "$out/nginx.conf" -e "$out/nginx-error.log" -g "daemon off;" &
nginx_pid=$!
bench_pids+=($nginx_pid)
until curl -fs -o /dev/null "http://127.0.0.1:$p_nginx$(head -1 "$out/paths.txt")"; do
  kill -0 "${bench_pids[-1]}" 2>/dev/null || { cat "$out/nginx-error.log"; exit 1; }
  sleep 0.2
done

python3 "$here/nginx.py" run "$out/paths.txt" "$www" "nginx=http://127.0.0.1:$p_nginx=$nginx_pid" \
  "${servers[@]}" | tee "$out/report.txt"
