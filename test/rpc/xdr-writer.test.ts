import { describe, expect, it } from 'vitest';
import { M_EXT, M_EXTWR, M_PKTHDR, M_PREPEND, M_READONLY, M_WAIT, m_bytes, m_length, m_tobuf } from '../../sockets/mbuf.js';
import { RpcError, XdrEncodeError } from '../../rpc/errors.js';
import { XdrWriter } from '../../rpc/xdr/writer.js';
import { thrown } from './xdr-helpers.js';

function bytesOf(fill: (w: XdrWriter) => void): string {
  const w = new XdrWriter();
  fill(w);
  return m_tobuf(w.finish()).toString('hex');
}

describe('XdrWriter - primitives (RFC 4506 §4)', () => {
  it('writes int, unsigned int, hyper, unsigned hyper, bool and enum big-endian', () => {
    expect(bytesOf((w) => w.int(-2))).toBe('fffffffe');
    expect(bytesOf((w) => w.uint(0xdeadbeef))).toBe('deadbeef');
    expect(bytesOf((w) => w.hyper(-1n))).toBe('ffffffffffffffff');
    expect(bytesOf((w) => w.uhyper(0x0102030405060708n))).toBe('0102030405060708');
    expect(bytesOf((w) => w.uhyper((1n << 64n) - 1n))).toBe('ffffffffffffffff');
    expect(bytesOf((w) => { w.bool(true); w.bool(false); })).toBe('0000000100000000');
    expect(bytesOf((w) => w.enum(7))).toBe('00000007');
    expect(bytesOf((w) => w.float(1))).toBe('3f800000');
    expect(bytesOf((w) => w.double(1))).toBe('3ff0000000000000');
  });

  it('pads opaques and strings with zero bytes to a multiple of four', () => {
    expect(bytesOf((w) => w.opaque(Buffer.from([1, 2, 3, 4, 5]), 8))).toBe('00000005' + '0102030405000000');
    expect(bytesOf((w) => w.fixedOpaque(Buffer.from([9, 9]), 2))).toBe('09090000');
    expect(bytesOf((w) => w.string('héllo', 10))).toBe('00000006' + Buffer.from('héllo').toString('hex') + '0000');
    expect(bytesOf((w) => w.string('', 0))).toBe('00000000');
  });

  it('writes arrays, optional data and linked lists', () => {
    const u = (w: XdrWriter, v: number): void => w.uint(v);
    expect(bytesOf((w) => w.array([1, 2], 2, u))).toBe('00000002' + '00000001' + '00000002');
    expect(bytesOf((w) => w.fixedArray([3], 1, u))).toBe('00000003');
    expect(bytesOf((w) => { w.optional(5, u); w.optional(null, u); })).toBe('00000001' + '00000005' + '00000000');
    expect(bytesOf((w) => w.list([7, 8], u))).toBe('00000001' + '00000007' + '00000001' + '00000008' + '00000000');
  });

  it('throws XdrEncodeError for out-of-range numbers', () => {
    const w = new XdrWriter();
    for (const f of [
      () => w.int(0x80000000), () => w.int(1.5), () => w.uint(-1), () => w.uint(2 ** 32), () => w.uint(NaN),
      () => w.hyper(1n << 63n), () => w.uhyper(-1n), () => w.uhyper(1n << 64n), () => w.enum(3, 'e', 0, 2),
    ]) {
      const e = thrown(f);
      expect(e).toBeInstanceOf(XdrEncodeError);
      expect((e as XdrEncodeError).code).toBe('ERR_XDR_ENCODE');
      expect(RpcError.isRpcError(e)).toBe(true);
    }
    expect(w.length).toBe(0);
  });

  it('throws XdrEncodeError for lengths over the declared maximum', () => {
    const w = new XdrWriter();
    expect(() => w.opaque(Buffer.alloc(5), 4, 'nfs_fh3')).toThrow(/nfs_fh3.*exceeds its maximum of 4/);
    expect(() => w.string('abcde', 4)).toThrow(XdrEncodeError);
    expect(() => w.string('ééé', 5)).toThrow(XdrEncodeError); /* 6 bytes of UTF-8 */
    expect(() => w.fixedOpaque(Buffer.alloc(7), 8)).toThrow(XdrEncodeError);
    expect(() => w.array([1, 2, 3], 2, (ww, v) => ww.uint(v))).toThrow(XdrEncodeError);
    expect(() => w.opaqueRef(Buffer.alloc(2000), 1000)).toThrow(XdrEncodeError);
  });

  it('grows its buffer across many writes without losing bytes', () => {
    const w = new XdrWriter({ sizeHint: 16 });
    for (let i = 0; i < 1000; i++) w.uint(i);
    const out = m_tobuf(w.finish());
    expect(out.length).toBe(4000);
    for (let i = 0; i < 1000; i++) expect(out.readUInt32BE(i * 4)).toBe(i);
  });

  it('back-patches a reserved position', () => {
    const w = new XdrWriter();
    w.uint(1);
    const at = w.reserve();
    w.string('abc', 3);
    w.patchUint32(at, w.length);
    expect(m_tobuf(w.finish()).toString('hex')).toBe('00000001' + '00000010' + '00000003616263' + '00');
    expect(() => new XdrWriter().reserve(3)).toThrow(RangeError);
    const w2 = new XdrWriter();
    expect(() => w2.patchUint32(0, 1)).toThrow(RangeError);
  });
});

