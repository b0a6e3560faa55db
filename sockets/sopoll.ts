/*
 * Readiness (sys/socketvar.h soreadable / sowriteable; kern/sys_socket.c soo_poll), the page's
 * BUGS' "monitor a socket for readability/writability without using blocking I/O".
 *
 *   soreadable: sb_cc ≥ so_rcv.sb_lowat, or SS_CANTRCVMORE, or a queued connection, or so_error.
 *   sowriteable: free so_snd space ≥ sb_lowat and (connected or no connection needed), or
 *                SS_CANTSENDMORE, or so_error.
 *   sopoll: POLLIN/POLLRDNORM when readable; POLLOUT/POLLWRNORM when writable unless
 *           disconnected, which is POLLHUP instead (they exclude each other, as in OpenBSD);
 *           POLLERR whenever so_error is set (beyond OpenBSD's soo_poll, as Linux and FreeBSD
 *           report it); POLLNVAL for a closed socket. POLLPRI never (no urgent data).
 * To wait for readiness, register an upcall (soupcall_set) or sleep on so_rcv / so_snd with
 * sbwait-style tsleep; sopoll itself never waits.
 */
import {
  POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLRDNORM, POLLWRNORM, PR_CONNREQUIRED, SS_CANTRCVMORE,
  SS_CANTSENDMORE, SS_ISCONNECTED, SS_ISDISCONNECTED,
} from './constants.js';
import { sbspace } from './sockbuf.js';
import type { Socket } from './socket.js';
import { sovalid } from './socket.js';

export function soreadable(so: Socket): boolean {
  return (
    so.so_rcv.sb_cc >= so.so_rcv.sb_lowat ||
    (so.so_state & SS_CANTRCVMORE) !== 0 ||
    so.so_qlen > 0 ||
    so.so_error !== 0
  );
}

export function sowriteable(so: Socket): boolean {
  return (
    (sbspace(so.so_snd) >= so.so_snd.sb_lowat &&
      ((so.so_state & SS_ISCONNECTED) !== 0 || (so.so_proto.pr_flags & PR_CONNREQUIRED) === 0)) ||
    (so.so_state & SS_CANTSENDMORE) !== 0 ||
    so.so_error !== 0
  );
}

/** sopoll: the subset of `events` that is ready now, plus POLLHUP / POLLERR / POLLNVAL. */
export function sopoll(so: Socket, events: number): number {
  if (!sovalid(so)) return POLLNVAL;
  let revents = 0;
  if (events & (POLLIN | POLLRDNORM) && soreadable(so)) revents |= events & (POLLIN | POLLRDNORM);
  if (so.so_state & SS_ISDISCONNECTED) revents |= POLLHUP;
  else if (events & (POLLOUT | POLLWRNORM) && sowriteable(so)) revents |= events & (POLLOUT | POLLWRNORM);
  if (so.so_error !== 0) revents |= POLLERR;
  return revents;
}
