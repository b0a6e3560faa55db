/*
 * Attributes and access (RFC 7530 §16.1, §16.7, §16.15, §16.32, §16.33): ACCESS, GETATTR, SETATTR,
 * VERIFY, NVERIFY.
 *
 *   struct ACCESS4args { uint32_t access; };   struct ACCESS4resok { uint32_t supported; uint32_t access; };
 *   struct GETATTR4args { bitmap4 attr_request; };   struct GETATTR4resok { fattr4 obj_attributes; };
 *   struct SETATTR4args { stateid4 stateid; fattr4 obj_attributes; };
 *   struct SETATTR4res { nfsstat4 status; bitmap4 attrsset; };    (a struct: attrsset even on failure)
 *   struct VERIFY4args / NVERIFY4args { fattr4 obj_attributes; };
 */

import type { XdrCodec } from '../../rpc/index.js';
import { stateid4 } from './basic.js';
import { bitmap4 } from './bitmap4.js';
import { fattr4 } from './fattr4.js';
import type { nfsstat4 } from './nfsstat4.js';
import { nfs4Result, statusRes } from './result.js';
import type { Nfs4Result, StatusRes } from './result.js';

export interface ACCESS4args {
  access: number;
}
export const ACCESS4args: XdrCodec<ACCESS4args> = {
  encode: (w, v) => w.uint(v.access, 'ACCESS4args.access'),
  decode: (r) => ({ access: r.uint('ACCESS4args.access') }),
};
export interface ACCESS4resok {
  /** The bits of the request the server could judge. */
  supported: number;
  /** Of those, the ones allowed. */
  access: number;
}
const ACCESS4resok: XdrCodec<ACCESS4resok> = {
  encode(w, v) {
    w.uint(v.supported, 'ACCESS4resok.supported');
    w.uint(v.access, 'ACCESS4resok.access');
  },
  decode(r) {
    const supported = r.uint('ACCESS4resok.supported');
    return { supported, access: r.uint('ACCESS4resok.access') };
  },
};
export type ACCESS4res = Nfs4Result<ACCESS4resok>;
export const ACCESS4res = nfs4Result(ACCESS4resok, 'resok4', 'ACCESS4res');

export interface GETATTR4args {
  attr_request: bitmap4;
}
export const GETATTR4args: XdrCodec<GETATTR4args> = {
  encode: (w, v) => bitmap4.encode(w, v.attr_request),
  decode: (r) => ({ attr_request: bitmap4.decode(r) }),
};
export interface GETATTR4resok {
  obj_attributes: fattr4;
}
const GETATTR4resok: XdrCodec<GETATTR4resok> = {
  encode: (w, v) => fattr4.encode(w, v.obj_attributes),
  decode: (r) => ({ obj_attributes: fattr4.decode(r) }),
};
export type GETATTR4res = Nfs4Result<GETATTR4resok>;
export const GETATTR4res = nfs4Result(GETATTR4resok, 'resok4', 'GETATTR4res');

export interface SETATTR4args {
  /** The open's stateid when the size changes; else the anonymous stateid (RFC 7530 §16.32.4). */
  stateid: stateid4;
  obj_attributes: fattr4;
}
export const SETATTR4args: XdrCodec<SETATTR4args> = {
  encode(w, v) {
    stateid4.encode(w, v.stateid);
    fattr4.encode(w, v.obj_attributes);
  },
  decode(r) {
    const stateid = stateid4.decode(r);
    return { stateid, obj_attributes: fattr4.decode(r) };
  },
};
export interface SETATTR4res {
  status: nfsstat4;
  /** The attributes that were set (also on failure: those set before it failed). */
  attrsset: bitmap4;
}
export const SETATTR4res: XdrCodec<SETATTR4res> = {
  encode(w, v) {
    w.int(v.status, 'SETATTR4res.status');
    bitmap4.encode(w, v.attrsset);
  },
  decode(r) {
    const status = r.int('SETATTR4res.status') as nfsstat4;
    return { status, attrsset: bitmap4.decode(r) };
  },
};

export interface VERIFY4args {
  obj_attributes: fattr4;
}
export const VERIFY4args: XdrCodec<VERIFY4args> = {
  encode: (w, v) => fattr4.encode(w, v.obj_attributes),
  decode: (r) => ({ obj_attributes: fattr4.decode(r) }),
};
export type NVERIFY4args = VERIFY4args;
export const NVERIFY4args = VERIFY4args;
export type VERIFY4res = StatusRes;
export const VERIFY4res = statusRes('VERIFY4res');
export type NVERIFY4res = StatusRes;
export const NVERIFY4res = statusRes('NVERIFY4res');
