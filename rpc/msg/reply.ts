/*
 * The reply side of rpc_msg (RFC 5531 §9):
 *
 *   union reply_body switch (reply_stat stat) {
 *     case MSG_ACCEPTED: accepted_reply areply;
 *     case MSG_DENIED:   rejected_reply rreply;
 *   };
 *   struct accepted_reply {
 *     opaque_auth verf;
 *     union switch (accept_stat stat) {
 *       case SUCCESS:       opaque results[0];   (procedure-specific results follow)
 *       case PROG_MISMATCH: struct { unsigned int low; unsigned int high; } mismatch_info;
 *       default:            void;                (PROG_UNAVAIL, PROC_UNAVAIL, GARBAGE_ARGS, SYSTEM_ERR)
 *     } reply_data;
 *   };
 *   union rejected_reply switch (reject_stat stat) {
 *     case RPC_MISMATCH: struct { unsigned int low; unsigned int high; } mismatch_info;
 *     case AUTH_ERROR:   auth_stat stat;
 *   };
 */

import { opaque_auth } from '../auth/opaque-auth.js';
import {
  RpcAuthError, RpcGarbageArgsError, RpcMismatchError, RpcProcUnavailError, RpcProgMismatchError, RpcProgUnavailError,
  RpcSystemError,
} from '../errors.js';
import type { RpcCallInfo, RpcError } from '../errors.js';
import type { XdrReader } from '../xdr/reader.js';
import type { XdrWriter } from '../xdr/writer.js';
import {
  AUTH_ERROR, GARBAGE_ARGS, MAX_AUTH_BYTES, MSG_ACCEPTED, MSG_DENIED, PROC_UNAVAIL, PROG_MISMATCH, PROG_UNAVAIL, REPLY,
  RPC_MISMATCH, SUCCESS, SYSTEM_ERR,
} from './constants.js';

export interface mismatch_info {
  low: number;
  high: number;
}

/** MSG_ACCEPTED with SUCCESS (results follow) or a status that carries nothing. */
export interface RpcAcceptedReplyHeader {
  xid: number;
  reply_stat: typeof MSG_ACCEPTED;
  verf: opaque_auth;
  accept_stat: typeof SUCCESS | typeof PROG_UNAVAIL | typeof PROC_UNAVAIL | typeof GARBAGE_ARGS | typeof SYSTEM_ERR;
}

/** MSG_ACCEPTED with PROG_MISMATCH: the versions the server supports. */
export interface RpcProgMismatchReplyHeader {
  xid: number;
  reply_stat: typeof MSG_ACCEPTED;
  verf: opaque_auth;
  accept_stat: typeof PROG_MISMATCH;
  mismatch_info: mismatch_info;
}

/** MSG_DENIED with RPC_MISMATCH: the RPC versions the server supports. */
export interface RpcMismatchReplyHeader {
  xid: number;
  reply_stat: typeof MSG_DENIED;
  reject_stat: typeof RPC_MISMATCH;
  mismatch_info: mismatch_info;
}

/** MSG_DENIED with AUTH_ERROR: why. auth_stat may be a value RFC 5531 does not list. */
export interface RpcAuthErrorReplyHeader {
  xid: number;
  reply_stat: typeof MSG_DENIED;
  reject_stat: typeof AUTH_ERROR;
  auth_stat: number;
}

export type RpcReplyHeader = RpcAcceptedReplyHeader | RpcProgMismatchReplyHeader | RpcMismatchReplyHeader | RpcAuthErrorReplyHeader;

function mismatch(r: XdrReader): mismatch_info {
  const low = r.uint('mismatch_info.low');
  const high = r.uint('mismatch_info.high');
  return { low, high };
}

/**
 * Read a reply header, leaving the reader at the procedure's results (for SUCCESS; for the other
 * statuses nothing should follow). The verifier is skipped by its encoded length (at most 400
 * bytes), whatever its flavor; its body is returned as a view.
 * @throws XdrDecodeError if the message is not a REPLY, a status is outside the RFC's enums, or the
 *         bytes run out.
 */
