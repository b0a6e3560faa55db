/*
 * An oracle for every codec's decoder, not only "nothing but XdrDecodeError is thrown": a decoder
 * that accepts corrupted input as valid must at least have read it faithfully. For every codec of
 * NFSv3, MOUNT v3, portmapper v2, rpcbind v4 and the RPC message headers:
 *
 * - Input: the encoding of a valid value (every NFSv3 procedure's sample arguments and results),
 *   or plausible words, with a byte changed, a word overwritten with a plausible value, a word
 *   inserted or removed, or the end cut off, in any chunking.
 * - Property: decoding either throws XdrDecodeError, or yields a value v such that encode(v)
 *   gives exactly the bytes the decoder consumed, and decode(encode(v)) equals v. So no field is
 *   dropped, clamped, defaulted or decoded lossily (names that are not UTF-8 included), and every
 *   value the decoders can produce survives a round trip.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MOUNT3_PROCEDURES } from '../../nfsclient/mount3/procs.js';
import { NFS3_PROCEDURES } from '../../nfsclient/nfs3/procs.js';
import type { Nfs3ProcedureName } from '../../nfsclient/nfs3/procs.js';
import { XdrDecodeError } from '../../rpc/errors.js';
import { decodeCallHeader, encodeCallHeader } from '../../rpc/msg/call.js';
import { decodeReplyHeader, encodeReplyHeader } from '../../rpc/msg/reply.js';
import { PMAP2_PROCEDURES } from '../../rpc/pmap/pmap2.js';
import { RPCB4_PROCEDURES } from '../../rpc/pmap/rpcb.js';
import type { XdrCodec } from '../../rpc/xdr/codec.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { samples } from '../nfs3/samples.js';
import { chainOf, encode } from '../rpc/xdr-helpers.js';
import { params } from './params.js';

interface Target {
  name: string;
  codec: XdrCodec<unknown>;
  seeds: Buffer[];
}

const callHeader: XdrCodec<unknown> = {
  encode: (w, v) => {
    const h = v as ReturnType<typeof decodeCallHeader>;
    encodeCallHeader(w, h.xid, h.prog, h.vers, h.proc, { cred: h.cred, verf: h.verf } as never);
  },
  decode: decodeCallHeader,
};
const replyHeader: XdrCodec<unknown> = { encode: encodeReplyHeader as XdrCodec<unknown>['encode'], decode: decodeReplyHeader };

const targets: Target[] = [];
for (const name of Object.keys(NFS3_PROCEDURES) as Nfs3ProcedureName[]) {
  const p = NFS3_PROCEDURES[name];
  const args = p.args as XdrCodec<unknown>;
  const res = p.res as XdrCodec<unknown>;
  targets.push({ name: `${p.name} args`, codec: args, seeds: samples[name].args.map((v) => encode(args, v)) });
  targets.push({ name: `${p.name} res`, codec: res, seeds: samples[name].res.map((v) => encode(res, v)) });
}
for (const table of [MOUNT3_PROCEDURES, PMAP2_PROCEDURES, RPCB4_PROCEDURES]) {
  for (const p of Object.values(table) as { name: string; args: XdrCodec<unknown>; res: XdrCodec<unknown> }[]) {
    targets.push({ name: `${p.name} args`, codec: p.args, seeds: [] }, { name: `${p.name} res`, codec: p.res, seeds: [] });
  }
}
targets.push({ name: 'call header', codec: callHeader, seeds: [] }, { name: 'reply header', codec: replyHeader, seeds: [] });

const WORDS = [0, 1, 2, 3, 4, 8, 16, 64, 255, 256, 1024, 0x7fffffff, 0x80000000, 0xffffffff];
const arbWord = fc.oneof(fc.constantFrom(...WORDS), fc.nat(300), fc.nat());

type Mutation =
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'word'; at: number; value: number }
  | { kind: 'insert'; at: number; value: number }
  | { kind: 'remove'; at: number }
  | { kind: 'cut'; at: number };

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('word' as const), at: fc.nat(), value: arbWord }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: arbWord }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);

function word(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0, 0);
  return b;
}

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const n = bytes.length;
  if (n === 0) return m.kind === 'insert' ? word(m.value) : bytes;
  const at = m.at % n;
  const w = at - (at % 4);
  switch (m.kind) {
    case 'byte': {
      const b = Buffer.from(bytes);
      b[at] = m.value;
      return b;
    }
    case 'word': {
      const b = Buffer.from(bytes);
      word(m.value).copy(b, w, 0, Math.min(4, n - w));
      return b;
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, w), word(m.value), bytes.subarray(w)]);
    case 'remove':
      return Buffer.concat([bytes.subarray(0, w), bytes.subarray(w + 4)]);
    case 'cut':
      return bytes.subarray(0, at);
  }
}

/** The oracle: XdrDecodeError, or a value that re-encodes to the bytes consumed and round-trips. */
function check(t: Target, input: Buffer, cuts: number[]): boolean {
  const r = new XdrReader(chainOf(input, cuts));
  let v: unknown;
  try {
    v = t.codec.decode(r);
  } catch (e) {
    if (e instanceof XdrDecodeError) return false;
    throw e;
  }
  const consumed = input.subarray(0, r.offset);
  const again = encode(t.codec, v);
  expect(again.toString('hex'), `${t.name}: re-encoded differs from the ${consumed.length} bytes consumed`).toBe(consumed.toString('hex'));
  expect(t.codec.decode(new XdrReader(chainOf(again, cuts))), `${t.name}: decode(encode(v)) = v`).toEqual(v);
  return true;
}

describe('every decoder: XdrDecodeError, or a faithful reading (re-encodes to the bytes it consumed)', () => {
  it(`mutated valid messages of the ${targets.filter((t) => t.seeds.length > 0).length} NFSv3 codecs`, () => {
    const seeded = targets.filter((t) => t.seeds.length > 0);
    let decoded = 0;
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.array(arbMutation, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(400), { maxLength: 4 }),
        (ti, si, mutations, cuts) => {
          const t = seeded[ti % seeded.length]!;
          let input = t.seeds[si % t.seeds.length]!;
          for (const m of mutations) input = mutate(input, m);
          if (check(t, input, cuts)) decoded++;
        }),
      params(3000),
    );
    /* The property is only as good as its successful decodes: many mutated messages still decode. */
    expect(decoded).toBeGreaterThan(300);
  });

  it('the valid messages themselves, in any chunking', () => {
    for (const t of targets) {
      for (const seed of t.seeds) {
        expect(check(t, seed, [1, 5, 9, 33]), t.name).toBe(true);
      }
    }
  });

  it(`plausible words into each of the ${targets.length} decoders`, () => {
    let decoded = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(arbWord, { maxLength: 60 }), fc.array(fc.nat(240), { maxLength: 4 }), (ti, words, cuts) => {
        const t = targets[ti % targets.length]!;
        if (check(t, Buffer.concat(words.map(word)), cuts)) decoded++;
      }),
      params(3000),
    );
    expect(decoded).toBeGreaterThan(100);
  });
});
