/*
 * Socket addresses in mbufs, in the BSD layout (sys/socket.h, netinet/in.h, netinet6/in6.h,
 * sys/un.h): sa_len (1 byte), sa_family (1 byte), then the family's fields. Ports and IPv4
 * addresses are in network byte order, as the kernel keeps them.
 *
 *   sockaddr_in   16 bytes: len, family, port(2), addr(4), zero(8)
 *   sockaddr_in6  28 bytes: len, family, port(2), flowinfo(4), addr(16), scope_id(4)
 *   sockaddr_un  106 bytes: len, family, path(104, NUL-terminated)
 *
 * The builders throw RangeError for values a sockaddr cannot hold (they are programming errors,
 * like a bad constant); so* functions never throw and answer malformed address mbufs with
 * EINVAL (too short / wrong length) or EAFNOSUPPORT (wrong family).
 */
import { Buffer } from 'node:buffer';
import net from 'node:net';
import { AF_INET, AF_INET6, AF_LOCAL } from './constants.js';
import { EAFNOSUPPORT, EINVAL } from './errno.js';
import { MT_SONAME, Mbuf, m_get, m_bytes } from './mbuf.js';

export const SOCKADDR_IN_LEN = 16;
export const SOCKADDR_IN6_LEN = 28;
export const SOCKADDR_UN_LEN = 106;
/** Bytes of sun_path; a path must leave room for its NUL. */
export const SUN_PATHLEN = 104;

export type SockaddrParsed =
  | { family: typeof AF_INET | typeof AF_INET6; address: string; port: number }
  | { family: typeof AF_LOCAL; path: string };

function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 65535;
}

function sonamembuf(len: number): Mbuf {
  const m = m_get(0, MT_SONAME); /* MLEN (224) bytes of own storage: every sockaddr fits */
  m.m_len = len;
  m_bytes(m).fill(0);
  return m;
}

/** An MT_SONAME mbuf holding struct sockaddr_in for IPv4 `host` ("a.b.c.d") and `port`. */
export function sockaddr_in(host: string, port: number): Mbuf {
  if (!net.isIPv4(host)) throw new RangeError(`sockaddr_in: not an IPv4 address: ${String(host)}`);
  if (!validPort(port)) throw new RangeError(`sockaddr_in: bad port ${String(port)}`);
  const m = sonamembuf(SOCKADDR_IN_LEN);
  const b = m_bytes(m);
  b[0] = SOCKADDR_IN_LEN;
  b[1] = AF_INET;
  b.writeUInt16BE(port, 2);
  const parts = host.split('.');
  for (let i = 0; i < 4; i++) b[4 + i] = Number(parts[i]);
  return m;
}

/** An MT_SONAME mbuf holding struct sockaddr_in6 for IPv6 `host` and `port`. */
export function sockaddr_in6(host: string, port: number, flowinfo = 0, scope_id = 0): Mbuf {
  if (!net.isIPv6(host)) throw new RangeError(`sockaddr_in6: not an IPv6 address: ${String(host)}`);
  if (!validPort(port)) throw new RangeError(`sockaddr_in6: bad port ${String(port)}`);
  const m = sonamembuf(SOCKADDR_IN6_LEN);
  const b = m_bytes(m);
  b[0] = SOCKADDR_IN6_LEN;
  b[1] = AF_INET6;
  b.writeUInt16BE(port, 2);
  b.writeUInt32BE(flowinfo >>> 0, 4);
  ipv6ToBytes(host).copy(b, 8);
  b.writeUInt32BE(scope_id >>> 0, 24);
  return m;
}

/** An MT_SONAME mbuf holding struct sockaddr_un for `path` (at most 103 bytes of UTF-8). */
export function sockaddr_un(path: string): Mbuf {
  if (typeof path !== 'string') throw new RangeError('sockaddr_un: path must be a string');
  const bytes = Buffer.from(path, 'utf8');
  if (bytes.length >= SUN_PATHLEN || bytes.includes(0)) {
    throw new RangeError(`sockaddr_un: path too long or contains NUL (${bytes.length} bytes)`);
  }
  const m = sonamembuf(SOCKADDR_UN_LEN);
  const b = m_bytes(m);
  b[0] = SOCKADDR_UN_LEN;
  b[1] = AF_LOCAL;
  bytes.copy(b, 2);
  return m;
}

