/*
 * READDIR, READDIRPLUS (RFC 1813 §3.3.16, §3.3.17):
 *
 *   struct entry3 { fileid3 fileid; filename3 name; cookie3 cookie; entry3 *nextentry; };
 *   struct dirlist3 { entry3 *entries; bool eof; };
 *   struct entryplus3 { fileid3 fileid; filename3 name; cookie3 cookie; post_op_attr name_attributes;
 *                       post_op_fh3 name_handle; entryplus3 *nextentry; };
 *   struct dirlistplus3 { entryplus3 *entries; bool eof; };
 *
 * The entry chains are arrays, decoded iteratively (a 100 000-entry reply cannot exhaust the stack;
 * each entry costs at least 24 bytes of input, so the input bounds the count).
 */

import type { XdrCodec } from '../../rpc/xdr/codec.js';
import type { XdrReader } from '../../rpc/xdr/reader.js';
import type { XdrWriter } from '../../rpc/xdr/writer.js';
import { utf8bDecode } from '../../rpc/xdr/utf8b.js';
import { FATTR3_SIZE, fattr3At, post_op_attr, post_op_fh3 } from './attr.js';
import { cookieverf3, filename3, nfs_fh3, readUint64, uint32At, uint64At } from './basic.js';
import { NF3FIFO, NF3REG, NFS3_FHSIZE, NFS3_MAXNAMLEN } from './constants.js';
import { nfsResult } from './result.js';
import type { NfsResult } from './result.js';

/* READDIR */
export interface READDIR3args {
  dir: nfs_fh3;
  /** 0 to start; then the cookie of the last entry received. */
  cookie: bigint;
  /** All zero with cookie 0; then the server's verifier, echoed verbatim. */
  cookieverf: Buffer;
  count: number;
}
export const READDIR3args: XdrCodec<READDIR3args> = {
  encode(w, v) {
    nfs_fh3.encode(w, v.dir);
    w.uhyper(v.cookie, 'READDIR3args.cookie');
    cookieverf3.encode(w, v.cookieverf);
    w.uint(v.count, 'READDIR3args.count');
  },
  decode(r) {
    const dir = nfs_fh3.decode(r);
    const cookie = r.uhyper('READDIR3args.cookie');
    const cookieverf = cookieverf3.decode(r);
    const count = r.uint('READDIR3args.count');
    return { dir, cookie, cookieverf, count };
  },
};

export interface entry3 {
  fileid: bigint;
  name: string;
  cookie: bigint;
}
function writeEntry3(w: XdrWriter, v: entry3): void {
  w.uhyper(v.fileid, 'entry3.fileid');
  filename3.encode(w, v.name);
  w.uhyper(v.cookie, 'entry3.cookie');
}
function readEntry3(r: XdrReader): entry3 {
  const fileid = readUint64(r, 'entry3.fileid');
  const name = filename3.decode(r);
  const cookie = readUint64(r, 'entry3.cookie');
  return { fileid, name, cookie };
}
export const entry3: XdrCodec<entry3> = { encode: writeEntry3, decode: readEntry3 };

export interface dirlist3 {
  entries: entry3[];
  eof: boolean;
}
export const dirlist3: XdrCodec<dirlist3> = {
  encode(w, v) {
    w.list(v.entries, writeEntry3);
    w.bool(v.eof);
  },
  decode(r) {
    const entries = r.list(readEntry3, undefined, 'entry3');
    const eof = r.bool('dirlist3.eof');
    return { entries, eof };
  },
};

export interface READDIR3resok {
  dir_attributes: post_op_attr;
  cookieverf: Buffer;
  reply: dirlist3;
}
export const READDIR3resok: XdrCodec<READDIR3resok> = {
  encode(w, v) {
    post_op_attr.encode(w, v.dir_attributes);
    cookieverf3.encode(w, v.cookieverf);
    dirlist3.encode(w, v.reply);
  },
  decode(r) {
    const dir_attributes = post_op_attr.decode(r);
    const cookieverf = cookieverf3.decode(r);
    const reply = dirlist3.decode(r);
    return { dir_attributes, cookieverf, reply };
  },
};
export interface READDIR3resfail {
  dir_attributes: post_op_attr;
}
const dirAttributes: XdrCodec<{ dir_attributes: post_op_attr }> = {
  encode: (w, v) => post_op_attr.encode(w, v.dir_attributes),
  decode: (r) => ({ dir_attributes: post_op_attr.decode(r) }),
};
export const READDIR3resfail: XdrCodec<READDIR3resfail> = dirAttributes;
export type READDIR3res = NfsResult<READDIR3resok, READDIR3resfail>;
export const READDIR3res = nfsResult(READDIR3resok, READDIR3resfail, 'READDIR3res');

/* READDIRPLUS */
export interface READDIRPLUS3args {
  dir: nfs_fh3;
  cookie: bigint;
  cookieverf: Buffer;
  /** Bytes of directory information (names, cookies, fileids) wanted. */
  dircount: number;
  /** Bytes of the whole READDIRPLUS3resok, attributes and handles included. */
  maxcount: number;
}
export const READDIRPLUS3args: XdrCodec<READDIRPLUS3args> = {
  encode(w, v) {
    nfs_fh3.encode(w, v.dir);
    w.uhyper(v.cookie, 'READDIRPLUS3args.cookie');
    cookieverf3.encode(w, v.cookieverf);
    w.uint(v.dircount, 'READDIRPLUS3args.dircount');
    w.uint(v.maxcount, 'READDIRPLUS3args.maxcount');
  },
  decode(r) {
    const dir = nfs_fh3.decode(r);
    const cookie = r.uhyper('READDIRPLUS3args.cookie');
    const cookieverf = cookieverf3.decode(r);
    const dircount = r.uint('READDIRPLUS3args.dircount');
    const maxcount = r.uint('READDIRPLUS3args.maxcount');
    return { dir, cookie, cookieverf, dircount, maxcount };
  },
};

