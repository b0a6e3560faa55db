import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { M_PKTHDR, m_bytes, m_freem, m_length, m_tobuf, mbstat } from '../../sockets/mbuf.js';
import { XdrDecodeError } from '../../rpc/errors.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { XdrWriter } from '../../rpc/xdr/writer.js';
import { xdr_bool, xdr_list, xdr_optional, xdr_string, xdr_u_int, xdr_void } from '../../rpc/xdr/codec.js';
import { byteChain, chainOf, decode, encode, fcParams, roundTrips, thrown } from './xdr-helpers.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function decodeError(fn: () => unknown): XdrDecodeError {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(XdrDecodeError);
  return e as XdrDecodeError;
}

/* A message exercising every reader method, and what reading it must give. */
function sample(): Buffer {
  const w = new XdrWriter();
  w.int(-5);
  w.uint(0xfedcba98);
  w.hyper(-(1n << 62n));
  w.uhyper((1n << 64n) - 2n);
  w.bool(true);
  w.enum(2);
  w.fixedOpaque(Buffer.from('abc'), 3);
  w.opaque(Buffer.from('hello'), 16);
  w.string('wörld', 16);
  w.array([10, 20, 30], 5, (ww, v) => ww.uint(v));
  w.optional(7, (ww, v) => ww.uint(v));
  w.list([1, 2, 3, 4], (ww, v) => ww.uint(v));
  w.double(2.5);
  return m_tobuf(w.finish());
}

function readSample(r: XdrReader): unknown[] {
  return [
    r.int(), r.uint(), r.hyper(), r.uhyper(), r.bool(), r.enum(0, 3),
    r.fixedOpaque(3).toString(), r.opaque(16).toString(), r.string(16),
    r.array(5, 4, (rr) => rr.uint()), r.optional((rr) => rr.uint()), r.list((rr) => rr.uint()), r.double(),
  ];
}

const expected = [-5, 0xfedcba98, -(1n << 62n), (1n << 64n) - 2n, true, 2, 'abc', 'hello', 'wörld', [10, 20, 30], 7, [1, 2, 3, 4], 2.5];

describe('XdrReader - any chunking', () => {
  it('reads every type from one contiguous buffer', () => {
    const r = XdrReader.fromBuffer(sample());
    expect(readSample(r)).toEqual(expected);
    r.ensureInputConsumed();
  });

  it('reads the same values from one-byte mbufs', () => {
    const r = new XdrReader(byteChain(sample()));
    expect(readSample(r)).toEqual(expected);
    r.ensureInputConsumed();
  });

  it('reads the same values whatever the cut points, zero-length mbufs included', () => {
    const buf = sample();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: buf.length }), { maxLength: 12 }), (cuts) => {
        const r = new XdrReader(chainOf(buf, [...cuts, ...cuts.slice(0, 2)]));
        expect(readSample(r)).toEqual(expected);
        expect(r.remaining).toBe(0);
      }),
      fcParams,
    );
  });

  it('tracks the byte offset across mbufs', () => {
    const r = new XdrReader(chainOf(hex('00000001 00000002 00000003'), [0, 2, 2, 7]));
    expect(r.offset).toBe(0);
    r.uint();
    expect(r.offset).toBe(4);
    r.uint();
    expect(r.offset).toBe(8);
    expect(r.remaining).toBe(4);
  });

  it('reads an empty chain and a null chain as empty messages', () => {
    expect(new XdrReader(null).remaining).toBe(0);
    new XdrReader(chainOf(Buffer.alloc(0), [0, 0])).ensureInputConsumed();
    expect(decodeError(() => new XdrReader(null).uint()).offset).toBe(0);
  });
});

