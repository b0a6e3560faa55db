import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { M_PKTHDR, Mbuf, m_bytes, m_length, m_tobuf, m_wrap } from '../../sockets/mbuf.js';
import { RpcRecordTooLargeError, RpcRecordTruncatedError, XdrEncodeError } from '../../rpc/errors.js';
import { FAILED, READ_FRAGMENT, READ_MARK, RecordReader } from '../../rpc/record/reader.js';
import { frameRecord, recordMark } from '../../rpc/record/writer.js';
import { XdrWriter } from '../../rpc/xdr/writer.js';
import { chainOf, fcParams, thrown } from './xdr-helpers.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/* A byte stream of records, each split into fragments of the given sizes. */
function stream(records: { data: Buffer; frags: number[] }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { data, frags } of records) {
    let at = 0;
    frags.forEach((n, i) => {
      const mark = Buffer.alloc(4);
      mark.writeUInt32BE(recordMark(n, i === frags.length - 1));
      parts.push(mark, data.subarray(at, at + n));
      at += n;
    });
    expect(at).toBe(data.length);
  }
  return Buffer.concat(parts);
}

function drain(rr: RecordReader): Buffer[] {
  const out: Buffer[] = [];
  for (let m = rr.next(); m !== null; m = rr.next()) {
    expect(m.m_flags & M_PKTHDR).toBe(M_PKTHDR);
    expect(m.m_pkthdr.len).toBe(m_length(m));
    out.push(Buffer.from(m_tobuf(m)));
  }
  return out;
}

describe('RecordReader (RFC 5531 §11)', () => {
  it('returns one record from one single-fragment push', () => {
    const rr = new RecordReader();
    expect(rr.push(m_wrap(hex('80000004 01020304')))).toBe(1);
    expect(drain(rr).map((b) => b.toString('hex'))).toEqual(['01020304']);
    expect(rr.next()).toBeNull();
    expect(rr.state).toBe(READ_MARK);
    rr.end();
  });

  it('reassembles multi-fragment records, with zero-length non-final fragments, and many records per push', () => {
    const a = Buffer.from('first record, in three fragments');
    const b = Buffer.from('second');
    const bytes = stream([{ data: a, frags: [5, 0, a.length - 5] }, { data: b, frags: [0, 0, 6] }, { data: Buffer.alloc(0), frags: [0] }]);
    const rr = new RecordReader();
    expect(rr.push(m_wrap(bytes))).toBe(3);
    expect(drain(rr)).toEqual([a, b, Buffer.alloc(0)]);
  });

  it('handles the stream fed one byte at a time, checking the state after every byte', () => {
    const a = Buffer.from('abcdefgh');
    const bytes = stream([{ data: a, frags: [3, 5] }]);
    const rr = new RecordReader();
    const states: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const ready = rr.push(m_wrap(bytes.subarray(i, i + 1)));
      states.push(rr.state);
      expect(ready).toBe(i === bytes.length - 1 ? 1 : 0);
    }
    /* marks at 0..3 and 7..10: READ_MARK until a mark is whole, then READ_FRAGMENT. */
    expect(states).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0].map((s) => (s === 0 ? READ_MARK : READ_FRAGMENT)));
    expect(drain(rr)).toEqual([a]);
  });

  it('gives the same records for any chunking of the stream (random splits)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ len: fc.integer({ min: 0, max: 200 }), frags: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 20 }),
        (specs, cuts) => {
          const records = specs.map(({ len, frags }, k) => {
            const data = Buffer.alloc(len, k + 1);
            const sizes: number[] = [];
            let left = len;
            for (let i = 0; i < frags - 1; i++) {
              const n = Math.floor(left / 2);
              sizes.push(n);
              left -= n;
            }
            sizes.push(left);
            return { data, frags: sizes };
          });
          const bytes = stream(records);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const rr = new RecordReader();
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            rr.push(p > prev ? m_wrap(bytes.subarray(prev, p)) : null);
            prev = p;
          }
          expect(drain(rr)).toEqual(records.map((r) => r.data));
          rr.end();
        },
      ),
      fcParams,
    );
  });

  it('does not copy: record mbufs refer to the pushed storage', () => {
    const bytes = stream([{ data: Buffer.alloc(3000, 7), frags: [1000, 2000] }]);
    const rr = new RecordReader();
    rr.push(chainOf(bytes, [500, 1700]));
    const rec = rr.next()!;
    for (let m: Mbuf | null = rec; m !== null; m = m.m_next) {
      if (m.m_len > 0) expect(m.m_buf.buffer).toBe(bytes.buffer);
    }
    expect(m_length(rec)).toBe(3000);
  });

  it('bounds the reassembled record, not just each fragment', () => {
    const rr = new RecordReader({ maxRecordSize: 100 });
    /* Three fragments of 40 bytes: each under the bound, together over it. */
    const bytes = stream([{ data: Buffer.alloc(120), frags: [40, 40, 40] }]);
    const e = thrown(() => rr.push(m_wrap(bytes)));
    expect(e).toBeInstanceOf(RpcRecordTooLargeError);
    expect((e as RpcRecordTooLargeError).size).toBe(120);
    expect(rr.state).toBe(FAILED);
    expect(rr.buffered).toBe(0);
    expect(() => rr.push(m_wrap(hex('80000000')))).toThrow(RpcRecordTooLargeError);
    rr.reset();
    expect(rr.push(m_wrap(hex('80000000')))).toBe(1);
  });

  it('refuses a mark claiming 2^31-1 bytes at once, without waiting for or allocating them', () => {
    const rr = new RecordReader();
    expect(() => rr.push(m_wrap(hex('ffffffff')))).toThrow(RpcRecordTooLargeError);
    expect(rr.buffered).toBe(0);
  });

  it('reports a stream that ends inside a mark or a fragment', () => {
    const rr = new RecordReader();
    rr.push(m_wrap(hex('800000')));
    const e = thrown(() => rr.end());
    expect(e).toBeInstanceOf(RpcRecordTruncatedError);
    expect((e as RpcRecordTruncatedError).buffered).toBe(3);
    const rr2 = new RecordReader();
    rr2.push(m_wrap(hex('00000002 0102 80000008 0102')));
    expect(() => rr2.end()).toThrow(RpcRecordTruncatedError);
    expect(rr2.buffered).toBe(0);
    const rr3 = new RecordReader();
    rr3.push(m_wrap(hex('00000000'))); /* an empty non-final fragment: the record has begun */
    expect(rr3.inRecord).toBe(true);
    expect(() => rr3.end()).toThrow(RpcRecordTruncatedError);
  });

  it('keeps complete records available after end()', () => {
    const rr = new RecordReader();
    rr.push(m_wrap(hex('80000000')));
    rr.end();
    expect(rr.readyCount).toBe(1);
    expect(rr.next()!.m_pkthdr.len).toBe(0);
  });
});

