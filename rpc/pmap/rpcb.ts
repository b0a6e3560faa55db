/*
 * rpcbind version 3 and 4 types (RFC 1833 §2.1):
 *
 *   struct rpcb { unsigned int r_prog; unsigned int r_vers; string r_netid<>; string r_addr<>; string r_owner<>; };
 *   struct rp__list { rpcb rpcb_map; struct rp__list *rpcb_next; };
 *   typedef rp__list *rpcblist_ptr;
 *   struct rpcb_rmtcallargs { unsigned int prog; unsigned int vers; unsigned int proc; opaque args<>; };
 *   struct rpcb_rmtcallres { string addr<>; opaque results<>; };
 *   struct rpcb_entry { string r_maddr<>; string r_nc_netid<>; unsigned int r_nc_semantics;
 *                       string r_nc_protofmly<>; string r_nc_proto<>; };
 *   struct rpcb_entry_list { rpcb_entry rpcb_entry_map; struct rpcb_entry_list *rpcb_entry_next; };
 *   typedef rpcb_entry_list *rpcb_entry_list_ptr;
 *   struct netbuf { unsigned int maxlen; opaque buf<>; };
 *
 * The linked lists (rpcblist_ptr, rpcb_entry_list_ptr) are arrays here, read and written
 * iteratively; an rp__list node is one element. The strings the RFC leaves unbounded get the
 * maxima in constants.ts. (rpcb_stat_byvers, GETSTAT's result, is not implemented.)
 */

import { rpcProcedure } from '../msg/procedure.js';
import type { XdrCodec } from '../xdr/codec.js';
import { xdr_bool, xdr_string, xdr_u_int, xdr_void } from '../xdr/codec.js';
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';
import {
  RPCBPROC_BCAST, RPCBPROC_CALLIT, RPCBPROC_DUMP, RPCBPROC_GETADDR, RPCBPROC_GETADDRLIST, RPCBPROC_GETTIME,
  RPCBPROC_GETVERSADDR, RPCBPROC_INDIRECT, RPCBPROC_NULL, RPCBPROC_SET, RPCBPROC_TADDR2UADDR,
  RPCBPROC_UADDR2TADDR, RPCBPROC_UNSET, RPCB_MAXADDRLEN, RPCB_MAXCALLDATA, RPCB_MAXNETBUF,
  RPCB_MAXNETIDLEN, RPCB_MAXOWNERLEN,
} from './constants.js';

export interface rpcb {
  r_prog: number;
  r_vers: number;
  /** Network id: "tcp", "udp", "tcp6", "udp6", "local" ... (RFC 5665). */
  r_netid: string;
  /** Universal address (uaddr.ts parses it); "" in GETADDR results means not registered. */
  r_addr: string;
  r_owner: string;
}

export const rpcb: XdrCodec<rpcb> = {
  encode(w, v) {
    w.uint(v.r_prog, 'rpcb.r_prog');
    w.uint(v.r_vers, 'rpcb.r_vers');
    w.string(v.r_netid, RPCB_MAXNETIDLEN, 'rpcb.r_netid');
    w.string(v.r_addr, RPCB_MAXADDRLEN, 'rpcb.r_addr');
    w.string(v.r_owner, RPCB_MAXOWNERLEN, 'rpcb.r_owner');
  },
  decode(r) {
    const r_prog = r.uint('rpcb.r_prog');
    const r_vers = r.uint('rpcb.r_vers');
    const r_netid = r.string(RPCB_MAXNETIDLEN, 'rpcb.r_netid');
    const r_addr = r.string(RPCB_MAXADDRLEN, 'rpcb.r_addr');
    const r_owner = r.string(RPCB_MAXOWNERLEN, 'rpcb.r_owner');
    return { r_prog, r_vers, r_netid, r_addr, r_owner };
  },
};

/** One rp__list node: an rpcb (its rpcb_next is the next array element). */
export type rp__list = rpcb;

