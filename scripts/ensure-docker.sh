#!/usr/bin/env bash
# Make a Docker engine available, or fail within a bounded time saying how to get one.
#  1. If `docker info` answers, do nothing.
#  2. Otherwise, as root on a Debian-like system, install Debian's docker.io and start dockerd.
#  3. Otherwise fail with a message.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

docker_ok() { timeout 20 docker info >/dev/null 2>&1; }

docker_ok && exit 0

if ! is_root || ! is_debian_like; then
  die "no Docker engine answers 'docker info'. Start one (e.g. 'sudo systemctl start docker' or Docker Desktop),
  or run this as root on Debian/Ubuntu so that it can install docker.io itself. The end-to-end tests need it."
fi

command -v dockerd >/dev/null 2>&1 || apt_install docker.io
command -v dockerd >/dev/null 2>&1 || die "docker.io is installed but dockerd is not on PATH"

(
  flock -w 120 9 || die "timed out waiting for the dockerd start lock"
  docker_ok && exit 0
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    say "starting dockerd (log: /var/log/sonfs-dockerd.log)"
    # setsid: the engine must outlive the npm process that started it.
    setsid nohup dockerd >/var/log/sonfs-dockerd.log 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do
    docker_ok && exit 0
    sleep 1
  done
  tail -n 20 /var/log/sonfs-dockerd.log >&2 || true
  die "dockerd did not answer within 60 s (see /var/log/sonfs-dockerd.log)"
) 9>/tmp/sonfs-dockerd.lock
