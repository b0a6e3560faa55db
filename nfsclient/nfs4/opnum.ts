/*
 * nfs_opnum4 (RFC 7531; RFC 8881 §23 for 40-58; RFC 7863 for 59-71): every operation's number and
 * name, for the COMPOUND codec, errors and traces.
 */

export const OP_ACCESS = 3;
export const OP_CLOSE = 4;
export const OP_COMMIT = 5;
export const OP_CREATE = 6;
export const OP_DELEGPURGE = 7;
export const OP_DELEGRETURN = 8;
export const OP_GETATTR = 9;
export const OP_GETFH = 10;
export const OP_LINK = 11;
export const OP_LOCK = 12;
export const OP_LOCKT = 13;
export const OP_LOCKU = 14;
export const OP_LOOKUP = 15;
export const OP_LOOKUPP = 16;
export const OP_NVERIFY = 17;
export const OP_OPEN = 18;
export const OP_OPENATTR = 19;
export const OP_OPEN_CONFIRM = 20;
export const OP_OPEN_DOWNGRADE = 21;
export const OP_PUTFH = 22;
export const OP_PUTPUBFH = 23;
export const OP_PUTROOTFH = 24;
export const OP_READ = 25;
export const OP_READDIR = 26;
export const OP_READLINK = 27;
export const OP_REMOVE = 28;
export const OP_RENAME = 29;
export const OP_RENEW = 30;
export const OP_RESTOREFH = 31;
export const OP_SAVEFH = 32;
export const OP_SECINFO = 33;
export const OP_SETATTR = 34;
export const OP_SETCLIENTID = 35;
export const OP_SETCLIENTID_CONFIRM = 36;
export const OP_VERIFY = 37;
export const OP_WRITE = 38;
export const OP_RELEASE_LOCKOWNER = 39;
export const OP_BACKCHANNEL_CTL = 40;
export const OP_BIND_CONN_TO_SESSION = 41;
export const OP_EXCHANGE_ID = 42;
export const OP_CREATE_SESSION = 43;
export const OP_DESTROY_SESSION = 44;
export const OP_FREE_STATEID = 45;
export const OP_GET_DIR_DELEGATION = 46;
export const OP_GETDEVICEINFO = 47;
export const OP_GETDEVICELIST = 48;
export const OP_LAYOUTCOMMIT = 49;
export const OP_LAYOUTGET = 50;
export const OP_LAYOUTRETURN = 51;
export const OP_SECINFO_NO_NAME = 52;
export const OP_SEQUENCE = 53;
export const OP_SET_SSV = 54;
export const OP_TEST_STATEID = 55;
export const OP_WANT_DELEGATION = 56;
export const OP_DESTROY_CLIENTID = 57;
export const OP_RECLAIM_COMPLETE = 58;
export const OP_ALLOCATE = 59;
export const OP_COPY = 60;
export const OP_COPY_NOTIFY = 61;
export const OP_DEALLOCATE = 62;
export const OP_IO_ADVISE = 63;
export const OP_LAYOUTERROR = 64;
export const OP_LAYOUTSTATS = 65;
export const OP_OFFLOAD_CANCEL = 66;
export const OP_OFFLOAD_STATUS = 67;
export const OP_READ_PLUS = 68;
export const OP_SEEK = 69;
export const OP_WRITE_SAME = 70;
export const OP_CLONE = 71;
export const OP_ILLEGAL = 10044;

const NAMES: readonly string[] = [
  '', '', '', 'ACCESS', 'CLOSE', 'COMMIT', 'CREATE', 'DELEGPURGE', 'DELEGRETURN', 'GETATTR', 'GETFH', 'LINK', 'LOCK',
  'LOCKT', 'LOCKU', 'LOOKUP', 'LOOKUPP', 'NVERIFY', 'OPEN', 'OPENATTR', 'OPEN_CONFIRM', 'OPEN_DOWNGRADE', 'PUTFH',
  'PUTPUBFH', 'PUTROOTFH', 'READ', 'READDIR', 'READLINK', 'REMOVE', 'RENAME', 'RENEW', 'RESTOREFH', 'SAVEFH', 'SECINFO',
  'SETATTR', 'SETCLIENTID', 'SETCLIENTID_CONFIRM', 'VERIFY', 'WRITE', 'RELEASE_LOCKOWNER', 'BACKCHANNEL_CTL',
  'BIND_CONN_TO_SESSION', 'EXCHANGE_ID', 'CREATE_SESSION', 'DESTROY_SESSION', 'FREE_STATEID', 'GET_DIR_DELEGATION',
  'GETDEVICEINFO', 'GETDEVICELIST', 'LAYOUTCOMMIT', 'LAYOUTGET', 'LAYOUTRETURN', 'SECINFO_NO_NAME', 'SEQUENCE',
  'SET_SSV', 'TEST_STATEID', 'WANT_DELEGATION', 'DESTROY_CLIENTID', 'RECLAIM_COMPLETE', 'ALLOCATE', 'COPY',
  'COPY_NOTIFY', 'DEALLOCATE', 'IO_ADVISE', 'LAYOUTERROR', 'LAYOUTSTATS', 'OFFLOAD_CANCEL', 'OFFLOAD_STATUS',
  'READ_PLUS', 'SEEK', 'WRITE_SAME', 'CLONE',
];

/** The RFC name of an operation without its OP_ prefix ('READ'), or `op <n>` for an unknown number. */
export function nfsOpName(op: number): string {
  if (op === OP_ILLEGAL) return 'ILLEGAL';
  const n = op >= 3 && op < NAMES.length ? NAMES[op]! : '';
  return n === '' ? `op ${op}` : n;
}