const rpcbItem = (w: XdrWriter, v: rpcb): void => rpcb.encode(w, v);
const readRpcb = (r: XdrReader): rpcb => rpcb.decode(r);

/** rpcblist_ptr (the result of RPCBPROC_DUMP): every registration, in server order. */
export const rpcblist_ptr: XdrCodec<rpcb[]> = {
  encode: (w, v) => w.list(v, rpcbItem),
  decode: (r) => r.list(readRpcb, undefined, 'rpcblist_ptr'),
};

export interface rpcb_rmtcallargs {
  prog: number;
  vers: number;
  proc: number;
  args: Buffer;
}

export const rpcb_rmtcallargs: XdrCodec<rpcb_rmtcallargs> = {
  encode(w, v) {
    w.uint(v.prog, 'rpcb_rmtcallargs.prog');
    w.uint(v.vers, 'rpcb_rmtcallargs.vers');
    w.uint(v.proc, 'rpcb_rmtcallargs.proc');
    w.opaque(v.args, RPCB_MAXCALLDATA, 'rpcb_rmtcallargs.args');
  },
  decode(r) {
    const prog = r.uint('rpcb_rmtcallargs.prog');
    const vers = r.uint('rpcb_rmtcallargs.vers');
    const proc = r.uint('rpcb_rmtcallargs.proc');
    const args = r.opaque(RPCB_MAXCALLDATA, 'rpcb_rmtcallargs.args');
    return { prog, vers, proc, args };
  },
};

export interface rpcb_rmtcallres {
  addr: string;
  results: Buffer;
}

export const rpcb_rmtcallres: XdrCodec<rpcb_rmtcallres> = {
  encode(w, v) {
    w.string(v.addr, RPCB_MAXADDRLEN, 'rpcb_rmtcallres.addr');
    w.opaque(v.results, RPCB_MAXCALLDATA, 'rpcb_rmtcallres.results');
  },
  decode(r) {
    const addr = r.string(RPCB_MAXADDRLEN, 'rpcb_rmtcallres.addr');
    const results = r.opaque(RPCB_MAXCALLDATA, 'rpcb_rmtcallres.results');
    return { addr, results };
  },
};

export interface rpcb_entry {
  r_maddr: string;
  r_nc_netid: string;
  r_nc_semantics: number;
  r_nc_protofmly: string;
  r_nc_proto: string;
}

export const rpcb_entry: XdrCodec<rpcb_entry> = {
  encode(w, v) {
    w.string(v.r_maddr, RPCB_MAXADDRLEN, 'rpcb_entry.r_maddr');
    w.string(v.r_nc_netid, RPCB_MAXNETIDLEN, 'rpcb_entry.r_nc_netid');
    w.uint(v.r_nc_semantics, 'rpcb_entry.r_nc_semantics');
    w.string(v.r_nc_protofmly, RPCB_MAXNETIDLEN, 'rpcb_entry.r_nc_protofmly');
    w.string(v.r_nc_proto, RPCB_MAXNETIDLEN, 'rpcb_entry.r_nc_proto');
  },
  decode(r) {
    const r_maddr = r.string(RPCB_MAXADDRLEN, 'rpcb_entry.r_maddr');
    const r_nc_netid = r.string(RPCB_MAXNETIDLEN, 'rpcb_entry.r_nc_netid');
    const r_nc_semantics = r.uint('rpcb_entry.r_nc_semantics');
    const r_nc_protofmly = r.string(RPCB_MAXNETIDLEN, 'rpcb_entry.r_nc_protofmly');
    const r_nc_proto = r.string(RPCB_MAXNETIDLEN, 'rpcb_entry.r_nc_proto');
    return { r_maddr, r_nc_netid, r_nc_semantics, r_nc_protofmly, r_nc_proto };
  },
};

const entryItem = (w: XdrWriter, v: rpcb_entry): void => rpcb_entry.encode(w, v);
const readEntry = (r: XdrReader): rpcb_entry => rpcb_entry.decode(r);

