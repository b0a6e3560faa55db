/*
 * mbufs: the kernel's chained message buffers (OpenBSD mbuf(9), sys/kern/uipc_mbuf.c).
 *
 * An mbuf holds m_len bytes of data in storage that is either its own small buffer or an
 * external, reference-counted one (M_EXT): a cluster, or a caller's Buffer attached with
 * MEXTADD. m_buf is the storage (a Node Buffer) and m_data the offset of the first data byte in
 * it: the kernel's m_data pointer, as an offset, so `m->m_data += n` ports as `m.m_data += n`.
 * mtod(m, T) is the kernel's mtod: a view of the storage from m_data to its end, so that code may
 * write before it sets m_len, or append into the trailing space; m_bytes(m) is the view of the
 * m_len data bytes only. No function here copies bytes unless the kernel's would (m_devget, m_copydata, m_copyback, m_pullup, and
 * m_copym/m_split of an mbuf's own small storage). m_copym and m_split share external storage
 * by reference, as the kernel shares clusters; shared storage is read-only (M_READONLY), so
 * nothing writes into bytes another chain can see.
 *
 * m_next links the mbufs of one packet or record; m_nextpkt links records in a queue.
 * A chain whose first mbuf has M_PKTHDR carries the chain's total length in m_pkthdr.len,
 * which whoever builds the chain keeps correct (sosend reads it for `top`).
 *
 * Allocation in Node cannot fail short of a crash, so M_WAIT and M_DONTWAIT are accepted and
 * behave alike. Programming errors the kernel answers with panic(9) (a double free, copying
 * past the end of a chain) throw here, with the kernel's panic message.
 */

import { Buffer } from 'node:buffer';
import type { CType } from './ctypes.js';
import type { Ref } from './ref.js';

/* Sizes, nominally those of a 64-bit kernel. They decide when clusters are used. */
export const MSIZE = 256;
export const MLEN = MSIZE - 32; /* data bytes in a plain mbuf */
export const MHLEN = MLEN - 48; /* data bytes in a packet-header mbuf */
export const MINCLSIZE = MHLEN + MLEN + 1; /* smallest size worth a cluster */
export const MCLSHIFT = 11;
export const MCLBYTES = 1 << MCLSHIFT; /* 2048 */
export const MAXMCLBYTES = 64 * 1024;
export const M_COPYALL = 1000000000;

/* m_type */
export const MT_FREE = 0;
export const MT_DATA = 1;
export const MT_HEADER = 2;
export const MT_SONAME = 3;
export const MT_SOOPTS = 4;
export const MT_FTABLE = 5;
export const MT_CONTROL = 6;
export const MT_OOBDATA = 7;
export const MT_NTYPES = 8;

/* m_flags */
export const M_EXT = 0x0001; /* has external storage */
export const M_PKTHDR = 0x0002; /* start of record */
export const M_EOR = 0x0004; /* end of record */
export const M_EXTWR = 0x0008; /* external storage is writable */
export const M_PROTO1 = 0x0010; /* protocol-specific */
export const M_BCAST = 0x0100; /* sent/received as link-level broadcast */
export const M_MCAST = 0x0200; /* sent/received as link-level multicast */
export const M_ZEROIZE = 0x2000; /* zero the storage when freed */

/* flags copied with the packet header */
export const M_COPYFLAGS = M_PKTHDR | M_EOR | M_PROTO1 | M_BCAST | M_MCAST | M_ZEROIZE;

/* how: allocation may sleep (M_WAIT) or not (M_DONTWAIT). Both succeed here. */
export const M_WAIT = 0x0001;
export const M_DONTWAIT = 0x0002;
export const M_WAITOK = M_WAIT;
export const M_NOWAIT = M_DONTWAIT;

/** The packet header of the first mbuf of a record (meaningful only with M_PKTHDR). */
export interface PktHdr {
  len: number;
}

/** Shared external storage: reference count and the owner's free routine (MEXTADD). */
export interface MbufExt {
  ext_size: number;
  ext_refs: number;
  ext_free: ((buf: Buffer, size: number, arg: unknown) => void) | null;
  ext_arg: unknown;
}

