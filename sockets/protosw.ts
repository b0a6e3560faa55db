/*
 * Protocol switch and domains (sys/protosw.h, sys/domain.h, kern/uipc_domain.c): the table of
 * domains and the lookups socreate uses. The struct protosw interfaces are declared in socket.ts.
 */
import { EBADF } from './errno.js';
import { m_freem } from './mbuf.js';
import type { Mbuf } from './mbuf.js';
import type { Domain, Protosw, Socket } from './socket.js';
import { sovalid } from './socket.js';

/* The interfaces live with struct socket (socket.ts), which holds a Protosw. */
export type { Domain, ProtoUsrreqs, Protosw } from './socket.js';

/* pr_ctloutput operations. */
export const PRCO_GETOPT = 0;
export const PRCO_SETOPT = 1;

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

/**
 * pru_send (today's sys/protosw.h): hand the chain `top` straight to the protocol's send routine,
 * as kernel code that must not sleep does (the NFS client's retransmit timer): no sosend checks,
 * no waiting for room (check sbspace(so.so_snd) first), not traced. The protocol owns `top` and
 * `control` on every path. 0 or errno; EBADF (the chains freed) for a closed socket.
 */
export function pru_send(so: Socket, top: Mbuf | null, addr: Mbuf | null, control: Mbuf | null): number {
  if (!sovalid(so) || so.so_proto.pr_usrreqs === null) {
    m_freem(top);
    m_freem(control);
    return EBADF;
  }
  return so.so_proto.pr_usrreqs.pru_send(so, top, addr, control);
}
