/* FSSTAT, FSINFO, PATHCONF (RFC 1813 §3.3.18 – §3.3.20). */

import type { XdrCodec } from '../../rpc/index.js';
import { post_op_attr } from './attr.js';
import { nfs_fh3, nfstime3 } from './basic.js';
import { nfsResult } from './result.js';
import type { NfsResult } from './result.js';

const objAttributes: XdrCodec<{ obj_attributes: post_op_attr }> = {
  encode: (w, v) => post_op_attr.encode(w, v.obj_attributes),
  decode: (r) => ({ obj_attributes: post_op_attr.decode(r) }),
};

/* FSSTAT */
export interface FSSTAT3args {
  fsroot: nfs_fh3;
}
export const FSSTAT3args: XdrCodec<FSSTAT3args> = {
  encode: (w, v) => nfs_fh3.encode(w, v.fsroot),
  decode: (r) => ({ fsroot: nfs_fh3.decode(r) }),
};
export interface FSSTAT3resok {
  obj_attributes: post_op_attr;
  tbytes: bigint;
  fbytes: bigint;
  abytes: bigint;
  tfiles: bigint;
  ffiles: bigint;
  afiles: bigint;
  invarsec: number;
}
export const FSSTAT3resok: XdrCodec<FSSTAT3resok> = {
  encode(w, v) {
    post_op_attr.encode(w, v.obj_attributes);
    w.uhyper(v.tbytes, 'FSSTAT3resok.tbytes');
    w.uhyper(v.fbytes, 'FSSTAT3resok.fbytes');
    w.uhyper(v.abytes, 'FSSTAT3resok.abytes');
    w.uhyper(v.tfiles, 'FSSTAT3resok.tfiles');
    w.uhyper(v.ffiles, 'FSSTAT3resok.ffiles');
    w.uhyper(v.afiles, 'FSSTAT3resok.afiles');
    w.uint(v.invarsec, 'FSSTAT3resok.invarsec');
  },
  decode(r) {
    const obj_attributes = post_op_attr.decode(r);
    const tbytes = r.uhyper('FSSTAT3resok.tbytes');
    const fbytes = r.uhyper('FSSTAT3resok.fbytes');
    const abytes = r.uhyper('FSSTAT3resok.abytes');
    const tfiles = r.uhyper('FSSTAT3resok.tfiles');
    const ffiles = r.uhyper('FSSTAT3resok.ffiles');
    const afiles = r.uhyper('FSSTAT3resok.afiles');
    const invarsec = r.uint('FSSTAT3resok.invarsec');
    return { obj_attributes, tbytes, fbytes, abytes, tfiles, ffiles, afiles, invarsec };
  },
};
export interface FSSTAT3resfail {
  obj_attributes: post_op_attr;
}
export const FSSTAT3resfail: XdrCodec<FSSTAT3resfail> = objAttributes;
export type FSSTAT3res = NfsResult<FSSTAT3resok, FSSTAT3resfail>;
export const FSSTAT3res = nfsResult(FSSTAT3resok, FSSTAT3resfail, 'FSSTAT3res');