/** rpcb_entry_list_ptr (the result of RPCBPROC_GETADDRLIST). */
export const rpcb_entry_list_ptr: XdrCodec<rpcb_entry[]> = {
  encode: (w, v) => w.list(v, entryItem),
  decode: (r) => r.list(readEntry, undefined, 'rpcb_entry_list_ptr'),
};

export interface netbuf {
  maxlen: number;
  buf: Buffer;
}

export const netbuf: XdrCodec<netbuf> = {
  encode(w, v) {
    w.uint(v.maxlen, 'netbuf.maxlen');
    w.opaque(v.buf, RPCB_MAXNETBUF, 'netbuf.buf');
  },
  decode(r) {
    const maxlen = r.uint('netbuf.maxlen');
    const buf = r.opaque(RPCB_MAXNETBUF, 'netbuf.buf');
    return { maxlen, buf };
  },
};

const uaddr = xdr_string(RPCB_MAXADDRLEN, 'uaddr');

/** rpcbind version 3 procedures (RFC 1833 §2.2). GETADDR answers a universal address ("" if none). */
export const RPCB3_PROCEDURES = {
  NULL: rpcProcedure(RPCBPROC_NULL, 'RPCBPROC_NULL', xdr_void, xdr_void),
  SET: rpcProcedure(RPCBPROC_SET, 'RPCBPROC_SET', rpcb, xdr_bool),
  UNSET: rpcProcedure(RPCBPROC_UNSET, 'RPCBPROC_UNSET', rpcb, xdr_bool),
  GETADDR: rpcProcedure(RPCBPROC_GETADDR, 'RPCBPROC_GETADDR', rpcb, uaddr),
  DUMP: rpcProcedure(RPCBPROC_DUMP, 'RPCBPROC_DUMP', xdr_void, rpcblist_ptr),
  CALLIT: rpcProcedure(RPCBPROC_CALLIT, 'RPCBPROC_CALLIT', rpcb_rmtcallargs, rpcb_rmtcallres),
  GETTIME: rpcProcedure(RPCBPROC_GETTIME, 'RPCBPROC_GETTIME', xdr_void, xdr_u_int),
  UADDR2TADDR: rpcProcedure(RPCBPROC_UADDR2TADDR, 'RPCBPROC_UADDR2TADDR', uaddr, netbuf),
  TADDR2UADDR: rpcProcedure(RPCBPROC_TADDR2UADDR, 'RPCBPROC_TADDR2UADDR', netbuf, uaddr),
} as const;

/** rpcbind version 4 procedures (RFC 1833 §2.2): version 3's, CALLIT renamed BCAST, and four more. */
export const RPCB4_PROCEDURES = {
  NULL: RPCB3_PROCEDURES.NULL,
  SET: RPCB3_PROCEDURES.SET,
  UNSET: RPCB3_PROCEDURES.UNSET,
  GETADDR: RPCB3_PROCEDURES.GETADDR,
  DUMP: RPCB3_PROCEDURES.DUMP,
  BCAST: rpcProcedure(RPCBPROC_BCAST, 'RPCBPROC_BCAST', rpcb_rmtcallargs, rpcb_rmtcallres),
  GETTIME: RPCB3_PROCEDURES.GETTIME,
  UADDR2TADDR: RPCB3_PROCEDURES.UADDR2TADDR,
  TADDR2UADDR: RPCB3_PROCEDURES.TADDR2UADDR,
  GETVERSADDR: rpcProcedure(RPCBPROC_GETVERSADDR, 'RPCBPROC_GETVERSADDR', rpcb, uaddr),
  INDIRECT: rpcProcedure(RPCBPROC_INDIRECT, 'RPCBPROC_INDIRECT', rpcb_rmtcallargs, rpcb_rmtcallres),
  GETADDRLIST: rpcProcedure(RPCBPROC_GETADDRLIST, 'RPCBPROC_GETADDRLIST', rpcb, rpcb_entry_list_ptr),
} as const;
