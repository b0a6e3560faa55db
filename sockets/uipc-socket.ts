/*
 * The socket layer's life-cycle functions (kern/uipc_socket.c): socreate, sobind, solisten,
 * soaccept, soconnect, soconnect2, socketpair, sodisconnect, soshutdown, soclose, and the
 * address queries. sosend / soreceive / sosetopt / sogetopt are in their own files.
 *
 * Every function validates its arguments and returns an errno; none throws. A closed socket
 * (after soclose) is answered with EBADF, deterministically (the kernel would panic).
 */
import './proto/domains.js';
import {
  MSG_DONTWAIT, PR_CONNREQUIRED, PR_RIGHTS, SHUT_RD, SHUT_RDWR, SHUT_WR, SO_ACCEPTCONN, SO_LINGER, SOCK_DGRAM,
  SOMAXCONN, SOMINCONN, SS_CANTRCVMORE, SS_ISCONNECTED, SS_ISCONNECTING, SS_ISDISCONNECTING, SS_NBIO, SS_NOFDREF,
  SS_PRIV,
} from './constants.js';
import { unp_dispose } from './control.js';
import {
  EBADF, ECONNABORTED, EINVAL, EISCONN, EALREADY, ENOTCONN, EOPNOTSUPP, EPROTONOSUPPORT, EPROTOTYPE, EWOULDBLOCK,
} from './errno.js';
import { MT_CONTROL, Mbuf, m_free } from './mbuf.js';
import { Proc, curproc, suser } from './proc.js';
import { pffindproto, pffindtype } from './protosw.js';
import type { Ref } from './ref.js';
import { nam_check } from './sockaddr.js';
import { sbdetach } from './sockbuf.js';
import { Socket, sodealloc, sovalid } from './socket.js';
import { socantrcvmore, soqremque } from './sostate.js';
import { PCATCH, PSOCK, hz, tsleep, wakeup } from './synch.js';
import { ktr, so_replay } from './instrument.js';

/** Tunables (kern.somaxconn). */
export const soconfig = { somaxconn: SOMAXCONN, sominconn: SOMINCONN };

/**
 * socreate: create a socket of domain `dom`, type `type`, protocol `proto` (0: the domain's
 * default for the type) and return it through aso. Protocol lookup follows OpenBSD 2020: no
 * matching protocol — unknown domain included — is EPROTONOSUPPORT; a match of another type is
 * EPROTOTYPE. The credential of curproc is copied into so_cred here, once; SS_PRIV is set if it
 * is root's. On failure *aso is untouched. Returns 0 or errno (EINVAL for a null aso).
 */
export function socreate(dom: number, aso: Ref<Socket | null>, type: number, proto: number): number {
  const error = socreate1(dom, aso, type, proto);
  if (ktr !== null) ktr.socreate(dom, type, proto, error, error ? null : aso.value);
  return error;
}

function socreate1(dom: number, aso: Ref<Socket | null>, type: number, proto: number): number {
  if (aso === null || typeof aso !== 'object') return EINVAL;
  const prp = (so_replay !== null ? so_replay.protosw(dom, type, proto) : null) ??
    (proto ? pffindproto(dom, proto, type) : pffindtype(dom, type));
  if (prp === null || prp.pr_usrreqs === null) return EPROTONOSUPPORT;
  if (prp.pr_type !== type) return EPROTOTYPE;
  const p = curproc();
  const so = new Socket(type, prp, p.p_ucred, p.p_pid);
  if (suser(p) === 0) so.so_state |= SS_PRIV;
  const error = prp.pr_usrreqs.pru_attach(so, proto);
  if (error) {
    so.so_state |= SS_NOFDREF;
    sofree(so);
    return error;
  }
  aso.value = so;
  return 0;
}

/**
 * sobind: bind `so` to the address in `nam`, authorised with p's credential (a reserved port
 * needs uid 0 in p.p_ucred; proc0 is root). Returns 0 or errno: EBADF (closed), EINVAL (bad nam,
 * null p, already bound), EAFNOSUPPORT (wrong family), EACCES (reserved port), EADDRINUSE,
 * EADDRNOTAVAIL. nam stays the caller's.
 */
