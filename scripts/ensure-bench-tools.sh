#!/usr/bin/env bash
# What `npm run bench` needs beyond the test tools, so that no row is left without its libnfs
# side: Debian's libnfs-dev and a C compiler (bench/native/libnfs-bench.c is compiled on first
# use), and GNU time (each side's peak RSS).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need=()
[ -e /usr/include/nfsc/libnfs.h ] || need+=(libnfs-dev)
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
[ -x /usr/bin/time ] || need+=(time)
[ ${#need[@]} -eq 0 ] && exit 0
apt_install "${need[@]}"