/**
 * The contents of an address mbuf: `{ family, address, port }` for AF_INET/AF_INET6, `{ family,
 * path }` for AF_LOCAL (path '' for an unnamed socket), or null if the mbuf does not hold a
 * well-formed sockaddr of a family sonfs knows.
 */
export function sockaddr_parse(m: Mbuf | null): SockaddrParsed | null {
  if (!(m instanceof Mbuf) || m.m_len < 2) return null;
  const b = m_bytes(m);
  switch (b[1]) {
    case AF_INET:
      if (b.length < SOCKADDR_IN_LEN) return null;
      return { family: AF_INET, address: `${b[4]}.${b[5]}.${b[6]}.${b[7]}`, port: b.readUInt16BE(2) };
    case AF_INET6:
      if (b.length < SOCKADDR_IN6_LEN) return null;
      return { family: AF_INET6, address: bytesToIpv6(b.subarray(8, 24)), port: b.readUInt16BE(2) };
    case AF_LOCAL: {
      const end = Math.min(b.length, SOCKADDR_UN_LEN);
      let nul = b.indexOf(0, 2);
      if (nul < 0 || nul > end) nul = end;
      return { family: AF_LOCAL, path: b.toString('utf8', 2, nul) };
    }
    default:
      return null;
  }
}

/**
 * Validate an address mbuf for a socket of family `family` (in_nam2sin / in6_nam2sin6 /
 * unp_nam2sun): 0, EINVAL if it is null, too short or of the wrong length, EAFNOSUPPORT if it
 * is of another family.
 */
export function nam_check(nam: Mbuf | null, family: number): number {
  if (!(nam instanceof Mbuf) || nam.m_type === 0 /* MT_FREE */) return EINVAL;
  if (nam.m_len < 2) return EINVAL;
  const b = m_bytes(nam);
  switch (family) {
    case AF_INET:
      if (b.length !== SOCKADDR_IN_LEN) return b[1] !== AF_INET ? EAFNOSUPPORT : EINVAL;
      return b[1] === AF_INET ? 0 : EAFNOSUPPORT;
    case AF_INET6:
      if (b.length !== SOCKADDR_IN6_LEN) return b[1] !== AF_INET6 ? EAFNOSUPPORT : EINVAL;
      return b[1] === AF_INET6 ? 0 : EAFNOSUPPORT;
    case AF_LOCAL:
      if (b[1] !== AF_LOCAL) return EAFNOSUPPORT;
      if (b.length <= 2 || b.length > SOCKADDR_UN_LEN) return EINVAL;
      return 0;
    default:
      return EAFNOSUPPORT;
  }
}

function ipv6ToBytes(host: string): Buffer {
  const out = Buffer.alloc(16);
  let h = host;
  const pct = h.indexOf('%');
  if (pct >= 0) h = h.slice(0, pct);
  /* Trailing dotted quad (::ffff:1.2.3.4): turn it into two hex groups first. */
  const lastColon = h.lastIndexOf(':');
  const tail = h.slice(lastColon + 1);
  if (tail.includes('.')) {
    const q = tail.split('.').map(Number);
    h = `${h.slice(0, lastColon + 1)}${(((q[0]! << 8) | q[1]!) >>> 0).toString(16)}:${(((q[2]! << 8) | q[3]!) >>> 0).toString(16)}`;
  }
  const dbl = h.indexOf('::');
  let groups: string[];
  if (dbl >= 0) {
    const left = h.slice(0, dbl) === '' ? [] : h.slice(0, dbl).split(':');
    const right = h.slice(dbl + 2) === '' ? [] : h.slice(dbl + 2).split(':');
    groups = [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  } else {
    groups = h.split(':');
  }
  for (let i = 0; i < 8; i++) out.writeUInt16BE(parseInt(groups[i] ?? '0', 16), i * 2);
  return out;
}

function bytesToIpv6(b: Buffer): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(b.readUInt16BE(i * 2));
  /* RFC 5952: compress the longest run (≥ 2) of zero groups. */
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}
