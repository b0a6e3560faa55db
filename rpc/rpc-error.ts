/*
 * RpcError, the base class of every typed error of the rpc/ layer (errors.ts lists them all, with
 * their codes and errnos). Alone in its file so that every part of the layer can extend it
 * without importing the others.
 */

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