describe('XdrReader - opaques: views, copies, mbuf chains, caller buffers', () => {
  const msg = (): Buffer => {
    const w = new XdrWriter();
    w.opaque(Buffer.from('0123456789'), 100);
    w.uint(0xaaaaaaaa);
    return m_tobuf(w.finish());
  };

  it('returns a view on the message when the bytes are contiguous', () => {
    const buf = msg();
    const v = XdrReader.fromBuffer(buf).opaque(100);
    expect(v.buffer).toBe(buf.buffer);
    buf[4] = 0x41;
    expect(v.toString()).toBe('A123456789');
  });

  it('returns a copy when the bytes span mbufs, and opaqueCopy always copies', () => {
    const buf = msg();
    const v = new XdrReader(chainOf(buf, [7])).opaque(100);
    const c = XdrReader.fromBuffer(buf).opaqueCopy(100);
    buf.fill(0x2e, 4, 14); /* change the message: the copies must not see it */
    expect(v.toString()).toBe('0123456789');
    expect(c.toString()).toBe('0123456789');
  });

  it('hands back an opaque as an mbuf chain sharing the storage (m_copym)', () => {
    const buf = msg();
    const r = new XdrReader(chainOf(buf, [6, 9]));
    const m = r.opaqueMbuf(100);
    expect(m.m_flags & M_PKTHDR).toBe(M_PKTHDR);
    expect(m.m_pkthdr.len).toBe(10);
    expect(m_length(m)).toBe(10);
    expect(m_tobuf(m).toString()).toBe('0123456789');
    for (let n: typeof m | null = m; n !== null; n = n.m_next) expect(n.m_buf.buffer).toBe(buf.buffer);
    expect(r.uint()).toBe(0xaaaaaaaa);
    const before = mbstat.m_freed;
    m_freem(m);
    expect(mbstat.m_freed - before).toBe(3);
  });

  it('copies an opaque straight into a caller\'s buffer at an offset', () => {
    const target = Buffer.alloc(16, 0xee);
    const r = new XdrReader(byteChain(msg()));
    expect(r.opaqueInto(target, 3, 100)).toBe(10);
    expect(target.toString('latin1', 3, 13)).toBe('0123456789');
    expect(target[2]).toBe(0xee);
    expect(target[13]).toBe(0xee);
    expect(r.uint()).toBe(0xaaaaaaaa);
  });

  it('refuses an opaque larger than the room in the caller\'s buffer, before copying anything', () => {
    const target = Buffer.alloc(8, 0xee);
    const e = decodeError(() => XdrReader.fromBuffer(msg()).opaqueInto(target, 0, 100));
    expect(e.offset).toBe(0);
    expect(e.message).toMatch(/room/);
    expect(target.equals(Buffer.alloc(8, 0xee))).toBe(true);
  });

  it('reads zero-length opaques and strings', () => {
    const r = XdrReader.fromBuffer(hex('00000000 00000000 00000000 00000000'));
    expect(r.opaque(0).length).toBe(0);
    expect(r.string(0)).toBe('');
    expect(r.opaqueMbuf(0).m_pkthdr.len).toBe(0);
    expect(r.opaqueInto(Buffer.alloc(0), 0, 0)).toBe(0);
    r.ensureInputConsumed();
  });

  it('gives the rest of a message as a chain', () => {
    const r = new XdrReader(chainOf(hex('00000001 00000002 00000003'), [5]));
    r.uint();
    const rest = r.restMbuf();
    expect(m_bytes(rest).length + (rest.m_next ? m_length(rest.m_next) : 0)).toBe(8);
    expect(m_tobuf(rest).toString('hex')).toBe('0000000200000003');
    expect(r.remaining).toBe(0);
  });
});

