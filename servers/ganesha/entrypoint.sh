#!/usr/bin/env bash
# Container entry point: validate the environment, render the ganesha configuration, prepare the
# exports, start rpcbind, then run ganesha.nfsd with its log on stdout, staying PID 1 to forward
# SIGTERM/SIGINT to it and to report configuration errors (see watch-log.sh).
#
# Environment (defaults in brackets); ports are container ports, published N:N by the fixture:
#   NFS_PORT [2049]  MOUNT_PORT [20048]  BIND_ADDR [0.0.0.0] (127.0.0.1 in host network mode)
#   RPCBIND_LISTEN [true]   false: rpcbind serves only its unix socket (ganesha still registers),
#                           so a host-network server can run beside another portmapper on 111
#   ENABLE_NLM [false]  NLM_PORT [32803]  STATD_PORT [662]  GRACE_PERIOD [90] (only with NLM)
#   LOG_LEVEL [NIV_EVENT]
#   DIR_CHUNK [0]       MDCACHE Dir_Chunk: 0 turns ganesha's chunked directory cache off. ganesha
#                       4.3 corrupts listings with it on (docs/servers.md, "Listings that loop");
#                       128, ganesha's own default, keeps that fault for tests of client recovery
#   CORE_PARAMS, EXPORT_PARAMS  extra lines inside NFS_CORE_PARAM and the /export EXPORT block
#   EXTRA_CONFIG                extra blocks appended to the rendered configuration
#   GANESHA_CONFIG              path of a complete configuration to use instead of rendering one
# Any invalid setting stops the container at once with exit status 64, and a configuration that
# ganesha rejects (even in part) stops it with status 65, each with lines starting
# "sonfs-ganesha: error:" on stderr.
set -euo pipefail

lib=/usr/local/lib/sonfs
say() { printf 'sonfs-ganesha: %s\n' "$*"; }
fail() { printf 'sonfs-ganesha: error: %s\n' "$*" >&2; exit 64; }

: "${NFS_PORT:=2049}" "${MOUNT_PORT:=20048}" "${BIND_ADDR:=0.0.0.0}" "${RPCBIND_LISTEN:=true}"
: "${ENABLE_NLM:=false}" "${NLM_PORT:=32803}" "${STATD_PORT:=662}" "${GRACE_PERIOD:=90}"
: "${LOG_LEVEL:=NIV_EVENT}" "${DIR_CHUNK:=0}" "${CORE_PARAMS:=}" "${EXPORT_PARAMS:=}" "${EXTRA_CONFIG:=}"
: "${GANESHA_CONFIG:=}"
export NFS_PORT MOUNT_PORT BIND_ADDR RPCBIND_LISTEN ENABLE_NLM NLM_PORT STATD_PORT GRACE_PERIOD
export LOG_LEVEL DIR_CHUNK CORE_PARAMS EXPORT_PARAMS EXTRA_CONFIG

# --- validation -----------------------------------------------------------------------------
check_port() {
  [[ $2 =~ ^[0-9]{1,5}$ ]] && (( 10#$2 >= 1 && 10#$2 <= 65535 )) \
    || fail "$1 must be a port number from 1 to 65535, got '$2'"
}
check_bool() {
  [[ $2 == true || $2 == false ]] || fail "$1 must be 'true' or 'false', got '$2'"
}
check_port NFS_PORT "$NFS_PORT"
check_port MOUNT_PORT "$MOUNT_PORT"
check_port NLM_PORT "$NLM_PORT"
check_port STATD_PORT "$STATD_PORT"
check_bool RPCBIND_LISTEN "$RPCBIND_LISTEN"
check_bool ENABLE_NLM "$ENABLE_NLM"
[ "$NFS_PORT" != "$MOUNT_PORT" ] || fail "NFS_PORT and MOUNT_PORT are both $NFS_PORT"
for p in "$NFS_PORT" "$MOUNT_PORT"; do
  [ "$p" != 111 ] || fail "port 111 belongs to rpcbind; choose other NFS_PORT/MOUNT_PORT"
done
[[ $DIR_CHUNK =~ ^[0-9]+$ ]] && (( DIR_CHUNK <= 65536 )) \
  || fail "DIR_CHUNK must be 0 to 65536, got '$DIR_CHUNK'"
[[ $GRACE_PERIOD =~ ^[0-9]+$ ]] && (( GRACE_PERIOD <= 180 )) \
  || fail "GRACE_PERIOD must be 0 to 180 seconds, got '$GRACE_PERIOD'"
[[ $BIND_ADDR =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ || $BIND_ADDR =~ ^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$ ]] \
  || fail "BIND_ADDR must be an IPv4 or IPv6 address, got '$BIND_ADDR'"
case $LOG_LEVEL in
  NIV_NULL|NIV_FATAL|NIV_MAJ|NIV_CRIT|NIV_WARN|NIV_EVENT|NIV_INFO|NIV_DEBUG|NIV_MID_DEBUG|NIV_FULL_DEBUG) ;;
  *) fail "LOG_LEVEL must be one of NIV_FATAL, NIV_MAJ, NIV_CRIT, NIV_WARN, NIV_EVENT, NIV_INFO, NIV_DEBUG, NIV_FULL_DEBUG; got '$LOG_LEVEL'" ;;
