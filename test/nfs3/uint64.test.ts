/*
 * The decoders' fast paths: uint64At / readUint64 against Buffer#readBigUInt64BE, and the whole-entry
 * READDIRPLUS decoder against the field-by-field one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readUint64, uint32At, uint64At } from '../../nfsclient/nfs3/basic.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { m_wrap } from '../../sockets/mbuf.js';
import { XdrDecodeError } from '../../rpc/errors.js';
import { READDIRPLUS3resok } from '../../nfsclient/nfs3/proc-readdir.js';
import type { Mbuf } from '../../sockets/mbuf.js';
import { arb, byteChain, chainOf, encode, fcParams } from '../rpc/xdr-helpers.js';
import { arbEntryplus3, arbPostOpAttr } from './nfs3-arbitraries.js';

describe('uint64At', () => {
  it('is the big-endian value, at the edges of one BigInt, of exact doubles, and of 64 bits', () => {
    const edges = [0n, 1n, 0xffffffffn, 0x100000000n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 63n), (1n << 64n) - 1n];
    const b = Buffer.alloc(16);
    for (const v of edges) {
      b.writeBigUInt64BE(v, 3);
      expect(uint64At(b, 3)).toBe(v);
    }
  });

  it('equals readBigUInt64BE for any 8 bytes; uint32At equals readUInt32BE', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (bytes) => {
      const b = Buffer.from(bytes);
      expect(uint64At(b, 0)).toBe(b.readBigUInt64BE(0));
      expect(uint32At(b, 4)).toBe(b.readUInt32BE(4));
    }), fcParams);
  });

  it('readUint64 reads across mbufs too, and reports a short message as uhyper does', () => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(0x0123456789abcdefn);
    expect(readUint64(XdrReader.fromBuffer(b), 'x')).toBe(0x0123456789abcdefn);
    const split = m_wrap(b.subarray(0, 3));
    split.m_next = m_wrap(b.subarray(3));
    expect(readUint64(new XdrReader(split), 'x')).toBe(0x0123456789abcdefn);
    const short = (): bigint => readUint64(XdrReader.fromBuffer(Buffer.alloc(5)), 'entry3.cookie');
    const ref = (): bigint => XdrReader.fromBuffer(Buffer.alloc(5)).uhyper('entry3.cookie');
    expect(short).toThrow(/entry3\.cookie/);
    let a: unknown; let c: unknown;
    try { short(); } catch (e) { a = e; }
    try { ref(); } catch (e) { c = e; }
    expect(String(a)).toBe(String(c));
  });
});

describe('READDIRPLUS entries: the whole-entry fast path and the field-by-field path agree', () => {
  const arbReply = fc.record({
    dir_attributes: arbPostOpAttr,
    cookieverf: arb.fixedBytes(8),
    reply: fc.record({ entries: fc.array(arbEntryplus3, { minLength: 1, maxLength: 6 }), eof: fc.boolean() }),
  });
  /* The decoded value, or the error's message (with its offset), of one way of reading. */
  const outcome = (m: Mbuf): unknown => {
    try {
      return READDIRPLUS3resok.decode(new XdrReader(m));
    } catch (e) {
      return e instanceof XdrDecodeError ? `${e.message}` : e;
    }
  };

  it('on well-formed and corrupted replies alike: one mbuf (fast) against one byte per mbuf (field by field)', () => {
    fc.assert(fc.property(arbReply, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (res, at, byte, corrupt) => {
      const bytes = encode(READDIRPLUS3resok, res);
      if (corrupt) bytes[at % bytes.length] = byte;
      expect(outcome(chainOf(bytes))).toEqual(outcome(byteChain(bytes)));
      if (!corrupt) expect(outcome(chainOf(bytes))).toEqual(res);
    }), { ...fcParams, numRuns: 1000 });
  });
});
