#!/usr/bin/env bash
# Installs every system package Mokhattat needs, idempotently (Debian 12 / Ubuntu 22.04+).
# Usage: scripts/setup.sh [run|test|bench]   (default: run)
#   run   – PostgreSQL + PostGIS, GDAL, PROJ, libclang, a C toolchain (to build and serve)
#   test  – plus the real clients used by the end-to-end tests (headless QGIS, Chromium, Python tools)
#   bench – plus the load generator and the baselines' prerequisites
set -euo pipefail
profile="${1:-run}"

pkgs=(postgresql postgresql-contrib postgis postgresql-15-postgis-3 gdal-bin libgdal-dev libproj-dev proj-bin
      libclang-dev clang build-essential pkg-config libssl-dev libfreetype-dev ca-certificates curl fonts-noto-core)
case "$profile" in
  test)  pkgs+=(python3-qgis qgis-providers chromium python3-venv python3-pip xauth libxml2-utils poppler-utils) ;;
  bench) pkgs+=(wrk nginx-light python3-venv python3-pip) ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # a package unknown on this release (e.g. the versioned postgis name) is dropped rather than failing
  avail=()
  for p in "${missing[@]}"; do
    if apt-cache show "$p" >/dev/null 2>&1; then avail+=("$p"); else echo "setup: $p not available here, skipped" >&2; fi
  done
  $SUDO apt-get install -y -qq --no-install-recommends "${avail[@]}" >/dev/null
fi
echo "setup: system packages ready ($profile)" >&2
