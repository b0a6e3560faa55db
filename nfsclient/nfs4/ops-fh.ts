/*
 * The current and saved filehandle, and names (RFC 7530 §16.22–16.25, §16.9, §16.13–16.14,
 * §16.30–16.31): PUTFH, PUTROOTFH, PUTPUBFH, GETFH, SAVEFH, RESTOREFH, LOOKUP, LOOKUPP.
 *
 *   struct PUTFH4args { nfs_fh4 object; };          struct GETFH4resok { nfs_fh4 object; };
 *   struct LOOKUP4args { component4 objname; };
 *   (PUTROOTFH, PUTPUBFH, GETFH, SAVEFH, RESTOREFH, LOOKUPP take no arguments; all but GETFH
 *   return a status alone.)
 */

import type { XdrCodec } from '../../rpc/index.js';
import { component4, nfs_fh4 } from './basic.js';
import { nfs4Result, statusRes } from './result.js';
import type { Nfs4Result, StatusRes } from './result.js';

export interface PUTFH4args {
  object: nfs_fh4;
}
export const PUTFH4args: XdrCodec<PUTFH4args> = {
  encode: (w, v) => nfs_fh4.encode(w, v.object),
  decode: (r) => ({ object: nfs_fh4.decode(r) }),
};
export type PUTFH4res = StatusRes;
export const PUTFH4res = statusRes('PUTFH4res');
export type PUTROOTFH4res = StatusRes;
export const PUTROOTFH4res = statusRes('PUTROOTFH4res');
export type PUTPUBFH4res = StatusRes;
export const PUTPUBFH4res = statusRes('PUTPUBFH4res');
export type SAVEFH4res = StatusRes;
export const SAVEFH4res = statusRes('SAVEFH4res');
export type RESTOREFH4res = StatusRes;
export const RESTOREFH4res = statusRes('RESTOREFH4res');

export interface GETFH4resok {
  object: nfs_fh4;
}
const GETFH4resok: XdrCodec<GETFH4resok> = {
  encode: (w, v) => nfs_fh4.encode(w, v.object),
  decode: (r) => ({ object: nfs_fh4.decode(r) }),
};
export type GETFH4res = Nfs4Result<GETFH4resok>;
export const GETFH4res = nfs4Result(GETFH4resok, 'resok4', 'GETFH4res');

export interface LOOKUP4args {
  objname: component4;
}
export const LOOKUP4args: XdrCodec<LOOKUP4args> = {
  encode: (w, v) => component4.encode(w, v.objname),
  decode: (r) => ({ objname: component4.decode(r) }),
};
export type LOOKUP4res = StatusRes;
export const LOOKUP4res = statusRes('LOOKUP4res');
export type LOOKUPP4res = StatusRes;
export const LOOKUPP4res = statusRes('LOOKUPP4res');