export function sobind(so: Socket, nam: Mbuf, p: Proc): Promise<number> {
  if (ktr !== null) return ktr.sobind(so, nam, sobind1(so, nam, p));
  return sobind1(so, nam, p);
}

function sobind1(so: Socket, nam: Mbuf, p: Proc): Promise<number> {
  if (!sovalid(so)) return Promise.resolve(EBADF);
  if (!(p instanceof Proc)) return Promise.resolve(EINVAL);
  const error = nam_check(nam, so.so_proto.pr_domain.dom_family);
  if (error) return Promise.resolve(error);
  return so.so_proto.pr_usrreqs!.pru_bind(so, nam, p);
}

/**
 * solisten: make `so` accept connections, queueing at most `backlog` (clamped to
 * [sominconn, somaxconn]; negative means somaxconn). Binds to a wildcard address and an
 * ephemeral port first if unbound (TCP). 0 or errno: EBADF, EINVAL (connected, or an AF_LOCAL
 * socket not bound), EOPNOTSUPP (datagram sockets).
 */
export function solisten(so: Socket, backlog: number): Promise<number> {
  if (ktr !== null) return ktr.solisten(so, backlog, solisten1(so, backlog));
  return solisten1(so, backlog);
}

async function solisten1(so: Socket, backlog: number): Promise<number> {
  if (!sovalid(so)) return EBADF;
  if (!Number.isInteger(backlog)) return EINVAL;
  if (so.so_state & (SS_ISCONNECTED | SS_ISCONNECTING | SS_ISDISCONNECTING)) return EINVAL;
  if (backlog < 0 || backlog > soconfig.somaxconn) backlog = soconfig.somaxconn;
  if (backlog < soconfig.sominconn) backlog = soconfig.sominconn;
  const error = await so.so_proto.pr_usrreqs!.pru_listen(so);
  if (error) return error;
  if (!sovalid(so)) return EBADF;
  if (so.so_q.length === 0) so.so_options |= SO_ACCEPTCONN;
  so.so_qlimit = backlog;
  return 0;
}

/**
 * soaccept: take the first completed connection off listener `head` and return it through aso
 * (its peer address, a new MT_SONAME mbuf the caller frees, through nam if given). The kernel's
 * soaccept(so, nam) works on a socket the caller (sys_accept) already took off so_q; with no
 * syscall layer here, this function does that part too, including the wait: it sleeps on
 * head.so_timeo (PCATCH) until a connection is queued, unless MSG_DONTWAIT in flags or SS_NBIO
 * (EWOULDBLOCK). 0 or errno: EBADF, EINVAL (not listening, null aso), ECONNABORTED (listener
 * shut down), a pending so_error of head, EINTR/ERESTART.
 */
export function soaccept(
  head: Socket,
  aso: Ref<Socket | null>,
  nam: Ref<Mbuf | null> | null,
  flags = 0,
): Promise<number> {
  if (ktr !== null) return ktr.soaccept(head, aso, soaccept1(head, aso, nam, flags));
  return soaccept1(head, aso, nam, flags);
}

async function soaccept1(
  head: Socket,
  aso: Ref<Socket | null>,
  nam: Ref<Mbuf | null> | null,
  flags: number,
): Promise<number> {
  if (!sovalid(head)) return EBADF;
  if (aso === null || typeof aso !== 'object') return EINVAL;
  if ((head.so_options & SO_ACCEPTCONN) === 0) return EINVAL;
  const nbio = (flags & MSG_DONTWAIT) !== 0 || (head.so_state & SS_NBIO) !== 0;
  while (head.so_qlen === 0 && head.so_error === 0) {
    if (head.so_state & SS_CANTRCVMORE) {
      head.so_error = ECONNABORTED;
      break;
    }
    if (nbio) return EWOULDBLOCK;
    const error = await tsleep(head.so_timeo, PSOCK | PCATCH, 'netcon', 0);
    if (!sovalid(head)) return EBADF;
    if (error) return error;
  }
  if (head.so_error) {
    const error = head.so_error;
    head.so_error = 0;
    return error;
  }
  const so = head.so_q[0]!;
  soqremque(so, 1);
  so.so_state &= ~SS_NOFDREF;
  if (nam !== null && typeof nam === 'object') nam.value = so.so_proto.pr_usrreqs!.pru_peeraddr(so);
  aso.value = so;
  return 0;
}

