/*
 * Property-based fuzzing of the NFSv4 decoders (fixed seed and a few hundred runs in `npm test`,
 * far more in `npm run fuzz`: params.ts):
 *
 * - fattr4 and COMPOUND replies (checked against the request they answer) round-trip whatever
 *   the chunking;
 * - the same encodings with a byte changed, cut short, or with words inserted or removed either
 *   throw XdrDecodeError (at an offset inside the input) or decode to a value that encodes back to
 *   exactly the bytes consumed — the decoder invents nothing and loses nothing. The one exception
 *   is text: a string whose bytes are no longer UTF-8 decodes with U+FFFD in place of them (as
 *   every name does, v3's too), so its value must then survive a second round trip unchanged;
 * - random bytes into either decoder throw nothing but XdrDecodeError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XdrDecodeError } from '../../rpc/errors.js';
import type { XdrCodec } from '../../rpc/xdr/codec.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { COMPOUND4resCodec } from '../../nfsclient/nfs4/compound.js';
import { fattr4 } from '../../nfsclient/nfs4/fattr4.js';
import { arbCompound, arbFattr4, arbOp } from '../nfs4/nfs4-arbitraries.js';
import { arb, chainOf, encode } from '../rpc/xdr-helpers.js';
import { params } from './params.js';

type Mutation = { kind: 'byte'; at: number; value: number } | { kind: 'cut'; at: number } | { kind: 'insert'; at: number; word: number } | { kind: 'remove'; at: number };
const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), word: fc.constantFrom(0, 1, 2, 3, 0xff, 0x7fffffff, 0xffffffff) }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
);

function mutate(bytes: Buffer, m: Mutation): Buffer {
  if (bytes.length === 0) return bytes;
  const at = m.at % bytes.length;
  switch (m.kind) {
    case 'byte': {
      const b = Buffer.from(bytes);
      b[at] = m.value;
      return b;
    }
    case 'cut': return bytes.subarray(0, at);
    case 'insert': {
      const w = Buffer.alloc(4);
      w.writeUInt32BE(m.word >>> 0, 0);
      const p = at & ~3;
      return Buffer.concat([bytes.subarray(0, p), w, bytes.subarray(p)]);
    }
    case 'remove': {
      const p = at & ~3;
      return Buffer.concat([bytes.subarray(0, p), bytes.subarray(p + 4)]);
    }
  }
}

const REPLACEMENT = Buffer.from('\ufffd');

/* Decode `input`; an error must be an XdrDecodeError inside it; a value must re-encode to what was consumed. */
function decodesHonestly<T>(codec: XdrCodec<T>, input: Buffer, cuts: number[]): void {
  const r = new XdrReader(chainOf(input, cuts));
  let v: T;
  try {
    v = codec.decode(r);
  } catch (e) {
    if (!(e instanceof XdrDecodeError)) throw e;
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(input.length);
    return;
  }
  const consumed = input.subarray(0, r.offset);
  const again = encode(codec, v);
  if (again.equals(consumed)) return;
  /* Only text turned into U+FFFD may differ; the value is then a fixed point. */
  expect(again.includes(REPLACEMENT)).toBe(true);
  const r2 = XdrReader.fromBuffer(again);
  expect(codec.decode(r2)).toEqual(v);
  expect(r2.remaining).toBe(0);
}

describe('NFSv4 decoders under fuzz', () => {
  it('fattr4 round-trips in any chunking', () => {
    fc.assert(fc.property(arbFattr4, arb.cuts(600), (v, cuts) => {
      const bytes = encode(fattr4, v);
      const r = new XdrReader(chainOf(bytes, cuts));
      expect(fattr4.decode(r)).toEqual(v);
      r.ensureInputConsumed();
    }), params(300));
  });

  it('fattr4 with a byte changed, cut short, or a word inserted or removed: XdrDecodeError or an honest value', () => {
    fc.assert(fc.property(arbFattr4, arbMutation, arb.cuts(600), (v, m, cuts) => {
      decodesHonestly(fattr4, mutate(encode(fattr4, v), m), cuts);
    }), params(600));
  });

  it('COMPOUND replies round-trip in any chunking', () => {
    fc.assert(fc.property(arbCompound, arb.cuts(1000), ({ ops, res }, cuts) => {
      const codec = new COMPOUND4resCodec(ops);
      const bytes = encode(codec, res as never);
      const r = new XdrReader(chainOf(bytes, cuts));
      expect(codec.decode(r)).toEqual(res);
      r.ensureInputConsumed();
    }), params(300));
  });

  it('COMPOUND replies with a byte changed, cut short, or a word inserted or removed: XdrDecodeError or an honest value', () => {
    fc.assert(fc.property(arbCompound, arbMutation, arb.cuts(1000), ({ ops, res }, m, cuts) => {
      const codec = new COMPOUND4resCodec(ops);
      decodesHonestly(codec, mutate(encode(codec, res as never), m), cuts);
    }), params(600));
  });

  it('random bytes into fattr4 and COMPOUND reply decoders throw only XdrDecodeError', () => {
    const word = fc.oneof(fc.constant(0), fc.constant(1), fc.constant(2), fc.constant(0xffffffff), fc.nat(64), fc.nat());
    fc.assert(fc.property(fc.array(arbOp, { minLength: 1, maxLength: 4 }), fc.array(word, { maxLength: 60 }), fc.boolean(), (ops, words, attrs) => {
      const b = Buffer.alloc(words.length * 4);
      words.forEach((w, k) => b.writeUInt32BE(w >>> 0, k * 4));
      const r = XdrReader.fromBuffer(b);
      try {
        if (attrs) fattr4.decode(r);
        else new COMPOUND4resCodec(ops).decode(r);
      } catch (e) {
        if (!(e instanceof XdrDecodeError)) throw e;
      }
    }), params(1000));
  });
});