/* FSINFO */
export interface FSINFO3args {
  fsroot: nfs_fh3;
}
export const FSINFO3args: XdrCodec<FSINFO3args> = {
  encode: (w, v) => nfs_fh3.encode(w, v.fsroot),
  decode: (r) => ({ fsroot: nfs_fh3.decode(r) }),
};
export interface FSINFO3resok {
  obj_attributes: post_op_attr;
  rtmax: number;
  rtpref: number;
  rtmult: number;
  wtmax: number;
  wtpref: number;
  wtmult: number;
  dtpref: number;
  maxfilesize: bigint;
  time_delta: nfstime3;
  /** FSF3_LINK | FSF3_SYMLINK | FSF3_HOMOGENEOUS | FSF3_CANSETTIME bits. */
  properties: number;
}
export const FSINFO3resok: XdrCodec<FSINFO3resok> = {
  encode(w, v) {
    post_op_attr.encode(w, v.obj_attributes);
    w.uint(v.rtmax, 'FSINFO3resok.rtmax');
    w.uint(v.rtpref, 'FSINFO3resok.rtpref');
    w.uint(v.rtmult, 'FSINFO3resok.rtmult');
    w.uint(v.wtmax, 'FSINFO3resok.wtmax');
    w.uint(v.wtpref, 'FSINFO3resok.wtpref');
    w.uint(v.wtmult, 'FSINFO3resok.wtmult');
    w.uint(v.dtpref, 'FSINFO3resok.dtpref');
    w.uhyper(v.maxfilesize, 'FSINFO3resok.maxfilesize');
    nfstime3.encode(w, v.time_delta);
    w.uint(v.properties, 'FSINFO3resok.properties');
  },
  decode(r) {
    const obj_attributes = post_op_attr.decode(r);
    const rtmax = r.uint('FSINFO3resok.rtmax');
    const rtpref = r.uint('FSINFO3resok.rtpref');
    const rtmult = r.uint('FSINFO3resok.rtmult');
    const wtmax = r.uint('FSINFO3resok.wtmax');
    const wtpref = r.uint('FSINFO3resok.wtpref');
    const wtmult = r.uint('FSINFO3resok.wtmult');
    const dtpref = r.uint('FSINFO3resok.dtpref');
    const maxfilesize = r.uhyper('FSINFO3resok.maxfilesize');
    const time_delta = nfstime3.decode(r);
    const properties = r.uint('FSINFO3resok.properties');
    return { obj_attributes, rtmax, rtpref, rtmult, wtmax, wtpref, wtmult, dtpref, maxfilesize, time_delta, properties };
  },
};
export interface FSINFO3resfail {
  obj_attributes: post_op_attr;
}
export const FSINFO3resfail: XdrCodec<FSINFO3resfail> = objAttributes;
export type FSINFO3res = NfsResult<FSINFO3resok, FSINFO3resfail>;
export const FSINFO3res = nfsResult(FSINFO3resok, FSINFO3resfail, 'FSINFO3res');

/* PATHCONF */
export interface PATHCONF3args {
  object: nfs_fh3;
}
export const PATHCONF3args: XdrCodec<PATHCONF3args> = {
  encode: (w, v) => nfs_fh3.encode(w, v.object),
  decode: (r) => ({ object: nfs_fh3.decode(r) }),
};
export interface PATHCONF3resok {
  obj_attributes: post_op_attr;
  linkmax: number;
  name_max: number;
  no_trunc: boolean;
  chown_restricted: boolean;
  case_insensitive: boolean;
  case_preserving: boolean;
}
export const PATHCONF3resok: XdrCodec<PATHCONF3resok> = {
  encode(w, v) {
    post_op_attr.encode(w, v.obj_attributes);
    w.uint(v.linkmax, 'PATHCONF3resok.linkmax');
    w.uint(v.name_max, 'PATHCONF3resok.name_max');
    w.bool(v.no_trunc);
    w.bool(v.chown_restricted);
    w.bool(v.case_insensitive);
    w.bool(v.case_preserving);
  },
  decode(r) {
    const obj_attributes = post_op_attr.decode(r);
    const linkmax = r.uint('PATHCONF3resok.linkmax');
    const name_max = r.uint('PATHCONF3resok.name_max');
    const no_trunc = r.bool('PATHCONF3resok.no_trunc');
    const chown_restricted = r.bool('PATHCONF3resok.chown_restricted');
    const case_insensitive = r.bool('PATHCONF3resok.case_insensitive');
    const case_preserving = r.bool('PATHCONF3resok.case_preserving');
    return { obj_attributes, linkmax, name_max, no_trunc, chown_restricted, case_insensitive, case_preserving };
  },
};
export interface PATHCONF3resfail {
  obj_attributes: post_op_attr;
}
export const PATHCONF3resfail: XdrCodec<PATHCONF3resfail> = objAttributes;
export type PATHCONF3res = NfsResult<PATHCONF3resok, PATHCONF3resfail>;
export const PATHCONF3res = nfsResult(PATHCONF3resok, PATHCONF3resfail, 'PATHCONF3res');
