/*
 * Socket state transitions, wakeups and upcalls (kern/uipc_socket2.c; upcalls as FreeBSD's
 * soupcall_set/soupcall_clear, sys/kern/uipc_socket.c).
 *
 * Protocols call these synchronously from host events. Each transition wakes what the kernel's
 * does: so_timeo sleepers (connect / disconnect / accept waits), so_rcv and so_snd sleepers, and
 * the buffers' upcalls — which therefore run synchronously, inside the host event, with
 * M_DONTWAIT (they must not wait: use MSG_DONTWAIT in any so* call they make).
 */
import {
  SB_UPCALL, SB_WAIT, SO_RCV, SO_SND, SS_CANTRCVMORE, SS_CANTSENDMORE, SS_ISCONFIRMING, SS_ISCONNECTED,
  SS_ISCONNECTING, SS_ISDISCONNECTED, SS_ISDISCONNECTING, SS_NOFDREF, SU_ISCONNECTED, SO_ACCEPTCONN,
} from './constants.js';
import { EBADF, EINVAL } from './errno.js';
import { M_DONTWAIT } from './mbuf.js';
import type { SoUpcall, Sockbuf } from './sockbuf.js';
import { Socket, sodealloc, sovalid } from './socket.js';
import { wakeup } from './synch.js';
import { ktr } from './instrument.js';
import { soreserve } from './soreserve.js';

/** The upcall type seen by users: fn(so, arg, waitflag) => SU_OK | SU_ISCONNECTED. */
export type Upcall = (so: Socket, arg: unknown, waitflag: number) => number;

/* Run sb's upcall, if any. An exception thrown by an upcall is re-thrown outside the event. */
function soupcall(so: Socket, sb: Sockbuf, which: number): void {
  const fn = sb.sb_upcall;
  if (fn === null) return;
  if (ktr !== null) ktr.upcall(so, which);
  let rv: number;
  try {
    rv = fn(so, sb.sb_upcallarg, M_DONTWAIT);
  } catch (e) {
    queueMicrotask(() => {
      throw e;
    });
    return;
  }
  if (rv === SU_ISCONNECTED && which === SO_RCV && sb.sb_upcall === fn) {
    soupcall_clear(so, SO_RCV);
    soisconnected(so);
  }
}

/** sowakeup: wake sleepers on sb, then run its upcall. */
export function sowakeup(so: Socket, sb: Sockbuf, which: number): void {
  if (sb.sb_flags & SB_WAIT) {
    sb.sb_flags &= ~SB_WAIT;
    wakeup(sb);
  }
  if (sb.sb_upcall !== null) soupcall(so, sb, which);
}

/** sorwakeup: the receive side changed (data, EOF, error, connection state, new connection). */
export function sorwakeup(so: Socket): void {
  sowakeup(so, so.so_rcv, SO_RCV);
}

/** sowwakeup: the send side changed (space freed, connection state, error). */
export function sowwakeup(so: Socket): void {
  sowakeup(so, so.so_snd, SO_SND);
}

/**
 * soupcall_set: install fn(so, arg, waitflag) on the receive buffer (SO_RCV), the send buffer
 * (SO_SND) or both (SO_RCV | SO_SND), replacing any previous one. It is called synchronously at
 * every wakeup of that buffer. Returns 0, EBADF for a closed socket, EINVAL for bad arguments.
 */
export function soupcall_set(so: Socket, which: number, fn: Upcall, arg: unknown): number {
  if (!sovalid(so)) return EBADF;
  if (typeof fn !== 'function' || !Number.isInteger(which) || which <= 0 || (which & ~(SO_RCV | SO_SND)) !== 0) {
    return EINVAL;
  }
  const f = fn as SoUpcall;
  if (which & SO_RCV) {
    so.so_rcv.sb_upcall = f;
    so.so_rcv.sb_upcallarg = arg;
    so.so_rcv.sb_flags |= SB_UPCALL;
  }
  if (which & SO_SND) {
    so.so_snd.sb_upcall = f;
    so.so_snd.sb_upcallarg = arg;
    so.so_snd.sb_flags |= SB_UPCALL;
  }
  return 0;
}

/**
 * soupcall_clear: remove the upcall(s). When it returns, the upcall will never be called again:
 * upcalls run synchronously, so none can be in progress elsewhere (one that clears itself from
 * inside its own call is not called again either). Clearing an absent upcall is harmless.
 * Returns 0 or EINVAL for a bad `which`. Works on closed sockets too (teardown order is free).
 */
export function soupcall_clear(so: Socket, which: number): number {
  if (!(so instanceof Socket)) return EINVAL;
  if (!Number.isInteger(which) || which <= 0 || (which & ~(SO_RCV | SO_SND)) !== 0) return EINVAL;
  if (which & SO_RCV) {
    so.so_rcv.sb_upcall = null;
    so.so_rcv.sb_upcallarg = null;
    so.so_rcv.sb_flags &= ~SB_UPCALL;
  }
  if (which & SO_SND) {
    so.so_snd.sb_upcall = null;
    so.so_snd.sb_upcallarg = null;
    so.so_snd.sb_flags &= ~SB_UPCALL;
  }
  return 0;
}