describe('XdrWriter - finish() and zero-copy opaques', () => {
  it('returns one packet-header mbuf with the right m_pkthdr.len for a small message', () => {
    const w = new XdrWriter();
    w.uint(1);
    w.string('x', 10);
    const m = w.finish();
    expect(m.m_next).toBeNull();
    expect(m.m_flags & M_PKTHDR).toBe(M_PKTHDR);
    expect(m.m_pkthdr.len).toBe(12);
    expect(m_length(m)).toBe(12);
  });

  it('appends a large opaque by reference: the caller\'s Buffer is its own read-only mbuf, padding follows', () => {
    const payload = Buffer.alloc(4097, 0xab);
    const w = new XdrWriter();
    w.uint(0x11111111);
    w.opaqueRef(payload, 1 << 20);
    w.uint(0x22222222);
    const m = w.finish();
    expect(m.m_pkthdr.len).toBe(4 + 4 + 4097 + 3 + 4);
    const second = m.m_next!;
    expect(second.m_buf).toBe(payload); /* the very Buffer, not a copy */
    expect(second.m_len).toBe(4097);
    expect(M_READONLY(second)).toBe(true);
    expect(second.m_flags & M_PKTHDR).toBe(0);
    const third = second.m_next!;
    expect(m_bytes(third).toString('hex')).toBe('000000' + '22222222');
    expect(third.m_next).toBeNull();
    const flat = m_tobuf(m);
    expect(flat.readUInt32BE(4)).toBe(4097);
    expect(flat.subarray(8, 8 + 4097).equals(payload)).toBe(true);
  });

  it('copies a small opaqueRef payload instead of making an mbuf for it', () => {
    const w = new XdrWriter({ refThreshold: 512 });
    w.opaqueRef(Buffer.alloc(100, 1), 1000);
    const m = w.finish();
    expect(m.m_next).toBeNull();
    expect(m.m_pkthdr.len).toBe(104);
  });

  it('leaves writable leading space that M_PREPEND uses without a new mbuf', () => {
    const w = new XdrWriter({ leadingSpace: 4 });
    w.uint(0xcafef00d);
    const m = w.finish();
    expect(m.m_flags & (M_EXT | M_EXTWR)).toBe(M_EXT | M_EXTWR);
    expect(M_READONLY(m)).toBe(false);
    expect(m.m_pkthdr.len).toBe(4);
    const h = M_PREPEND(m, 4, M_WAIT);
    expect(h).toBe(m);
    expect(h.m_pkthdr.len).toBe(8);
  });

  it('refuses writes after finish()', () => {
    const w = new XdrWriter();
    w.finish();
    expect(() => w.uint(1)).toThrow(/after finish/);
    expect(() => w.finish()).toThrow(/twice/);
  });
});
