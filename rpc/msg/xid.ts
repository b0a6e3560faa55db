/* Cheap looks at a received message before decoding it (reply matching, RFC 5531 §9). */

import type { Mbuf } from '../../sockets/index.js';
import { REPLY } from './constants.js';

/* The unsigned int at byte `off` (0 or 4) of a chain, or -1 if the chain is shorter. */
function peekUint32(m: Mbuf | null, off: number): number {
  while (m !== null && off >= m.m_len) {
    off -= m.m_len;
    m = m.m_next;
  }
  if (m === null) return -1;
  if (m.m_len - off >= 4) return m.m_buf.readUInt32BE(m.m_data + off);
  let v = 0;
  for (let i = 0; i < 4; i++) {
    while (m !== null && off >= m.m_len) {
      off -= m.m_len;
      m = m.m_next;
    }
    if (m === null) return -1;
    v = v * 256 + m.m_buf[m.m_data + off]!;
    off++;
  }
  return v;
}

/**
 * The xid of a message (its first 4 bytes), or null if the chain holds fewer than 4 bytes.
 * Reads in place, allocates nothing, changes nothing.
 */
export function peekXid(m: Mbuf | null): number | null {
  const v = peekUint32(m, 0);
  return v < 0 ? null : v;
}

/** The xid of a message that claims to be a REPLY (mtype 1), else null. */
export function peekReplyXid(m: Mbuf | null): number | null {
  const v = peekUint32(m, 0);
  if (v < 0 || peekUint32(m, 4) !== REPLY) return null;
  return v;
}
