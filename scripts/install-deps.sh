#!/usr/bin/env bash
# Installs the Debian packages Chanrong needs to build, test and run, when any is missing.
# npm packages are installed by `npm ci` in web/, tests/api/ and tests/e2e/ (lock files are committed).
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  librestinio-dev libasio-dev libfmt-dev libboost-json1.81-dev libsoci-dev libsqlite3-dev sqlite3 libpq-dev
  libsodium-dev libspdlog-dev libcli11-dev libtomlplusplus-dev libopencc-dev libxlsxwriter-dev libzip-dev
  libexpat1-dev
  libgtest-dev libbenchmark-dev
  postgresql postgresql-client nodejs npm chromium wrk nginx curl jq
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from elsewhere than Debian (the machine image has its own); the web build (Vite 8) needs
# node ≥ 20.19 with npm, and any such node is accepted.
if command -v node >/dev/null && command -v npm >/dev/null &&
   node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
