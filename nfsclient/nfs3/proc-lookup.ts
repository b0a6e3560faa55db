/* LOOKUP, READLINK (RFC 1813 §3.3.3, §3.3.5). */

import type { XdrCodec } from '../../rpc/index.js';
import { post_op_attr } from './attr.js';
import { diropargs3, nfs_fh3, nfspath3 } from './basic.js';
import { nfsResult } from './result.js';
import type { NfsResult } from './result.js';

/* LOOKUP */
export interface LOOKUP3args {
  what: diropargs3;
}
export const LOOKUP3args: XdrCodec<LOOKUP3args> = {
  encode: (w, v) => diropargs3.encode(w, v.what),
  decode: (r) => ({ what: diropargs3.decode(r) }),
};
export interface LOOKUP3resok {
  object: nfs_fh3;
  obj_attributes: post_op_attr;
  dir_attributes: post_op_attr;
}
export const LOOKUP3resok: XdrCodec<LOOKUP3resok> = {
  encode(w, v) {
    nfs_fh3.encode(w, v.object);
    post_op_attr.encode(w, v.obj_attributes);
    post_op_attr.encode(w, v.dir_attributes);
  },
  decode(r) {
    const object = nfs_fh3.decode(r);
    const obj_attributes = post_op_attr.decode(r);
    const dir_attributes = post_op_attr.decode(r);
    return { object, obj_attributes, dir_attributes };
  },
};
export interface LOOKUP3resfail {
  dir_attributes: post_op_attr;
}
export const LOOKUP3resfail: XdrCodec<LOOKUP3resfail> = {
  encode: (w, v) => post_op_attr.encode(w, v.dir_attributes),
  decode: (r) => ({ dir_attributes: post_op_attr.decode(r) }),
};
export type LOOKUP3res = NfsResult<LOOKUP3resok, LOOKUP3resfail>;
export const LOOKUP3res = nfsResult(LOOKUP3resok, LOOKUP3resfail, 'LOOKUP3res');

/* READLINK */
export interface READLINK3args {
  symlink: nfs_fh3;
}
export const READLINK3args: XdrCodec<READLINK3args> = {
  encode: (w, v) => nfs_fh3.encode(w, v.symlink),
  decode: (r) => ({ symlink: nfs_fh3.decode(r) }),
};
export interface READLINK3resok {
  symlink_attributes: post_op_attr;
  data: nfspath3;
}
export const READLINK3resok: XdrCodec<READLINK3resok> = {
  encode(w, v) {
    post_op_attr.encode(w, v.symlink_attributes);
    nfspath3.encode(w, v.data);
  },
  decode(r) {
    const symlink_attributes = post_op_attr.decode(r);
    const data = nfspath3.decode(r);
    return { symlink_attributes, data };
  },
};
export interface READLINK3resfail {
  symlink_attributes: post_op_attr;
}
export const READLINK3resfail: XdrCodec<READLINK3resfail> = {
  encode: (w, v) => post_op_attr.encode(w, v.symlink_attributes),
  decode: (r) => ({ symlink_attributes: post_op_attr.decode(r) }),
};
export type READLINK3res = NfsResult<READLINK3resok, READLINK3resfail>;
export const READLINK3res = nfsResult(READLINK3resok, READLINK3resfail, 'READLINK3res');
