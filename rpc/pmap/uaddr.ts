/*
 * Universal addresses for the inet and inet6 families (RFC 1833 §2.2 for IPv4; RFC 5665 §5.2.3
 * for both): the host in its usual text form followed by ".p1.p2", the port's high and low bytes
 * in decimal.  "127.0.0.1.8.1" is 127.0.0.1 port 2049; "::1.8.1" is ::1 port 2049.
 *
 * Parsing is strict: six dot-separated decimal parts 0..255 without leading zeros for IPv4; a
 * valid IPv6 address (no zone id) for IPv6; port bytes 0..255 without leading zeros. Anything
 * else throws RpcUaddrError.
 */

import { RpcUaddrError } from '../errors.js';

export interface UniversalAddress {
  family: 'inet' | 'inet6';
  address: string;
  port: number;
}

/* A decimal 0..255 with no sign, no leading zero, no spaces. */
function octet(s: string): number {
  if (s.length === 0 || s.length > 3) return -1;
  if (s.length > 1 && s.charCodeAt(0) === 0x30) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v <= 255 ? v : -1;
}

function isStrictIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => octet(p) >= 0);
}

const HEXGROUP = /^[0-9a-fA-F]{1,4}$/;

/*
 * An IPv6 address in text form (RFC 4291 §2.2): eight groups of 1-4 hex digits, or fewer with one
 * "::", optionally ending in a dotted IPv4 address (two groups' worth). rpc/ does not use
 * node:net (the socket layer is its only way to the host), hence this check of its own.
 */
function isIPv6(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  let head = s;
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return false;
  if (s.indexOf('.', lastColon) >= 0) {
    if (!isStrictIPv4(s.slice(lastColon + 1))) return false;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const dbl = head.indexOf('::');
  if (dbl !== head.lastIndexOf('::')) return false;
  const parts = dbl >= 0 ? [head.slice(0, dbl), head.slice(dbl + 2)] : [head];
  let groups = 0;
  for (const p of parts) {
    if (p === '') continue;
    for (const g of p.split(':')) {
      if (!HEXGROUP.test(g)) return false;
      groups++;
    }
  }
  return dbl >= 0 ? groups <= 7 : groups === 8;
}

/** Parse a universal address. @throws RpcUaddrError */
export function parseUaddr(uaddr: string): UniversalAddress {
  const lo = uaddr.lastIndexOf('.');
  const hi = lo > 0 ? uaddr.lastIndexOf('.', lo - 1) : -1;
  if (hi <= 0) throw new RpcUaddrError(uaddr, 'expected host.p1.p2');
  const p1 = octet(uaddr.slice(hi + 1, lo));
  const p2 = octet(uaddr.slice(lo + 1));
  if (p1 < 0 || p2 < 0) throw new RpcUaddrError(uaddr, 'port bytes must be decimal 0..255');
  const host = uaddr.slice(0, hi);
  const port = p1 * 256 + p2;
  if (host.includes(':')) {
    if (host.includes('%') || !isIPv6(host)) throw new RpcUaddrError(uaddr, 'bad IPv6 address');
    return { family: 'inet6', address: host, port };
  }
  if (!isStrictIPv4(host)) throw new RpcUaddrError(uaddr, 'bad IPv4 address');
  return { family: 'inet', address: host, port };
}

/** Format a universal address from an IPv4 or IPv6 address and a port. @throws RpcUaddrError */
export function formatUaddr(address: string, port: number): string {
  const text = `${address}.${port}`;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RpcUaddrError(text, 'port outside 0..65535');
  if (address.includes(':')) {
    if (address.includes('%') || !isIPv6(address)) throw new RpcUaddrError(text, 'bad IPv6 address');
  } else if (!isStrictIPv4(address)) {
    throw new RpcUaddrError(text, 'bad IPv4 address');
  }
  return `${address}.${port >> 8}.${port & 255}`;
}
