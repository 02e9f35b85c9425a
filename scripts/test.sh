#!/usr/bin/env bash
# The whole test suite, on a fresh clone: installs what it needs, checks types
# and import cycles, then runs unit, API and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npm run --silent build
npm run --silent check:cycles
node scripts/run-tests.mjs all "$@"
