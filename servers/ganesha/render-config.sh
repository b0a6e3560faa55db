#!/usr/bin/env bash
# Print the ganesha configuration for the current environment (the entrypoint has already
# validated and defaulted every variable). Exports:
#   Export_Id 1  /export  read-write, no root squash      (scratch space for the tests)
#   Export_Id 2  /ro      read-only, seeded content        (see seed-ro.sh)
#   Export_Id 3  /squash  read-write, root squashed to 65534:65534
# All: NFSv3 and NFSv4 (Pseudo = Path), UDP and TCP, AUTH_SYS, unprivileged client ports accepted,
# attributes never cached by ganesha (tests change the tree behind its back with docker exec),
# and no chunked directory cache unless DIR_CHUNK says otherwise (ganesha 4.3's loops on tmpfs:
# docs/servers.md).
set -euo pipefail

if [ "$ENABLE_NLM" = true ]; then
  v4="Grace_Period = $GRACE_PERIOD;"
else
  # Without NLM and with no v4 clients to reclaim, grace can be skipped entirely.
  v4="Graceless = true;"
fi

cat <<CONF
# Rendered by /usr/local/lib/sonfs/render-config.sh at container start. Do not edit in place.
NFS_CORE_PARAM {
    Protocols = 3, 4;
    Bind_addr = $BIND_ADDR;
    NFS_Port = $NFS_PORT;
    MNT_Port = $MOUNT_PORT;
    Enable_NLM = $ENABLE_NLM;
    NLM_Port = $NLM_PORT;
    Enable_RQUOTA = false;
    Enable_UDP = true;
    fsid_device = true;
$CORE_PARAMS
}

NFSV4 {
    $v4
}

MDCACHE {
    Dir_Chunk = $DIR_CHUNK;
}

NFS_KRB5 {
    Active_krb5 = false;
}

EXPORT_DEFAULTS {
    Protocols = 3, 4;
    Transports = UDP, TCP;
    SecType = sys;
    PrivilegedPort = false;
    Attr_Expiration_Time = 0;
}

EXPORT {
    Export_Id = 1;
    Path = /export;
    Pseudo = /export;
    Access_Type = RW;
    Squash = No_Root_Squash;
    FSAL { Name = VFS; }
$EXPORT_PARAMS
}

EXPORT {
    Export_Id = 2;
    Path = /ro;
    Pseudo = /ro;
    Access_Type = RO;
    Squash = No_Root_Squash;
    FSAL { Name = VFS; }
}

EXPORT {
    Export_Id = 3;
    Path = /squash;
    Pseudo = /squash;
    Access_Type = RW;
    Squash = Root_Squash;
    Anonymous_uid = 65534;
    Anonymous_gid = 65534;
    FSAL { Name = VFS; }
}

$EXTRA_CONFIG
CONF
