#!/usr/bin/env bash
# Debian's independent clients used by the tests as cross-checks:
#   libnfs-utils (nfs-ls, nfs-cat, nfs-cp), rpcbind (rpcinfo), nfs-common (showmount),
#   protobuf-compiler (protoc, to decode trace files independently);
#   and what the FUSE tests run on a sonfs mount: fuse3 (fusermount3), fio, dbench, fsmark
#   (fs_mark), git.
# policy-rc.d keeps apt from starting the host's own rpcbind, which would take port 111.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need=()
command -v nfs-cat >/dev/null 2>&1 || need+=(libnfs-utils)
command -v rpcinfo >/dev/null 2>&1 || need+=(rpcbind)
command -v showmount >/dev/null 2>&1 || need+=(nfs-common)
command -v protoc >/dev/null 2>&1 || need+=(protobuf-compiler)
command -v fusermount3 >/dev/null 2>&1 || need+=(fuse3)
command -v fio >/dev/null 2>&1 || need+=(fio)
command -v dbench >/dev/null 2>&1 || need+=(dbench)
command -v fs_mark >/dev/null 2>&1 || need+=(fsmark)
command -v git >/dev/null 2>&1 || need+=(git)
[ ${#need[@]} -eq 0 ] && exit 0
if is_root && [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt_install "${need[@]}"
