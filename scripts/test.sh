#!/usr/bin/env bash
# The whole test suite, on a fresh clone: installs what it needs, checks types
# and import cycles, then runs unit, API and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The Docker engine and the stack image, for the docker runtime's tests (skipped with a reason without them).
if [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null; then
  bash scripts/start-dockerd.sh && bash scripts/build-stack-image.sh || echo "Warning: no Docker engine or stack image; docker tests will be skipped." >&2
fi
npm run --silent build
npm run --silent check:cycles
node scripts/run-tests.mjs all "$@"
