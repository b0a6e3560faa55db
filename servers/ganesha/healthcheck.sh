#!/usr/bin/env bash
# Docker HEALTHCHECK and the fixture's readiness probe: succeed when NFSv3 and MOUNT v3 answer a NULL
# call over TCP and UDP on their own ports, and, when rpcbind listens on 111, the portmapper lists both
# programs. Runs inside the container with its environment (see entrypoint.sh).
set -euo pipefail
lib=/usr/local/lib/sonfs
nfs=${NFS_PORT:-2049} mnt=${MOUNT_PORT:-20048} bind=${BIND_ADDR:-0.0.0.0}
case $bind in 0.0.0.0|::) host=127.0.0.1 ;; *) host=$bind ;; esac
for proto in tcp udp; do
  perl "$lib/rpc-null.pl" "$host" "$nfs" 100003 3 "$proto"
  perl "$lib/rpc-null.pl" "$host" "$mnt" 100005 3 "$proto"
done
if [ "${RPCBIND_LISTEN:-true}" = true ]; then
  map=$(timeout 5 rpcinfo -p 127.0.0.1)
  grep -qE '^ +100003 +3 +tcp +'"$nfs"' ' <<<"$map" || { echo "rpcbind does not list NFSv3/tcp on $nfs" >&2; exit 1; }
  grep -qE '^ +100005 +3 +tcp +'"$mnt"' ' <<<"$map" || { echo "rpcbind does not list MOUNTv3/tcp on $mnt" >&2; exit 1; }
fi
