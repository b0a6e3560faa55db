/*
 * Names for what a trace holds: address families, socket types, option names (from the socket
 * layer's own constants), errnos, and the ONC RPC programs and procedures sonfs speaks
 * (RFC 1813 NFSv3 and MOUNTv3, RFC 1833 portmapper v2 and rpcbind v3/v4), for the viewer and
 * for replay's divergence messages.
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
const MOUNT3 = ['NULL', 'MNT', 'DUMP', 'UMNT', 'UMNTALL', 'EXPORT'];
const PMAP2 = ['NULL', 'SET', 'UNSET', 'GETPORT', 'DUMP', 'CALLIT'];
const RPCB = ['NULL', 'SET', 'UNSET', 'GETADDR', 'DUMP', 'CALLIT', 'GETTIME', 'UADDR2TADDR', 'TADDR2UADDR', 'GETVERSADDR',
  'INDIRECT', 'GETADDRLIST', 'GETSTAT'];

export function progName(prog: number): string {
  return PROGRAMS.get(prog) ?? String(prog);
}

export function procName(prog: number, vers: number, proc: number): string {
  const t = prog === 100003 && vers === 3 ? NFS3 : prog === 100005 ? MOUNT3 : prog === 100000 ? (vers === 2 ? PMAP2 : RPCB) : null;
  return t?.[proc] ?? `proc ${proc}`;
}

const NFSSTAT3 = new Map([
  [0, 'OK'], [1, 'PERM'], [2, 'NOENT'], [5, 'IO'], [6, 'NXIO'], [13, 'ACCES'], [17, 'EXIST'], [18, 'XDEV'], [19, 'NODEV'],
  [20, 'NOTDIR'], [21, 'ISDIR'], [22, 'INVAL'], [27, 'FBIG'], [28, 'NOSPC'], [30, 'ROFS'], [31, 'MLINK'], [63, 'NAMETOOLONG'],
  [66, 'NOTEMPTY'], [69, 'DQUOT'], [70, 'STALE'], [71, 'REMOTE'], [10001, 'BADHANDLE'], [10002, 'NOT_SYNC'],
  [10003, 'BAD_COOKIE'], [10004, 'NOTSUPP'], [10005, 'TOOSMALL'], [10006, 'SERVERFAULT'], [10007, 'BADTYPE'], [10008, 'JUKEBOX'],
]);
const ACCEPT_STAT = ['SUCCESS', 'PROG_UNAVAIL', 'PROG_MISMATCH', 'PROC_UNAVAIL', 'GARBAGE_ARGS', 'SYSTEM_ERR'];
const REJECT_STAT = ['RPC_MISMATCH', 'AUTH_ERROR'];

/** "NFS v3 READ" */
export function rpcCallName(h: { prog: number; vers: number; proc: number }): string {
  return `${progName(h.prog)} v${h.vers} ${procName(h.prog, h.vers, h.proc)}`;
}

/** The status of a reply: "OK", "NFS3ERR_NOENT", "PROG_UNAVAIL", "AUTH_ERROR" ... */
export function rpcStatusText(h: TraceRpcHeader): string {
  if (h.replyStat === 1) return `denied ${REJECT_STAT[h.rejectStat] ?? h.rejectStat}`;
  if (h.acceptStat !== 0) return ACCEPT_STAT[h.acceptStat] ?? `accept_stat ${h.acceptStat}`;
  if (h.status === undefined) return 'SUCCESS';
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
