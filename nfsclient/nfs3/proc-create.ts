/*
 * CREATE, MKDIR, SYMLINK, MKNOD (RFC 1813 §3.3.8 – §3.3.11). Their results share one shape:
 *
 *   struct XXX3resok { post_op_fh3 obj; post_op_attr obj_attributes; wcc_data dir_wcc; };
 *   struct XXX3resfail { wcc_data dir_wcc; };
 *
 *   union createhow3 switch (createmode3 mode) {
 *     case UNCHECKED: case GUARDED: sattr3 obj_attributes;
 *     case EXCLUSIVE: createverf3 verf;
 *   };
 *   struct symlinkdata3 { sattr3 symlink_attributes; nfspath3 symlink_data; };
 *   struct devicedata3 { sattr3 dev_attributes; specdata3 spec; };
 *   union mknoddata3 switch (ftype3 type) {
 *     case NF3CHR: case NF3BLK: devicedata3 device;
 *     case NF3SOCK: case NF3FIFO: sattr3 pipe_attributes;
 *     default: void;
 *   };
 */

import type { XdrCodec } from '../../rpc/index.js';
import { post_op_attr, post_op_fh3, wcc_data } from './attr.js';
import { createverf3, diropargs3, nfspath3, specdata3, xdr_ftype3 } from './basic.js';
import {
  EXCLUSIVE, GUARDED, NF3BLK, NF3CHR, NF3DIR, NF3FIFO, NF3LNK, NF3REG, NF3SOCK, UNCHECKED,
} from './constants.js';
import { nfsResult } from './result.js';
import type { NfsResult } from './result.js';
import { sattr3 } from './sattr.js';

/* The shared result arms. */
export interface CREATE3resok {
  obj: post_op_fh3;
  obj_attributes: post_op_attr;
  dir_wcc: wcc_data;
}
export const CREATE3resok: XdrCodec<CREATE3resok> = {
  encode(w, v) {
    post_op_fh3.encode(w, v.obj);
    post_op_attr.encode(w, v.obj_attributes);
    wcc_data.encode(w, v.dir_wcc);
  },
  decode(r) {
    const obj = post_op_fh3.decode(r);
    const obj_attributes = post_op_attr.decode(r);
    const dir_wcc = wcc_data.decode(r);
    return { obj, obj_attributes, dir_wcc };
  },
};
export interface CREATE3resfail {
  dir_wcc: wcc_data;
}
export const CREATE3resfail: XdrCodec<CREATE3resfail> = {
  encode: (w, v) => wcc_data.encode(w, v.dir_wcc),
  decode: (r) => ({ dir_wcc: wcc_data.decode(r) }),
};

/* CREATE */
export type createhow3 =
  | { mode: typeof UNCHECKED | typeof GUARDED; obj_attributes: sattr3 }
  | { mode: typeof EXCLUSIVE; verf: Buffer };
export const createhow3: XdrCodec<createhow3> = {
  encode(w, v) {
    w.enum(v.mode, 'createhow3.mode', UNCHECKED, EXCLUSIVE);
    if (v.mode === EXCLUSIVE) createverf3.encode(w, v.verf);
    else sattr3.encode(w, v.obj_attributes);
  },
  decode(r) {
    const mode = r.enum(UNCHECKED, EXCLUSIVE, 'createhow3.mode');
    if (mode === EXCLUSIVE) return { mode, verf: createverf3.decode(r) };
    return { mode: mode as typeof UNCHECKED | typeof GUARDED, obj_attributes: sattr3.decode(r) };
  },
};
export interface CREATE3args {
  where: diropargs3;
  how: createhow3;
}
export const CREATE3args: XdrCodec<CREATE3args> = {
  encode(w, v) {
    diropargs3.encode(w, v.where);
    createhow3.encode(w, v.how);
  },
  decode(r) {
    const where = diropargs3.decode(r);
    const how = createhow3.decode(r);
    return { where, how };
  },
};
export type CREATE3res = NfsResult<CREATE3resok, CREATE3resfail>;
export const CREATE3res = nfsResult(CREATE3resok, CREATE3resfail, 'CREATE3res');