/** Allocation statistics (as netstat -m reports them): live = m_alloc - m_freed. */
export const mbstat = { m_alloc: 0, m_freed: 0, m_clalloc: 0 };

export class Mbuf {
  m_next: Mbuf | null = null;
  m_nextpkt: Mbuf | null = null;
  m_len = 0;
  m_type: number;
  m_flags: number;
  m_pkthdr: PktHdr = { len: 0 };
  /** Storage: this mbuf's own buffer, or the external one when M_EXT. */
  m_buf: Buffer;
  /** Offset of the first data byte in m_buf: the kernel's m_data pointer. */
  m_data = 0;
  m_ext: MbufExt | null = null;

  constructor(type: number, flags: number, storage: Buffer) {
    this.m_type = type;
    this.m_flags = flags;
    this.m_buf = storage;
    mbstat.m_alloc++;
  }

  /** @deprecated The earlier name of m_data, kept while code elsewhere still uses it. */
  get m_off(): number {
    return this.m_data;
  }

  set m_off(v: number) {
    this.m_data = v;
  }
}

/**
 * mtod(9), `mtod(m, T *)`: the mbuf's memory from m_data to the end of its storage, seen as a
 * pointer to T (caddr_t when T is omitted: a Buffer; an integer type: a typed array in host byte
 * order; a struct type: a view with the fields as properties; see ctypes.ts). As with the
 * kernel's pointer, the bytes past m_len are the trailing space: write there, then set m_len.
 * Code that wants the data bytes alone uses m_bytes(m).
 */
export function mtod(m: Mbuf): Buffer;
export function mtod<T>(m: Mbuf, t: CType<T>): T;
export function mtod<T>(m: Mbuf, t?: CType<T>): T | Buffer {
  return t === undefined ? m.m_buf.subarray(m.m_data) : t.view(m.m_buf, m.m_data);
}

/** The m_len data bytes of one mbuf, as a view (no copy): mtod bounded by m_len. */
export function m_bytes(m: Mbuf): Buffer {
  return m.m_buf.subarray(m.m_data, m.m_data + m.m_len);
}

/** m_get(9): a plain mbuf with MLEN bytes of its own storage. */
export function m_get(how: number, type: number): Mbuf {
  return new Mbuf(type, 0, Buffer.allocUnsafe(MLEN));
}

/** m_gethdr(9): a packet-header mbuf (M_PKTHDR) with MHLEN bytes of its own storage. */
export function m_gethdr(how: number, type: number): Mbuf {
  return new Mbuf(type, M_PKTHDR, Buffer.allocUnsafe(MHLEN));
}

export const MGET = m_get;
export const MGETHDR = m_gethdr;

/**
 * MCLGETL(9): give `m` a writable cluster of `size` bytes (MCLBYTES by default, at most
 * MAXMCLBYTES), replacing its own storage. Returns `m`, or null if the size is out of range.
 */
export function MCLGETL(m: Mbuf, how: number, size: number = MCLBYTES): Mbuf | null {
  if (!(size > 0 && size <= MAXMCLBYTES)) return null;
  m.m_buf = Buffer.allocUnsafe(size);
  m.m_data = 0;
  m.m_ext = { ext_size: size, ext_refs: 1, ext_free: null, ext_arg: null };
  m.m_flags |= M_EXT | M_EXTWR;
  mbstat.m_clalloc++;
  return m;
}

/** MCLGET(9): MCLGETL with a standard MCLBYTES cluster. */
export function MCLGET(m: Mbuf, how: number): Mbuf | null {
  return MCLGETL(m, how, MCLBYTES);
}

/** m_getcl: an mbuf (with a packet header if `flags` has M_PKTHDR) and a cluster of `size`. */
export function m_getcl(how: number, type: number, flags: number, size: number = MCLBYTES): Mbuf | null {
  const m = flags & M_PKTHDR ? m_gethdr(how, type) : m_get(how, type);
  return MCLGETL(m, how, size);
}

