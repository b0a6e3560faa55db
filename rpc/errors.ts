/*
 * Typed errors of the rpc/ layer.
 *
 * One base class, RpcError, with a stable `code` string, the BSD errno the condition maps to
 * (sockets/errno.ts values: EPROGUNAVAIL 74, EAUTH 80, ...) and an optional `cause`. Every class
 * below is a subclass. `RpcError.isRpcError(e)` is a brand check that works across two loaded
 * copies of this package (instanceof does not); across copies, identify a subclass by `code`.
 *
 * Codes used here:
 *   ERR_XDR_DECODE            XdrDecodeError            EBADRPC   malformed input; carries the byte offset
 *   ERR_XDR_ENCODE            XdrEncodeError            EINVAL    a value that cannot be encoded (programmer error)
 *   ERR_RPC_PROG_UNAVAIL      RpcProgUnavailError       EPROGUNAVAIL   accept_stat PROG_UNAVAIL
 *   ERR_RPC_PROG_MISMATCH     RpcProgMismatchError      EPROGMISMATCH  accept_stat PROG_MISMATCH (low, high)
 *   ERR_RPC_PROC_UNAVAIL      RpcProcUnavailError       EPROCUNAVAIL   accept_stat PROC_UNAVAIL
 *   ERR_RPC_GARBAGE_ARGS      RpcGarbageArgsError       EBADRPC   accept_stat GARBAGE_ARGS
 *   ERR_RPC_SYSTEM_ERR        RpcSystemError            EIO       accept_stat SYSTEM_ERR
 *   ERR_RPC_MISMATCH          RpcMismatchError          ERPCMISMATCH   reject_stat RPC_MISMATCH (low, high)
 *   ERR_RPC_AUTH              RpcAuthError              EAUTH     reject_stat AUTH_ERROR (auth_stat)
 *   ERR_RPC_RECORD_TOO_LARGE  RpcRecordTooLargeError    EMSGSIZE  a record beyond the reader's bound (RFC 5531 §11)
 *   ERR_RPC_RECORD_TRUNCATED  RpcRecordTruncatedError   EBADRPC   the stream ended inside a record
 *   ERR_RPC_UADDR             RpcUaddrError             EINVAL    a malformed universal address (RFC 1833)
 *
 * Reserved for the RPC client (rpc/client), which defines them as RpcError subclasses:
 *   ERR_RPC_TIMEOUT (ETIMEDOUT), ERR_RPC_INTERRUPTED (EINTR), ERR_RPC_CANTSEND and
 *   ERR_RPC_CANTRECV (the errno sosend/soreceive returned, e.g. ECONNRESET, EPIPE), and
 *   ERR_RPC_CLOSED (the client was closed with calls pending).
 *
 * accept_stat and reject_stat map to classes through the two tables at the end of this file
 * (`replyError`), the reverse of what OpenBSD's nfs_rephead does for its server side.
 */

import { EAUTH, EBADRPC, EINVAL, EIO, EMSGSIZE, EPROCUNAVAIL, EPROGMISMATCH, EPROGUNAVAIL, ERPCMISMATCH } from '../sockets/errno.js';
import {
  AUTH_ERROR, GARBAGE_ARGS, MSG_ACCEPTED, PROC_UNAVAIL, PROG_MISMATCH, PROG_UNAVAIL, RPC_MISMATCH, SUCCESS,
  SYSTEM_ERR, authStatName,
} from './msg/constants.js';
import type { RpcReplyHeader } from './msg/reply.js';

const kRpcError = Symbol.for('sonfs.rpc.RpcError');

/** What call an error belongs to, when the caller knows (filled in by the RPC client). */
export interface RpcCallInfo {
  xid?: number;
  prog?: number;
  vers?: number;
  proc?: number;
}

export interface RpcErrorOptions {
  code: string;
  errno: number;
  cause?: unknown;
  call?: RpcCallInfo;
}

export class RpcError extends Error {
  override name = 'RpcError';
  /** Stable machine-readable code ('ERR_RPC_PROG_UNAVAIL' ...). */
  readonly code: string;
  /** BSD errno value (sockets/errno.ts). */
  readonly errno: number;
  /** The call this error belongs to, when known. */
  readonly call: RpcCallInfo | undefined;

  constructor(message: string, options: RpcErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.errno = options.errno;
    this.call = options.call;
  }

  /** True for any RpcError, including one made by another loaded copy of this package. */
  static isRpcError(e: unknown): e is RpcError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[kRpcError] === true;
  }
}
Object.defineProperty(RpcError.prototype, kRpcError, { value: true });

/** Malformed XDR input. `offset` is the byte offset into the message where decoding failed. */
export class XdrDecodeError extends RpcError {
  override name = 'XdrDecodeError';
  readonly offset: number;
  /** What was being read ('opaque', 'fattr3', 'filename3' ...). */
  readonly what: string;

