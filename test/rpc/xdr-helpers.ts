/* Helpers for the codec tests: encode to bytes, build chains of any shape, decode from them. */

import fc from 'fast-check';
import { M_PKTHDR, Mbuf, m_tobuf, m_wrap } from '../../sockets/mbuf.js';
import type { XdrCodec } from '../../rpc/xdr/codec.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { XdrWriter } from '../../rpc/xdr/writer.js';

/** Encode with a fresh writer and return the bytes as one Buffer. */
export function encode<T>(codec: XdrCodec<T>, v: T): Buffer {
  const w = new XdrWriter();
  codec.encode(w, v);
  return m_tobuf(w.finish());
}

/**
 * A chain holding `buf` cut at the given offsets (each a separate mbuf sharing buf's memory),
 * with zero-length mbufs wherever an offset repeats.
 */
export function chainOf(buf: Buffer, cuts: readonly number[] = []): Mbuf {
  const points = [...cuts].filter((c) => c >= 0 && c <= buf.length).sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let prev = 0;
  for (const c of points) {
    parts.push(buf.subarray(prev, c));
    prev = c;
  }
  parts.push(buf.subarray(prev));
  const ms = parts.map((p) => m_wrap(p));
  for (let i = 1; i < ms.length; i++) ms[i]!.m_flags &= ~M_PKTHDR;
  for (let i = 0; i < ms.length - 1; i++) ms[i]!.m_next = ms[i + 1]!;
  ms[0]!.m_pkthdr.len = buf.length;
  return ms[0]!;
}

/** A chain of one-byte mbufs (the worst chunking). */
export function byteChain(buf: Buffer): Mbuf {
  return chainOf(buf, Array.from({ length: buf.length }, (_, i) => i));
}

/** Decode a whole message, requiring every byte consumed. */
export function decode<T>(codec: XdrCodec<T>, m: Mbuf | Buffer): T {
  const r = Buffer.isBuffer(m) ? XdrReader.fromBuffer(m) : new XdrReader(m);
  const v = codec.decode(r);
  r.ensureInputConsumed();
  return v;
}

/** decode(encode(v)) from one Buffer, from one-byte mbufs, and from the given cuts. */
export function roundTrips<T>(codec: XdrCodec<T>, v: T, cuts: readonly number[] = []): { bytes: Buffer; values: T[] } {
  const bytes = encode(codec, v);
  return {
    bytes,
    values: [decode(codec, bytes), decode(codec, byteChain(bytes)), decode(codec, chainOf(bytes, cuts))],
  };
}

/** The error a function throws (fails the test if it does not throw). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an exception');
}

/* fast-check arbitraries for RFC 1813 / RFC 4506 primitive types. */
export const arb = {
  uint32: () => fc.integer({ min: 0, max: 0xffffffff }),
  uint64: () => fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  bytes: (max: number) => fc.uint8Array({ maxLength: max }).map((u) => Buffer.from(u)),
  fixedBytes: (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((u) => Buffer.from(u)),
  /** Strings whose UTF-8 encoding is at most `maxBytes`. */
  name: (maxBytes: number) => fc.string({ unit: 'grapheme', maxLength: maxBytes }).filter((s) => Buffer.byteLength(s) <= maxBytes),
  cuts: (max: number) => fc.array(fc.integer({ min: 0, max }), { maxLength: 8 }),
};

/** fast-check settings used by every property: fixed seed, a few hundred runs. */
export const fcParams = { seed: 0x5eed, numRuns: 300 } as const;