/**
 * MEXTADD(9): attach caller-supplied storage `buf` (its first `size` bytes) to `m` without
 * copying. M_EXTWR in `mflags` declares it writable; otherwise it is read-only. `freefn`, if
 * given, runs when the last reference to the storage is freed. The data starts empty
 * (m_len 0); set m_len to expose bytes already in the buffer.
 */
export function MEXTADD(
  m: Mbuf,
  buf: Buffer,
  size: number,
  mflags: number,
  freefn: ((buf: Buffer, size: number, arg: unknown) => void) | null,
  arg: unknown,
): void {
  m.m_buf = size === buf.length ? buf : buf.subarray(0, size);
  m.m_data = 0;
  m.m_ext = { ext_size: size, ext_refs: 1, ext_free: freefn, ext_arg: arg };
  m.m_flags = (m.m_flags & ~M_EXTWR) | M_EXT | (mflags & M_EXTWR);
}

/**
 * The MEXTADD idiom in one call: a packet-header mbuf whose data is `buf` itself, read-only and
 * not copied. This is how received bytes and large payloads enter a chain.
 */
export function m_wrap(buf: Buffer, type: number = MT_DATA): Mbuf {
  const m = new Mbuf(type, M_PKTHDR | M_EXT, buf);
  m.m_ext = { ext_size: buf.length, ext_refs: 1, ext_free: null, ext_arg: null };
  m.m_len = buf.length;
  m.m_pkthdr.len = buf.length;
  return m;
}

/** M_READONLY: true when the data may be shared with another chain, so must not be written. */
export function M_READONLY(m: Mbuf): boolean {
  return (m.m_flags & M_EXT) !== 0 && ((m.m_flags & M_EXTWR) === 0 || m.m_ext!.ext_refs > 1);
}

/** M_LEADINGSPACE: bytes free before the data that may be written (0 if read-only). */
export function M_LEADINGSPACE(m: Mbuf): number {
  return M_READONLY(m) ? 0 : m.m_data;
}

/** M_TRAILINGSPACE: bytes free after the data that may be written (0 if read-only). */
export function M_TRAILINGSPACE(m: Mbuf): number {
  return M_READONLY(m) ? 0 : m.m_buf.length - m.m_data - m.m_len;
}

/** m_align: place the data start so that `len` bytes end at the end of the storage. */
export function m_align(m: Mbuf, len: number): void {
  const off = m.m_buf.length - len;
  if (off < 0 || M_READONLY(m)) throw new RangeError(`m_align: len ${len} too large`);
  m.m_data = off & ~(4 - 1);
}
export const M_ALIGN = m_align;
export const MH_ALIGN = m_align;

/** m_free(9): free one mbuf; returns its successor (m_next). */
export function m_free(m: Mbuf): Mbuf | null {
  if (m.m_type === MT_FREE) throw new Error('m_free: freeing free mbuf (double free)');
  const n = m.m_next;
  const ext = m.m_ext;
  if (ext !== null && --ext.ext_refs === 0) {
    if (m.m_flags & M_ZEROIZE) m.m_buf.fill(0);
    if (ext.ext_free !== null) ext.ext_free(m.m_buf, ext.ext_size, ext.ext_arg);
  }
  m.m_type = MT_FREE;
  m.m_next = null;
  m.m_nextpkt = null;
  m.m_len = 0;
  m.m_ext = null;
  mbstat.m_freed++;
  return n;
}

/**
 * m_freem(9): free a whole chain (along m_next). A null chain is allowed. Returns the record
 * that followed it (its first mbuf's m_nextpkt), as OpenBSD's does.
 */
export function m_freem(m: Mbuf | null): Mbuf | null {
  if (m === null) return null;
  const nextpkt = m.m_nextpkt;
  while (m !== null) m = m_free(m);
  return nextpkt;
}

/** m_freemp(9): free the chain *mp and set *mp to null; returns what m_freem returns. */
export function m_freemp(mp: Ref<Mbuf | null>): Mbuf | null {
  const m = mp.value;
  mp.value = null;
  return m_freem(m);
}

