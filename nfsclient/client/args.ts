/* Argument checks shared by the high tier, answering as Node does (RangeError/TypeError with Node's codes, or EINVAL). */
import { EINVAL } from '../../sockets/index.js';
import { NfsError } from '../errors.js';
import type { OpCtx } from './session.js';

const MAX_U64 = (1n << 64n) - 1n;

/** A RangeError with Node's ERR_OUT_OF_RANGE code. */
export function outOfRange(what: string, range: string, got: unknown): RangeError {
  const e = new RangeError(`The value of "${what}" is out of range. It must be ${range}. Received ${String(got)}`);
  (e as RangeError & { code: string }).code = 'ERR_OUT_OF_RANGE';
  return e;
}

/** A TypeError with Node's ERR_INVALID_ARG_TYPE code. */
export function invalidArgType(what: string, expected: string, got: unknown): TypeError {
  const e = new TypeError(`The "${what}" argument must be ${expected}. Received ${typeof got}`);
  (e as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
  return e;
}

/**
 * A file position: null for "the current position" (null, undefined, -1), else a bigint in
 * 0 .. 2^64 - 1 (numbers must be safe integers).
 */
export function toPosition(p: unknown): bigint | null {
  if (p === null || p === undefined || p === -1 || p === -1n) return null;
  if (typeof p === 'number' && Number.isSafeInteger(p) && p >= 0) return BigInt(p);
  if (typeof p === 'bigint' && p >= 0n && p <= MAX_U64) return p;
  throw outOfRange('position', '>= 0 and <= 2 ** 64 - 1 (or -1 / null for the current position)', p);
}

/** A length or size argument: a non-negative safe integer or bigint, as bigint. */
export function toLength(v: unknown, what: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'bigint' && v >= 0n && v <= MAX_U64) return v;
  throw outOfRange(what, '>= 0 and <= 2 ** 64 - 1', v);
}

/** A mode: a number, or an octal string ('644'), masked to 0o7777. */
export function toMode(mode: unknown, dflt: number, ctx: OpCtx): number {
  if (mode === undefined || mode === null) return dflt;
  if (typeof mode === 'number' && Number.isInteger(mode) && mode >= 0) return mode & 0o7777;
  if (typeof mode === 'string' && /^[0-7]+$/.test(mode)) return parseInt(mode, 8) & 0o7777;
  throw new NfsError(EINVAL, { ...ctx, detail: `invalid mode ${JSON.stringify(mode)}` });
}

/** A Buffer view of any ArrayBufferView (no copy). */
export function asBuffer(v: ArrayBufferView): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** True for an ArrayBufferView (Buffer, TypedArray, DataView). */
export function isView(v: unknown): v is ArrayBufferView {
  return ArrayBuffer.isView(v);
}
