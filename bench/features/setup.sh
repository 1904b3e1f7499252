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
command -v wrk >/dev/null || apt-get install -y wrk
"$venv/bin/pip" show pygeoapi | head -2
