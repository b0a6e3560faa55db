/*
 * The XDR errors (RpcError subclasses: errors.ts): malformed input and values that cannot be
 * encoded. Apart from the RPC message errors so that the XDR reader and writer depend on nothing
 * above them.
 */
import { EBADRPC, EINVAL } from '../../sockets/index.js';
import { RpcError } from '../rpc-error.js';

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
