#!/usr/bin/env bash
# Make the base image debian:bookworm-slim available to the engine.
#  1. If the engine has it, do nothing.
#  2. Otherwise try to pull it (bounded: 60 s), which works wherever a registry is reachable.
#  3. Otherwise build it locally: mmdebstrap --variant=minbase bookworm (from this machine's apt
#     sources), then docker import. About a minute. Output goes to the log file named below.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

IMAGE=${SONFS_BASE_IMAGE:-debian:bookworm-slim}
have() { docker image inspect "$IMAGE" >/dev/null 2>&1; }

have && exit 0
(
  flock -w 900 9 || die "timed out waiting for the base-image lock"
  have && exit 0
  say "base image $IMAGE not present; trying to pull it"
  if run_logged base-image 60 docker pull -q "$IMAGE" 2>/dev/null && have; then exit 0; fi
  say "no registry reachable; building $IMAGE with mmdebstrap (about a minute; log: $(log_file base-image))"
  command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  run_logged base-image 900 mmdebstrap --quiet --variant=minbase bookworm "$tmp/rootfs.tar" \
    || die "mmdebstrap failed to build a bookworm root filesystem"
  run_logged base-image 300 docker import "$tmp/rootfs.tar" "$IMAGE" || die "docker import failed"
  have || die "docker import did not produce $IMAGE"
  say "built $IMAGE"
) 9>/tmp/sonfs-base-image.lock
