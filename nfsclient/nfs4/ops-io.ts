/*
 * The data path (RFC 7530 §16.23, §16.36, §16.3): READ, WRITE, COMMIT.
 *
 *   struct READ4args { stateid4 stateid; offset4 offset; count4 count; };
 *   struct READ4resok { bool eof; opaque data<>; };
 *   struct WRITE4args { stateid4 stateid; offset4 offset; stable_how4 stable; opaque data<>; };
 *   struct WRITE4resok { count4 count; stable_how4 committed; verifier4 writeverf; };
 *   struct COMMIT4args { offset4 offset; count4 count; };   struct COMMIT4resok { verifier4 writeverf; };
 *
 * READ's data comes in three forms, as v3's READ3res (nfs3/proc-io.ts): a Buffer (a view on the
 * reply when contiguous), an mbuf chain sharing the reply's storage (READ4resok_mbuf: no copy at
 * all; the caller frees it), or copied once straight into the caller's buffer (READ4resok_into:
 * `data` is the byte count; more data than fits is an XdrDecodeError). WRITE's data is appended by
 * reference (XdrWriter.opaqueRef): never copied; leave it unchanged until the call settles.
 */

import { m_tobuf } from '../../sockets/index.js';
import type { Mbuf } from '../../sockets/index.js';
import type { XdrCodec, XdrReader, XdrWriter } from '../../rpc/index.js';
import { stateid4, verifier4 } from './basic.js';
import { FILE_SYNC4, NFS4_MAXDATA, UNSTABLE4 } from './constants.js';
import type { stable_how4 } from './constants.js';
import { NFS4_OK } from './nfsstat4.js';
import { nfs4Result } from './result.js';
import type { Nfs4ErrorStatus, Nfs4Result } from './result.js';

export interface READ4args {
  stateid: stateid4;
  offset: bigint;
  count: number;
}
export const READ4args: XdrCodec<READ4args> = {
  encode(w, v) {
    stateid4.encode(w, v.stateid);
    w.uhyper(v.offset, 'READ4args.offset');
    w.uint(v.count, 'READ4args.count');
  },
  decode(r) {
    const stateid = stateid4.decode(r);
    const offset = r.uhyper('READ4args.offset');
    return { stateid, offset, count: r.uint('READ4args.count') };
  },
};

export interface READ4resok<D = Buffer> {
  eof: boolean;
  data: D;
}
export type READ4res = Nfs4Result<READ4resok>;
export type READ4res_mbuf = Nfs4Result<READ4resok<Mbuf>>;
export type READ4res_into = Nfs4Result<READ4resok<number>>;

export const READ4res: XdrCodec<READ4res> = nfs4Result<READ4resok, 'resok4'>({
  encode(w, v) {
    w.bool(v.eof);
    w.opaqueRef(v.data, NFS4_MAXDATA, 'READ4resok.data');
  },
  decode(r) {
    const eof = r.bool('READ4resok.eof');
    return { eof, data: r.opaque(NFS4_MAXDATA, 'READ4resok.data') };
  },
}, 'resok4', 'READ4res');

/* The status and eof of a READ4res; the data is read by the variant. */
function readHead(r: XdrReader): number {
  const status = r.int('READ4res.status');
  if (status !== NFS4_OK) return status;
  return r.bool('READ4resok.eof') ? -1 : -2;
}

/** READ4res with the data as an mbuf chain sharing the reply's storage (the caller frees it: m_freem). */
export function decodeREAD4res_mbuf(r: XdrReader): READ4res_mbuf {
  const h = readHead(r);
  if (h >= 0) return { status: h as Nfs4ErrorStatus };
  return { status: NFS4_OK, resok4: { eof: h === -1, data: r.opaqueMbuf(NFS4_MAXDATA, 'READ4resok.data') } };
}
export function encodeREAD4res_mbuf(w: XdrWriter, v: READ4res_mbuf): void {
  w.int(v.status, 'READ4res.status');
  if (v.status !== NFS4_OK) return;
  w.bool(v.resok4.eof);
  w.opaqueRef(m_tobuf(v.resok4.data), NFS4_MAXDATA, 'READ4resok.data');
}