/**
 * soconnect: start connecting `so` to nam and return at once. TCP: 0 with SS_ISCONNECTING set;
 * the outcome arrives later (SS_ISCONNECTED, or so_error with SS_ISCONNECTING cleared) with a
 * wakeup of so_timeo. UDP and in-process sockets connect synchronously. A stale so_error is
 * cleared first, and on any synchronous failure SS_ISCONNECTING is left clear (the page's BUG 2
 * fixed here, not by the caller). Errno: EBADF, EOPNOTSUPP (listening), EISCONN, EINVAL (bad
 * nam; TCP to INADDR_ANY/broadcast/multicast), EAFNOSUPPORT, ENOENT/ECONNREFUSED (AF_LOCAL).
 */
export function soconnect(so: Socket, nam: Mbuf): number {
  const error = soconnect1(so, nam);
  if (ktr !== null) ktr.soconnect(so, nam, error);
  return error;
}

function soconnect1(so: Socket, nam: Mbuf): number {
  if (!sovalid(so)) return EBADF;
  if (so.so_options & SO_ACCEPTCONN) return EOPNOTSUPP;
  if (so.so_state & (SS_ISCONNECTED | SS_ISCONNECTING)) {
    if (so.so_proto.pr_flags & PR_CONNREQUIRED) return EISCONN;
    if (sodisconnect(so)) return EISCONN;
  }
  let error = nam_check(nam, so.so_proto.pr_domain.dom_family);
  if (error) return error;
  so.so_error = 0;
  error = so.so_proto.pr_usrreqs!.pru_connect(so, nam);
  if (error) so.so_state &= ~SS_ISCONNECTING;
  return error;
}

/**
 * soconnect_wait: the man page's wait idiom as one call (beyond the page: its BUGS ask that
 * callers not have to repair state). Sleeps on so_timeo (PCATCH, `timo` ticks per sleep, 0 =
 * no limit) until SS_ISCONNECTING clears or so_error is set. Returns 0 when connected; the
 * connect error (taken from so_error, which is cleared); or, when the wait ends first
 * (EWOULDBLOCK on timeout, EINTR/ERESTART on a signal), that errno after abandoning the attempt:
 * the host connection attempt is dropped and SS_ISCONNECTING cleared, so the socket is in a
 * consistent (unconnected, unusable for another TCP connect) state and soclose succeeds.
 */
export async function soconnect_wait(so: Socket, timo: number): Promise<number> {
  if (!sovalid(so)) return EBADF;
  while (so.so_state & SS_ISCONNECTING && so.so_error === 0) {
    const error = await tsleep(so.so_timeo, PSOCK | PCATCH, 'netcon', timo);
    if (!sovalid(so)) return EBADF;
    if (error && so.so_state & SS_ISCONNECTING && so.so_error === 0) {
      so.so_proto.pr_usrreqs!.pru_abort(so);
      so.so_state &= ~SS_ISCONNECTING;
      return error;
    }
  }
  if (so.so_error) {
    const error = so.so_error;
    so.so_error = 0;
    return error;
  }
  return so.so_state & SS_ISCONNECTED ? 0 : ENOTCONN;
}

/**
 * soconnect2: connect two unconnected in-process AF_LOCAL sockets of the same type (for
 * datagrams, so1 → so2 only). 0 or errno: EBADF, EPROTOTYPE (types differ), EISCONN,
 * EOPNOTSUPP (not AF_LOCAL, or a socket already using a host path), EINVAL.
 */