esac

# FSAL_VFS needs file handles (name_to_handle_at), which overlayfs does not give: each export must be
# its own tmpfs or volume.
for dir in /export /ro /squash; do
  [ -d "$dir" ] || fail "$dir does not exist"
  fstype=$(stat -f -c %T "$dir")
  if [ "$fstype" = overlayfs ] || [ "$fstype" = overlay ]; then
    fail "$dir is on the container's overlay root filesystem, which ganesha cannot export; mount a tmpfs or a volume there (docker run --tmpfs $dir, compose 'tmpfs: [$dir]')"
  fi
done

# --- configuration --------------------------------------------------------------------------
conf=/etc/ganesha/sonfs.conf
if [ -n "$GANESHA_CONFIG" ]; then
  [ -r "$GANESHA_CONFIG" ] || fail "GANESHA_CONFIG=$GANESHA_CONFIG is not a readable file"
  conf=$GANESHA_CONFIG
  say "using the configuration in $conf as is"
else
  bash "$lib/render-config.sh" >"$conf"
fi

# --- exports --------------------------------------------------------------------------------
find /ro -mindepth 1 -delete
cp -a /usr/local/share/sonfs/ro/. /ro/
chmod 0755 /ro
chmod 1777 /export /squash

# --- rpcbind (and statd for NLM) ------------------------------------------------------------
rm -f /run/rpcbind.sock /run/rpcbind.lock /run/ganesha/ganesha.pid
if [ "$RPCBIND_LISTEN" = true ]; then
  rpcbind || fail "rpcbind failed to start (is port 111 taken? in host network mode set RPCBIND_LISTEN=false)"
else
  # rpcbind opens one listener per /etc/netconfig entry and reads the file only at start. Give it the
  # local (unix socket) entries alone, then put the full file back for ganesha, which needs the udp and
  # tcp entries to register its programs.
  cp /etc/netconfig /etc/netconfig.full
  grep -E '^(unix|local)[[:space:]]' /etc/netconfig.full >/etc/netconfig
  rpcbind_status=0
  rpcbind || rpcbind_status=$?
  mv /etc/netconfig.full /etc/netconfig
  [ "$rpcbind_status" = 0 ] || fail "rpcbind failed to start (status $rpcbind_status)"
fi
for _ in $(seq 50); do [ -S /run/rpcbind.sock ] && break; sleep 0.1; done
[ -S /run/rpcbind.sock ] || fail "rpcbind did not create /run/rpcbind.sock within 5 s"
if [ "$RPCBIND_LISTEN" = true ] && ! grep -qiE '^ *[0-9]+: [0-9A-F]+:006F [0-9A-F]+:0000 0A' /proc/net/tcp /proc/net/tcp6; then
  fail "rpcbind is not listening on port 111/tcp (taken by another portmapper on the host network?)"
fi

if [ "$ENABLE_NLM" = true ]; then
  rpc.statd --no-notify -p "$STATD_PORT" || fail "rpc.statd failed to start on port $STATD_PORT"
fi

say "starting ganesha: NFS $BIND_ADDR:$NFS_PORT, MOUNT $BIND_ADDR:$MOUNT_PORT, rpcbind on 111: $RPCBIND_LISTEN, NLM: $ENABLE_NLM"

# --- ganesha ----------------------------------------------------------------------------------
# ganesha.nfsd logs configuration errors and carries on without the broken block (even with no
# export at all), which would leave a server that is up but wrong. Its log therefore goes through
# watch-log.sh, which copies it to stdout and, if it sees a configuration error before "NFS SERVER
# INITIALIZED", records it and stops ganesha. This shell stays PID 1: it forwards SIGTERM/SIGINT to
# ganesha (clean shutdown) and exits with ganesha's status, or with 65 after a configuration error.
mkdir -p /run/sonfs
rm -f /run/sonfs/config-errors /run/sonfs/log.fifo
mkfifo /run/sonfs/log.fifo
ganesha.nfsd -F -L /dev/stdout -f "$conf" -N "$LOG_LEVEL" -p /run/ganesha/ganesha.pid \
  >/run/sonfs/log.fifo 2>&1 &
gpid=$!
bash "$lib/watch-log.sh" "$gpid" </run/sonfs/log.fifo &
wpid=$!
trap 'kill -TERM "$gpid" 2>/dev/null || true' TERM INT HUP

status=0
while :; do
  if wait "$gpid"; then status=0; else status=$?; fi
  kill -0 "$gpid" 2>/dev/null || break
done
wait "$wpid" 2>/dev/null || true
if [ -s /run/sonfs/config-errors ]; then
  {
    echo "sonfs-ganesha: error: ganesha rejected its configuration ($conf):"
    sed 's/^/  /' /run/sonfs/config-errors
    if grep -q 'Operation not permitted' /run/sonfs/config-errors; then
      echo "  (FSAL_VFS needs --cap-add DAC_READ_SEARCH plus --cap-add SYS_ADMIN or --security-opt seccomp=unconfined)"
    fi
  } >&2
  exit 65
fi
say "ganesha exited with status $status"
exit "$status"
