/*
 * Option values in mbufs (sosetopt / sogetopt): an int is 4 bytes in host byte order, struct
 * linger two int32 (l_onoff, l_linger), struct timeval two int64 (tv_sec, tv_usec), as on a
 * 64-bit BSD. Builders return new MT_SOOPTS mbufs (sosetopt consumes them); readers take the
 * mbuf sogetopt returned.
 */
import os from 'node:os';
import { MT_SOOPTS, Mbuf, m_get, m_bytes } from './mbuf.js';

const LE = os.endianness() === 'LE';

/** The bytes an option mbuf really holds (m_len, unless its storage is shorter): -1 for null. */
export function optlen(m: Mbuf | null): number {
  return m === null ? -1 : m_bytes(m).length;
}

export function optint_read(m: Mbuf, off = 0): number {
  const b = m_bytes(m);
  return LE ? b.readInt32LE(off) : b.readInt32BE(off);
}

export function optint_write(m: Mbuf, v: number, off = 0): void {
  const b = m_bytes(m);
  if (LE) b.writeInt32LE(v | 0, off);
  else b.writeInt32BE(v | 0, off);
}

export function optint64_read(m: Mbuf, off: number): bigint {
  const b = m_bytes(m);
  return LE ? b.readBigInt64LE(off) : b.readBigInt64BE(off);
}

export function optint64_write(m: Mbuf, v: bigint, off: number): void {
  const b = m_bytes(m);
  if (LE) b.writeBigInt64LE(v, off);
  else b.writeBigInt64BE(v, off);
}

/** A fresh MT_SOOPTS mbuf of `len` zero bytes. */
export function sooptmbuf(len: number): Mbuf {
  const m = m_get(0, MT_SOOPTS);
  m.m_len = len;
  m_bytes(m).fill(0);
  return m;
}

/** An option mbuf holding the int `v`. */
export function sooptint(v: number): Mbuf {
  const m = sooptmbuf(4);
  optint_write(m, v);
  return m;
}

/** An option mbuf holding struct linger { l_onoff, l_linger }. */
export function sooptlinger(onoff: number, linger: number): Mbuf {
  const m = sooptmbuf(8);
  optint_write(m, onoff, 0);
  optint_write(m, linger, 4);
  return m;
}

/** An option mbuf holding struct timeval { tv_sec, tv_usec }. */
export function soopttimeval(sec: number | bigint, usec: number | bigint): Mbuf {
  const m = sooptmbuf(16);
  optint64_write(m, BigInt(sec), 0);
  optint64_write(m, BigInt(usec), 8);
  return m;
}

/** Read struct timeval from an option mbuf as numbers. */
export function soopt_timeval(m: Mbuf): { tv_sec: number; tv_usec: number } {
  return { tv_sec: Number(optint64_read(m, 0)), tv_usec: Number(optint64_read(m, 8)) };
}

/** Read struct linger from an option mbuf. */
export function soopt_linger(m: Mbuf): { l_onoff: number; l_linger: number } {
  return { l_onoff: optint_read(m, 0), l_linger: optint_read(m, 4) };
}
