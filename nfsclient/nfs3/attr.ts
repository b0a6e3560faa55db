/*
 * NFSv3 attributes (RFC 1813 §2.6):
 *
 *   struct fattr3 { ftype3 type; mode3 mode; uint32 nlink; uid3 uid; gid3 gid; size3 size; size3 used;
 *                   specdata3 rdev; uint64 fsid; fileid3 fileid; nfstime3 atime; nfstime3 mtime; nfstime3 ctime; };
 *   union post_op_attr switch (bool attributes_follow) { case TRUE: fattr3 attributes; case FALSE: void; };
 *   struct wcc_attr { size3 size; nfstime3 mtime; nfstime3 ctime; };
 *   union pre_op_attr switch (bool attributes_follow) { case TRUE: wcc_attr attributes; case FALSE: void; };
 *   struct wcc_data { pre_op_attr before; post_op_attr after; };
 *   union post_op_fh3 switch (bool handle_follows) { case TRUE: nfs_fh3 handle; case FALSE: void; };
 *
 * The optional unions are `T | null` here (null: FALSE, nothing follows).
 */

import type { XdrCodec, XdrReader } from '../../rpc/index.js';
import { NF3FIFO, NF3REG } from './constants.js';
import type { ftype3 } from './constants.js';
import { nfs_fh3, nfstime3, specdata3, uint32At, uint64At, xdr_ftype3 } from './basic.js';

export interface fattr3 {
  type: ftype3;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  size: bigint;
  used: bigint;
  rdev: specdata3;
  fsid: bigint;
  fileid: bigint;
  atime: nfstime3;
  mtime: nfstime3;
  ctime: nfstime3;
}

/** Encoded size of a fattr3. */
export const FATTR3_SIZE = 84;

/* Field by field, across mbufs: the slow path. */
function readFattr3Slow(r: XdrReader): fattr3 {
  const type = xdr_ftype3.decode(r);
  const mode = r.uint('fattr3.mode');
  const nlink = r.uint('fattr3.nlink');
  const uid = r.uint('fattr3.uid');
  const gid = r.uint('fattr3.gid');
  const size = r.uhyper('fattr3.size');
  const used = r.uhyper('fattr3.used');
  const rdev = specdata3.decode(r);
  const fsid = r.uhyper('fattr3.fsid');
  const fileid = r.uhyper('fattr3.fileid');
  const atime = nfstime3.decode(r);
  const mtime = nfstime3.decode(r);
  const ctime = nfstime3.decode(r);
  return { type, mode, nlink, uid, gid, size, used, rdev, fsid, fileid, atime, mtime, ctime };
}

/**
 * The fattr3 encoded at b[p, p + FATTR3_SIZE), its type already checked to be an ftype3 (the
 * caller has checked the bytes are there).
 */
export function fattr3At(b: Buffer, p: number): fattr3 {
  return {
    type: uint32At(b, p) as ftype3,
    mode: uint32At(b, p + 4),
    nlink: uint32At(b, p + 8),
    uid: uint32At(b, p + 12),
    gid: uint32At(b, p + 16),
    size: uint64At(b, p + 20),
    used: uint64At(b, p + 28),
    rdev: { specdata1: uint32At(b, p + 36), specdata2: uint32At(b, p + 40) },
    fsid: uint64At(b, p + 44),
    fileid: uint64At(b, p + 52),
    atime: { seconds: uint32At(b, p + 60), nseconds: uint32At(b, p + 64) },
    mtime: { seconds: uint32At(b, p + 68), nseconds: uint32At(b, p + 72) },
    ctime: { seconds: uint32At(b, p + 76), nseconds: uint32At(b, p + 80) },
  };
}

export const fattr3: XdrCodec<fattr3> = {
  encode(w, v) {
    xdr_ftype3.encode(w, v.type);
    w.uint(v.mode, 'fattr3.mode');
    w.uint(v.nlink, 'fattr3.nlink');
    w.uint(v.uid, 'fattr3.uid');
    w.uint(v.gid, 'fattr3.gid');
    w.uhyper(v.size, 'fattr3.size');
    w.uhyper(v.used, 'fattr3.used');
    specdata3.encode(w, v.rdev);
    w.uhyper(v.fsid, 'fattr3.fsid');
    w.uhyper(v.fileid, 'fattr3.fileid');
    nfstime3.encode(w, v.atime);
    nfstime3.encode(w, v.mtime);
    nfstime3.encode(w, v.ctime);
  },
  decode(r) {
    /* Fast path: all 84 bytes in the current mbuf, read at fixed offsets. */
    const p = r.take(FATTR3_SIZE);
    if (p < 0) return readFattr3Slow(r);
    const type = uint32At(r.buf, p);
    if (type < NF3REG || type > NF3FIFO) r.fail(`${type | 0} is not a member of the enum (${NF3REG}..${NF3FIFO})`, 'ftype3', r.offset - FATTR3_SIZE);
    return fattr3At(r.buf, p);
  },
};

/** post_op_attr: attributes after the operation, or null when the server sent none. */
export type post_op_attr = fattr3 | null;
export const post_op_attr: XdrCodec<post_op_attr> = {
  encode(w, v) {
    w.bool(v !== null);
    if (v !== null) fattr3.encode(w, v);
  },
  decode(r) {
    return r.bool('post_op_attr.attributes_follow') ? fattr3.decode(r) : null;
  },
};

export interface wcc_attr {
  size: bigint;
  mtime: nfstime3;
  ctime: nfstime3;
}
export const wcc_attr: XdrCodec<wcc_attr> = {
  encode(w, v) {
    w.uhyper(v.size, 'wcc_attr.size');
    nfstime3.encode(w, v.mtime);
    nfstime3.encode(w, v.ctime);
  },
  decode(r) {
    const size = r.uhyper('wcc_attr.size');
    const mtime = nfstime3.decode(r);
    const ctime = nfstime3.decode(r);
    return { size, mtime, ctime };
  },
};

/** pre_op_attr: the attributes that matter for cache checks, before the operation, or null. */
export type pre_op_attr = wcc_attr | null;
export const pre_op_attr: XdrCodec<pre_op_attr> = {
  encode(w, v) {
    w.bool(v !== null);
    if (v !== null) wcc_attr.encode(w, v);
  },
  decode(r) {
    return r.bool('pre_op_attr.attributes_follow') ? wcc_attr.decode(r) : null;
  },
};

export interface wcc_data {
  before: pre_op_attr;
  after: post_op_attr;
}
export const wcc_data: XdrCodec<wcc_data> = {
  encode(w, v) {
    pre_op_attr.encode(w, v.before);
    post_op_attr.encode(w, v.after);
  },
  decode(r) {
    const before = pre_op_attr.decode(r);
    const after = post_op_attr.decode(r);
    return { before, after };
  },
};

/** post_op_fh3: the new object's handle, or null (then the client LOOKUPs it). */
export type post_op_fh3 = Buffer | null;
export const post_op_fh3: XdrCodec<post_op_fh3> = {
  encode(w, v) {
    w.bool(v !== null);
    if (v !== null) nfs_fh3.encode(w, v);
  },
  decode(r) {
    return r.bool('post_op_fh3.handle_follows') ? nfs_fh3.decode(r) : null;
  },
};