describe('XdrReader - malformed input gives XdrDecodeError at the right offset', () => {
  it('truncated fixed-size items', () => {
    for (const [bytes, read, offset] of [
      ['000000', (r: XdrReader) => r.uint(), 0],
      ['00000001 0000', (r: XdrReader) => { r.uint(); r.uint(); }, 4],
      ['00000000 000000', (r: XdrReader) => { r.uint(); r.uhyper(); }, 4],
    ] as const) {
      for (const m of [XdrReader.fromBuffer(hex(bytes)), new XdrReader(byteChain(hex(bytes)))]) {
        expect(decodeError(() => read(m)).offset).toBe(offset);
      }
    }
  });

  it('nonzero padding after an opaque, a string and a fixed opaque', () => {
    expect(decodeError(() => XdrReader.fromBuffer(hex('00000001 41000100')).opaque(8)).offset).toBe(5);
    expect(decodeError(() => new XdrReader(byteChain(hex('00000002 41420001'))).string(8)).offset).toBe(6);
    const e = decodeError(() => XdrReader.fromBuffer(hex('41424300')).fixedOpaque(2, 'cookieverf3'));
    expect(e.offset).toBe(2);
    expect(e.what).toBe('cookieverf3');
    expect(e.message).toMatch(/padding/);
  });

  it('a length of 2^32-1 throws without allocating', () => {
    const buf = hex('ffffffff 00000000');
    for (const read of [
      (r: XdrReader) => r.opaque(0xffffffff), (r: XdrReader) => r.opaqueCopy(0xffffffff),
      (r: XdrReader) => r.string(0xffffffff), (r: XdrReader) => r.opaqueMbuf(0xffffffff),
      (r: XdrReader) => r.skipOpaque(0xffffffff), (r: XdrReader) => r.array(0xffffffff, 4, (rr) => rr.uint()),
    ]) {
      const e = decodeError(() => read(XdrReader.fromBuffer(buf)));
      expect(e.offset).toBe(0);
      expect(e.message).toMatch(/remaining/);
    }
  });

  it('a length or count over the declared maximum throws, even when the bytes are there', () => {
    const r = XdrReader.fromBuffer(hex('00000000 00000005 4142434445000000'));
    r.uint();
    const e = decodeError(() => r.opaque(4, 'filename3'));
    expect(e.offset).toBe(4);
    expect(e.message).toMatch(/maximum of 4/);
    const r2 = XdrReader.fromBuffer(hex('00000003 00000001 00000002 00000003'));
    expect(decodeError(() => r2.array(2, 4, (rr) => rr.uint())).message).toMatch(/maximum of 2/);
  });

  it('an array count larger than the bytes remaining throws before allocating', () => {
    const e = decodeError(() => XdrReader.fromBuffer(hex('00100000 00000001')).array(1 << 30, 8, (r) => r.uhyper()));
    expect(e.offset).toBe(0);
    expect(e.message).toMatch(/remaining/);
  });

  it('a bool other than 0 or 1 and an enum outside its members', () => {
    expect(decodeError(() => XdrReader.fromBuffer(hex('00000002')).bool()).offset).toBe(0);
    expect(decodeError(() => XdrReader.fromBuffer(hex('ffffffff 00000009')).optional((r) => r.uint())).offset).toBe(0);
    expect(decodeError(() => { const r = XdrReader.fromBuffer(hex('00000000 00000008')); r.uint(); r.enum(1, 7, 'ftype3'); }).offset).toBe(4);
  });

  it('a list that is not terminated', () => {
    expect(decodeError(() => XdrReader.fromBuffer(hex('00000001 00000005 00000001')).list((r) => r.uint())).offset).toBe(12);
  });

  it('a list longer than its maximum', () => {
    expect(decodeError(() => XdrReader.fromBuffer(hex('00000001 00000005 00000001 00000006 00000000')).list((r) => r.uint(), 1)).offset).toBe(12);
  });

  it('trailing bytes after a whole message', () => {
    const r = XdrReader.fromBuffer(hex('00000001 00000002'));
    r.uint();
    const e = decodeError(() => r.ensureInputConsumed());
    expect(e.offset).toBe(4);
    expect(e.message).toMatch(/4 unexpected bytes/);
  });

  it('random garbage fed to every reader method throws only XdrDecodeError', () => {
    const reads: ((r: XdrReader) => unknown)[] = [
      (r) => r.uint(), (r) => r.int(), (r) => r.uhyper(), (r) => r.bool(), (r) => r.enum(0, 5),
      (r) => r.opaque(64), (r) => r.string(255), (r) => r.fixedOpaque(8), (r) => r.array(16, 4, (x) => x.uint()),
      (r) => r.list((x) => x.string(10)), (r) => r.opaqueMbuf(1000), (r) => r.opaqueInto(Buffer.alloc(32), 0, 32),
      (r) => r.skipOpaque(400), (r) => r.optional((x) => x.hyper()),
    ];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), arbCuts(), fc.array(fc.integer({ min: 0, max: reads.length - 1 }), { minLength: 1, maxLength: 12 }), (bytes, cuts, ops) => {
        const r = new XdrReader(chainOf(Buffer.from(bytes), cuts));
        try {
          for (const op of ops) reads[op]!(r);
          r.ensureInputConsumed();
        } catch (e) {
          expect(e).toBeInstanceOf(XdrDecodeError);
          const off = (e as XdrDecodeError).offset;
          expect(off).toBeGreaterThanOrEqual(0);
          expect(off).toBeLessThanOrEqual(bytes.length);
        }
      }),
      fcParams,
    );
  });
});

function arbCuts() {
  return fc.array(fc.integer({ min: 0, max: 64 }), { maxLength: 6 });
}

describe('XdrReader - optional-data lists are iterative', () => {
  it('decodes a list of 200 000 elements without recursion', () => {
    const n = 200_000;
    const buf = Buffer.alloc(n * 8 + 4);
    for (let i = 0; i < n; i++) {
      buf.writeUInt32BE(1, i * 8);
      buf.writeUInt32BE(i, i * 8 + 4);
    }
    const out = XdrReader.fromBuffer(buf).list((r) => r.uint());
    expect(out.length).toBe(n);
    expect(out[n - 1]).toBe(n - 1);
  });
});

describe('codec combinators', () => {
  it('round-trip void, bool, unsigned int, string, optional and list', () => {
    expect(encode(xdr_void, undefined).length).toBe(0);
    expect(roundTrips(xdr_bool, true).values).toEqual([true, true, true]);
    expect(roundTrips(xdr_u_int, 0xffffffff).values).toEqual([0xffffffff, 0xffffffff, 0xffffffff]);
    expect(roundTrips(xdr_string(8), 'héllo').values).toEqual(['héllo', 'héllo', 'héllo']);
    const opt = xdr_optional(xdr_u_int);
    expect(roundTrips(opt, null).values).toEqual([null, null, null]);
    expect(roundTrips(opt, 3).values).toEqual([3, 3, 3]);
    const list = xdr_list(xdr_string(4), 'names', 2);
    expect(roundTrips(list, ['a', 'bc']).values).toEqual([['a', 'bc'], ['a', 'bc'], ['a', 'bc']]);
    expect(() => decode(list, encode(xdr_list(xdr_string(4)), ['a', 'b', 'c']))).toThrow(/more than 2/);
    expect(() => encode(xdr_string(2), 'abc')).toThrow(/exceeds its maximum of 2/);
  });
});