  constructor(message: string, offset: number, what: string, cause?: unknown) {
    super(`XDR decode error at offset ${offset} reading ${what}: ${message}`, { code: 'ERR_XDR_DECODE', errno: EBADRPC, cause });
    this.offset = offset;
    this.what = what;
  }
}

/** A value that cannot be encoded: out of range, over its declared maximum, wrong type. */
export class XdrEncodeError extends RpcError {
  override name = 'XdrEncodeError';
  readonly what: string;

  constructor(message: string, what: string) {
    super(`XDR encode error writing ${what}: ${message}`, { code: 'ERR_XDR_ENCODE', errno: EINVAL });
    this.what = what;
  }
}

function callText(call: RpcCallInfo | undefined): string {
  if (call === undefined || call.prog === undefined) return '';
  return ` (program ${call.prog} version ${call.vers ?? '?'} procedure ${call.proc ?? '?'})`;
}

export class RpcProgUnavailError extends RpcError {
  override name = 'RpcProgUnavailError';
  readonly accept_stat = PROG_UNAVAIL;
  constructor(call?: RpcCallInfo) {
    super(`RPC program not available${callText(call)}`, { code: 'ERR_RPC_PROG_UNAVAIL', errno: EPROGUNAVAIL, call });
  }
}

export class RpcProgMismatchError extends RpcError {
  override name = 'RpcProgMismatchError';
  readonly accept_stat = PROG_MISMATCH;
  constructor(readonly low: number, readonly high: number, call?: RpcCallInfo) {
    super(`RPC program version wrong, server supports ${low}..${high}${callText(call)}`, {
      code: 'ERR_RPC_PROG_MISMATCH', errno: EPROGMISMATCH, call,
    });
  }
}

export class RpcProcUnavailError extends RpcError {
  override name = 'RpcProcUnavailError';
  readonly accept_stat = PROC_UNAVAIL;
  constructor(call?: RpcCallInfo) {
    super(`RPC procedure not available${callText(call)}`, { code: 'ERR_RPC_PROC_UNAVAIL', errno: EPROCUNAVAIL, call });
  }
}

export class RpcGarbageArgsError extends RpcError {
  override name = 'RpcGarbageArgsError';
  readonly accept_stat = GARBAGE_ARGS;
  constructor(call?: RpcCallInfo) {
    super(`RPC server could not decode the arguments${callText(call)}`, { code: 'ERR_RPC_GARBAGE_ARGS', errno: EBADRPC, call });
  }
}

export class RpcSystemError extends RpcError {
  override name = 'RpcSystemError';
  readonly accept_stat = SYSTEM_ERR;
  constructor(call?: RpcCallInfo) {
    super(`RPC server system error${callText(call)}`, { code: 'ERR_RPC_SYSTEM_ERR', errno: EIO, call });
  }
}

export class RpcMismatchError extends RpcError {
  override name = 'RpcMismatchError';
  readonly reject_stat = RPC_MISMATCH;
  constructor(readonly low: number, readonly high: number, call?: RpcCallInfo) {
    super(`RPC version wrong, server supports ${low}..${high}${callText(call)}`, { code: 'ERR_RPC_MISMATCH', errno: ERPCMISMATCH, call });
  }
}

export class RpcAuthError extends RpcError {
  override name = 'RpcAuthError';
  readonly reject_stat = AUTH_ERROR;
  constructor(readonly auth_stat: number, call?: RpcCallInfo) {
    super(`RPC authentication error: ${authStatName(auth_stat)}${callText(call)}`, { code: 'ERR_RPC_AUTH', errno: EAUTH, call });
  }
}

/** A record (after reassembly of its fragments) longer than the reader's bound. */
export class RpcRecordTooLargeError extends RpcError {
  override name = 'RpcRecordTooLargeError';
  constructor(readonly size: number, readonly max: number) {
    super(`RPC record of at least ${size} bytes exceeds the maximum of ${max}`, { code: 'ERR_RPC_RECORD_TOO_LARGE', errno: EMSGSIZE });
  }
}

/** The byte stream ended inside a record mark or a fragment. */
export class RpcRecordTruncatedError extends RpcError {
  override name = 'RpcRecordTruncatedError';
  constructor(readonly buffered: number) {
    super(`RPC byte stream ended inside a record (${buffered} bytes pending)`, { code: 'ERR_RPC_RECORD_TRUNCATED', errno: EBADRPC });
  }
}

/** A malformed universal address (RFC 1833 §2.2 / RFC 5665). */
export class RpcUaddrError extends RpcError {
  override name = 'RpcUaddrError';
  constructor(readonly uaddr: string, reason: string) {
    super(`bad universal address ${JSON.stringify(uaddr)}: ${reason}`, { code: 'ERR_RPC_UADDR', errno: EINVAL });
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
