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
import type { Ucred } from './proc.js';
import type { Protosw } from './protosw.js';
import { Sockbuf } from './sockbuf.js';
import { wchan } from './synch.js';

/**
 * Leak accounting. so_live: sockets allocated and not yet freed. host_live: host handles
 * (node:net sockets and servers, node:dgram sockets) not yet closed — a gracefully closing TCP
 * connection keeps its handle until the host finishes, after soclose has returned.
 */
export const sostat = { so_alloc: 0, so_free: 0, so_live: 0, host_live: 0 };

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

  constructor(type: number, proto: Protosw, cred: Ucred, pid: number) {
    this.so_type = type;
    this.so_proto = proto;
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
