#!/usr/bin/env bash
# Builds the platform's stack image cupaas/stack:$STACK_VERSION (and :latest)
# on this machine, without any registry pull: a Debian bookworm minbase root
# filesystem made by debootstrap from the mirror apt already uses, plus what
# slugs of the built-in buildpacks need at run time (Python 3, the host's
# Node.js, which is the one builds use, CA certificates) and a non-root user,
# imported into the engine. The root filesystem tarball is cached under
# $CUPAAS_STACK_CACHE (default /var/cache/cupaas/stack), so a second run, or a
# run after the image was removed, takes seconds. Idempotent; needs root.
set -euo pipefail

STACK_VERSION=1
IMAGE=cupaas/stack
TAG="$IMAGE:$STACK_VERSION"
CACHE="${CUPAAS_STACK_CACHE:-/var/cache/cupaas/stack}"
MIRROR="${CUPAAS_DEBIAN_MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
NODE_BIN="$(command -v node)"
NODE_MAJOR="$("$NODE_BIN" -p 'process.versions.node.split(".")[0]')"
ROOTFS_TAR="$CACHE/rootfs-$STACK_VERSION-node$NODE_MAJOR.tar"

step() { echo "-----> $*"; }

if docker image inspect "$TAG" >/dev/null 2>&1; then
  docker image inspect "$IMAGE:latest" >/dev/null 2>&1 || docker tag "$TAG" "$IMAGE:latest"
  echo "Stack image $TAG is present"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "Building the stack image needs root (debootstrap)." >&2; exit 1; }
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9

if [ ! -f "$ROOTFS_TAR" ]; then
  work="$(mktemp -d "$CACHE/build.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  root="$work/root"
  step "debootstrap bookworm (minbase) from $MIRROR: takes a few minutes once"
  debootstrap --variant=minbase --include=python3,ca-certificates,libstdc++6,procps bookworm "$root" "$MIRROR" |
    while IFS= read -r line; do case "$line" in I:\ Retrieving*|I:\ Validating*) ;; *) echo "       $line" ;; esac; done
  step "Adding Node.js $("$NODE_BIN" --version) (the builds' node) and the non-root user"
  install -m 0755 "$NODE_BIN" "$root/usr/bin/node"
  if [ -d /usr/lib/node_modules/npm ]; then
    mkdir -p "$root/usr/lib/node_modules"
    cp -a /usr/lib/node_modules/npm "$root/usr/lib/node_modules/npm"
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
  fi
  chroot "$root" groupadd --gid 10001 dyno
  chroot "$root" useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /bin/bash dyno
  mkdir -p "$root/app" && chown 10001:10001 "$root/app"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
  step "Packing the root filesystem into the cache"
  tar -C "$root" --numeric-owner -cf "$ROOTFS_TAR.part" .
  mv "$ROOTFS_TAR.part" "$ROOTFS_TAR"
fi

step "Importing $TAG into the engine"
docker import \
  --change 'ENV PATH=/app/.heroku/python/bin:/app/node_modules/.bin:/usr/local/bin:/usr/bin:/bin HOME=/app LANG=C.UTF-8' \
  --change 'WORKDIR /app' \
  --change 'USER 10001:10001' \
  --change 'CMD ["bash"]' \
  --change "LABEL io.cupaas.stack=$STACK_VERSION" \
  "$ROOTFS_TAR" "$TAG" >/dev/null
docker tag "$TAG" "$IMAGE:latest"
echo "Stack image $TAG ($(docker image inspect -f '{{.Id}}' "$TAG")) is ready"
