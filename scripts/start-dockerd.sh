#!/usr/bin/env bash
# Starts the Docker engine when it is not answering, and waits until it does.
# Idempotent and safe to run concurrently (a lock serialises starters); the
# engine's log goes to /var/log/cupaas-dockerd.log. Needs root and docker.io.
set -euo pipefail

engine_up() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

engine_up && exit 0
if ! command -v dockerd >/dev/null; then
  echo "dockerd is missing: install Debian's docker.io (apt-get install docker.io) or run scripts/install-deps.sh as root." >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "The Docker engine is not running; start it as root (sudo bash $0)." >&2
  exit 1
fi

exec 9>/run/cupaas-dockerd.lock
flock 9
if ! engine_up; then
  # Other engines (with their own -H and --pidfile) may run on this machine; only the default one counts.
  if ! { [ -f /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; }; then
    echo "Starting dockerd (log: /var/log/cupaas-dockerd.log)"
    setsid dockerd >>/var/log/cupaas-dockerd.log 2>&1 </dev/null &
  fi
  for _ in $(seq 1 120); do
    engine_up && break
    sleep 0.5
  done
fi
engine_up || { echo "dockerd did not answer within 60 s; see /var/log/cupaas-dockerd.log" >&2; exit 1; }
