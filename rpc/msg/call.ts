/*
 * The call side of rpc_msg (RFC 5531 §9):
 *
 *   struct rpc_msg { unsigned int xid; union switch (msg_type mtype) { case CALL: call_body cbody; ... } };
 *   struct call_body { unsigned int rpcvers; unsigned int prog; unsigned int vers; unsigned int proc;
 *                      opaque_auth cred; opaque_auth verf; };   (procedure-specific parameters follow)
 */

import { opaque_auth } from '../auth/opaque-auth.js';
import type { RpcAuth } from '../auth/opaque-auth.js';
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';
import { CALL, RPC_VERSION } from './constants.js';

/** A decoded call header: rpc_msg's xid and the call_body up to (not including) the parameters. */
export interface RpcCallHeader {
  xid: number;
  rpcvers: number;
  prog: number;
  vers: number;
  proc: number;
  cred: opaque_auth;
  verf: opaque_auth;
}

/**
 * Write a call header (xid, CALL, rpcvers 2, prog, vers, proc, then the pre-encoded cred and verf
 * of `auth`); the procedure's arguments follow. This runs once per call (retransmissions reuse
 * the chain), and costs 24 bytes of writes plus one copy of the credential bytes.
 */
export function encodeCallHeader(w: XdrWriter, xid: number, prog: number, vers: number, proc: number, auth: RpcAuth): void {
  w.uint(xid, 'rpc_msg.xid');
  w.uint(CALL);
  w.uint(RPC_VERSION);
  w.uint(prog, 'call_body.prog');
  w.uint(vers, 'call_body.vers');
  w.uint(proc, 'call_body.proc');
  w.raw(auth.credverf);
}

/** Write any call header, field by field (tests: a wrong rpcvers, an odd credential ...). */
export function encodeCallHeaderFields(w: XdrWriter, h: RpcCallHeader): void {
  w.uint(h.xid, 'rpc_msg.xid');
  w.uint(CALL);
  w.uint(h.rpcvers, 'call_body.rpcvers');
  w.uint(h.prog, 'call_body.prog');
  w.uint(h.vers, 'call_body.vers');
  w.uint(h.proc, 'call_body.proc');
  opaque_auth.encode(w, h.cred);
  opaque_auth.encode(w, h.verf);
}

/**
 * Read a call header, leaving the reader at the procedure's parameters (fake servers, tracing).
 * rpcvers is returned as sent: answering a version other than 2 with RPC_MISMATCH is the
 * server's business. cred/verf bodies are views on the message.
 * @throws XdrDecodeError if the message is not a CALL or is malformed.
 */
export function decodeCallHeader(r: XdrReader): RpcCallHeader {
  const xid = r.uint('rpc_msg.xid');
  const at = r.offset;
  const mtype = r.enum(0, 1, 'rpc_msg.mtype');
  if (mtype !== CALL) r.fail('not a CALL message', 'rpc_msg.mtype', at);
  const rpcvers = r.uint('call_body.rpcvers');
  const prog = r.uint('call_body.prog');
  const vers = r.uint('call_body.vers');
  const proc = r.uint('call_body.proc');
  const cred = opaque_auth.decode(r);
  const verf = opaque_auth.decode(r);
  return { xid, rpcvers, prog, vers, proc, cred, verf };
}