/** m_length: total data bytes of a chain. */
export function m_length(m: Mbuf | null): number {
  let len = 0;
  for (; m !== null; m = m.m_next) len += m.m_len;
  return len;
}

/** m_last: the last mbuf of a chain. */
export function m_last(m: Mbuf): Mbuf {
  while (m.m_next !== null) m = m.m_next;
  return m;
}

/**
 * m_copydata(9): copy `len` bytes starting `off` bytes into the chain to `cp` (at `cpoff`).
 * Panics (throws) if the chain is shorter than off + len.
 */
export function m_copydata(m: Mbuf | null, off: number, len: number, cp: Buffer, cpoff = 0): void {
  if (off < 0 || len < 0) throw new RangeError(`m_copydata: off ${off}, len ${len}`);
  while (m !== null && off >= m.m_len) {
    off -= m.m_len;
    m = m.m_next;
  }
  while (len > 0) {
    if (m === null) throw new RangeError('m_copydata: null mbuf in chain (chain too short)');
    const count = Math.min(m.m_len - off, len);
    m.m_buf.copy(cp, cpoff, m.m_data + off, m.m_data + off + count);
    len -= count;
    cpoff += count;
    off = 0;
    m = m.m_next;
  }
}

/** The bytes of a whole chain in one Buffer. A single mbuf's data is returned as a view, uncopied. */
export function m_tobuf(m: Mbuf | null): Buffer {
  if (m === null) return Buffer.alloc(0);
  if (m.m_next === null) return m_bytes(m);
  const out = Buffer.allocUnsafe(m_length(m));
  m_copydata(m, 0, out.length, out);
  return out;
}

/* A new mbuf that refers to `len` bytes of m's data from `off`, sharing external storage. */
function m_share(m: Mbuf, off: number, len: number, type: number): Mbuf {
  if (m.m_ext !== null) {
    const n = new Mbuf(type, m.m_flags & (M_EXT | M_EXTWR), m.m_buf);
    n.m_ext = m.m_ext;
    m.m_ext.ext_refs++;
    n.m_data = m.m_data + off;
    n.m_len = len;
    return n;
  }
  /* An mbuf's own small storage is not shareable: copy it, as the kernel does. */
  const n = new Mbuf(type, 0, Buffer.allocUnsafe(Math.max(len, MLEN)));
  m.m_buf.copy(n.m_buf, 0, m.m_data + off, m.m_data + off + len);
  n.m_len = len;
  return n;
}

/**
 * m_copym(9): a new chain holding `len` bytes (M_COPYALL: to the end) from `off` into `m`.
 * External storage is shared by reference, not copied. If off is 0 and m has a packet header,
 * the copy gets one too. Panics (throws) if the chain is too short.
 */
export function m_copym(m: Mbuf, off: number, len: number, how: number): Mbuf {
  if (off < 0 || len < 0) throw new RangeError(`m_copym0: off ${off}, len ${len}`);
  const copyhdr = off === 0 && (m.m_flags & M_PKTHDR) !== 0;
  const head = m;
  let mm: Mbuf | null = m;
  while (off > 0) {
    if (mm === null) throw new RangeError('m_copym0: m == 0 (offset beyond chain)');
    if (off < mm.m_len) break;
    off -= mm.m_len;
    mm = mm.m_next;
  }
  let top: Mbuf | null = null;
  let tail: Mbuf | null = null;
  let copied = 0;
  while (len > 0) {
    if (mm === null) {
      if (len !== M_COPYALL) throw new RangeError(`m_copym0: m == 0, len ${len} [!COPYALL]`);
      break;
    }
    const count = Math.min(len, mm.m_len - off);
    const n = m_share(mm, off, count, mm.m_type);
    n.m_flags |= mm.m_flags & M_EOR;
    if (tail === null) top = n;
    else tail.m_next = n;
    tail = n;
    copied += count;
    if (len !== M_COPYALL) len -= count;
    off = 0;
    mm = mm.m_next;
  }
  if (top === null) {
    /* Zero-length copy: the kernel returns an empty mbuf. */
    top = new Mbuf(head.m_type, 0, Buffer.allocUnsafe(0));
  }
  if (copyhdr) {
    top.m_flags |= head.m_flags & M_COPYFLAGS;
    top.m_pkthdr.len = copied;
  }
  return top;
}

