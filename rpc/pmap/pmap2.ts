/*
 * Portmapper version 2 types (RFC 1833 §3.1):
 *
 *   struct mapping { unsigned int prog; unsigned int vers; unsigned int prot; unsigned int port; };
 *   struct *pmaplist { mapping map; pmaplist next; };
 *   struct call_args { unsigned int prog; unsigned int vers; unsigned int proc; opaque args<>; };
 *   struct call_result { unsigned int port; opaque res<>; };
 *
 * pmaplist, a linked list, is an array of `mapping` here, read and written iteratively.
 */

import { rpcProcedure } from '../msg/procedure.js';
import type { XdrCodec } from '../xdr/codec.js';
import { xdr_bool, xdr_u_int, xdr_void } from '../xdr/codec.js';
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';
import { PMAPPROC_CALLIT, PMAPPROC_DUMP, PMAPPROC_GETPORT, PMAPPROC_NULL, PMAPPROC_SET, PMAPPROC_UNSET, RPCB_MAXCALLDATA } from './constants.js';

export interface mapping {
  prog: number;
  vers: number;
  /** IPPROTO_TCP (6) or IPPROTO_UDP (17). */
  prot: number;
  port: number;
}

export const mapping: XdrCodec<mapping> = {
  encode(w, v) {
    w.uint(v.prog, 'mapping.prog');
    w.uint(v.vers, 'mapping.vers');
    w.uint(v.prot, 'mapping.prot');
    w.uint(v.port, 'mapping.port');
  },
  decode(r) {
    const prog = r.uint('mapping.prog');
    const vers = r.uint('mapping.vers');
    const prot = r.uint('mapping.prot');
    const port = r.uint('mapping.port');
    return { prog, vers, prot, port };
  },
};

const mappingItem = (w: XdrWriter, v: mapping): void => mapping.encode(w, v);
const readMapping = (r: XdrReader): mapping => mapping.decode(r);

/** pmaplist (the result of PMAPPROC_DUMP): every registered mapping, in server order. */
export const pmaplist: XdrCodec<mapping[]> = {
  encode: (w, v) => w.list(v, mappingItem),
  decode: (r) => r.list(readMapping, undefined, 'pmaplist'),
};

export interface call_args {
  prog: number;
  vers: number;
  proc: number;
  /** The encoded arguments of the procedure to call. */
  args: Buffer;
}

export const call_args: XdrCodec<call_args> = {
  encode(w, v) {
    w.uint(v.prog, 'call_args.prog');
    w.uint(v.vers, 'call_args.vers');
    w.uint(v.proc, 'call_args.proc');
    w.opaque(v.args, RPCB_MAXCALLDATA, 'call_args.args');
  },
  decode(r) {
    const prog = r.uint('call_args.prog');
    const vers = r.uint('call_args.vers');
    const proc = r.uint('call_args.proc');
    const args = r.opaque(RPCB_MAXCALLDATA, 'call_args.args');
    return { prog, vers, proc, args };
  },
};

export interface call_result {
  port: number;
  /** The encoded results of the called procedure. */
  res: Buffer;
}

export const call_result: XdrCodec<call_result> = {
  encode(w, v) {
    w.uint(v.port, 'call_result.port');
    w.opaque(v.res, RPCB_MAXCALLDATA, 'call_result.res');
  },
  decode(r) {
    const port = r.uint('call_result.port');
    const res = r.opaque(RPCB_MAXCALLDATA, 'call_result.res');
    return { port, res };
  },
};

/** PMAP v2 procedures (RFC 1833 §3.2). SET/UNSET answer a bool, GETPORT a port (0: not registered). */
export const PMAP2_PROCEDURES = {
  NULL: rpcProcedure(PMAPPROC_NULL, 'PMAPPROC_NULL', xdr_void, xdr_void),
  SET: rpcProcedure(PMAPPROC_SET, 'PMAPPROC_SET', mapping, xdr_bool),
  UNSET: rpcProcedure(PMAPPROC_UNSET, 'PMAPPROC_UNSET', mapping, xdr_bool),
  GETPORT: rpcProcedure(PMAPPROC_GETPORT, 'PMAPPROC_GETPORT', mapping, xdr_u_int),
  DUMP: rpcProcedure(PMAPPROC_DUMP, 'PMAPPROC_DUMP', xdr_void, pmaplist),
  CALLIT: rpcProcedure(PMAPPROC_CALLIT, 'PMAPPROC_CALLIT', call_args, call_result),
} as const;
