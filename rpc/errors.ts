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
 * accept_stat and reject_stat map to classes through the two tables of msg/reply.ts
 * (`replyError`), the reverse of what OpenBSD's nfs_rephead does for its server side.
 *
 * Where they are declared: RpcError in rpc-error.ts, the XDR errors in xdr/errors.ts (so the XDR
 * reader and writer need nothing else of this layer), the rest here; this file exports them all.
 */

import {
  EAUTH, EBADRPC, EINVAL, EIO, EMSGSIZE, EPROCUNAVAIL, EPROGMISMATCH, EPROGUNAVAIL, ERPCMISMATCH,
} from '../sockets/index.js';
import {
  AUTH_ERROR, GARBAGE_ARGS, PROC_UNAVAIL, PROG_MISMATCH, PROG_UNAVAIL, RPC_MISMATCH, SYSTEM_ERR, authStatName,
} from './msg/constants.js';
import { RpcError } from './rpc-error.js';
import type { RpcCallInfo } from './rpc-error.js';

export { RpcError } from './rpc-error.js';
export type { RpcCallInfo, RpcErrorOptions } from './rpc-error.js';
export { XdrDecodeError, XdrEncodeError } from './xdr/errors.js';

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
