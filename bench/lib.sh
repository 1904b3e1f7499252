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
