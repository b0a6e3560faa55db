/*
 * A codec is one XDR type's encoder and decoder side by side (libnfs's two-way zdr_* routines,
 * js-xdr's one type per file). Codecs for RFC types are named exactly as the RFC names the type:
 * `export interface fattr3 {...}` and `export const fattr3: XdrCodec<fattr3>`.
 */

import type { XdrReader } from './reader.js';
import type { XdrWriter } from './writer.js';

export interface XdrCodec<T> {
  encode(w: XdrWriter, v: T): void;
  decode(r: XdrReader): T;
}

/** void (RFC 4506 §4.16): no bytes. The args/results of NULL procedures. */
export const xdr_void: XdrCodec<void> = {
  encode() {},
  decode() {},
};

/** bool as a codec (PMAPPROC_SET results ...). */
export const xdr_bool: XdrCodec<boolean> = {
  encode: (w, v) => w.bool(v),
  decode: (r) => r.bool(),
};

/** unsigned int as a codec (PMAPPROC_GETPORT results ...). */
export const xdr_u_int: XdrCodec<number> = {
  encode: (w, v) => w.uint(v),
  decode: (r) => r.uint(),
};

/** A string<max> codec. */
export function xdr_string(max: number, what = 'string<>'): XdrCodec<string> {
  return {
    encode: (w, v) => w.string(v, max, what),
    decode: (r) => r.string(max, what),
  };
}

/** Optional-data of a codec: T | null. */
export function xdr_optional<T>(c: XdrCodec<T>, what = 'optional'): XdrCodec<T | null> {
  const item = (w: XdrWriter, v: T): void => c.encode(w, v);
  const read = (r: XdrReader): T => c.decode(r);
  return {
    encode: (w, v) => w.optional(v, item),
    decode: (r) => r.optional(read, what),
  };
}

/** A linked list (`struct x { T item; x *next; }`) as a codec of T[], both ways iterative. */
export function xdr_list<T>(c: XdrCodec<T>, what = 'list', max?: number): XdrCodec<T[]> {
  const item = (w: XdrWriter, v: T): void => c.encode(w, v);
  const read = (r: XdrReader): T => c.decode(r);
  return {
    encode: (w, v) => w.list(v, item),
    decode: (r) => r.list(read, max, what),
  };
}
