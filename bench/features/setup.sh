#!/usr/bin/env bash
# Installs the baseline of the features benchmark: pygeoapi 0.21 (PyPI; the newest for Python 3.11) with its PostgreSQL provider,
# served by gunicorn, in its own venv under target/. wrk (Debian) drives the load.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/target/bench-venv-pygeoapi"
if [ ! -x "$venv/bin/pygeoapi" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "pygeoapi==0.21.0" gunicorn psycopg2-binary SQLAlchemy GeoAlchemy2 pygeofilter
fi
command -v wrk >/dev/null || bash "$root/scripts/setup.sh" bench
# (not `| head`: under pipefail the closed pipe would make the script fail)
"$venv/bin/pip" show pygeoapi | sed -n 1,2p
