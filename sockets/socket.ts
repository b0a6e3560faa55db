/*
 * struct socket (sys/socketvar.h), under its kernel field names.
 *
 * so_timeo is a wait channel: sleep on it with tsleep(so.so_timeo, ...) to wait for connection
 * state changes (soisconnected, soisdisconnected, connection arrival on a listener); the socket
 * layer calls wakeup(so.so_timeo) at each. so_cred is the credential of curproc at socreate,
 * copied once (see docs/sockets.md, "credential rule").
 *
 * so_count is the reference count of FreeBSD's struct socket, standing in for struct file's
 * f_count: socreate (and soaccept) give the caller one reference, a Socket in flight in an
 * SCM_RIGHTS message holds another, soclose drops one, and the socket is freed at zero. A socket
 * whose so_count is 0 is closed: every so* function answers EBADF for it.
 */
import type { Mbuf } from './mbuf.js';
import type { Proc, Ucred } from './proc.js';
import { Rwlock } from './rwlock.js';
import { Sockbuf, sbconfig } from './sockbuf.js';
import { wchan } from './synch.js';

/**
 * Leak accounting. so_live: sockets allocated and not yet freed. host_live: host handles
 * (node:net sockets and servers, node:dgram sockets) not yet closed — a gracefully closing TCP
 * connection keeps its handle until the host finishes, after soclose has returned.
 */
export const sostat = { so_alloc: 0, so_free: 0, so_live: 0, host_live: 0 };

/*
 * The protocol switch (sys/protosw.h, sys/domain.h): declared here, beside struct socket, since
 * each refers to the other; protosw.ts holds the domain table and re-exports these.
 *
 * Each protocol supplies its user-request routines (the kernel's pr_usrreqs). The socket layer
 * (uipc-socket.ts, sosend.ts, soreceive.ts, sockopt.ts) does the generic work — state checks,
 * buffer accounting, sleeping — and calls these for the protocol's part. They never throw.
 * Routines that take mbufs take ownership of them (free them on every path).
 */
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

export class Socket {
  so_type: number;
  so_options = 0;
  /** Linger time in seconds (SO_LINGER). */
  so_linger = 0;
  so_state = 0;
  so_error = 0;
  /** Protocol control block: the protocol's own state, host handles included. */
  so_pcb: unknown = null;
  so_proto: Protosw;
  /** Listener this socket is queued on (null once accepted). */
  so_head: Socket | null = null;
  /** Incomplete connections (always empty: the host completes handshakes before we see them). */
  so_q0: Socket[] = [];
  /** Completed connections waiting for soaccept. */
  so_q: Socket[] = [];
  so_q0len = 0;
  so_qlen = 0;
  so_qlimit = 0;
  /** Wait channel for connection state changes; only its identity matters. */
  readonly so_timeo: object = wchan();
  so_rcv = new Sockbuf();
  so_snd = new Sockbuf();
  /** Urgent data mark: always 0 (the host cannot deliver TCP urgent data to Node). */
  so_oobmark = 0;
  /** Creator's credential, copied at socreate. */
  readonly so_cred: Readonly<Ucred>;
  /** Creator's pid. */
  readonly so_cpid: number;
  /** References (see above); 0 once closed. */
  so_count = 1;
  /**
   * The largest sb_hiwat sbreserve grants this socket's buffers: the kernel's sb_max
   * (kern.maxsockbuf), per socket here. It starts at sbconfig.sb_max; an in-process consumer
   * that needs larger buffers (the RPC client of a mount with 1 MiB transfers) raises it for its
   * own sockets, so that nothing raises the process-wide value (docs/sockets.md).
   */
  so_sbmax = sbconfig.sb_max;
  /**
   * The socket's lock (today's kernel's so_lock), taken by solock and solock_shared (solock.ts)
   * for a consumer's own critical sections; the so* functions do not take it.
   */
  readonly so_lock = new Rwlock('so_lock');

  constructor(type: number, proto: Protosw, cred: Ucred, pid: number) {
    this.so_type = type;
    this.so_proto = proto;
    this.so_rcv.sb_so = this;
    this.so_snd.sb_so = this;
    this.so_cred = Object.freeze({ ...cred, cr_groups: [...cred.cr_groups] });
    this.so_cpid = pid;
    sostat.so_alloc++;
    sostat.so_live++;
  }
}

/** True if `so` is a Socket that has not been closed (freed). */
export function sovalid(so: unknown): so is Socket {
  return so instanceof Socket && so.so_count > 0;
}

/** True once the socket has been freed (sofree); a closing socket (linger) is not yet freed. */
export function sofreed(so: Socket): boolean {
  return so.so_count < 0;
}

/** sofree's accounting: the socket is gone. Idempotent. */
export function sodealloc(so: Socket): void {
  if (so.so_count === -1) return;
  so.so_count = -1;
  sostat.so_free++;
  sostat.so_live--;
}