/* Replace read-only storage of `m` with a private writable copy of its data (copy-on-write). */
function m_makewritable(m: Mbuf): void {
  const size = Math.max(m.m_len, MLEN);
  const buf = Buffer.allocUnsafe(size);
  m.m_buf.copy(buf, 0, m.m_data, m.m_data + m.m_len);
  if (m.m_ext !== null && --m.m_ext.ext_refs === 0 && m.m_ext.ext_free !== null) {
    m.m_ext.ext_free(m.m_buf, m.m_ext.ext_size, m.m_ext.ext_arg);
  }
  m.m_buf = buf;
  m.m_data = 0;
  m.m_ext = null;
  m.m_flags &= ~(M_EXT | M_EXTWR);
}

/* Append `n` bytes of unspecified content to the end of the chain. */
function m_extend(m0: Mbuf, n: number, how: number): void {
  let m = m_last(m0);
  const take = Math.min(M_TRAILINGSPACE(m), n);
  m.m_len += take;
  n -= take;
  while (n > 0) {
    const x = n >= MINCLSIZE ? m_getcl(how, m.m_type, 0, Math.min(n, MAXMCLBYTES))! : m_get(how, m.m_type);
    x.m_len = Math.min(n, x.m_buf.length);
    n -= x.m_len;
    m.m_next = x;
    m = x;
  }
}

/* Overwrite `len` bytes of the chain from `off` with `src` (from srcoff), or zeros if src is null. */
function m_overwrite(m: Mbuf | null, off: number, len: number, src: Buffer | null, srcoff: number): void {
  while (m !== null && off >= m.m_len) {
    off -= m.m_len;
    m = m.m_next;
  }
  while (len > 0 && m !== null) {
    const count = Math.min(m.m_len - off, len);
    if (count > 0) {
      if (M_READONLY(m)) m_makewritable(m);
      const at = m.m_data + off;
      if (src === null) m.m_buf.fill(0, at, at + count);
      else src.copy(m.m_buf, at, srcoff, srcoff + count);
      srcoff += count;
      len -= count;
    }
    off = 0;
    m = m.m_next;
  }
}

/**
 * m_copyback(9): copy `len` bytes of `cp` (from `cpoff`) into the chain at `off`, extending it
 * with new mbufs, zero-filled where there is a gap, and updating m_pkthdr.len. Read-only
 * (shared) storage in the range is replaced by a private copy first, so no other chain sees the
 * write. Returns 0, or ENOBUFS (never here: allocation cannot fail).
 */
export function m_copyback(m0: Mbuf, off: number, len: number, cp: Buffer, how: number, cpoff = 0): number {
  if (off < 0 || len < 0) throw new RangeError(`m_copyback: off ${off}, len ${len}`);
  const total = m_length(m0);
  if (off > total) {
    m_extend(m0, off - total, how);
    m_overwrite(m0, total, off - total, null, 0);
  }
  if (off + len > Math.max(total, off)) m_extend(m0, off + len - Math.max(total, off), how);
  m_overwrite(m0, off, len, cp, cpoff);
  if (m0.m_flags & M_PKTHDR && off + len > m0.m_pkthdr.len) m0.m_pkthdr.len = off + len;
  return 0;
}

/**
 * m_cat(9): append chain `n` to chain `m`. Small mbufs of `n` are folded into m's last mbuf
 * when it has writable trailing room; m_pkthdr.len is NOT updated (as in the kernel).
 */
