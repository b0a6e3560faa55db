#!/usr/bin/env bash
# Make the base image debian:bookworm-slim available to the engine.
#  1. If the engine has it, do nothing.
#  2. Otherwise try to pull it (bounded: 60 s), which works wherever a registry is reachable.
#  3. Otherwise build it locally: mmdebstrap --variant=minbase bookworm, then docker import.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

IMAGE=${SONFS_BASE_IMAGE:-debian:bookworm-slim}
have() { docker image inspect "$IMAGE" >/dev/null 2>&1; }

have && exit 0
(
  flock -w 900 9 || die "timed out waiting for the base-image lock"
  have && exit 0
  say "base image $IMAGE not present; trying to pull it"
  if timeout 60 docker pull -q "$IMAGE" >/dev/null 2>&1 && have; then exit 0; fi
  say "no registry reachable; building $IMAGE with mmdebstrap (about a minute)"
  command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  timeout 900 mmdebstrap --quiet --variant=minbase bookworm "$tmp/rootfs.tar" >&2 \
    || die "mmdebstrap failed to build a bookworm root filesystem"
  docker import "$tmp/rootfs.tar" "$IMAGE" >/dev/null || die "docker import failed"
  have || die "docker import did not produce $IMAGE"
  say "built $IMAGE"
) 9>/tmp/sonfs-base-image.lock
