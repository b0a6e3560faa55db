/* REMOVE, RMDIR, RENAME, LINK (RFC 1813 §3.3.12 – §3.3.15). */

import type { XdrCodec } from '../../rpc/index.js';
import { post_op_attr, wcc_data } from './attr.js';
import { diropargs3, nfs_fh3 } from './basic.js';
import { nfsResult } from './result.js';
import type { NfsResult } from './result.js';

const dirWcc: XdrCodec<{ dir_wcc: wcc_data }> = {
  encode: (w, v) => wcc_data.encode(w, v.dir_wcc),
  decode: (r) => ({ dir_wcc: wcc_data.decode(r) }),
};

/* REMOVE */
export interface REMOVE3args {
  object: diropargs3;
}
export const REMOVE3args: XdrCodec<REMOVE3args> = {
  encode: (w, v) => diropargs3.encode(w, v.object),
  decode: (r) => ({ object: diropargs3.decode(r) }),
};
export interface REMOVE3resok {
  dir_wcc: wcc_data;
}
export interface REMOVE3resfail {
  dir_wcc: wcc_data;
}
export const REMOVE3resok: XdrCodec<REMOVE3resok> = dirWcc;
export const REMOVE3resfail: XdrCodec<REMOVE3resfail> = dirWcc;
export type REMOVE3res = NfsResult<REMOVE3resok, REMOVE3resfail>;
export const REMOVE3res = nfsResult(REMOVE3resok, REMOVE3resfail, 'REMOVE3res');

/* RMDIR */
export type RMDIR3args = REMOVE3args;
export const RMDIR3args = REMOVE3args;
export type RMDIR3resok = REMOVE3resok;
export type RMDIR3resfail = REMOVE3resfail;
export const RMDIR3resok = REMOVE3resok;
export const RMDIR3resfail = REMOVE3resfail;
export type RMDIR3res = NfsResult<RMDIR3resok, RMDIR3resfail>;
export const RMDIR3res = nfsResult(RMDIR3resok, RMDIR3resfail, 'RMDIR3res');

/* RENAME */
export interface RENAME3args {
  from: diropargs3;
  to: diropargs3;
}
export const RENAME3args: XdrCodec<RENAME3args> = {
  encode(w, v) {
    diropargs3.encode(w, v.from);
    diropargs3.encode(w, v.to);
  },
  decode(r) {
    const from = diropargs3.decode(r);
    const to = diropargs3.decode(r);
    return { from, to };
  },
};
export interface RENAME3resok {
  fromdir_wcc: wcc_data;
  todir_wcc: wcc_data;
}
export interface RENAME3resfail {
  fromdir_wcc: wcc_data;
  todir_wcc: wcc_data;
}
const renameWcc: XdrCodec<RENAME3resok> = {
  encode(w, v) {
    wcc_data.encode(w, v.fromdir_wcc);
    wcc_data.encode(w, v.todir_wcc);
  },
  decode(r) {
    const fromdir_wcc = wcc_data.decode(r);
    const todir_wcc = wcc_data.decode(r);
    return { fromdir_wcc, todir_wcc };
  },
};
export const RENAME3resok: XdrCodec<RENAME3resok> = renameWcc;
export const RENAME3resfail: XdrCodec<RENAME3resfail> = renameWcc;
export type RENAME3res = NfsResult<RENAME3resok, RENAME3resfail>;
export const RENAME3res = nfsResult(RENAME3resok, RENAME3resfail, 'RENAME3res');

/* LINK */
export interface LINK3args {
  file: nfs_fh3;
  link: diropargs3;
}
export const LINK3args: XdrCodec<LINK3args> = {
  encode(w, v) {
    nfs_fh3.encode(w, v.file);
    diropargs3.encode(w, v.link);
  },
  decode(r) {
    const file = nfs_fh3.decode(r);
    const link = diropargs3.decode(r);
    return { file, link };
  },
};
export interface LINK3resok {
  file_attributes: post_op_attr;
  linkdir_wcc: wcc_data;
}
export interface LINK3resfail {
  file_attributes: post_op_attr;
  linkdir_wcc: wcc_data;
}
const linkRes: XdrCodec<LINK3resok> = {
  encode(w, v) {
    post_op_attr.encode(w, v.file_attributes);
    wcc_data.encode(w, v.linkdir_wcc);
  },
  decode(r) {
    const file_attributes = post_op_attr.decode(r);
    const linkdir_wcc = wcc_data.decode(r);
    return { file_attributes, linkdir_wcc };
  },
};
export const LINK3resok: XdrCodec<LINK3resok> = linkRes;
export const LINK3resfail: XdrCodec<LINK3resfail> = linkRes;
export type LINK3res = NfsResult<LINK3resok, LINK3resfail>;
export const LINK3res = nfsResult(LINK3resok, LINK3resfail, 'LINK3res');