/** READ4res with the data copied straight into target[offset...]; resok4.data is the byte count. */
export function decodeREAD4res_into(r: XdrReader, target: Buffer, offset: number): READ4res_into {
  const h = readHead(r);
  if (h >= 0) return { status: h as Nfs4ErrorStatus };
  return { status: NFS4_OK, resok4: { eof: h === -1, data: r.opaqueInto(target, offset, NFS4_MAXDATA, 'READ4resok.data') } };
}
export function encodeREAD4res_into(w: XdrWriter, v: READ4res_into, target: Buffer, offset: number): void {
  w.int(v.status, 'READ4res.status');
  if (v.status !== NFS4_OK) return;
  w.bool(v.resok4.eof);
  w.opaqueRef(target.subarray(offset, offset + v.resok4.data), NFS4_MAXDATA, 'READ4resok.data');
}

export interface WRITE4args {
  stateid: stateid4;
  offset: bigint;
  stable: stable_how4;
  /** Encoded by reference (not copied): leave it unchanged until the call completes. */
  data: Buffer;
}
export const WRITE4args: XdrCodec<WRITE4args> = {
  encode(w, v) {
    stateid4.encode(w, v.stateid);
    w.uhyper(v.offset, 'WRITE4args.offset');
    w.enum(v.stable, 'WRITE4args.stable', UNSTABLE4, FILE_SYNC4);
    w.opaqueRef(v.data, NFS4_MAXDATA, 'WRITE4args.data');
  },
  decode(r) {
    const stateid = stateid4.decode(r);
    const offset = r.uhyper('WRITE4args.offset');
    const stable = r.enum(UNSTABLE4, FILE_SYNC4, 'WRITE4args.stable') as stable_how4;
    return { stateid, offset, stable, data: r.opaque(NFS4_MAXDATA, 'WRITE4args.data') };
  },
};
export interface WRITE4resok {
  count: number;
  committed: stable_how4;
  writeverf: verifier4;
}
const WRITE4resok: XdrCodec<WRITE4resok> = {
  encode(w, v) {
    w.uint(v.count, 'WRITE4resok.count');
    w.enum(v.committed, 'WRITE4resok.committed', UNSTABLE4, FILE_SYNC4);
    verifier4.encode(w, v.writeverf);
  },
  decode(r) {
    const count = r.uint('WRITE4resok.count');
    const committed = r.enum(UNSTABLE4, FILE_SYNC4, 'WRITE4resok.committed') as stable_how4;
    return { count, committed, writeverf: verifier4.decode(r) };
  },
};
export type WRITE4res = Nfs4Result<WRITE4resok>;
export const WRITE4res = nfs4Result(WRITE4resok, 'resok4', 'WRITE4res');

export interface COMMIT4args {
  /** 0 with count 0: the whole file. */
  offset: bigint;
  count: number;
}
export const COMMIT4args: XdrCodec<COMMIT4args> = {
  encode(w, v) {
    w.uhyper(v.offset, 'COMMIT4args.offset');
    w.uint(v.count, 'COMMIT4args.count');
  },
  decode(r) {
    const offset = r.uhyper('COMMIT4args.offset');
    return { offset, count: r.uint('COMMIT4args.count') };
  },
};
export interface COMMIT4resok {
  writeverf: verifier4;
}
const COMMIT4resok: XdrCodec<COMMIT4resok> = {
  encode: (w, v) => verifier4.encode(w, v.writeverf),
  decode: (r) => ({ writeverf: verifier4.decode(r) }),
};
export type COMMIT4res = Nfs4Result<COMMIT4resok>;
export const COMMIT4res = nfs4Result(COMMIT4resok, 'resok4', 'COMMIT4res');