/* MKDIR */
export interface MKDIR3args {
  where: diropargs3;
  attributes: sattr3;
}
export const MKDIR3args: XdrCodec<MKDIR3args> = {
  encode(w, v) {
    diropargs3.encode(w, v.where);
    sattr3.encode(w, v.attributes);
  },
  decode(r) {
    const where = diropargs3.decode(r);
    const attributes = sattr3.decode(r);
    return { where, attributes };
  },
};
export type MKDIR3resok = CREATE3resok;
export type MKDIR3resfail = CREATE3resfail;
export const MKDIR3resok = CREATE3resok;
export const MKDIR3resfail = CREATE3resfail;
export type MKDIR3res = NfsResult<MKDIR3resok, MKDIR3resfail>;
export const MKDIR3res = nfsResult(MKDIR3resok, MKDIR3resfail, 'MKDIR3res');

/* SYMLINK */
export interface symlinkdata3 {
  symlink_attributes: sattr3;
  symlink_data: string;
}
export const symlinkdata3: XdrCodec<symlinkdata3> = {
  encode(w, v) {
    sattr3.encode(w, v.symlink_attributes);
    nfspath3.encode(w, v.symlink_data);
  },
  decode(r) {
    const symlink_attributes = sattr3.decode(r);
    const symlink_data = nfspath3.decode(r);
    return { symlink_attributes, symlink_data };
  },
};
export interface SYMLINK3args {
  where: diropargs3;
  symlink: symlinkdata3;
}
export const SYMLINK3args: XdrCodec<SYMLINK3args> = {
  encode(w, v) {
    diropargs3.encode(w, v.where);
    symlinkdata3.encode(w, v.symlink);
  },
  decode(r) {
    const where = diropargs3.decode(r);
    const symlink = symlinkdata3.decode(r);
    return { where, symlink };
  },
};
export type SYMLINK3resok = CREATE3resok;
export type SYMLINK3resfail = CREATE3resfail;
export const SYMLINK3resok = CREATE3resok;
export const SYMLINK3resfail = CREATE3resfail;
export type SYMLINK3res = NfsResult<SYMLINK3resok, SYMLINK3resfail>;
export const SYMLINK3res = nfsResult(SYMLINK3resok, SYMLINK3resfail, 'SYMLINK3res');

/* MKNOD */
export interface devicedata3 {
  dev_attributes: sattr3;
  spec: specdata3;
}
export const devicedata3: XdrCodec<devicedata3> = {
  encode(w, v) {
    sattr3.encode(w, v.dev_attributes);
    specdata3.encode(w, v.spec);
  },
  decode(r) {
    const dev_attributes = sattr3.decode(r);
    const spec = specdata3.decode(r);
    return { dev_attributes, spec };
  },
};
export type mknoddata3 =
  | { type: typeof NF3CHR | typeof NF3BLK; device: devicedata3 }
  | { type: typeof NF3SOCK | typeof NF3FIFO; pipe_attributes: sattr3 }
  | { type: typeof NF3REG | typeof NF3DIR | typeof NF3LNK };
export const mknoddata3: XdrCodec<mknoddata3> = {
  encode(w, v) {
    xdr_ftype3.encode(w, v.type);
    if (v.type === NF3CHR || v.type === NF3BLK) devicedata3.encode(w, v.device);
    else if (v.type === NF3SOCK || v.type === NF3FIFO) sattr3.encode(w, v.pipe_attributes);
  },
  decode(r) {
    const type = xdr_ftype3.decode(r);
    if (type === NF3CHR || type === NF3BLK) return { type, device: devicedata3.decode(r) };
    if (type === NF3SOCK || type === NF3FIFO) return { type, pipe_attributes: sattr3.decode(r) };
    return { type };
  },
};
export interface MKNOD3args {
  where: diropargs3;
  what: mknoddata3;
}
export const MKNOD3args: XdrCodec<MKNOD3args> = {
  encode(w, v) {
    diropargs3.encode(w, v.where);
    mknoddata3.encode(w, v.what);
  },
  decode(r) {
    const where = diropargs3.decode(r);
    const what = mknoddata3.decode(r);
    return { where, what };
  },
};
export type MKNOD3resok = CREATE3resok;
export type MKNOD3resfail = CREATE3resfail;
export const MKNOD3resok = CREATE3resok;
export const MKNOD3resfail = CREATE3resfail;
export type MKNOD3res = NfsResult<MKNOD3resok, MKNOD3resfail>;
export const MKNOD3res = nfsResult(MKNOD3resok, MKNOD3resfail, 'MKNOD3res');
