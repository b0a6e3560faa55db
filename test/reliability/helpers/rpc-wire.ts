/*
 * Reading ONC RPC messages as they cross a proxy, written from RFC 5531 §9 and Appendix A and
 * independent of rpc/'s decoders (the tests use it to check what those encoders put on the wire).
 * Every reader returns null for bytes it cannot make sense of: a proxy must forward garbage too.
 *
 *   call:  xid, CALL(0), rpcvers, prog, vers, proc, cred (flavor, opaque<400>), verf, args...
 *   reply: xid, REPLY(1), reply_stat; MSG_ACCEPTED: verf, accept_stat, results...
 */

/** The NFS program (RFC 1813) and MOUNT (RFC 1813 §5). */
export const NFS_PROG = 100003;
export const MOUNT_PROG = 100005;
/** Procedure numbers of NFSv3 (RFC 1813 §3.3), by name. */
export const NFSPROC3 = {
  NULL: 0, GETATTR: 1, SETATTR: 2, LOOKUP: 3, ACCESS: 4, READLINK: 5, READ: 6, WRITE: 7, CREATE: 8, MKDIR: 9,
  SYMLINK: 10, MKNOD: 11, REMOVE: 12, RMDIR: 13, RENAME: 14, LINK: 15, READDIR: 16, READDIRPLUS: 17, FSSTAT: 18,
  FSINFO: 19, PATHCONF: 20, COMMIT: 21,
} as const;
export const NFSPROC3_NAME: Record<number, string> = Object.fromEntries(Object.entries(NFSPROC3).map(([k, v]) => [v, k]));

export const AUTH_NONE = 0;
export const AUTH_SYS = 1;

export interface WireCall {
  xid: number;
  prog: number;
  vers: number;
  proc: number;
  credFlavor: number;
  /** The credential body (a view). */
  cred: Buffer;
  /** Offset of the procedure arguments in the message. */
  argsAt: number;
}

export interface WireReply {
  xid: number;
  /** 0 MSG_ACCEPTED, 1 MSG_DENIED. */
  replyStat: number;
  /** accept_stat when accepted (0 SUCCESS), else -1. */
  acceptStat: number;
  /** Offset of the results when accepted. */
  resultsAt: number;
}

export interface AuthSysParms {
  stamp: number;
  machinename: string;
  uid: number;
  gid: number;
  gids: number[];
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** The message type word of an RPC message (0 CALL, 1 REPLY), or null if too short. */
export function msgType(msg: Buffer): number | null {
  return msg.length >= 8 ? msg.readUInt32BE(4) : null;
}

/** A call's header, or null. */
export function parseCall(msg: Buffer): WireCall | null {
  if (msg.length < 40 || msg.readUInt32BE(4) !== 0) return null;
  const credFlavor = msg.readUInt32BE(24);
  const credLen = msg.readUInt32BE(28);
  if (credLen > 400 || 32 + pad4(credLen) + 8 > msg.length) return null;
  const cred = msg.subarray(32, 32 + credLen);
  let at = 32 + pad4(credLen);
  const verfLen = msg.readUInt32BE(at + 4);
  if (verfLen > 400 || at + 8 + pad4(verfLen) > msg.length) return null;
  at += 8 + pad4(verfLen);
  return {
    xid: msg.readUInt32BE(0), prog: msg.readUInt32BE(12), vers: msg.readUInt32BE(16), proc: msg.readUInt32BE(20),
    credFlavor, cred, argsAt: at,
  };
}

/** A reply's header, or null. */
export function parseReply(msg: Buffer): WireReply | null {
  if (msg.length < 12 || msg.readUInt32BE(4) !== 1) return null;
  const xid = msg.readUInt32BE(0);
  const replyStat = msg.readUInt32BE(8);
  if (replyStat !== 0) return { xid, replyStat, acceptStat: -1, resultsAt: msg.length };
  if (msg.length < 20) return null;
  const verfLen = msg.readUInt32BE(16);
  const at = 20 + pad4(verfLen);
  if (verfLen > 400 || at + 4 > msg.length) return null;
  return { xid, replyStat, acceptStat: msg.readUInt32BE(at), resultsAt: at + 4 };
}

/** The nfsstat3 that starts an accepted NFSv3 reply's results (every procedure but NULL), or null. */
export function nfsStatus(msg: Buffer): number | null {
  const r = parseReply(msg);
  if (r === null || r.acceptStat !== 0 || r.resultsAt + 4 > msg.length) return null;
  return msg.readUInt32BE(r.resultsAt);
}

/** An AUTH_SYS credential body (RFC 5531 Appendix A), or null if it is not one. */
export function parseAuthSys(body: Buffer): AuthSysParms | null {
  if (body.length < 20) return null;
  const stamp = body.readUInt32BE(0);
  const nameLen = body.readUInt32BE(4);
  if (nameLen > 255) return null;
  let at = 8 + pad4(nameLen);
  if (at + 12 > body.length) return null;
  const machinename = body.subarray(8, 8 + nameLen).toString('latin1');
  const uid = body.readUInt32BE(at);
  const gid = body.readUInt32BE(at + 4);
  const n = body.readUInt32BE(at + 8);
  at += 12;
  if (n > 16 || at + 4 * n !== body.length) return null;
  const gids: number[] = [];
  for (let i = 0; i < n; i++) gids.push(body.readUInt32BE(at + 4 * i));
  return { stamp, machinename, uid, gid, gids };
}

/** The diropargs3 name (dir handle, then name) at `at` in a call's arguments (LOOKUP, REMOVE, CREATE ...). */
export function diropName(msg: Buffer, at: number): string | null {
  if (at + 4 > msg.length) return null;
  const fhLen = msg.readUInt32BE(at);
  const nameAt = at + 4 + pad4(fhLen);
  if (fhLen > 64 || nameAt + 4 > msg.length) return null;
  const len = msg.readUInt32BE(nameAt);
  if (nameAt + 4 + len > msg.length) return null;
  return msg.subarray(nameAt + 4, nameAt + 4 + len).toString('utf8');
}

/** The record mark of a fragment (RFC 5531 §11). */
export function recordMark(len: number, last: boolean): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(((last ? 0x80000000 : 0) | len) >>> 0, 0);
  return b;
}

/** A message as one record-marked fragment. */
export function frameRecord(msg: Buffer): Buffer {
  return Buffer.concat([recordMark(msg.length, true), msg]);
}