export function m_cat(m: Mbuf, n: Mbuf | null): void {
  m = m_last(m);
  while (n !== null) {
    if (M_READONLY(m) || n.m_len > M_TRAILINGSPACE(m) || (n.m_flags & M_EXT) !== 0) {
      m.m_next = n;
      return;
    }
    n.m_buf.copy(m.m_buf, m.m_data + m.m_len, n.m_data, n.m_data + n.m_len);
    m.m_len += n.m_len;
    m.m_flags |= n.m_flags & M_EOR;
    n = m_free(n);
  }
}

/**
 * m_adj(9): trim `req_len` bytes from the head of the chain (req_len > 0) or from its tail
 * (req_len < 0). Emptied mbufs stay in the chain with m_len 0. Updates m_pkthdr.len.
 */
export function m_adj(mp: Mbuf | null, req_len: number): void {
  if (mp === null) return;
  let len = req_len;
  if (len >= 0) {
    let m: Mbuf | null = mp;
    while (m !== null && len > 0) {
      if (m.m_len <= len) {
        len -= m.m_len;
        m.m_data += m.m_len;
        m.m_len = 0;
        m = m.m_next;
      } else {
        m.m_len -= len;
        m.m_data += len;
        len = 0;
      }
    }
    if (mp.m_flags & M_PKTHDR) mp.m_pkthdr.len -= req_len - len;
  } else {
    len = -len;
    const total = m_length(mp);
    let keep = Math.max(0, total - len);
    if (mp.m_flags & M_PKTHDR) mp.m_pkthdr.len = keep;
    for (let m: Mbuf | null = mp; m !== null; m = m.m_next) {
      if (m.m_len >= keep) {
        m.m_len = keep;
        keep = 0;
        for (let r = m.m_next; r !== null; r = r.m_next) r.m_len = 0;
        break;
      }
      keep -= m.m_len;
    }
  }
}

/**
 * m_pullup(9): make the first `len` bytes of the chain contiguous in its first mbuf, so that
 * mtod(m) views them. Returns the (possibly new) head. On failure (len > MAXMCLBYTES, or the
 * chain is shorter than len) the chain is freed and null is returned, as in the kernel.
 */
export function m_pullup(m0: Mbuf, len: number): Mbuf | null {
  if (m0.m_len >= len) return m0;
  if (len > MAXMCLBYTES || len < 0 || m_length(m0) < len) {
    m_freem(m0);
    return null;
  }
  let m: Mbuf;
  let rest: Mbuf | null;
  if (!M_READONLY(m0) && m0.m_buf.length - m0.m_data >= len) {
    /* Room in the first mbuf: pull the following bytes up into it. */
    m = m0;
    rest = m0.m_next;
  } else {
    const size = Math.max(len, MHLEN);
    m = new Mbuf(m0.m_type, m0.m_flags & M_COPYFLAGS, Buffer.allocUnsafe(size));
    m.m_pkthdr.len = m0.m_pkthdr.len;
    m0.m_flags &= ~M_PKTHDR;
    rest = m0;
  }
  let need = len - m.m_len;
  while (need > 0 && rest !== null) {
    const count = Math.min(need, rest.m_len);
    rest.m_buf.copy(m.m_buf, m.m_data + m.m_len, rest.m_data, rest.m_data + count);
    m.m_len += count;
    need -= count;
    rest.m_data += count;
    rest.m_len -= count;
    if (rest.m_len === 0) rest = m_free(rest);
  }
  m.m_next = rest;
  return m;
}

/**
 * m_prepend(9): put a new mbuf with `len` bytes of (uninitialised) data in front of the chain,
 * moving the packet header to it. Returns the new head. Does not change m_pkthdr.len.
 */
export function m_prepend(m: Mbuf, len: number, how: number): Mbuf {
  const size = Math.max(len, MHLEN);
  const mn = new Mbuf(m.m_type, m.m_flags & M_COPYFLAGS, Buffer.allocUnsafe(size));
  mn.m_pkthdr.len = m.m_pkthdr.len;
  m.m_flags &= ~M_PKTHDR;
  mn.m_next = m;
  mn.m_data = size - len;
  mn.m_len = len;
  return mn;
}

