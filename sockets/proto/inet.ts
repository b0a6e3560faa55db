/*
 * Internet addresses for the TCP and UDP protocols (the in_pcb.c part): parsing a validated
 * sockaddr mbuf, the checks in_pcbbind / in_pcbconnect / tcp_connect make, and the privileged
 * port rule.
 *
 * Reserved ports: binding a port below IPPORT_RESERVED (1024) needs a root credential — the
 * proc passed to sobind, or so_cred for implicit binds — else EACCES (NetBSD/FreeBSD's errno;
 * OpenBSD's in6 path returns suser()'s EPERM: sonfs uses EACCES for both families). With
 * IP_PORTRANGE_LOW, port 0 picks a free port from 1023 down to 600, also for root only.
 * Port 0 otherwise lets the host pick an ephemeral port (Linux's range, 32768-60999 by default,
 * not OpenBSD's 49152-65535).
 */
import { AF_INET, AF_INET6, IP_PORTRANGE_LOW, IPPORT_LOWFIRSTAUTO, IPPORT_LOWLASTAUTO, IPPORT_RESERVED } from '../constants.js';
import { EACCES, EADDRINUSE, EADDRNOTAVAIL, EINVAL } from '../errno.js';
import type { Mbuf } from '../mbuf.js';
import type { Ucred } from '../proc.js';
import { suser_ucred } from '../proc.js';
import { sockaddr_in, sockaddr_in6, sockaddr_parse } from '../sockaddr.js';

export interface InAddr {
  address: string;
  port: number;
}

/** The address and port of a sockaddr_in / sockaddr_in6 mbuf already checked by nam_check. */
export function in_nam(nam: Mbuf): InAddr {
  const sa = sockaddr_parse(nam);
  if (sa === null || !('port' in sa)) return { address: '', port: 0 };
  return { address: sa.address, port: sa.port };
}

/** An MT_SONAME mbuf for (family, address, port). */
export function in_sockaddr(family: number, a: InAddr): Mbuf {
  return family === AF_INET6 ? sockaddr_in6(a.address, a.port) : sockaddr_in(a.address, a.port);
}

/** The wildcard address of a family. */
export function in_any(family: number): string {
  return family === AF_INET6 ? '::' : '0.0.0.0';
}

export function in_isany(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** IPv4 multicast (224/4) or IPv6 multicast (ff00::/8). */
export function in_ismulticast(family: number, address: string): boolean {
  if (family === AF_INET) {
    const first = Number(address.split('.')[0]);
    return first >= 224 && first <= 239;
  }
  return address.toLowerCase().startsWith('ff');
}

export function in_isbroadcast(family: number, address: string): boolean {
  return family === AF_INET && address === '255.255.255.255';
}

/**
 * tcp_connect's destination check: INADDR_ANY, broadcast or multicast → EINVAL; port 0 →
 * EADDRNOTAVAIL (in_pcbconnect).
 */
export function tcp_dstcheck(family: number, a: InAddr): number {
  if (in_isany(a.address) || in_isbroadcast(family, a.address) || in_ismulticast(family, a.address)) return EINVAL;
  if (a.port === 0) return EADDRNOTAVAIL;
  return 0;
}

/** The privileged-port rule for a bind of `port` with `portrange`, by credential `cred`. */
export function in_portcheck(port: number, portrange: number, cred: Readonly<Ucred>): number {
  if (port !== 0 && port < IPPORT_RESERVED && suser_ucred(cred) !== 0) return EACCES;
  if (port === 0 && portrange === IP_PORTRANGE_LOW && suser_ucred(cred) !== 0) return EACCES;
  return 0;
}

/**
 * Bind with the port-range rule: try(port) binds on the host and resolves to 0 or an errno.
 * Port 0 with IP_PORTRANGE_LOW walks the range 1023..600 from a random starting point, as
 * OpenBSD's in_pcbpickport does (so that consecutive connections to one server do not reuse a
 * 4-tuple still in TIME_WAIT), until a port is free (EADDRINUSE if none).
 */
export async function in_bindrange(port: number, portrange: number, attempt: (port: number) => Promise<number>): Promise<number> {
  if (port !== 0 || portrange !== IP_PORTRANGE_LOW) return attempt(port);
  const count = IPPORT_LOWFIRSTAUTO - IPPORT_LOWLASTAUTO + 1;
  const start = Math.floor(Math.random() * count);
  for (let i = 0; i < count; i++) {
    const p = IPPORT_LOWFIRSTAUTO - ((start + i) % count);
    const error = await attempt(p);
    if (error !== EADDRINUSE && error !== EACCES) return error;
  }
  return EADDRINUSE;
}
