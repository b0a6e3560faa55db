import { describe, expect, it } from 'vitest';
import {
  MLEN, M_COPYALL, M_EXT, M_PKTHDR, M_PREPEND, M_READONLY, M_WAIT, MCLGET, MT_DATA, MT_FREE, Mbuf, m_adj, m_cat,
  m_copyback, m_copydata, m_copym, m_devget, m_free, m_freem, m_gethdr, m_get, m_length, m_pullup, m_split,
  m_bytes, m_freemp, m_tobuf, m_wrap, mbstat, mtod,
} from '../../sockets/mbuf.js';

/* A chain of mbufs holding the given byte strings, one per mbuf, with a packet header. */
function chain(...parts: string[]): Mbuf {
  const ms = parts.map((p) => m_wrap(Buffer.from(p)));
  for (let i = 1; i < ms.length; i++) ms[i]!.m_flags &= ~M_PKTHDR;
  for (let i = 0; i < ms.length - 1; i++) ms[i]!.m_next = ms[i + 1]!;
  ms[0]!.m_pkthdr.len = parts.join('').length;
  return ms[0]!;
}

describe('mbuf', () => {
  it('m_bytes views the m_len data bytes without copying', () => {
    const buf = Buffer.from('hello world');
    const m = m_wrap(buf);
    const v = m_bytes(m);
    expect(v.toString()).toBe('hello world');
    buf[0] = 0x4a;
    expect(m_bytes(m).toString()).toBe('Jello world');
    m.m_data += 6;
    m.m_len -= 6;
    expect(m_bytes(m).toString()).toBe('world');
  });

  it('mtod views the storage from m_data to its end, so writes before m_len is set land in the data', () => {
    const m = m_get(M_WAIT, MT_DATA);
    expect(m.m_len).toBe(0);
    expect(mtod(m).length).toBe(MLEN);
    mtod(m).write('abcd');
    m.m_len = 4;
    expect(m_bytes(m).toString()).toBe('abcd');
    /* append into the trailing space, then account for it */
    mtod(m).write('ef', m.m_len);
    m.m_len += 2;
    expect(m_bytes(m).toString()).toBe('abcdef');
    expect(mtod(m).length).toBe(MLEN);
    m.m_data += 2;
    expect(mtod(m).length).toBe(MLEN - 2);
    expect(mtod(m).subarray(0, 2).toString()).toBe('cd');
  });

  it('m_freem returns the next record, and m_freemp clears the pointer it frees through', () => {
    const a = chain('ab', 'c');
    const b = chain('d');
    a.m_nextpkt = b;
    const before = mbstat.m_freed;
    expect(m_freem(a)).toBe(b);
    expect(mbstat.m_freed - before).toBe(2);
    const mp = { value: b as Mbuf | null };
    expect(m_freemp(mp)).toBeNull();
    expect(mp.value).toBeNull();
    expect(b.m_type).toBe(MT_FREE);
    expect(m_freemp(mp)).toBeNull(); /* a null chain is allowed */
  });

  it('m_off is the earlier name of m_data', () => {
    const m = m_get(M_WAIT, MT_DATA);
    m.m_off = 12;
    expect(m.m_data).toBe(12);
    m.m_data = 4;
    expect(m.m_off).toBe(4);
  });

  it('m_copydata copies across mbuf boundaries and panics on a short chain', () => {
    const m = chain('abc', 'defg', 'hi');
    const out = Buffer.alloc(5);
    m_copydata(m, 2, 5, out);
    expect(out.toString()).toBe('cdefg');
    expect(() => m_copydata(m, 5, 10, Buffer.alloc(10))).toThrow(/chain too short/);
  });

  it('m_copym shares external storage and copies the packet header length', () => {
    const m = chain('abc', 'defg', 'hi');
    const c = m_copym(m, 0, M_COPYALL, M_WAIT);
    expect(c.m_flags & M_PKTHDR).toBeTruthy();
    expect(c.m_pkthdr.len).toBe(9);
    expect(m_tobuf(c).toString()).toBe('abcdefghi');
    expect(c.m_buf).toBe(m.m_buf);
    expect(M_READONLY(m)).toBe(true);
    const mid = m_copym(m, 2, 4, M_WAIT);
    expect(m_tobuf(mid).toString()).toBe('cdef');
    expect(() => m_copym(m, 2, 40, M_WAIT)).toThrow(/COPYALL/);
  });

  it('m_copyback extends the chain with zeros and updates m_pkthdr.len', () => {
    const m = m_gethdr(M_WAIT, MT_DATA);
    m_copyback(m, 4, 3, Buffer.from('xyz'), M_WAIT);
    expect(m_tobuf(m)).toEqual(Buffer.from([0, 0, 0, 0, 0x78, 0x79, 0x7a]));
    expect(m.m_pkthdr.len).toBe(7);
    const big = Buffer.alloc(10000, 7);
    m_copyback(m, 7, big.length, big, M_WAIT);
    expect(m.m_pkthdr.len).toBe(10007);
    expect(m_length(m)).toBe(10007);
    expect(m_tobuf(m).subarray(7).equals(big)).toBe(true);
  });

  it('m_copyback never writes into storage shared with a copy', () => {
    const m = chain('abcdef');
    const c = m_copym(m, 0, M_COPYALL, M_WAIT);
    m_copyback(m, 1, 2, Buffer.from('XY'), M_WAIT);
    expect(m_tobuf(m).toString()).toBe('aXYdef');
    expect(m_tobuf(c).toString()).toBe('abcdef');
  });

  it('m_adj trims the head and the tail', () => {
    const m = chain('abc', 'defg', 'hi');
    m_adj(m, 4);
    expect(m_tobuf(m).toString()).toBe('efghi');
    expect(m.m_pkthdr.len).toBe(5);
    m_adj(m, -3);
    expect(m_tobuf(m).toString()).toBe('ef');
    expect(m.m_pkthdr.len).toBe(2);
  });

  it('m_pullup makes a prefix contiguous, and frees the chain when it is too short', () => {
    const m = chain('ab', 'cd', 'efgh');
    const p = m_pullup(m, 5)!;
    expect(p.m_len).toBeGreaterThanOrEqual(5);
    expect(mtod(p).subarray(0, 5).toString()).toBe('abcde');
    expect(m_tobuf(p).toString()).toBe('abcdefgh');
    expect(p.m_flags & M_PKTHDR).toBeTruthy();
    const before = mbstat.m_freed;
    expect(m_pullup(chain('ab', 'c'), 4)).toBeNull();
    expect(mbstat.m_freed - before).toBe(2);
  });

  it('M_PREPEND uses leading space or a new mbuf and grows m_pkthdr.len', () => {
    const m = m_gethdr(M_WAIT, MT_DATA);
    m.m_data = 8;
    m.m_len = 4;
    m.m_pkthdr.len = 4;
    mtod(m).write('body');
    const h = M_PREPEND(m, 4, M_WAIT);
    expect(h).toBe(m);
    mtod(h).writeUInt32BE(0x80000004, 0);
    expect(h.m_pkthdr.len).toBe(8);
    const r = m_wrap(Buffer.from('data'));
    const h2 = M_PREPEND(r, 4, M_WAIT);
    expect(h2).not.toBe(r);
    expect(h2.m_flags & M_PKTHDR).toBeTruthy();
    expect(r.m_flags & M_PKTHDR).toBeFalsy();
    expect(h2.m_pkthdr.len).toBe(8);
  });

  it('m_split splits inside an mbuf and at a boundary', () => {
    const m = chain('abc', 'defg', 'hi');
    const t = m_split(m, 5, M_WAIT)!;
    expect(m_tobuf(m).toString()).toBe('abcde');
    expect(m_tobuf(t).toString()).toBe('fghi');
    expect(m.m_pkthdr.len).toBe(5);
    expect(t.m_pkthdr.len).toBe(4);
    const m2 = chain('abc', 'def');
    const t2 = m_split(m2, 3, M_WAIT)!;
    expect(m_tobuf(m2).toString()).toBe('abc');
    expect(m_tobuf(t2).toString()).toBe('def');
    expect(m_split(chain('ab'), 3, M_WAIT)).toBeNull();
  });

  it('m_cat folds small mbufs into trailing space', () => {
    const a = m_get(M_WAIT, MT_DATA);
    a.m_len = 2;
    mtod(a).write('ab');
    const b = m_get(M_WAIT, MT_DATA);
    b.m_len = 2;
    mtod(b).write('cd');
    m_cat(a, b);
    expect(a.m_next).toBeNull();
    expect(m_bytes(a).toString()).toBe('abcd');
    expect(b.m_type).toBe(MT_FREE);
  });

  it('m_free panics on a double free', () => {
    const m = m_get(M_WAIT, MT_DATA);
    m_free(m);
    expect(() => m_free(m)).toThrow(/double free/);
    m_freem(null);
  });

  it('m_devget copies into clusters with leading space', () => {
    const src = Buffer.alloc(200000, 3);
    const m = m_devget(src, src.length, 16)!;
    expect(m.m_data).toBe(16);
    expect(m.m_pkthdr.len).toBe(200000);
    expect(m_tobuf(m).equals(src)).toBe(true);
    expect(m.m_flags & M_EXT).toBeTruthy();
    const c = m_get(M_WAIT, MT_DATA);
    expect(MCLGET(c, M_WAIT)).toBe(c);
  });
});
