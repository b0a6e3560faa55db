/*
 * Finding and decoding ONC RPC message headers (RFC 5531 §9) in the bytes a socket moves, for
 * the trace: record marking (§11) on streams, one message per datagram. Only the fixed header
 * is read — never the credential, the verifier's body or the arguments and results, except the
 * first result word of procedures whose results start with a status (nfsstat3, mountstat3,
 * nfsstat4), and the operation numbers of an NFSv4 COMPOUND call (nfs4-compound.ts), which its
 * reply inherits.
 *
 * A stream decoder follows one direction of one connection across chunks cut anywhere, keeping
 * at most HDR_MAX bytes of the current message; it gives up (for good) on bytes that cannot be
 * RPC, so a non-RPC stream costs nothing after its first bytes.
 */
import { callArgsOffset, compoundOps } from './nfs4-compound.js';
import type { TraceRpcHeader } from './schema.js';

/*
 * Enough for the reply header with the largest verifier body (400 bytes) and a status word, and
 * for the operations of an NFSv4 COMPOUND call after an AUTH_SYS credential (a SEQUENCE, a PUTFH
 * of the largest handle and several more).
 */
const HDR_MAX = 1024;
/* Calls remembered per connection for matching replies (those never answered are forgotten). */
const CALLS_MAX = 4096;

const NFS_PROGRAM = 100003;
const MOUNT_PROGRAM = 100005;

export interface CallInfo {
  prog: number;
  vers: number;
  proc: number;
  /** An NFSv4 COMPOUND's operations. */
  ops?: number[];
}

/** Calls seen on one socket, by xid, for matching its replies. */
export class CallTable {
  readonly #calls = new Map<number, CallInfo>();

  add(xid: number, c: CallInfo): void {
    if (this.#calls.size >= CALLS_MAX) this.#calls.delete(this.#calls.keys().next().value!);
    this.#calls.set(xid, c);
  }

  take(xid: number): CallInfo | undefined {
    const c = this.#calls.get(xid);
    if (c !== undefined) this.#calls.delete(xid);
    return c;
  }
}

/* Results that start with a status word: every NFSv3 procedure but NULL, and MOUNT's MNT. */
function hasStatus(c: CallInfo): boolean {
  return (c.prog === NFS_PROGRAM && c.proc !== 0) || (c.prog === MOUNT_PROGRAM && c.proc === 1);
}

/**
 * Decode the header of one message: `b` holds its first `n` bytes (n ≤ HDR_MAX), `length` is its
 * full length. Null if the bytes are not an RPC call or reply.
 */
export function decodeRpcHeader(b: Buffer, n: number, length: number, calls: CallTable): TraceRpcHeader | null {
  if (n < 12) return null;
  const xid = b.readUInt32BE(0);
  const mtype = b.readUInt32BE(4);
  const h: TraceRpcHeader = {
    xid, msgType: mtype, prog: 0, vers: 0, proc: 0, replyStat: 0, acceptStat: 0, rejectStat: 0, length, matched: false,
  };
  if (mtype === 0) {
    if (n < 24 || b.readUInt32BE(8) !== 2) return null;
    h.prog = b.readUInt32BE(12);
    h.vers = b.readUInt32BE(16);
    h.proc = b.readUInt32BE(20);
    const c: CallInfo = { prog: h.prog, vers: h.vers, proc: h.proc };
    if (h.prog === NFS_PROGRAM && h.vers === 4 && h.proc === 1) {
      const at = callArgsOffset(b, n);
      const ops = at < 0 ? null : compoundOps(b, at, n);
      if (ops !== null) h.ops = c.ops = ops;
    }
    calls.add(xid, c);
    return h;
  }
  if (mtype !== 1) return null;
  h.replyStat = b.readUInt32BE(8);
  if (h.replyStat > 1) return null;
  const c = calls.take(xid);
  if (c !== undefined) {
    h.matched = true;
    h.prog = c.prog;
    h.vers = c.vers;
    h.proc = c.proc;
    if (c.ops !== undefined) h.ops = c.ops;
  }
  if (h.replyStat === 1) {
    if (n >= 16) h.rejectStat = b.readUInt32BE(12);
    return h;
  }
  if (n < 20) return h;
  const verfLen = b.readUInt32BE(16);
  if (verfLen > 400) return null;
  const at = 20 + ((verfLen + 3) & ~3);
  if (n < at + 4) return h;
  h.acceptStat = b.readUInt32BE(at);
  if (h.acceptStat === 0 && c !== undefined && hasStatus(c) && n >= at + 8) h.status = b.readUInt32BE(at + 4);
  return h;
}

/** Bytes of a message's header kept by a headers-only trace: what precedes the credential. */
export function headerSnap(b: Buffer, off: number): number {
  if (b.length < off + 8) return 0;
  return b.readUInt32BE(off + 4) === 0 ? 24 : 12;
}

/** One direction of a record-marked stream: feed it the bytes moved, in order. */
export class RpcStreamDecoder {
  #markBytes = 0;
  #mark = 0;
  #fragLeft = 0;
  #last = false;
  readonly #hdr = Buffer.allocUnsafe(HDR_MAX);
  #hdrLen = 0;
  #msgLen = 0;
  #dead = false;

  /** True if the next byte begins a record (its record mark). */
  get atRecordStart(): boolean {
    return !this.#dead && this.#markBytes === 0 && this.#fragLeft === 0 && this.#msgLen === 0;
  }

  /** Feed bytes; headers of messages that end in them are pushed onto `out`. */
  feed(b: Buffer, calls: CallTable, out: TraceRpcHeader[]): void {
    let i = 0;
    while (i < b.length && !this.#dead) {
      if (this.#fragLeft === 0) {
        this.#mark = ((this.#mark << 8) | b[i]!) >>> 0;
        this.#markBytes++;
        i++;
        if (this.#markBytes < 4) continue;
        this.#last = this.#mark >>> 31 === 1;
        this.#fragLeft = this.#mark & 0x7fffffff;
        this.#markBytes = 0;
        this.#mark = 0;
        if (this.#fragLeft === 0 && this.#last) this.#end(calls, out);
        continue;
      }
      const take = Math.min(this.#fragLeft, b.length - i);
      if (this.#hdrLen < HDR_MAX) {
        const k = Math.min(take, HDR_MAX - this.#hdrLen);
        b.copy(this.#hdr, this.#hdrLen, i, i + k);
        this.#hdrLen += k;
      }
      this.#msgLen += take;
      this.#fragLeft -= take;
      i += take;
      if (this.#fragLeft === 0 && this.#last) this.#end(calls, out);
    }
  }

  #end(calls: CallTable, out: TraceRpcHeader[]): void {
    const h = decodeRpcHeader(this.#hdr, this.#hdrLen, this.#msgLen, calls);
    if (h === null) this.#dead = true;
    else out.push(h);
    this.#hdrLen = 0;
    this.#msgLen = 0;
  }
}

/** The header of one datagram (`chunks` are its bytes in order). */
export function decodeDatagram(chunks: readonly Buffer[], calls: CallTable): TraceRpcHeader | null {
  let total = 0;
  for (const c of chunks) total += c.length;
  const first = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks as Buffer[], Math.min(total, HDR_MAX));
  return decodeRpcHeader(first, Math.min(first.length, HDR_MAX), total, calls);
}
