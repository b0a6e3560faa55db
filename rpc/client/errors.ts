/*
 * The RPC client's own errors: the ERR_RPC_* codes rpc/errors.ts reserves for it, as RpcError
 * subclasses (stable `code`, BSD `errno`, `call` = the call they belong to).
 *
 *   ERR_RPC_TIMEOUT      RpcTimeoutError       ETIMEDOUT  a soft call ran out of retransmissions, or a per-call timeout
 *   ERR_RPC_INTERRUPTED  RpcInterruptedError   EINTR      the call's AbortSignal fired; its xid is forgotten
 *   ERR_RPC_CANTSEND     RpcCantSendError      (sosend's) the call cannot be sent at all (EMSGSIZE: larger than a datagram)
 *   ERR_RPC_CANTRECV     RpcCantRecvError      (soreceive's) reserved: the client reconnects instead of failing calls
 *   ERR_RPC_CANTCONNECT  RpcCantConnectError   (the connect error) a softConnect call found no server (ECONNREFUSED ...)
 *   ERR_RPC_CLOSED       RpcClosedError        ESHUTDOWN  the client was closed with the call pending
 *   ERR_RPC_QUEUE_FULL   RpcQueueFullError     ENOBUFS    maxInFlight calls in flight and maxQueued waiting
 */
import { EINTR, ENOBUFS, ESHUTDOWN, ETIMEDOUT, strerror } from '../../sockets/index.js';
import { RpcError } from '../errors.js';
import type { RpcCallInfo } from '../errors.js';

function callText(call: RpcCallInfo | undefined): string {
  if (call === undefined || call.prog === undefined) return '';
  return ` (program ${call.prog} version ${call.vers ?? '?'} procedure ${call.proc ?? '?'}${call.xid === undefined ? '' : `, xid ${call.xid}`})`;
}

/** No reply in time: a soft call after `retrans` retransmissions, or a call past its `timeout`. */
export class RpcTimeoutError extends RpcError {
  override name = 'RpcTimeoutError';
  constructor(
    /** Retransmissions made before giving up. */
    readonly retransmits: number,
    call?: RpcCallInfo,
    why = 'timed out',
  ) {
    super(`RPC call ${why} after ${retransmits} retransmission${retransmits === 1 ? '' : 's'}${callText(call)}`, {
      code: 'ERR_RPC_TIMEOUT', errno: ETIMEDOUT, call,
    });
  }
}

/** The call's AbortSignal fired (the `intr` mount option's job): the xid is forgotten. */
export class RpcInterruptedError extends RpcError {
  override name = 'RpcInterruptedError';
  constructor(call?: RpcCallInfo, cause?: unknown) {
    super(`RPC call interrupted${callText(call)}`, { code: 'ERR_RPC_INTERRUPTED', errno: EINTR, call, cause });
  }
}

/** The call can never be sent (sosend's errno, e.g. EMSGSIZE for a datagram too large). */
export class RpcCantSendError extends RpcError {
  override name = 'RpcCantSendError';
  constructor(errno: number, call?: RpcCallInfo) {
    super(`RPC: cannot send: ${strerror(errno)}${callText(call)}`, { code: 'ERR_RPC_CANTSEND', errno, call });
  }
}

/** Reserved: a receive error that fails a call (the client reconnects and resends instead). */
export class RpcCantRecvError extends RpcError {
  override name = 'RpcCantRecvError';
  constructor(errno: number, call?: RpcCallInfo) {
    super(`RPC: cannot receive: ${strerror(errno)}${callText(call)}`, { code: 'ERR_RPC_CANTRECV', errno, call });
  }
}

/** A softConnect call (Linux's RPC_TASK_SOFTCONN) found no server to connect to. */
export class RpcCantConnectError extends RpcError {
  override name = 'RpcCantConnectError';
  constructor(errno: number, readonly address: string, call?: RpcCallInfo) {
    super(`RPC: Remote system error - ${strerror(errno)} (connecting to ${address})${callText(call)}`, {
      code: 'ERR_RPC_CANTCONNECT', errno, call,
    });
  }
}

/** close() was called with the call pending (FreeBSD clnt_vc_close wakes such calls with ESHUTDOWN). */
export class RpcClosedError extends RpcError {
  override name = 'RpcClosedError';
  constructor(call?: RpcCallInfo) {
    super(`RPC client closed${callText(call)}`, { code: 'ERR_RPC_CLOSED', errno: ESHUTDOWN, call });
  }
}

/** maxInFlight calls are in flight and maxQueued more are waiting. */
export class RpcQueueFullError extends RpcError {
  override name = 'RpcQueueFullError';
  constructor(max: number, call?: RpcCallInfo) {
    super(`RPC client queue full (${max} calls waiting)${callText(call)}`, { code: 'ERR_RPC_QUEUE_FULL', errno: ENOBUFS, call });
  }
}