describe('record marking, send side', () => {
  it('computes marks with the last-fragment bit', () => {
    expect(recordMark(0, true)).toBe(0x80000000);
    expect(recordMark(0x7fffffff, false)).toBe(0x7fffffff);
    expect(recordMark(5, true)).toBe(0x80000005);
    expect(() => recordMark(0x80000000, true)).toThrow(XdrEncodeError);
    expect(() => recordMark(-1, false)).toThrow(XdrEncodeError);
  });

  it('frames a message as one fragment in the writer\'s leading space, copying nothing', () => {
    const w = new XdrWriter({ leadingSpace: 4 });
    w.uint(0x01020304);
    const m = w.finish();
    const storage = m.m_buf;
    const f = frameRecord(m);
    expect(f).toBe(m);
    expect(f.m_buf).toBe(storage);
    expect(f.m_pkthdr.len).toBe(8);
    expect(m_bytes(f).toString('hex')).toBe('80000004' + '01020304');
  });

  it('frames a chain without leading space by prepending a small mbuf', () => {
    const payload = m_wrap(Buffer.from('abcdef'));
    const f = frameRecord(payload);
    expect(f).not.toBe(payload);
    expect(f.m_next).toBe(payload);
    expect(m_tobuf(f).toString('hex')).toBe('80000006' + Buffer.from('abcdef').toString('hex'));
    expect(f.m_pkthdr.len).toBe(10);
  });

  it('cuts a record into fragments of at most maxFragment bytes, and the reader puts it back together', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 700 }), fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 4 }), (len, maxFragment, cuts) => {
        const data = Buffer.alloc(len);
        for (let i = 0; i < len; i++) data[i] = i & 0xff;
        const framed = frameRecord(chainOf(data, cuts.map((c) => c % (len + 1))), maxFragment);
        const nfrags = Math.max(1, Math.ceil(len / maxFragment));
        expect(framed.m_pkthdr.len).toBe(len + 4 * nfrags);
        expect(m_length(framed)).toBe(len + 4 * nfrags);
        const wire = m_tobuf(framed);
        /* The marks: all full-size but the last, and only the last has the high bit. */
        let at = 0;
        for (let i = 0; i < nfrags; i++) {
          const mark = wire.readUInt32BE(at);
          expect(mark >= 0x80000000).toBe(i === nfrags - 1);
          expect(mark & 0x7fffffff).toBe(i < nfrags - 1 ? maxFragment : len - maxFragment * (nfrags - 1));
          at += 4 + (mark & 0x7fffffff);
        }
        const rr = new RecordReader();
        expect(rr.push(m_wrap(Buffer.from(wire)))).toBe(1);
        expect(m_tobuf(rr.next()!).equals(data)).toBe(true);
      }),
      { ...fcParams, numRuns: 200 },
    );
  });

  it('refuses a maxFragment outside 1..2^31-1', () => {
    expect(() => frameRecord(m_wrap(Buffer.alloc(4)), 0)).toThrow(RangeError);
  });
});
