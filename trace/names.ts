/*
 * Names for what a trace holds: address families, socket types, option names (from the socket
 * layer's own constants), errnos, and the ONC RPC programs and procedures sonfs speaks
 * (RFC 1813 NFSv3 and MOUNTv3, RFC 1833 portmapper v2 and rpcbind v3/v4), for the viewer and
 * for replay's divergence messages. NFSv4 COMPOUNDs are named by their operations (RFC 7531, RFC
 * 8881 §16.2): "NFS v4 SEQUENCE PUTFH READ".
 */
import {
  AF_INET, AF_INET6, AF_LOCAL, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM,
  SOL_SOCKET, errnoName,
} from '../sockets/index.js';
import { constants } from '../sockets/internal.js';
import type { TraceEvent, TraceRpcHeader, TraceSockAddr } from './schema.js';
import { Op, opName } from './schema.js';

function reverse(prefix: RegExp, filter: (name: string) => boolean = () => true): Map<number, string> {
  const m = new Map<number, string>();
  for (const [k, v] of Object.entries(constants)) {
    if (typeof v === 'number' && prefix.test(k) && filter(k) && !m.has(v)) m.set(v, k);
  }
  return m;
}

const FAMILIES = new Map([[AF_INET, 'inet'], [AF_INET6, 'inet6'], [AF_LOCAL, 'local']]);
const TYPES = new Map([[SOCK_STREAM, 'stream'], [SOCK_DGRAM, 'dgram'], [SOCK_RAW, 'raw'], [SOCK_SEQPACKET, 'seqpacket']]);
const SO_OPTS = reverse(/^SO_/, (k) => k !== 'SO_RCV' && k !== 'SO_SND');
const TCP_OPTS = reverse(/^TCP_(NODELAY|MAXSEG|KEEP|NOPUSH|INFO)/);
const IP_OPTS = reverse(/^IP_/);
const IPV6_OPTS = reverse(/^IPV6_/);
const LEVELS = new Map([[SOL_SOCKET, 'SOL_SOCKET'], [IPPROTO_TCP, 'IPPROTO_TCP'], [IPPROTO_IP, 'IPPROTO_IP'], [IPPROTO_IPV6, 'IPPROTO_IPV6']]);

export function familyName(f: number): string {
  return FAMILIES.get(f) ?? `family ${f}`;
}

export function typeName(t: number): string {
  return TYPES.get(t) ?? `type ${t}`;
}

export function optName(level: number, optname: number): string {
  const table = level === SOL_SOCKET ? SO_OPTS : level === IPPROTO_TCP ? TCP_OPTS : level === IPPROTO_IP ? IP_OPTS
    : level === IPPROTO_IPV6 ? IPV6_OPTS : null;
  return `${LEVELS.get(level) ?? `level ${level}`} ${table?.get(optname) ?? `option ${optname}`}`;
}

/** "0" or "ECONNRESET" (the BSD name of the errno). */
export function errName(e: number): string {
  return e === 0 ? '0' : errnoName(e);
}

export function addrText(a: TraceSockAddr | null | undefined): string {
  if (a === null || a === undefined) return '-';
  if (a.path !== undefined && a.path !== '') return a.path;
  if (a.family === AF_INET6) return `[${a.address ?? '::'}]:${a.port ?? 0}`;
  return `${a.address ?? '0.0.0.0'}:${a.port ?? 0}`;
}

const PROGRAMS = new Map([[100000, 'PORTMAP'], [100003, 'NFS'], [100005, 'MOUNT']]);
const NFS3 = ['NULL', 'GETATTR', 'SETATTR', 'LOOKUP', 'ACCESS', 'READLINK', 'READ', 'WRITE', 'CREATE', 'MKDIR', 'SYMLINK', 'MKNOD',
  'REMOVE', 'RMDIR', 'RENAME', 'LINK', 'READDIR', 'READDIRPLUS', 'FSSTAT', 'FSINFO', 'PATHCONF', 'COMMIT'];
