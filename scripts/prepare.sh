#!/usr/bin/env bash
# Everything a fresh machine needs before `npm start` or `npm test`, idempotently:
# a Docker engine, the base image, and (with --test) Debian's reference clients.
set -euo pipefail
here=$(dirname "$0")
bash "$here/ensure-docker.sh"
bash "$here/ensure-base-image.sh"
if [ "${1:-}" = "--test" ]; then
  bash "$here/ensure-client-tools.sh"
fi
