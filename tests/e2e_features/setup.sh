#!/usr/bin/env bash
# Installs what the OGC API – Features end-to-end tests need beside GDAL and PyQGIS (Debian
# packages gdal-bin and python3-qgis): schemathesis from PyPI, in its own venv under target/.
# Idempotent; the e2e test runs it when the venv is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${MOKHATTAT_E2E_VENV:-$here/target/e2e-venv}"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi
"$venv/bin/schemathesis" --version