export interface entryplus3 {
  fileid: bigint;
  name: string;
  cookie: bigint;
  /** Null when the server sent none: the client GETATTRs if it needs them. */
  name_attributes: post_op_attr;
  /** Null when the server sent none: the client LOOKUPs if it needs it. */
  name_handle: post_op_fh3;
}
function writeEntryplus3(w: XdrWriter, v: entryplus3): void {
  w.uhyper(v.fileid, 'entryplus3.fileid');
  filename3.encode(w, v.name);
  w.uhyper(v.cookie, 'entryplus3.cookie');
  post_op_attr.encode(w, v.name_attributes);
  post_op_fh3.encode(w, v.name_handle);
}
/*
 * readEntryplus3's fast path: the whole entry lies in the current mbuf and is well formed (name
 * and handle within their maxima, zero padding, bools 0 or 1, an ftype3 type). It is checked at
 * offsets from the cursor before anything is made or the cursor moves; null (cursor unchanged)
 * otherwise, and the field-by-field path reads the entry, reporting what is wrong and where.
 */
function readEntryplus3Fast(r: XdrReader): entryplus3 | null {
  const avail = r.contiguous();
  if (avail < 28) return null; /* fileid, name length, cookie, two FALSE bools */
  const p = r.take(0);
  const end = p + avail;
  const b = r.buf;
  const n = uint32At(b, p + 8);
  if (n > NFS3_MAXNAMLEN) return null;
  const nameEnd = p + 12 + n;
  let q = p + 12 + ((n + 3) & ~3); /* the cookie */
  if (q + 16 > end) return null;
  for (let i = nameEnd; i < q; i++) if (b[i] !== 0) return null;
  const cookieAt = q;
  const attrsFollow = uint32At(b, q + 8);
  q += 12;
  const attrsAt = q;
  if (attrsFollow === 1) {
    if (q + FATTR3_SIZE + 4 > end) return null;
    const type = uint32At(b, q);
    if (type < NF3REG || type > NF3FIFO) return null;
    q += FATTR3_SIZE;
  } else if (attrsFollow !== 0) {
    return null;
  }
  const handleFollows = uint32At(b, q);
  q += 4;
  let fhLen = -1;
  const fhAt = q + 4;
  if (handleFollows === 1) {
    if (q + 4 > end) return null;
    fhLen = uint32At(b, q);
    if (fhLen > NFS3_FHSIZE) return null;
    q = fhAt + ((fhLen + 3) & ~3);
    if (q > end) return null;
    for (let i = fhAt + fhLen; i < q; i++) if (b[i] !== 0) return null;
  } else if (handleFollows !== 0) {
    return null;
  }
  let fh: Buffer | null = null;
  if (fhLen >= 0) {
    fh = Buffer.allocUnsafe(fhLen);
    for (let i = 0; i < fhLen; i++) fh[i] = b[fhAt + i]!;
  }
  const entry: entryplus3 = {
    fileid: uint64At(b, p),
    name: n === 0 ? '' : utf8bDecode(b, p + 12, nameEnd),
    cookie: uint64At(b, cookieAt),
    name_attributes: attrsFollow === 1 ? fattr3At(b, attrsAt) : null,
    name_handle: fh,
  };
  r.take(q - p);
  return entry;
}

function readEntryplus3(r: XdrReader): entryplus3 {
  const fast = readEntryplus3Fast(r);
  if (fast !== null) return fast;
  const fileid = readUint64(r, 'entryplus3.fileid');
  const name = filename3.decode(r);
  const cookie = readUint64(r, 'entryplus3.cookie');
  const name_attributes = post_op_attr.decode(r);
  const name_handle = post_op_fh3.decode(r);
  return { fileid, name, cookie, name_attributes, name_handle };
}
export const entryplus3: XdrCodec<entryplus3> = { encode: writeEntryplus3, decode: readEntryplus3 };

export interface dirlistplus3 {
  entries: entryplus3[];
  eof: boolean;
}
export const dirlistplus3: XdrCodec<dirlistplus3> = {
  encode(w, v) {
    w.list(v.entries, writeEntryplus3);
    w.bool(v.eof);
  },
  decode(r) {
    const entries = r.list(readEntryplus3, undefined, 'entryplus3');
    const eof = r.bool('dirlistplus3.eof');
    return { entries, eof };
  },
};

export interface READDIRPLUS3resok {
  dir_attributes: post_op_attr;
  cookieverf: Buffer;
  reply: dirlistplus3;
}
export const READDIRPLUS3resok: XdrCodec<READDIRPLUS3resok> = {
  encode(w, v) {
    post_op_attr.encode(w, v.dir_attributes);
    cookieverf3.encode(w, v.cookieverf);
    dirlistplus3.encode(w, v.reply);
  },
  decode(r) {
    const dir_attributes = post_op_attr.decode(r);
    const cookieverf = cookieverf3.decode(r);
    const reply = dirlistplus3.decode(r);
    return { dir_attributes, cookieverf, reply };
  },
};
export interface READDIRPLUS3resfail {
  dir_attributes: post_op_attr;
}
export const READDIRPLUS3resfail: XdrCodec<READDIRPLUS3resfail> = dirAttributes;
export type READDIRPLUS3res = NfsResult<READDIRPLUS3resok, READDIRPLUS3resfail>;
export const READDIRPLUS3res = nfsResult(READDIRPLUS3resok, READDIRPLUS3resfail, 'READDIRPLUS3res');
