/*
 * Names in directories (RFC 7530 §16.4, §16.9, §16.24–16.28): CREATE, LINK, READDIR, READLINK,
 * REMOVE, RENAME.
 *
 *   union createtype4 switch (nfs_ftype4 type) {
 *     case NF4LNK: linktext4 linkdata;  case NF4BLK: case NF4CHR: specdata4 devdata;
 *     case NF4SOCK: case NF4FIFO: case NF4DIR: void;  default: void; };
 *   struct CREATE4args { createtype4 objtype; component4 objname; fattr4 createattrs; };
 *   struct CREATE4resok { change_info4 cinfo; bitmap4 attrset; };
 *   struct LINK4args { component4 newname; };   struct LINK4resok { change_info4 cinfo; };
 *   struct READDIR4args { nfs_cookie4 cookie; verifier4 cookieverf; count4 dircount; count4 maxcount;
 *                         bitmap4 attr_request; };
 *   struct entry4 { nfs_cookie4 cookie; component4 name; fattr4 attrs; entry4 *nextentry; };
 *   struct dirlist4 { entry4 *entries; bool eof; };
 *   struct READDIR4resok { verifier4 cookieverf; dirlist4 reply; };
 *   struct READLINK4resok { linktext4 link; };
 *   struct REMOVE4args { component4 target; };   struct REMOVE4resok { change_info4 cinfo; };
 *   struct RENAME4args { component4 oldname; component4 newname; };
 *   struct RENAME4resok { change_info4 source_cinfo; change_info4 target_cinfo; };
 */

import type { XdrCodec, XdrReader, XdrWriter } from '../../rpc/index.js';
import { change_info4, component4, linktext4, specdata4, verifier4 } from './basic.js';
import { bitmap4 } from './bitmap4.js';
import { NF4BLK, NF4CHR, NF4LNK, NF4NAMEDATTR, NF4REG } from './constants.js';
import type { nfs_ftype4 } from './constants.js';
import { fattr4 } from './fattr4.js';
import { nfs4Result } from './result.js';
import type { Nfs4Result } from './result.js';

export type createtype4 =
  | { type: typeof NF4LNK; linkdata: linktext4 }
  | { type: typeof NF4BLK | typeof NF4CHR; devdata: specdata4 }
  | { type: Exclude<nfs_ftype4, typeof NF4LNK | typeof NF4BLK | typeof NF4CHR> };
export const createtype4: XdrCodec<createtype4> = {
  encode(w, v) {
    w.enum(v.type, 'createtype4.type', NF4REG, NF4NAMEDATTR);
    if (v.type === NF4LNK) linktext4.encode(w, v.linkdata);
    else if (v.type === NF4BLK || v.type === NF4CHR) specdata4.encode(w, v.devdata);
  },
  decode(r) {
    const type = r.enum(NF4REG, NF4NAMEDATTR, 'createtype4.type') as nfs_ftype4;
    if (type === NF4LNK) return { type, linkdata: linktext4.decode(r) };
    if (type === NF4BLK || type === NF4CHR) return { type, devdata: specdata4.decode(r) };
    return { type } as createtype4;
  },
};

export interface CREATE4args {
  objtype: createtype4;
  objname: component4;
  createattrs: fattr4;
}
export const CREATE4args: XdrCodec<CREATE4args> = {
  encode(w, v) {
    createtype4.encode(w, v.objtype);
    component4.encode(w, v.objname);
    fattr4.encode(w, v.createattrs);
  },
  decode(r) {
    const objtype = createtype4.decode(r);
    const objname = component4.decode(r);
    return { objtype, objname, createattrs: fattr4.decode(r) };
  },
};
export interface CREATE4resok {
  cinfo: change_info4;
  attrset: bitmap4;
}
const CREATE4resok: XdrCodec<CREATE4resok> = {
  encode(w, v) {
    change_info4.encode(w, v.cinfo);
    bitmap4.encode(w, v.attrset);
  },
  decode(r) {
    const cinfo = change_info4.decode(r);
    return { cinfo, attrset: bitmap4.decode(r) };
  },
};
export type CREATE4res = Nfs4Result<CREATE4resok>;
export const CREATE4res = nfs4Result(CREATE4resok, 'resok4', 'CREATE4res');

export interface LINK4args {
  newname: component4;
}
export const LINK4args: XdrCodec<LINK4args> = {
  encode: (w, v) => component4.encode(w, v.newname),
  decode: (r) => ({ newname: component4.decode(r) }),
};
export interface LINK4resok {
  cinfo: change_info4;
}
const cinfoOnly: XdrCodec<{ cinfo: change_info4 }> = {
  encode: (w, v) => change_info4.encode(w, v.cinfo),
  decode: (r) => ({ cinfo: change_info4.decode(r) }),
};
export type LINK4res = Nfs4Result<LINK4resok>;
export const LINK4res = nfs4Result(cinfoOnly, 'resok4', 'LINK4res');

