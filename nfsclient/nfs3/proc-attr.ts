/* GETATTR, SETATTR, ACCESS (RFC 1813 §3.3.1, §3.3.2, §3.3.4). */

import { xdr_void } from '../../rpc/index.js';
import type { XdrCodec } from '../../rpc/index.js';
import { fattr3, post_op_attr, wcc_data } from './attr.js';
import { nfs_fh3 } from './basic.js';
import { nfsResult } from './result.js';
import type { NfsResult } from './result.js';
import { sattr3, sattrguard3 } from './sattr.js';

/* GETATTR */
export interface GETATTR3args {
  object: nfs_fh3;
}
export const GETATTR3args: XdrCodec<GETATTR3args> = {
  encode: (w, v) => nfs_fh3.encode(w, v.object),
  decode: (r) => ({ object: nfs_fh3.decode(r) }),
};
export interface GETATTR3resok {
  obj_attributes: fattr3;
}
export const GETATTR3resok: XdrCodec<GETATTR3resok> = {
  encode: (w, v) => fattr3.encode(w, v.obj_attributes),
  decode: (r) => ({ obj_attributes: fattr3.decode(r) }),
};
export type GETATTR3res = NfsResult<GETATTR3resok, void>;
export const GETATTR3res = nfsResult(GETATTR3resok, xdr_void, 'GETATTR3res');

/* SETATTR */
export interface SETATTR3args {
  object: nfs_fh3;
  new_attributes: sattr3;
  guard: sattrguard3;
}
export const SETATTR3args: XdrCodec<SETATTR3args> = {
  encode(w, v) {
    nfs_fh3.encode(w, v.object);
    sattr3.encode(w, v.new_attributes);
    sattrguard3.encode(w, v.guard);
  },
  decode(r) {
    const object = nfs_fh3.decode(r);
    const new_attributes = sattr3.decode(r);
    const guard = sattrguard3.decode(r);
    return { object, new_attributes, guard };
  },
};
export interface SETATTR3resok {
  obj_wcc: wcc_data;
}
export interface SETATTR3resfail {
  obj_wcc: wcc_data;
}
const objWcc: XdrCodec<{ obj_wcc: wcc_data }> = {
  encode: (w, v) => wcc_data.encode(w, v.obj_wcc),
  decode: (r) => ({ obj_wcc: wcc_data.decode(r) }),
};
export const SETATTR3resok: XdrCodec<SETATTR3resok> = objWcc;
export const SETATTR3resfail: XdrCodec<SETATTR3resfail> = objWcc;
export type SETATTR3res = NfsResult<SETATTR3resok, SETATTR3resfail>;
export const SETATTR3res = nfsResult(SETATTR3resok, SETATTR3resfail, 'SETATTR3res');

/* ACCESS */
export interface ACCESS3args {
  object: nfs_fh3;
  /** ACCESS3_* bits asked about. */
  access: number;
}
export const ACCESS3args: XdrCodec<ACCESS3args> = {
  encode(w, v) {
    nfs_fh3.encode(w, v.object);
    w.uint(v.access, 'ACCESS3args.access');
  },
  decode(r) {
    const object = nfs_fh3.decode(r);
    const access = r.uint('ACCESS3args.access');
    return { object, access };
  },
};
export interface ACCESS3resok {
  obj_attributes: post_op_attr;
  /** The subset of the asked bits that are granted. */
  access: number;
}
export const ACCESS3resok: XdrCodec<ACCESS3resok> = {
  encode(w, v) {
    post_op_attr.encode(w, v.obj_attributes);
    w.uint(v.access, 'ACCESS3resok.access');
  },
  decode(r) {
    const obj_attributes = post_op_attr.decode(r);
    const access = r.uint('ACCESS3resok.access');
    return { obj_attributes, access };
  },
};
export interface ACCESS3resfail {
  obj_attributes: post_op_attr;
}
export const ACCESS3resfail: XdrCodec<ACCESS3resfail> = {
  encode: (w, v) => post_op_attr.encode(w, v.obj_attributes),
  decode: (r) => ({ obj_attributes: post_op_attr.decode(r) }),
};
export type ACCESS3res = NfsResult<ACCESS3resok, ACCESS3resfail>;
export const ACCESS3res = nfsResult(ACCESS3resok, ACCESS3resfail, 'ACCESS3res');
