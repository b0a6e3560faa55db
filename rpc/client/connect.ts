/*
 * Making the client's socket, as OpenBSD's nfs_connect and FreeBSD's clnt_vc_create do it with
 * the socket layer (shared/reference kernel-sockets.md §4.3, §4.4):
 *
 *   socreate as the client's process (so_cred is its credential);
 *   a reserved source port when that credential is root's and the caller did not opt out:
 *     IP_PORTRANGE = IP_PORTRANGE_LOW, sobind(INADDR_ANY:0, proc), IP_PORTRANGE back to default
 *     (if none can be had — EACCES from the host, EADDRINUSE — an ephemeral port instead);
 *   socket buffers of 2 × (largest message + header), clamped to the client's sbMax, which
 *     becomes the socket's so_sbmax (its own kern.maxsockbuf: nothing process-wide changes);
 *   SB_NOINTR on both buffers (their sleeps end by timeouts and close, not signals);
 *   TCP: SO_KEEPALIVE and TCP_NODELAY; soconnect, then tsleep on so_timeo in 2-second steps,
 *     bounded by connectTimeout, until SS_ISCONNECTING clears or so_error is set; take so_error;
 *   UDP: soconnect (synchronous), so that ICMP port unreachable comes back as so_error.
 *
 * Any failure closes the socket; the result is the errno. Nothing here throws.
 */
import {
  AF_INET, AF_INET6, EACCES, EADDRINUSE, EADDRNOTAVAIL, ECANCELED, EHOSTUNREACH, ENOTCONN, ETIMEDOUT, IP_PORTRANGE,
  IP_PORTRANGE_DEFAULT, IP_PORTRANGE_LOW, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, IPV6_PORTRANGE, PSOCK, SB_NOINTR,
  SO_KEEPALIVE, SO_RCVBUF, SO_SNDBUF, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET, SS_ISCONNECTED, SS_ISCONNECTING,
  TCP_NODELAY, hz, m_freem, runas, sobind, soclose, soconnect, socreate, sockaddr_in, sockaddr_in6,
  sooptint, sosetopt, tsleep, wakeup,
} from '../../sockets/index.js';
import type { Mbuf, Proc, Ref, Socket } from '../../sockets/index.js';

/** A resolved server address. */
export interface Endpoint {
  family: typeof AF_INET | typeof AF_INET6;
  address: string;
  port: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The endpoint for host (an address literal, or a name looked up now) and port; or an errno (EHOSTUNREACH). */
export async function resolveEndpoint(host: string, port: number): Promise<Endpoint | number> {
  if (IPV4.test(host)) return { family: AF_INET, address: host, port };
  if (host.includes(':')) return { family: AF_INET6, address: host.replace(/^\[(.*)\]$/, '$1'), port };
  try {
    /* node:dns is loaded only for a name: most endpoints are address literals. */
    const { lookup } = await import('node:dns/promises');
    const a = await lookup(host);
    return { family: a.family === 6 ? AF_INET6 : AF_INET, address: a.address, port };
  } catch {
    return EHOSTUNREACH;
  }
}

/** The sockaddr mbuf of an endpoint (the caller frees it); null if the address is malformed. */
export function endpointSockaddr(ep: Endpoint): Mbuf | null {
  try {
    return ep.family === AF_INET6 ? sockaddr_in6(ep.address, ep.port) : sockaddr_in(ep.address, ep.port);
  } catch {
    return null;
  }
}

export interface ConnectParams {
  type: typeof SOCK_STREAM | typeof SOCK_DGRAM;
  proc: Proc;
  resvport: boolean;
  sndbuf: number;
  rcvbuf: number;
  /** The socket's so_sbmax: the buffers are capped by it (RpcClientOptions.sbMax). */
  sbmax: number;
  /** Milliseconds. */
  timeout: number;
}

export interface ConnectResult {
  error: number;
  so: Socket | null;
  /** The socket is bound to a reserved port. */
  reserved: boolean;
  /** A reserved port was wanted and could not be had. */
  fellBack: boolean;
}

/** Connections from a reserved port tried before a port clash is reported. */
const RESVPORT_ATTEMPTS = 8;

/** One connection attempt; cancel() abandons it (the result is then ECANCELED). */
export class Connector {
  #so: Socket | null = null;
  #cancelled = false;

