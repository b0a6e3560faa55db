import { describe, expect, it } from 'vitest';
import { EBADRPC, EINVAL, EMSGSIZE } from '../../sockets/errno.js';
import {
  RpcError, RpcProgUnavailError, RpcRecordTooLargeError, RpcRecordTruncatedError, RpcUaddrError, XdrDecodeError,
  XdrEncodeError,
} from '../../rpc/errors.js';

describe('rpc/errors', () => {
  it('gives every class a stable code, a BSD errno and a name', () => {
    const cases: [RpcError, string, number, string][] = [
      [new XdrDecodeError('bad', 12, 'fattr3'), 'ERR_XDR_DECODE', EBADRPC, 'XdrDecodeError'],
      [new XdrEncodeError('bad', 'uint'), 'ERR_XDR_ENCODE', EINVAL, 'XdrEncodeError'],
      [new RpcRecordTooLargeError(10, 5), 'ERR_RPC_RECORD_TOO_LARGE', EMSGSIZE, 'RpcRecordTooLargeError'],
      [new RpcRecordTruncatedError(3), 'ERR_RPC_RECORD_TRUNCATED', EBADRPC, 'RpcRecordTruncatedError'],
      [new RpcUaddrError('x', 'why'), 'ERR_RPC_UADDR', EINVAL, 'RpcUaddrError'],
    ];
    for (const [e, code, errno, name] of cases) {
      expect(e).toBeInstanceOf(RpcError);
      expect(e).toBeInstanceOf(Error);
      expect([e.code, e.errno, e.name]).toEqual([code, errno, name]);
    }
  });

  it('puts the offset and what was read into a decode error\'s message and fields', () => {
    const e = new XdrDecodeError('nonzero padding', 13, 'filename3');
    expect(e.offset).toBe(13);
    expect(e.what).toBe('filename3');
    expect(e.message).toBe('XDR decode error at offset 13 reading filename3: nonzero padding');
  });

  it('keeps a cause', () => {
    const cause = new Error('root');
    expect(new XdrDecodeError('x', 0, 'y', cause).cause).toBe(cause);
    expect(new RpcError('m', { code: 'ERR_RPC_TIMEOUT', errno: 60, cause }).cause).toBe(cause);
  });

  it('brand-checks errors made by another copy of the class, and nothing else', () => {
    /* A second copy of the package would define its own class with the same global symbol brand. */
    const foreign = Object.create({ [Symbol.for('sonfs.rpc.RpcError')]: true }) as object;
    expect(RpcError.isRpcError(foreign)).toBe(true);
    expect(RpcError.isRpcError(new RpcProgUnavailError())).toBe(true);
    expect(RpcError.isRpcError(new Error('x'))).toBe(false);
    expect(RpcError.isRpcError(null)).toBe(false);
    expect(RpcError.isRpcError({ code: 'ERR_RPC_AUTH' })).toBe(false);
  });

  it('lets the client define its own subclasses (timeout, interrupted ...)', () => {
    class RpcTimeoutError extends RpcError {
      override name = 'RpcTimeoutError';
      constructor() {
        super('timed out', { code: 'ERR_RPC_TIMEOUT', errno: 60, call: { xid: 1 } });
      }
    }
    const e = new RpcTimeoutError();
    expect(RpcError.isRpcError(e)).toBe(true);
    expect(e.call).toEqual({ xid: 1 });
    expect(e.errno).toBe(60);
  });
});
