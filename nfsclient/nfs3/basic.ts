/*
 * NFSv3 basic data types (RFC 1813 §2.5–2.6):
 *
 *   struct nfs_fh3 { opaque data<NFS3_FHSIZE>; };   typedef string filename3<>;  typedef string nfspath3<>;
 *   typedef opaque cookieverf3[8]; createverf3[8]; writeverf3[8];
 *   typedef uint64 fileid3, cookie3, size3, offset3;  (bigint here)
 *   struct specdata3 { uint32 specdata1; uint32 specdata2; };
 *   struct nfstime3 { uint32 seconds; uint32 nseconds; };
 *   struct diropargs3 { nfs_fh3 dir; filename3 name; };
 *
 * Decoded handles and verifiers are COPIES (they are kept in caches and across calls; a view would
 * pin the whole receive buffer). Names and paths are decoded as UTF-8 strings.
 */

import type { XdrCodec, XdrReader } from '../../rpc/index.js';
import { NFS3_COOKIEVERFSIZE, NFS3_FHSIZE, NFS3_MAXNAMLEN, NFS3_MAXPATHLEN, NF3FIFO, NF3REG } from './constants.js';
import type { ftype3 as ftype3_t } from './constants.js';

/** nfs_fh3, represented by its data: an opaque handle of at most 64 bytes. */
export type nfs_fh3 = Buffer;
export const nfs_fh3: XdrCodec<nfs_fh3> = {
  encode: (w, v) => w.opaque(v, NFS3_FHSIZE, 'nfs_fh3'),
  decode: (r) => r.opaqueCopy(NFS3_FHSIZE, 'nfs_fh3'),
};

/** filename3: one path component (UTF-8; at most NFS3_MAXNAMLEN bytes). */
export type filename3 = string;
export const filename3: XdrCodec<string> = {
  encode: (w, v) => w.string(v, NFS3_MAXNAMLEN, 'filename3'),
  decode: (r) => r.string(NFS3_MAXNAMLEN, 'filename3'),
};

/** nfspath3: a symbolic link's target. */
export type nfspath3 = string;
export const nfspath3: XdrCodec<string> = {
  encode: (w, v) => w.string(v, NFS3_MAXPATHLEN, 'nfspath3'),
  decode: (r) => r.string(NFS3_MAXPATHLEN, 'nfspath3'),
};

function verifier(what: string): XdrCodec<Buffer> {
  return {
    encode: (w, v) => w.fixedOpaque(v, NFS3_COOKIEVERFSIZE, what),
    decode: (r) => r.fixedOpaqueCopy(NFS3_COOKIEVERFSIZE, what),
  };
}
/** cookieverf3: 8 opaque bytes, echoed verbatim to the server (all zero on the first READDIR). */
export const cookieverf3 = verifier('cookieverf3');
/** createverf3: 8 bytes identifying an EXCLUSIVE CREATE. */
export const createverf3 = verifier('createverf3');
/** writeverf3: 8 bytes that change when the server loses uncommitted data. */
export const writeverf3 = verifier('writeverf3');

/**
 * The big-endian unsigned 64-bit integer at b[p, p + 8) (the caller has checked the bytes are
 * there, e.g. by XdrReader.take). One BigInt is made — two when the value is 2^53 or more — where
 * Buffer#readBigUInt64BE makes four: for decoders of many attributes (READDIRPLUS entries).
 */
export function uint64At(b: Buffer, p: number): bigint {
  const hi = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  const lo = b[p + 4]! * 0x1000000 + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!);
  if (hi === 0) return BigInt(lo);
  if (hi < 0x200000) return BigInt(hi * 0x100000000 + lo);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The big-endian unsigned 32-bit integer at b[p, p + 4) (bytes checked by the caller). */
export function uint32At(b: Buffer, p: number): number {
  return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
}

/** unsigned hyper (uint64) through the reader's fast path: uint64At when contiguous, else r.uhyper. */
export function readUint64(r: XdrReader, what: string): bigint {
  const p = r.take(8);
  return p < 0 ? r.uhyper(what) : uint64At(r.buf, p);
}

/** uint64 types, as bigint. */
export type fileid3 = bigint;
export type cookie3 = bigint;
export type size3 = bigint;
export type offset3 = bigint;
export type uint64 = bigint;

/** ftype3's codec, checked to be NF3REG..NF3FIFO (`ftype3` itself is the constants table). */
export const xdr_ftype3: XdrCodec<ftype3_t> = {
  encode: (w, v) => w.enum(v, 'ftype3', NF3REG, NF3FIFO),
  decode: (r) => r.enum(NF3REG, NF3FIFO, 'ftype3') as ftype3_t,
};

export interface specdata3 {
  specdata1: number;
  specdata2: number;
}
export const specdata3: XdrCodec<specdata3> = {
  encode(w, v) {
    w.uint(v.specdata1, 'specdata3.specdata1');
    w.uint(v.specdata2, 'specdata3.specdata2');
  },
  decode(r) {
    const specdata1 = r.uint('specdata3.specdata1');
    const specdata2 = r.uint('specdata3.specdata2');
    return { specdata1, specdata2 };
  },
};

export interface nfstime3 {
  seconds: number;
  nseconds: number;
}
export const nfstime3: XdrCodec<nfstime3> = {
  encode(w, v) {
    w.uint(v.seconds, 'nfstime3.seconds');
    w.uint(v.nseconds, 'nfstime3.nseconds');
  },
  decode(r) {
    const seconds = r.uint('nfstime3.seconds');
    const nseconds = r.uint('nfstime3.nseconds');
    return { seconds, nseconds };
  },
};

export interface diropargs3 {
  dir: nfs_fh3;
  name: filename3;
}
export const diropargs3: XdrCodec<diropargs3> = {
  encode(w, v) {
    nfs_fh3.encode(w, v.dir);
    filename3.encode(w, v.name);
  },
  decode(r) {
    const dir = nfs_fh3.decode(r);
    const name = filename3.decode(r);
    return { dir, name };
  },
};
