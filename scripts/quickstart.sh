#!/usr/bin/env bash
# Quick start on a fresh clone: installs what is needed, builds, starts the
# platform in the background on its embedded defaults and deploys the bundled
# example app, then prints its URL. Running it again is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npm run --silent build
exec node bin/cupaas.js up "$@"
