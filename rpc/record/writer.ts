/*
 * Record marking, send side (RFC 5531 §11): frame an encoded message for a byte stream by putting a
 * 4-byte mark (last-fragment bit | 31-bit length) in front of each fragment. The payload is never
 * copied: marks go into the first mbuf's leading space when it has writable room (XdrWriter's
 * leadingSpace: 4) or into a new small mbuf (M_PREPEND), and fragments are cut with m_split,
 * which shares storage.
 */

import { m_length, M_PKTHDR, M_PREPEND, m_split, M_WAIT, Mbuf } from '../../sockets/index.js';
import { XdrEncodeError } from '../errors.js';
import { RM_LASTFRAG, RM_MAXFRAG } from './reader.js';

/** The record mark for a fragment of `len` bytes (0 .. 2^31-1); `last` sets the high bit. */
export function recordMark(len: number, last: boolean): number {
  if (!Number.isInteger(len) || len < 0 || len > RM_MAXFRAG) throw new XdrEncodeError(`fragment length ${len} is outside 0..2^31-1`, 'record mark');
  return last ? (RM_LASTFRAG | len) >>> 0 : len;
}

function markFragment(m: Mbuf, len: number, last: boolean): Mbuf {
  const h = M_PREPEND(m, 4, M_WAIT);
  h.m_buf.writeUInt32BE(recordMark(len, last), h.m_data);
  return h;
}

/**
 * Frame the message chain `m` as one record: a single fragment, or several of at most
 * `maxFragment` bytes each. Takes over `m` and returns the framed chain (packet header, m_pkthdr.len
 * including the marks). An RPC client frames a call once and keeps the result for retransmission,
 * sending m_copym copies of it.
 */
export function frameRecord(m: Mbuf, maxFragment: number = RM_MAXFRAG): Mbuf {
  if (!Number.isInteger(maxFragment) || maxFragment < 1 || maxFragment > RM_MAXFRAG) {
    throw new RangeError(`frameRecord: maxFragment ${maxFragment} is outside 1..2^31-1`);
  }
  m.m_flags |= M_PKTHDR;
  const total = m_length(m);
  m.m_pkthdr.len = total;
  if (total <= maxFragment) return markFragment(m, total, true);

  let head: Mbuf | null = null;
  let tail: Mbuf | null = null;
  let rest: Mbuf | null = m;
  let left = total;
  while (rest !== null) {
    const len = left > maxFragment ? maxFragment : left;
    const next: Mbuf | null = left > maxFragment ? m_split(rest, len, M_WAIT) : null;
    left -= len;
    const frag = markFragment(rest, len, next === null);
    if (tail === null) {
      head = frag;
    } else {
      frag.m_flags &= ~M_PKTHDR;
      tail.m_next = frag;
    }
    tail = frag;
    while (tail.m_next !== null) tail = tail.m_next;
    rest = next;
  }
  head!.m_flags |= M_PKTHDR;
  head!.m_pkthdr.len = total + 4 * Math.ceil(total / maxFragment);
  return head!;
}