const NFS4 = ['NULL', 'COMPOUND'];
/* nfs_opnum4 3..71 (RFC 7531, RFC 8881 §23, RFC 7863). */
const NFS4_OPS = ['', '', '', 'ACCESS', 'CLOSE', 'COMMIT', 'CREATE', 'DELEGPURGE', 'DELEGRETURN', 'GETATTR', 'GETFH', 'LINK',
  'LOCK', 'LOCKT', 'LOCKU', 'LOOKUP', 'LOOKUPP', 'NVERIFY', 'OPEN', 'OPENATTR', 'OPEN_CONFIRM', 'OPEN_DOWNGRADE', 'PUTFH',
  'PUTPUBFH', 'PUTROOTFH', 'READ', 'READDIR', 'READLINK', 'REMOVE', 'RENAME', 'RENEW', 'RESTOREFH', 'SAVEFH', 'SECINFO',
  'SETATTR', 'SETCLIENTID', 'SETCLIENTID_CONFIRM', 'VERIFY', 'WRITE', 'RELEASE_LOCKOWNER', 'BACKCHANNEL_CTL',
  'BIND_CONN_TO_SESSION', 'EXCHANGE_ID', 'CREATE_SESSION', 'DESTROY_SESSION', 'FREE_STATEID', 'GET_DIR_DELEGATION',
  'GETDEVICEINFO', 'GETDEVICELIST', 'LAYOUTCOMMIT', 'LAYOUTGET', 'LAYOUTRETURN', 'SECINFO_NO_NAME', 'SEQUENCE', 'SET_SSV',
  'TEST_STATEID', 'WANT_DELEGATION', 'DESTROY_CLIENTID', 'RECLAIM_COMPLETE', 'ALLOCATE', 'COPY', 'COPY_NOTIFY', 'DEALLOCATE',
  'IO_ADVISE', 'LAYOUTERROR', 'LAYOUTSTATS', 'OFFLOAD_CANCEL', 'OFFLOAD_STATUS', 'READ_PLUS', 'SEEK', 'WRITE_SAME', 'CLONE'];
const MOUNT3 = ['NULL', 'MNT', 'DUMP', 'UMNT', 'UMNTALL', 'EXPORT'];
const PMAP2 = ['NULL', 'SET', 'UNSET', 'GETPORT', 'DUMP', 'CALLIT'];
const RPCB = ['NULL', 'SET', 'UNSET', 'GETADDR', 'DUMP', 'CALLIT', 'GETTIME', 'UADDR2TADDR', 'TADDR2UADDR', 'GETVERSADDR',
  'INDIRECT', 'GETADDRLIST', 'GETSTAT'];

export function progName(prog: number): string {
  return PROGRAMS.get(prog) ?? String(prog);
}

export function procName(prog: number, vers: number, proc: number): string {
  const t = prog === 100003 && vers === 3 ? NFS3 : prog === 100003 && vers === 4 ? NFS4 : prog === 100005 ? MOUNT3 : prog === 100000 ? (vers === 2 ? PMAP2 : RPCB) : null;
  return t?.[proc] ?? `proc ${proc}`;
}

const NFSSTAT3 = new Map([
  [0, 'OK'], [1, 'PERM'], [2, 'NOENT'], [5, 'IO'], [6, 'NXIO'], [13, 'ACCES'], [17, 'EXIST'], [18, 'XDEV'], [19, 'NODEV'],
  [20, 'NOTDIR'], [21, 'ISDIR'], [22, 'INVAL'], [27, 'FBIG'], [28, 'NOSPC'], [30, 'ROFS'], [31, 'MLINK'], [63, 'NAMETOOLONG'],
  [66, 'NOTEMPTY'], [69, 'DQUOT'], [70, 'STALE'], [71, 'REMOTE'], [10001, 'BADHANDLE'], [10002, 'NOT_SYNC'],
  [10003, 'BAD_COOKIE'], [10004, 'NOTSUPP'], [10005, 'TOOSMALL'], [10006, 'SERVERFAULT'], [10007, 'BADTYPE'], [10008, 'JUKEBOX'],
]);
/* nfsstat4 beyond the values it shares with nfsstat3 (RFC 7530 §13, RFC 8881 §15, RFC 7862 §11). */
const NFSSTAT4_HIGH = ['BAD_COOKIE', 'NOTSUPP', 'TOOSMALL', 'SERVERFAULT', 'BADTYPE', 'DELAY', 'SAME', 'DENIED', 'EXPIRED',
  'LOCKED', 'GRACE', 'FHEXPIRED', 'SHARE_DENIED', 'WRONGSEC', 'CLID_INUSE', 'RESOURCE', 'MOVED', 'NOFILEHANDLE',
  'MINOR_VERS_MISMATCH', 'STALE_CLIENTID', 'STALE_STATEID', 'OLD_STATEID', 'BAD_STATEID', 'BAD_SEQID', 'NOT_SAME',
  'LOCK_RANGE', 'SYMLINK', 'RESTOREFH', 'LEASE_MOVED', 'ATTRNOTSUPP', 'NO_GRACE', 'RECLAIM_BAD', 'RECLAIM_CONFLICT', 'BADXDR',
  'LOCKS_HELD', 'OPENMODE', 'BADOWNER', 'BADCHAR', 'BADNAME', 'BAD_RANGE', 'LOCK_NOTSUPP', 'OP_ILLEGAL', 'DEADLOCK',
  'FILE_OPEN', 'ADMIN_REVOKED', 'CB_PATH_DOWN', 'BADIOMODE', 'BADLAYOUT', 'BAD_SESSION_DIGEST', 'BADSESSION', 'BADSLOT',
  'COMPLETE_ALREADY', 'CONN_NOT_BOUND_TO_SESSION', 'DELEG_ALREADY_WANTED', 'BACK_CHAN_BUSY', 'LAYOUTTRYLATER',
  'LAYOUTUNAVAILABLE', 'NOMATCHING_LAYOUT', 'RECALLCONFLICT', 'UNKNOWN_LAYOUTTYPE', 'SEQ_MISORDERED', 'SEQUENCE_POS',
  'REQ_TOO_BIG', 'REP_TOO_BIG', 'REP_TOO_BIG_TO_CACHE', 'RETRY_UNCACHED_REP', 'UNSAFE_COMPOUND', 'TOO_MANY_OPS',
  'OP_NOT_IN_SESSION', 'HASH_ALG_UNSUPP', '', 'CLIENTID_BUSY', 'PNFS_IO_HOLE', 'SEQ_FALSE_RETRY', 'BAD_HIGH_SLOT',
  'DEADSESSION', 'ENCR_ALG_UNSUPP', 'PNFS_NO_LAYOUT', 'NOT_ONLY_OP', 'WRONG_CRED', 'WRONG_TYPE', 'DIRDELEG_UNAVAIL',
  'REJECT_DELEG', 'RETURNCONFLICT', 'DELEG_REVOKED', 'PARTNER_NOTSUPP', 'PARTNER_NO_AUTH', 'UNION_NOTSUPP', 'OFFLOAD_DENIED',
  'WRONG_LFS', 'BADLABEL', 'OFFLOAD_NO_REQS', 'NOXATTR', 'XATTR2BIG'];

