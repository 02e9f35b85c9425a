#!/usr/bin/env bash
# Installs what cupaas needs: npm packages, and (when root on Debian) the system
# packages used by builds, sandboxes, add-ons and benchmarks. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

DEBIAN_PACKAGES=(git openssh-client postgresql redis-server mariadb-server mariadb-client bubblewrap iproute2 util-linux python3 python3-venv procps haproxy openssl docker.io docker-registry debootstrap chromium curl)
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Warning: missing system packages (${missing[*]}); install them as root for the full feature set." >&2
  fi
fi
