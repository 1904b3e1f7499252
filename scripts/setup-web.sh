#!/usr/bin/env bash
# Installs the browser assets (MapLibre GL JS, the RTL text plugin, Swagger UI for /api.html) from the npm
# registry into web/node_modules, exactly as pinned by web/package-lock.json. Idempotent: does
# nothing when the installed tree matches the lock file. The server serves them at /map/assets/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
web="$root/web"

if ! command -v npm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup-web: installing nodejs and npm" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

stamp="$web/node_modules/.mokhattat-lock.sha256"
want="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && [ -f "$web/node_modules/maplibre-gl/dist/maplibre-gl.js" ] \
   && [ -f "$web/node_modules/@mapbox/mapbox-gl-rtl-text/dist/mapbox-gl-rtl-text.js" ] \
   && [ -f "$web/node_modules/swagger-ui-dist/swagger-ui-bundle.js" ] \
   && [ -f "$web/node_modules/pmtiles/dist/pmtiles.js" ]; then
  echo "setup-web: map assets up to date" >&2
  exit 0
fi
echo "setup-web: installing map assets (npm ci in web/)" >&2
(cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
echo "setup-web: map assets ready" >&2