export function soconnect2(so1: Socket, so2: Socket): number {
  if (!sovalid(so1) || !sovalid(so2)) return EBADF;
  if (so1 === so2 && so1.so_type !== SOCK_DGRAM) return EINVAL;
  if (so1.so_proto.pr_domain !== so2.so_proto.pr_domain) return EOPNOTSUPP;
  return so1.so_proto.pr_usrreqs!.pru_connect2(so1, so2);
}

/**
 * socketpair: two connected in-process sockets of `dom` (AF_LOCAL), `type` (SOCK_STREAM,
 * SOCK_SEQPACKET, SOCK_DGRAM), `proto`, returned in sv[0] and sv[1] (the caller's array, like
 * int sv[2]). 0 or errno; on failure sv is untouched and nothing is left allocated.
 */
export function socketpair(dom: number, type: number, proto: number, sv: [Socket | null, Socket | null]): number {
  if (!Array.isArray(sv)) return EINVAL;
  const r1: Ref<Socket | null> = { value: null };
  const r2: Ref<Socket | null> = { value: null };
  let error = socreate(dom, r1, type, proto);
  if (error) return error;
  error = socreate(dom, r2, type, proto);
  if (error) {
    void soclose(r1.value!);
    return error;
  }
  const so1 = r1.value!;
  const so2 = r2.value!;
  error = soconnect2(so1, so2);
  if (!error && type === SOCK_DGRAM) error = soconnect2(so2, so1);
  if (error) {
    void soclose(so1);
    void soclose(so2);
    return error;
  }
  sv[0] = so1;
  sv[1] = so2;
  return 0;
}

/** sodisconnect: ENOTCONN if not connected, EALREADY if disconnecting, else the protocol's. */
export function sodisconnect(so: Socket): number {
  if (!sovalid(so)) return EBADF;
  if ((so.so_state & SS_ISCONNECTED) === 0) return ENOTCONN;
  if (so.so_state & SS_ISDISCONNECTING) return EALREADY;
  return so.so_proto.pr_usrreqs!.pru_disconnect(so);
}

/**
 * sorflush: SHUT_RD. No more data will be received: unread data is discarded (rights it carries
 * are disposed) and later receives return 0 (EOF) at once.
 */
export function sorflush(so: Socket): void {
  socantrcvmore(so);
  sbrelease_records(so, sbdetach(so.so_rcv));
  so.so_proto.pr_usrreqs!.pru_rcvd(so);
}

/**
 * soshutdown: SHUT_RD, SHUT_WR (FIN after the data already queued) or SHUT_RDWR. A repeated
 * SHUT_WR is 0. 0 or errno: EBADF, EINVAL (bad how).
 */
export function soshutdown(so: Socket, how: number): number {
  const error = soshutdown1(so, how);
  if (ktr !== null) ktr.soshutdown(so, how, error);
  return error;
}

function soshutdown1(so: Socket, how: number): number {
  if (!sovalid(so)) return EBADF;
  switch (how) {
    case SHUT_RD:
      sorflush(so);
      return 0;
    case SHUT_WR:
      return so.so_proto.pr_usrreqs!.pru_shutdown(so);
    case SHUT_RDWR:
      sorflush(so);
      return so.so_proto.pr_usrreqs!.pru_shutdown(so);
    default:
      return EINVAL;
  }
}

/**
 * soclose: drop the caller's reference to `so`; at the last one, close it: abort unaccepted
 * connections of a listener, disconnect (SO_LINGER {1, 0}: abortive, the peer sees a reset),
 * with SO_LINGER {1, n} wait on so_timeo up to n seconds for the disconnect to finish (unless
 * MSG_DONTWAIT in flags or SS_NBIO), release the host socket and free the socket. Returns 0,
 * EBADF (already closed), or the linger wait's error (EWOULDBLOCK on timeout, EINTR/ERESTART);
 * the socket is closed in every case. The man page's void is an int here, as in the code.
 */
export function soclose(so: Socket, flags = 0): Promise<number> {
  if (ktr !== null) return ktr.soclose(so, soclose1(so, flags));
  return soclose1(so, flags);
}