/** soisconnecting: a connection attempt has started. */
export function soisconnecting(so: Socket): void {
  so.so_state &= ~(SS_ISCONNECTED | SS_ISDISCONNECTING | SS_ISDISCONNECTED);
  so.so_state |= SS_ISCONNECTING;
}

/**
 * soisconnected: the connection is established. A queued child moves from so_q0 to so_q and its
 * listener is woken; otherwise so_timeo, the receive side (upcall) and the send side are woken.
 */
export function soisconnected(so: Socket): void {
  so.so_state &= ~(SS_ISCONNECTING | SS_ISDISCONNECTING | SS_ISCONFIRMING | SS_ISDISCONNECTED);
  so.so_state |= SS_ISCONNECTED;
  if (ktr !== null) ktr.soisconnected(so);
  const head = so.so_head;
  if (head !== null && soqremque(so, 0)) {
    soqinsque(head, so, 1);
    sorwakeup(head);
    wakeup(head.so_timeo);
    return;
  }
  wakeup(so.so_timeo);
  sorwakeup(so);
  sowwakeup(so);
}

/** soisdisconnecting: a disconnect has started; no more sends or receives. */
export function soisdisconnecting(so: Socket): void {
  so.so_state &= ~SS_ISCONNECTING;
  so.so_state |= SS_ISDISCONNECTING | SS_CANTRCVMORE | SS_CANTSENDMORE;
  wakeup(so.so_timeo);
  sowwakeup(so);
  sorwakeup(so);
}

/** soisdisconnected: the connection is gone (closed, refused, reset, timed out). */
export function soisdisconnected(so: Socket): void {
  so.so_state &= ~(SS_ISCONNECTING | SS_ISCONNECTED | SS_ISDISCONNECTING);
  so.so_state |= SS_CANTRCVMORE | SS_CANTSENDMORE | SS_ISDISCONNECTED;
  if (ktr !== null) ktr.soisdisconnected(so);
  wakeup(so.so_timeo);
  sowwakeup(so);
  sorwakeup(so);
}

/** socantsendmore: no more data will be sent (SHUT_WR, disconnect). */
export function socantsendmore(so: Socket): void {
  so.so_state |= SS_CANTSENDMORE;
  sowwakeup(so);
}

/** socantrcvmore: no more data will arrive (peer FIN, SHUT_RD). */
export function socantrcvmore(so: Socket): void {
  so.so_state |= SS_CANTRCVMORE;
  sorwakeup(so);
}

/** soqinsque: queue `so` on head's so_q0 (q = 0) or so_q (q = 1). */
export function soqinsque(head: Socket, so: Socket, q: 0 | 1): void {
  so.so_head = head;
  if (q === 0) {
    head.so_q0.push(so);
    head.so_q0len++;
  } else {
    head.so_q.push(so);
    head.so_qlen++;
  }
}

/** soqremque: take `so` off its head's queue q; false if it was not there. */
export function soqremque(so: Socket, q: 0 | 1): boolean {
  const head = so.so_head;
  if (head === null) return false;
  const list = q === 0 ? head.so_q0 : head.so_q;
  const i = list.indexOf(so);
  if (i < 0) return false;
  list.splice(i, 1);
  if (q === 0) head.so_q0len--;
  else head.so_qlen--;
  so.so_head = null;
  return true;
}

/**
 * sonewconn: a connection arrived on listener `head`. Unless the queues are full (more than
 * 3/2 of so_qlimit), make a child socket like head (options, linger, buffer sizes and
 * timeouts, credential), attach the protocol, and queue it on so_q0 with SS_NOFDREF (soaccept
 * clears it). The protocol then gives it its host connection and calls soisconnected, which
 * moves it to so_q and wakes head. Returns the child, or null (the caller refuses the
 * connection).
 */
export function sonewconn(head: Socket): Socket | null {
  if (head.so_qlen + head.so_q0len > (3 * head.so_qlimit) / 2) return null;
  const so = new Socket(head.so_type, head.so_proto, head.so_cred, head.so_cpid);
  so.so_options = head.so_options & ~SO_ACCEPTCONN;
  so.so_linger = head.so_linger;
  so.so_state = (head.so_state & ~(SS_ISCONNECTED | SS_ISCONNECTING | SS_ISDISCONNECTING)) | SS_NOFDREF;
  so.so_rcv.sb_lowat = head.so_rcv.sb_lowat;
  so.so_snd.sb_lowat = head.so_snd.sb_lowat;
  so.so_rcv.sb_timeo = head.so_rcv.sb_timeo;
  so.so_snd.sb_timeo = head.so_snd.sb_timeo;
  so.so_sbmax = head.so_sbmax;
  if (soreserve(so, head.so_snd.sb_hiwat, head.so_rcv.sb_hiwat) ||
      so.so_proto.pr_usrreqs!.pru_attach(so, head.so_proto.pr_protocol)) {
    so.so_count = 0;
    sodealloc(so);
    return null;
  }
  soqinsque(head, so, 0);
  return so;
}