export function decodeReplyHeader(r: XdrReader): RpcReplyHeader {
  const xid = r.uint('rpc_msg.xid');
  const at = r.offset;
  const mtype = r.enum(0, 1, 'rpc_msg.mtype');
  if (mtype !== REPLY) r.fail('not a REPLY message', 'rpc_msg.mtype', at);
  const stat = r.enum(MSG_ACCEPTED, MSG_DENIED, 'reply_body.stat');
  if (stat === MSG_ACCEPTED) {
    const flavor = r.int('accepted_reply.verf.flavor');
    const body = r.opaque(MAX_AUTH_BYTES, 'accepted_reply.verf.body');
    const accept = r.enum(0, SYSTEM_ERR, 'accepted_reply.stat');
    if (accept === PROG_MISMATCH) {
      return { xid, reply_stat: MSG_ACCEPTED, verf: { flavor, body }, accept_stat: PROG_MISMATCH, mismatch_info: mismatch(r) };
    }
    return { xid, reply_stat: MSG_ACCEPTED, verf: { flavor, body }, accept_stat: accept as RpcAcceptedReplyHeader['accept_stat'] };
  }
  const reject = r.enum(RPC_MISMATCH, AUTH_ERROR, 'rejected_reply.stat');
  if (reject === RPC_MISMATCH) return { xid, reply_stat: MSG_DENIED, reject_stat: RPC_MISMATCH, mismatch_info: mismatch(r) };
  return { xid, reply_stat: MSG_DENIED, reject_stat: AUTH_ERROR, auth_stat: r.int('rejected_reply.auth_stat') };
}

/**
 * decodeReplyHeader, then throw the typed error for anything but MSG_ACCEPTED/SUCCESS
 * (RpcProgUnavailError, RpcAuthError ...: see errors.ts). Returns the header of a successful reply.
 */
export function decodeSuccessfulReply(r: XdrReader, call?: RpcCallInfo): RpcAcceptedReplyHeader {
  const h = decodeReplyHeader(r);
  const e = replyError(h, call);
  if (e !== null) throw e;
  return h as RpcAcceptedReplyHeader;
}

/** Write a reply header (fake servers, tests); for SUCCESS the results follow. */
export function encodeReplyHeader(w: XdrWriter, h: RpcReplyHeader): void {
  w.uint(h.xid, 'rpc_msg.xid');
  w.uint(REPLY);
  w.enum(h.reply_stat, 'reply_body.stat', MSG_ACCEPTED, MSG_DENIED);
  if (h.reply_stat === MSG_ACCEPTED) {
    opaque_auth.encode(w, h.verf);
    w.enum(h.accept_stat, 'accepted_reply.stat', SUCCESS, SYSTEM_ERR);
    if (h.accept_stat === PROG_MISMATCH) {
      w.uint(h.mismatch_info.low, 'mismatch_info.low');
      w.uint(h.mismatch_info.high, 'mismatch_info.high');
    }
    return;
  }
  w.enum(h.reject_stat, 'rejected_reply.stat', RPC_MISMATCH, AUTH_ERROR);
  if (h.reject_stat === RPC_MISMATCH) {
    w.uint(h.mismatch_info.low, 'mismatch_info.low');
    w.uint(h.mismatch_info.high, 'mismatch_info.high');
  } else {
    w.enum(h.auth_stat, 'rejected_reply.auth_stat');
  }
}

type ErrorFactory<H> = (h: H, call: RpcCallInfo | undefined) => RpcError;
type Accepted = Extract<RpcReplyHeader, { reply_stat: typeof MSG_ACCEPTED }>;
type Denied = Exclude<RpcReplyHeader, Accepted>;

/* accept_stat → error (SUCCESS has none). */
const acceptStatErrors: Readonly<Record<number, ErrorFactory<Accepted>>> = {
  [PROG_UNAVAIL]: (_h, call) => new RpcProgUnavailError(call),
  [PROG_MISMATCH]: (h, call) =>
    'mismatch_info' in h ? new RpcProgMismatchError(h.mismatch_info.low, h.mismatch_info.high, call) : new RpcProgMismatchError(0, 0, call),
  [PROC_UNAVAIL]: (_h, call) => new RpcProcUnavailError(call),
  [GARBAGE_ARGS]: (_h, call) => new RpcGarbageArgsError(call),
  [SYSTEM_ERR]: (_h, call) => new RpcSystemError(call),
};

/* reject_stat → error. */
const rejectStatErrors: Readonly<Record<number, ErrorFactory<Denied>>> = {
  [RPC_MISMATCH]: (h, call) =>
    'mismatch_info' in h ? new RpcMismatchError(h.mismatch_info.low, h.mismatch_info.high, call) : new RpcMismatchError(0, 0, call),
  [AUTH_ERROR]: (h, call) => new RpcAuthError('auth_stat' in h ? h.auth_stat : -1, call),
};

/**
 * The error a decoded reply header stands for, or null for MSG_ACCEPTED/SUCCESS (the results
 * follow). Pure table lookup; decodeReplyHeader already rejected stats outside the RFC's enums.
 */
export function replyError(h: RpcReplyHeader, call?: RpcCallInfo): RpcError | null {
  if (h.reply_stat === MSG_ACCEPTED) {
    if (h.accept_stat === SUCCESS) return null;
    const make = acceptStatErrors[h.accept_stat];
    return make === undefined ? new RpcSystemError(call) : make(h, call);
  }
  const make = rejectStatErrors[h.reject_stat];
  return make === undefined ? new RpcAuthError(-1, call) : make(h, call);
}