  get cancelled(): boolean {
    return this.#cancelled;
  }

  cancel(): void {
    this.#cancelled = true;
    if (this.#so !== null) wakeup(this.#so.so_timeo);
  }

  /**
   * Connect to `ep`. A connect from a reserved port can fail with EADDRNOTAVAIL or EADDRINUSE
   * when that port's connection to this very server is still in TIME_WAIT (quick remounts as
   * root): like a bindresvport loop, try again with another reserved port (the low range is walked
   * from a random start), a few times, before reporting the error.
   */
  async connect(ep: Endpoint, p: ConnectParams): Promise<ConnectResult> {
    for (let attempt = 1; ; attempt++) {
      const r = await this.#connectOnce(ep, p);
      const portClash = r.error === EADDRNOTAVAIL || r.error === EADDRINUSE;
      if (!(portClash && r.reserved && attempt < RESVPORT_ATTEMPTS) || this.#cancelled) return r;
    }
  }

  async #connectOnce(ep: Endpoint, p: ConnectParams): Promise<ConnectResult> {
    const result: ConnectResult = { error: 0, so: null, reserved: false, fellBack: false };
    const aso: Ref<Socket | null> = { value: null };
    let error = runas(p.proc, () => socreate(ep.family, aso, p.type, 0));
    if (error) return { ...result, error };
    const so = aso.value!;
    this.#so = so;
    error = await this.#setup(so, ep, p, result);
    if (!error && this.#cancelled) error = ECANCELED;
    if (error) {
      this.#so = null;
      await soclose(so);
      result.error = error;
      return result;
    }
    result.so = so;
    return result;
  }

  async #setup(so: Socket, ep: Endpoint, p: ConnectParams, result: ConnectResult): Promise<number> {
    let error: number;
    if (p.resvport && p.proc.p_ucred.cr_uid === 0) {
      const v6 = ep.family === AF_INET6;
      const level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
      const opt = v6 ? IPV6_PORTRANGE : IP_PORTRANGE;
      error = sosetopt(so, level, opt, sooptint(IP_PORTRANGE_LOW));
      if (error) return error;
      const nam = v6 ? sockaddr_in6('::', 0) : sockaddr_in('0.0.0.0', 0);
      error = await sobind(so, nam, p.proc);
      m_freem(nam);
      if (this.#cancelled) return ECANCELED;
      sosetopt(so, level, opt, sooptint(IP_PORTRANGE_DEFAULT));
      if (error === EACCES || error === EADDRINUSE || error === EADDRNOTAVAIL) {
        result.fellBack = true;
      } else if (error) {
        return error;
      } else {
        result.reserved = true;
      }
    }
    const max = p.sbmax;
    so.so_sbmax = max;
    error = sosetopt(so, SOL_SOCKET, SO_SNDBUF, sooptint(Math.min(p.sndbuf, max)));
    if (!error) error = sosetopt(so, SOL_SOCKET, SO_RCVBUF, sooptint(Math.min(p.rcvbuf, max)));
    if (error) return error;
    so.so_rcv.sb_flags |= SB_NOINTR;
    so.so_snd.sb_flags |= SB_NOINTR;
    if (p.type === SOCK_STREAM) {
      error = sosetopt(so, SOL_SOCKET, SO_KEEPALIVE, sooptint(1));
      if (!error) error = sosetopt(so, IPPROTO_TCP, TCP_NODELAY, sooptint(1));
      if (error) return error;
    }
    const nam = endpointSockaddr(ep);
    if (nam === null) return EHOSTUNREACH;
    error = soconnect(so, nam);
    m_freem(nam);
    if (error) return error;
    /* The kernel's wait: so_timeo is woken when the connect completes or fails. */
    const deadline = performance.now() + p.timeout;
    while (so.so_state & SS_ISCONNECTING && so.so_error === 0) {
      if (this.#cancelled) return ECANCELED;
      const left = deadline - performance.now();
      if (left <= 0) return ETIMEDOUT;
      await tsleep(so.so_timeo, PSOCK, 'rpccon', Math.min(2 * hz, Math.ceil((left * hz) / 1000)));
    }
    if (this.#cancelled) return ECANCELED;
    error = so.so_error;
    so.so_error = 0;
    if (!error && (so.so_state & SS_ISCONNECTED) === 0) error = ENOTCONN;
    return error;
  }
}
