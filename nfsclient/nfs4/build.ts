/*
 * COMPOUND builders: one function per operation, named after it, returning the typed operation
 * to put in a COMPOUND's list:
 *
 *   client.compound([putfh(dir), lookup('a'), getfh(), getattr(NFS4_STAT_ATTRS)])
 *
 * They only shape arguments (defaults: the anonymous stateid where the RFC allows it, a zero
 * cookie verifier, no create attributes); nothing is sent or checked here.
 */

import { ANONYMOUS_STATEID } from './basic.js';
import type { stateid4 } from './basic.js';
import type { bitmap4 } from './bitmap4.js';
import type { ReadInto } from './compound.js';
import { NF4BLK, NF4CHR, NF4DIR, NF4FIFO, NF4LNK, NF4SOCK, UNSTABLE4 } from './constants.js';
import type { stable_how4 } from './constants.js';
import { emptyFattr4, fattr4Of } from './fattr4.js';
import type { Fattr4Values, fattr4 } from './fattr4.js';
import * as O from './opnum.js';

const ZERO_VERF = Buffer.alloc(8);

export const putfh = (object: Buffer) => ({ argop: O.OP_PUTFH, args: { object } }) as const;
export const putrootfh = () => ({ argop: O.OP_PUTROOTFH }) as const;
export const getfh = () => ({ argop: O.OP_GETFH }) as const;
export const savefh = () => ({ argop: O.OP_SAVEFH }) as const;
export const restorefh = () => ({ argop: O.OP_RESTOREFH }) as const;
export const lookup = (objname: string) => ({ argop: O.OP_LOOKUP, args: { objname } }) as const;
export const lookupp = () => ({ argop: O.OP_LOOKUPP }) as const;
export const getattr = (attr_request: bitmap4) => ({ argop: O.OP_GETATTR, args: { attr_request } }) as const;
export const access = (bits: number) => ({ argop: O.OP_ACCESS, args: { access: bits } }) as const;
export const readlink = () => ({ argop: O.OP_READLINK }) as const;
export const remove = (target: string) => ({ argop: O.OP_REMOVE, args: { target } }) as const;
/** RENAME from the saved filehandle's directory (oldname) to the current one's (newname). */
export const rename = (oldname: string, newname: string) => ({ argop: O.OP_RENAME, args: { oldname, newname } }) as const;
/** LINK the saved filehandle into the current directory as newname. */
export const link = (newname: string) => ({ argop: O.OP_LINK, args: { newname } }) as const;
export const commit = (offset = 0n, count = 0) => ({ argop: O.OP_COMMIT, args: { offset, count } }) as const;
export const verify = (obj_attributes: fattr4) => ({ argop: O.OP_VERIFY, args: { obj_attributes } }) as const;
export const nverify = (obj_attributes: fattr4) => ({ argop: O.OP_NVERIFY, args: { obj_attributes } }) as const;

/** SETATTR of the given values; the stateid must be an open's when the size changes. */
export const setattr = (values: Fattr4Values, stateid: stateid4 = ANONYMOUS_STATEID) =>
  ({ argop: O.OP_SETATTR, args: { stateid, obj_attributes: fattr4Of(values) } }) as const;

/** READ, its data a view on the reply, copied into `into`, or (mbuf) left in the reply's mbufs. */
export function read(stateid: stateid4, offset: bigint, count: number): { argop: typeof O.OP_READ; args: { stateid: stateid4; offset: bigint; count: number } };
export function read(stateid: stateid4, offset: bigint, count: number, into: ReadInto): { argop: typeof O.OP_READ; args: { stateid: stateid4; offset: bigint; count: number }; into: ReadInto };
export function read(stateid: stateid4, offset: bigint, count: number, into: 'mbuf'): { argop: typeof O.OP_READ; args: { stateid: stateid4; offset: bigint; count: number }; mbuf: true };
export function read(stateid: stateid4, offset: bigint, count: number, into?: ReadInto | 'mbuf') {
  const args = { stateid, offset, count };
  if (into === undefined) return { argop: O.OP_READ, args };
  if (into === 'mbuf') return { argop: O.OP_READ, args, mbuf: true as const };
  return { argop: O.OP_READ, args, into };
}

/** WRITE (data sent by reference: leave it unchanged until the call settles). */
export const write = (stateid: stateid4, offset: bigint, data: Buffer, stable: stable_how4 = UNSTABLE4) =>
  ({ argop: O.OP_WRITE, args: { stateid, offset, stable, data } }) as const;

export const readdir = (cookie: bigint, cookieverf: Buffer, dircount: number, maxcount: number, attr_request: bitmap4) =>
  ({ argop: O.OP_READDIR, args: { cookie, cookieverf: cookie === 0n ? ZERO_VERF : cookieverf, dircount, maxcount, attr_request } }) as const;

/* CREATE of the non-regular types (regular files are made by OPEN). */
export const mkdir = (name: string, attrs: Fattr4Values = {}) =>
  ({ argop: O.OP_CREATE, args: { objtype: { type: NF4DIR }, objname: name, createattrs: fattr4Of(attrs) } }) as const;
export const symlink = (name: string, target: string, attrs: Fattr4Values = {}) =>
  ({ argop: O.OP_CREATE, args: { objtype: { type: NF4LNK, linkdata: target }, objname: name, createattrs: fattr4Of(attrs) } }) as const;
export const mknod = (name: string, type: typeof NF4BLK | typeof NF4CHR | typeof NF4SOCK | typeof NF4FIFO, attrs: Fattr4Values = {}, major = 0, minor = 0) =>
  ({
    argop: O.OP_CREATE,
    args: {
      objtype: type === NF4BLK || type === NF4CHR ? { type, devdata: { specdata1: major, specdata2: minor } } : { type },
      objname: name,
      createattrs: Object.keys(attrs).length === 0 ? emptyFattr4() : fattr4Of(attrs),
    },
  }) as const;
