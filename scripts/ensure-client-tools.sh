#!/usr/bin/env bash
# Debian's independent clients used by the tests as cross-checks:
#   libnfs-utils (nfs-ls, nfs-cat, nfs-cp), rpcbind (rpcinfo), nfs-common (showmount),
#   protobuf-compiler (protoc, to decode trace files independently).
# policy-rc.d keeps apt from starting the host's own rpcbind, which would take port 111.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need=()
command -v nfs-cat >/dev/null 2>&1 || need+=(libnfs-utils)
command -v rpcinfo >/dev/null 2>&1 || need+=(rpcbind)
command -v showmount >/dev/null 2>&1 || need+=(nfs-common)
command -v protoc >/dev/null 2>&1 || need+=(protobuf-compiler)
[ ${#need[@]} -eq 0 ] && exit 0
if is_root && [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt_install "${need[@]}"