async function soclose1(so: Socket, flags: number): Promise<number> {
  if (!sovalid(so)) return EBADF;
  if (--so.so_count > 0) return 0;
  const usr = so.so_proto.pr_usrreqs!;
  let error = 0;
  if (so.so_options & SO_ACCEPTCONN) {
    for (const q of [so.so_q0, so.so_q]) {
      while (q.length > 0) {
        const child = q[0]!;
        soqremque(child, q === so.so_q0 ? 0 : 1);
        soabort(child);
      }
    }
  }
  if (so.so_pcb !== null && so.so_state & SS_ISCONNECTED) {
    if ((so.so_state & SS_ISDISCONNECTING) === 0) {
      if (so.so_options & SO_LINGER && so.so_linger === 0 && usr.pru_drop !== undefined) usr.pru_drop(so);
      else error = usr.pru_disconnect(so);
    }
    if (!error && so.so_options & SO_LINGER && so.so_linger > 0) {
      const nbio = (flags & MSG_DONTWAIT) !== 0 || (so.so_state & SS_NBIO) !== 0;
      if (!(nbio && so.so_state & SS_ISDISCONNECTING)) {
        while (so.so_state & SS_ISCONNECTED) {
          error = await tsleep(so.so_timeo, PSOCK | PCATCH, 'netcls', so.so_linger * hz);
          if (error) break;
        }
      }
    }
  }
  if (so.so_pcb !== null) usr.pru_detach(so);
  sofree(so);
  return error;
}

/** soabort: drop an unaccepted connection at once (closing listener). */
export function soabort(so: Socket): void {
  so.so_count = 0;
  so.so_proto.pr_usrreqs!.pru_abort(so);
  if (so.so_pcb !== null) so.so_proto.pr_usrreqs!.pru_detach(so);
  sofree(so);
}

/**
 * sofree: the socket is gone: discard both buffers (disposing rights), wake every sleeper (each
 * sees EBADF), mark SS_NOFDREF and count it freed.
 */
export function sofree(so: Socket): void {
  so.so_count = 0;
  so.so_state |= SS_NOFDREF;
  sbrelease_records(so, sbdetach(so.so_rcv));
  sbrelease_records(so, sbdetach(so.so_snd));
  so.so_rcv.sb_upcall = null;
  so.so_snd.sb_upcall = null;
  wakeup(so.so_timeo);
  wakeup(so.so_rcv);
  wakeup(so.so_snd);
  wakeup(so.so_rcv.sb_lockchan);
  wakeup(so.so_snd.sb_lockchan);
  sodealloc(so);
}

/* Free detached records, disposing in-flight rights of PR_RIGHTS protocols. */
function sbrelease_records(so: Socket, recs: Mbuf | null): void {
  const rightsproto = (so.so_proto.pr_flags & PR_RIGHTS) !== 0;
  while (recs !== null) {
    const next: Mbuf | null = recs.m_nextpkt;
    recs.m_nextpkt = null;
    for (let m: Mbuf | null = recs; m !== null; ) {
      if (rightsproto && m.m_type === MT_CONTROL) unp_dispose(m, soclose);
      m = m_free(m);
    }
    recs = next;
  }
}

/** The local address of `so` as a new MT_SONAME mbuf through nam (pru_sockaddr). 0 or errno. */
export function sosockaddr(so: Socket, nam: Ref<Mbuf | null>): number {
  if (!sovalid(so)) return EBADF;
  if (nam === null || typeof nam !== 'object') return EINVAL;
  nam.value = so.so_proto.pr_usrreqs!.pru_sockaddr(so);
  return 0;
}

/** The peer address of `so` (pru_peeraddr). ENOTCONN if it has none. */
export function sopeeraddr(so: Socket, nam: Ref<Mbuf | null>): number {
  if (!sovalid(so)) return EBADF;
  if (nam === null || typeof nam !== 'object') return EINVAL;
  const m = so.so_proto.pr_usrreqs!.pru_peeraddr(so);
  if (m === null) return ENOTCONN;
  nam.value = m;
  return 0;
}