/**
 * M_PREPEND(9): make room for `plen` bytes at the front of the chain, in the first mbuf's
 * leading space if it has enough, else in a new mbuf (m_prepend). Adds plen to m_pkthdr.len.
 * The kernel macro assigns its first argument; here the new head is returned.
 */
export function M_PREPEND(m: Mbuf, plen: number, how: number): Mbuf {
  let head: Mbuf;
  if (M_LEADINGSPACE(m) >= plen) {
    m.m_data -= plen;
    m.m_len += plen;
    head = m;
  } else {
    head = m_prepend(m, plen, how);
  }
  if (head.m_flags & M_PKTHDR) head.m_pkthdr.len += plen;
  return head;
}

/**
 * m_split(9): split the chain after `len0` bytes. `m0` keeps the first len0 bytes and the
 * tail is returned (with a packet header when m0 has one); null if the chain is shorter than
 * len0. External storage is shared, not copied.
 */
export function m_split(m0: Mbuf, len0: number, how: number): Mbuf | null {
  let len = len0;
  let m: Mbuf | null = m0;
  while (m !== null && len > m.m_len) {
    len -= m.m_len;
    m = m.m_next;
  }
  if (m === null) return null;
  const remain = m.m_len - len;
  let n: Mbuf;
  if (remain === 0) {
    if (m.m_next === null && (m0.m_flags & M_PKTHDR) === 0) {
      /* Split at the very end: an empty tail. */
      n = new Mbuf(m.m_type, 0, Buffer.allocUnsafe(0));
    } else if (m.m_next === null) {
      n = new Mbuf(m.m_type, M_PKTHDR, Buffer.allocUnsafe(0));
    } else {
      n = m.m_next;
      m.m_next = null;
      if (m0.m_flags & M_PKTHDR) {
        const h = new Mbuf(n.m_type, M_PKTHDR, Buffer.allocUnsafe(0));
        h.m_next = n;
        n = h;
      }
    }
  } else {
    n = m_share(m, len, remain, m.m_type);
    n.m_flags |= m.m_flags & M_EOR;
    m.m_flags &= ~M_EOR;
    n.m_next = m.m_next;
    m.m_next = null;
    m.m_len = len;
    if (m0.m_flags & M_PKTHDR) n.m_flags |= M_PKTHDR;
  }
  if (m0.m_flags & M_PKTHDR) {
    n.m_pkthdr.len = m0.m_pkthdr.len - len0;
    m0.m_pkthdr.len = len0;
  }
  return n;
}

/**
 * m_devget(9): copy `len` bytes of `buf` into a new packet-header chain whose data starts `off`
 * bytes into the first mbuf (room for headers to be prepended later).
 */
export function m_devget(buf: Buffer, len: number, off: number): Mbuf | null {
  if (len < 0 || len > buf.length || off < 0 || off > MAXMCLBYTES) return null;
  const first = Math.min(len, MAXMCLBYTES - off);
  const top = m_getcl(M_DONTWAIT, MT_DATA, M_PKTHDR, Math.max(MCLBYTES, off + first))!;
  top.m_data = off;
  buf.copy(top.m_buf, off, 0, first);
  top.m_len = first;
  top.m_pkthdr.len = len;
  let m = top;
  let done = first;
  while (done < len) {
    const count = Math.min(len - done, MAXMCLBYTES);
    const n = m_getcl(M_DONTWAIT, MT_DATA, 0, Math.max(count, MCLBYTES))!;
    buf.copy(n.m_buf, 0, done, done + count);
    n.m_len = count;
    m.m_next = n;
    m = n;
    done += count;
  }
  return top;
}

/** m_dup_pkt: a deep copy of a whole chain into fresh writable storage. */
export function m_dup_pkt(m: Mbuf, how: number): Mbuf {
  const len = m_length(m);
  const n = m_devget(m_tobuf(m), len, 0)!;
  n.m_type = m.m_type;
  n.m_flags |= m.m_flags & M_COPYFLAGS;
  return n;
}
