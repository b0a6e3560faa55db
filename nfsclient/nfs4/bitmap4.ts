/*
 * bitmap4 (RFC 7530 §3.3.7): `typedef uint32_t bitmap4<>`, bit n of the set being bit (n mod 32)
 * of word (n / 32). Here a number[] of its words, as sent: trailing zero words are kept, so a
 * decoded bitmap encodes to the same bytes.
 */

import { XdrEncodeError } from '../../rpc/index.js';
import type { XdrCodec } from '../../rpc/index.js';
import { NFS4_MAXBITMAPWORDS } from './constants.js';

export type bitmap4 = number[];

export const bitmap4: XdrCodec<bitmap4> = {
  encode(w, v) {
    const n = v.length;
    if (n > NFS4_MAXBITMAPWORDS) throw new XdrEncodeError(`${n} words exceed the maximum of ${NFS4_MAXBITMAPWORDS}`, 'bitmap4');
    w.uint(n, 'bitmap4');
    for (let i = 0; i < n; i++) w.uint(v[i]!, 'bitmap4 word');
  },
  decode(r) {
    const at = r.offset;
    const n = r.uint('bitmap4');
    if (n > NFS4_MAXBITMAPWORDS) r.fail(`${n} words exceed the maximum of ${NFS4_MAXBITMAPWORDS}`, 'bitmap4', at);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = r.uint('bitmap4 word');
    return out;
  },
};

/** The bitmap of a set of bit numbers (shortest form: no trailing zero words). */
export function bitmap4Of(bits: Iterable<number>): bitmap4 {
  const out: number[] = [];
  for (const b of bits) {
    if (!Number.isInteger(b) || b < 0 || b >= NFS4_MAXBITMAPWORDS * 32) throw new RangeError(`bitmap4: bit ${b} out of range`);
    const i = b >>> 5;
    while (out.length <= i) out.push(0);
    out[i] = (out[i]! | (1 << (b & 31))) >>> 0;
  }
  return out;
}

/** Whether bit `b` is set. */
export function bitmap4Has(bm: readonly number[], b: number): boolean {
  const i = b >>> 5;
  return i < bm.length && (bm[i]! & (1 << (b & 31))) !== 0;
}

/** The bit numbers set, in increasing order. */
export function bitmap4Bits(bm: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < bm.length; i++) {
    let word = bm[i]!;
    for (let j = 0; word !== 0; j++, word >>>= 1) if (word & 1) out.push(i * 32 + j);
  }
  return out;
}

/** The bits set in both. */
export function bitmap4And(a: readonly number[], b: readonly number[]): bitmap4 {
  const n = Math.min(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((a[i]! & b[i]!) >>> 0);
  while (out.length > 0 && out[out.length - 1] === 0) out.pop();
  return out;
}
