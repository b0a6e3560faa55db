#!/usr/bin/env bash
# Everything a fresh machine needs before `npm start` or `npm test`, idempotently and in bounded
# time: a Docker engine, the base image, the ganesha test server image, and (with --test) Debian's
# reference clients. On an already provisioned machine it takes about a second.
set -euo pipefail
here=$(dirname "$0")
bash "$here/ensure-docker.sh"
bash "$here/ensure-base-image.sh"
bash "$here/ensure-ganesha-image.sh"
if [ "${1:-}" = "--test" ]; then
  bash "$here/ensure-client-tools.sh"
fi