export interface READDIR4args {
  /** 0 to start; a cookie of a previous entry to continue after it. */
  cookie: bigint;
  /** All zeros with cookie 0; else the one the previous reply gave. */
  cookieverf: verifier4;
  /** Bytes of the names and cookies alone (a hint). */
  dircount: number;
  /** Bytes of the whole READDIR4resok at most. */
  maxcount: number;
  attr_request: bitmap4;
}
export const READDIR4args: XdrCodec<READDIR4args> = {
  encode(w, v) {
    w.uhyper(v.cookie, 'READDIR4args.cookie');
    verifier4.encode(w, v.cookieverf);
    w.uint(v.dircount, 'READDIR4args.dircount');
    w.uint(v.maxcount, 'READDIR4args.maxcount');
    bitmap4.encode(w, v.attr_request);
  },
  decode(r) {
    const cookie = r.uhyper('READDIR4args.cookie');
    const cookieverf = verifier4.decode(r);
    const dircount = r.uint('READDIR4args.dircount');
    const maxcount = r.uint('READDIR4args.maxcount');
    return { cookie, cookieverf, dircount, maxcount, attr_request: bitmap4.decode(r) };
  },
};
export interface entry4 {
  cookie: bigint;
  name: component4;
  attrs: fattr4;
}
const writeEntry = (w: XdrWriter, e: entry4): void => {
  w.uhyper(e.cookie, 'entry4.cookie');
  component4.encode(w, e.name);
  fattr4.encode(w, e.attrs);
};
const readEntry = (r: XdrReader): entry4 => {
  const cookie = r.uhyper('entry4.cookie');
  const name = component4.decode(r);
  return { cookie, name, attrs: fattr4.decode(r) };
};
export interface dirlist4 {
  entries: entry4[];
  eof: boolean;
}
export interface READDIR4resok {
  cookieverf: verifier4;
  reply: dirlist4;
}
const READDIR4resok: XdrCodec<READDIR4resok> = {
  encode(w, v) {
    verifier4.encode(w, v.cookieverf);
    w.list(v.reply.entries, writeEntry);
    w.bool(v.reply.eof);
  },
  decode(r) {
    const cookieverf = verifier4.decode(r);
    const entries = r.list(readEntry, undefined, 'entry4');
    return { cookieverf, reply: { entries, eof: r.bool('dirlist4.eof') } };
  },
};
export type READDIR4res = Nfs4Result<READDIR4resok>;
export const READDIR4res = nfs4Result(READDIR4resok, 'resok4', 'READDIR4res');

export interface READLINK4resok {
  link: linktext4;
}
const READLINK4resok: XdrCodec<READLINK4resok> = {
  encode: (w, v) => linktext4.encode(w, v.link),
  decode: (r) => ({ link: linktext4.decode(r) }),
};
export type READLINK4res = Nfs4Result<READLINK4resok>;
export const READLINK4res = nfs4Result(READLINK4resok, 'resok4', 'READLINK4res');

export interface REMOVE4args {
  target: component4;
}
export const REMOVE4args: XdrCodec<REMOVE4args> = {
  encode: (w, v) => component4.encode(w, v.target),
  decode: (r) => ({ target: component4.decode(r) }),
};
export interface REMOVE4resok {
  cinfo: change_info4;
}
export type REMOVE4res = Nfs4Result<REMOVE4resok>;
export const REMOVE4res = nfs4Result(cinfoOnly, 'resok4', 'REMOVE4res');

export interface RENAME4args {
  oldname: component4;
  newname: component4;
}
export const RENAME4args: XdrCodec<RENAME4args> = {
  encode(w, v) {
    component4.encode(w, v.oldname);
    component4.encode(w, v.newname);
  },
  decode(r) {
    const oldname = component4.decode(r);
    return { oldname, newname: component4.decode(r) };
  },
};
export interface RENAME4resok {
  source_cinfo: change_info4;
  target_cinfo: change_info4;
}
const RENAME4resok: XdrCodec<RENAME4resok> = {
  encode(w, v) {
    change_info4.encode(w, v.source_cinfo);
    change_info4.encode(w, v.target_cinfo);
  },
  decode(r) {
    const source_cinfo = change_info4.decode(r);
    return { source_cinfo, target_cinfo: change_info4.decode(r) };
  },
};
export type RENAME4res = Nfs4Result<RENAME4resok>;
export const RENAME4res = nfs4Result(RENAME4resok, 'resok4', 'RENAME4res');