function nfsstat4Text(s: number): string {
  if (s === 0) return 'OK';
  const name = s === 10001 ? 'BADHANDLE' : s >= 10003 && s < 10003 + NFSSTAT4_HIGH.length ? NFSSTAT4_HIGH[s - 10003] : s < 10000 && s !== 19 && s !== 71 ? NFSSTAT3.get(s) : undefined;
  return name ? `NFS4ERR_${name}` : `nfsstat4 ${s}`;
}

/** "SEQUENCE PUTFH READ": an NFSv4 COMPOUND's operations (… when the trace kept only the first). */
export function nfs4OpsText(ops: readonly number[]): string {
  return ops.map((op) => (op === 0 ? '…' : NFS4_OPS[op] || (op === 10044 ? 'ILLEGAL' : `op ${op}`))).join(' ');
}

const ACCEPT_STAT = ['SUCCESS', 'PROG_UNAVAIL', 'PROG_MISMATCH', 'PROC_UNAVAIL', 'GARBAGE_ARGS', 'SYSTEM_ERR'];
const REJECT_STAT = ['RPC_MISMATCH', 'AUTH_ERROR'];

/** "NFS v3 READ"; an NFSv4 COMPOUND by its operations: "NFS v4 SEQUENCE PUTFH READ". */
export function rpcCallName(h: { prog: number; vers: number; proc: number; ops?: number[] | undefined }): string {
  if (h.ops !== undefined && h.ops.length > 0) return `${progName(h.prog)} v${h.vers} ${nfs4OpsText(h.ops)}`;
  return `${progName(h.prog)} v${h.vers} ${procName(h.prog, h.vers, h.proc)}`;
}

/** The status of a reply: "OK", "NFS3ERR_NOENT", "PROG_UNAVAIL", "AUTH_ERROR" ... */
export function rpcStatusText(h: TraceRpcHeader): string {
  if (h.replyStat === 1) return `denied ${REJECT_STAT[h.rejectStat] ?? h.rejectStat}`;
  if (h.acceptStat !== 0) return ACCEPT_STAT[h.acceptStat] ?? `accept_stat ${h.acceptStat}`;
  if (h.status === undefined) return 'SUCCESS';
  if (h.prog === 100003 && h.vers === 4) return nfsstat4Text(h.status);
  if (h.prog === 100003) return h.status === 0 ? 'OK' : `NFS3ERR_${NFSSTAT3.get(h.status) ?? h.status}`;
  return h.status === 0 ? 'OK' : `status ${h.status}`;
}

/** One RPC header as a line fragment, tshark style. */
export function rpcText(h: TraceRpcHeader): string {
  const xid = `xid 0x${h.xid.toString(16).padStart(8, '0')}`;
  if (h.msgType === 0) return `${rpcCallName(h)} Call ${xid}`;
  const what = h.matched ? rpcCallName(h) : 'RPC';
  return `${what} Reply ${xid} ${rpcStatusText(h)}`;
}

/** A short description of an event, for messages: "#42 SOSEND on socket 3 (NFS v3 READ Call xid 0x…, 128 bytes)". */
export function describeEvent(ev: TraceEvent): string {
  const parts: string[] = [];
  if (ev.rpc !== undefined && ev.rpc.length > 0) parts.push(ev.rpc.map(rpcText).join(', '));
  if (ev.op === Op.SOSEND || ev.op === Op.SORECEIVE) parts.push(`${ev.len ?? 0} bytes`);
  if (ev.addr !== null && ev.addr !== undefined) parts.push(addrText(ev.addr));
  const on = ev.so ? ` on socket ${ev.so}` : '';
  return `#${ev.seq} ${opName(ev.op)}${on}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}
