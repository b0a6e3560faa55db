/*
 * Protocol switch and domains (sys/protosw.h, sys/domain.h, kern/uipc_domain.c).
 *
 * Each protocol supplies its user-request routines (the kernel's pr_usrreqs). The socket layer
 * (uipc-socket.ts, sosend.ts, soreceive.ts, sockopt.ts) does the generic work — state checks,
 * buffer accounting, sleeping — and calls these for the protocol's part. They never throw.
 * Routines that take mbufs take ownership of them (free them on every path).
 */
import type { Mbuf } from './mbuf.js';
import type { Proc } from './proc.js';
import type { Socket } from './socket.js';

/* pr_ctloutput operations. */
export const PRCO_GETOPT = 0;
export const PRCO_SETOPT = 1;

export interface ProtoUsrreqs {
  /** Create the protocol state (so_pcb) and reserve buffers. 0 or errno. */
  pru_attach(so: Socket, proto: number): number;
  /** Release the protocol state and every host resource. */
  pru_detach(so: Socket): void;
  /** Bind to nam, authorised with p's credential. */
  pru_bind(so: Socket, nam: Mbuf, p: Proc): Promise<number>;
  /** Start accepting connections (so_qlimit is already set). */
  pru_listen(so: Socket): Promise<number>;
  /** Start a connection; returns at once (soisconnecting / soisconnected / errno). */
  pru_connect(so: Socket, nam: Mbuf): number;
  /** Connect two sockets of this protocol to each other (soconnect2). */
  pru_connect2(so: Socket, so2: Socket): number;
  /** Disconnect (UDP: forget the peer; TCP: graceful close). */
  pru_disconnect(so: Socket): number;
  /** No more sends: the protocol's part of SHUT_WR (socantsendmore is done by the caller). */
  pru_shutdown(so: Socket): number;
  /** The receiver consumed data: window update / resume the host / wake the peer. */
  pru_rcvd(so: Socket): void;
  /** Send chain m (may be null for control only) to nam or the connected peer. Owns m, control. */
  pru_send(so: Socket, m: Mbuf | null, nam: Mbuf | null, control: Mbuf | null): number;
  /** Abort a connection (unaccepted child of a closing listener): drop it at once. */
  pru_abort(so: Socket): void;
  /** The local address as an MT_SONAME mbuf, or null if unbound. */
  pru_sockaddr(so: Socket): Mbuf | null;
  /** The peer address as an MT_SONAME mbuf, or null if not connected. */
  pru_peeraddr(so: Socket): Mbuf | null;
  /** Abortive close on soclose with SO_LINGER {1, 0} (TCP: RST). */
  pru_drop?(so: Socket): void;
  /**
   * A SOL_SOCKET option changed (the kernel's informational pr_ctloutput call after a generic
   * sosetopt): apply it to the host socket where that has meaning.
   */
  pru_sooptchanged?(so: Socket, optname: number): void;
}

export interface Protosw {
  pr_type: number;
  pr_domain: Domain;
  pr_protocol: number;
  pr_flags: number;
  /** Null: no attach routine (socreate answers EPROTONOSUPPORT). */
  pr_usrreqs: ProtoUsrreqs | null;
  /** Protocol-level options; null → ENOPROTOOPT. For PRCO_GETOPT, m is the result mbuf to fill. */
  pr_ctloutput: ((op: number, so: Socket, level: number, optname: number, m: Mbuf) => number) | null;
}

export interface Domain {
  dom_family: number;
  dom_name: string;
  dom_protosw: Protosw[];
  /** Dispose of in-flight rights in a discarded control mbuf (unp_dispose). */
  dom_dispose: ((control: Mbuf) => void) | null;
}

const domains = new Map<number, Domain>();

/** Register a domain (done once by the protocol modules). */
export function domain_add(dom: Domain): void {
  domains.set(dom.dom_family, dom);
}

export function pffinddomain(family: number): Domain | null {
  return domains.get(family) ?? null;
}

/** pffindtype: the first protocol of `type` in the family's domain. */
export function pffindtype(family: number, type: number): Protosw | null {
  const dom = domains.get(family);
  if (dom === undefined) return null;
  for (const pr of dom.dom_protosw) if (pr.pr_type !== 0 && pr.pr_type === type) return pr;
  return null;
}

/**
 * pffindproto: the protocol `protocol` of `type` in the family's domain; for SOCK_RAW a
 * wildcard raw entry (pr_protocol 0) matches any protocol.
 */
export function pffindproto(family: number, protocol: number, type: number): Protosw | null {
  const dom = domains.get(family);
  if (dom === undefined) return null;
  let maybe: Protosw | null = null;
  for (const pr of dom.dom_protosw) {
    if (pr.pr_protocol === protocol && pr.pr_type === type) return pr;
    if (type === 3 /* SOCK_RAW */ && pr.pr_type === 3 && pr.pr_protocol === 0 && maybe === null) maybe = pr;
  }
  return maybe;
}
