#!/usr/bin/env bash
# Make a Docker engine available, or fail within a bounded time saying how to get one.
#  1. If `docker info` answers, do nothing.
#  2. Otherwise, as root on a Debian-like system, install Debian's docker.io (engine 20.10, with
#     containerd and runc) if needed and start the engine: through systemd where systemd runs,
#     else dockerd in the background (it outlives this script; log: /var/log/sonfs-dockerd.log).
#  3. Otherwise fail with a message saying what to do.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

docker_ok() { timeout 20 docker info >/dev/null 2>&1; }

docker_ok && exit 0

if ! is_root || ! is_debian_like; then
  if ! command -v docker >/dev/null 2>&1; then
    die "Docker is not installed. Install Docker Engine or Docker Desktop (https://docs.docker.com/engine/install/),
  or run this script as root on Debian/Ubuntu so that it can install docker.io itself. The end-to-end tests need it."
  fi
  die "no Docker engine answers 'docker info'. Start one (e.g. 'sudo systemctl start docker' or Docker Desktop),
  check that you may use it (the 'docker' group, or DOCKER_HOST), or run this as root on Debian/Ubuntu so that it
  can start one itself. The end-to-end tests need it."
fi

command -v dockerd >/dev/null 2>&1 || apt_install docker.io
command -v dockerd >/dev/null 2>&1 || die "docker.io is installed but dockerd is not on PATH"

(
  flock -w 120 9 || die "timed out waiting for the dockerd start lock"
  docker_ok && exit 0
  log=$(log_file dockerd)
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    say "starting docker.service (systemctl)"
    timeout 90 systemctl start docker >>"$log" 2>&1 || say "systemctl start docker failed; trying dockerd directly"
  fi
  if ! docker_ok && ! pgrep -x dockerd >/dev/null 2>&1; then
    say "starting dockerd (log: $log)"
    # setsid: the engine must outlive the npm process that started it.
    setsid nohup dockerd >>"$log" 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do
    docker_ok && exit 0
    sleep 1
  done
  tail -n 20 "$log" | sed 's/^/  | /' >&2 || true
  die "dockerd did not answer within 60 s (log: $log)"
) 9>/tmp/sonfs-dockerd.lock
