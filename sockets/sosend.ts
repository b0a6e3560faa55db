/*
 * sosend (kern/uipc_socket.c, OpenBSD 2020 algorithm).
 *
 * Sends the bytes of `uio` (copied in) or the mbuf chain `top` (taken over, never copied: each
 * mbuf's view goes to the host as is), with optional control mbufs and, on datagram sockets, a
 * destination `addr` (stays the caller's). `top` and `control` are consumed on every path,
 * errors included. A `top` chain is atomic even on a stream: it is queued whole or not at all,
 * and must fit so_snd.sb_hiwat (else EMSGSIZE).
 *
 * Order of checks, each pass: SS_CANTSENDMORE → EPIPE; so_error → returned once and cleared;
 * not connected → ENOTCONN (PR_CONNREQUIRED, unless a control-only send) or EDESTADDRREQ (no
 * addr); control or an atomic message larger than the buffer → EMSGSIZE; then the space wait.
 *
 * Waiting: with MSG_DONTWAIT in flags or SS_NBIO on the socket, sosend never waits (not even a
 * timer): lack of space is EWOULDBLOCK, and a stream send takes what fits first (uio_resid shows
 * the short count). Otherwise it sleeps on so_snd (SO_SNDTIMEO → EWOULDBLOCK; a signal →
 * EINTR/ERESTART unless SB_NOINTR), again with the partial progress visible in uio_resid.
 * Concurrent senders are serialised by the so_snd I/O lock, held across that wait too (as
 * FreeBSD does; OpenBSD releases it while waiting), so stream sends never interleave.
 */
import { Buffer } from 'node:buffer';
import {
  MSG_DONTWAIT, MSG_EOR, MSG_OOB, PR_ATOMIC, PR_CONNREQUIRED, SB_LOCK, SOCK_STREAM, SS_CANTSENDMORE, SS_ISCONNECTED,
  SS_NBIO,
} from './constants.js';
import { EBADF, EDESTADDRREQ, EINVAL, EMSGSIZE, ENOTCONN, EOPNOTSUPP, EPIPE, EWOULDBLOCK } from './errno.js';
import { M_EOR, M_PKTHDR, MT_DATA, Mbuf, m_freem, m_gethdr, m_length, m_wrap } from './mbuf.js';
import { sbspace, sbunlock, sbwait, sblock_wait } from './sockbuf.js';
import type { Socket } from './socket.js';
import { sovalid } from './socket.js';
import type { Uio } from './uio.js';
import { co_now, co_run, so_settled } from './coroutine.js';
import type { Sleeper } from './coroutine.js';
import { ktr } from './instrument.js';
import { UIO_WRITE, uio_valid, uiomove } from './uio.js';

/* m_getuio: copy up to `space` bytes (all of them if atomic) out of uio into one new mbuf. */
function m_getuio(uio: Uio, atomic: boolean, space: number): Mbuf {
  const len = atomic || uio.uio_resid < space ? uio.uio_resid : Math.max(space, 0);
  if (len === 0) {
    const m = m_gethdr(0, MT_DATA);
    m.m_pkthdr.len = 0;
    return m;
  }
  /* The one copy of a uio send: the caller may reuse its memory when sosend returns. */
  const buf = Buffer.allocUnsafe(len);
  uiomove(buf, len, uio);
  return m_wrap(buf, MT_DATA);
}

function lastmbuf(m: Mbuf): Mbuf {
  while (m.m_next !== null) m = m.m_next;
  return m;
}

/*
 * The common case of sosend without a generator: valid arguments, no control, the I/O lock free,
 * the socket able to send (no pending error, connected or given an address), no MSG_OOB, and
 * room in so_snd for the whole message now. It is sosend_gen's algorithm restricted to that
 * case, which never waits; every other case (errors included) is SND_SLOW, answered before
 * anything is done, and sosend_gen runs from the start.
 */
const SND_SLOW = -1;

function sosend_fast(
  so: Socket,
  addr: Mbuf | null,
  uio: Uio | null,
  top: Mbuf | null,
  control: Mbuf | null,
  flags: number,
): number {
  if (!sovalid(so) || control !== null || !Number.isInteger(flags) || flags & MSG_OOB) return SND_SLOW;
  if (!(top instanceof Mbuf)) top = null;
  if ((uio !== null && top !== null) || (addr !== null && !(addr instanceof Mbuf))) return SND_SLOW;
  let resid = 0;
  if (uio !== null) {
    if (!uio_valid(uio) || uio.uio_rw !== UIO_WRITE) return SND_SLOW;
    resid = uio.uio_resid;
  } else if (top !== null) {
    resid = m_length(top);
    if (top.m_flags & M_PKTHDR && top.m_pkthdr.len !== resid) return SND_SLOW;
  }
  if (so.so_type === SOCK_STREAM && flags & MSG_EOR) return SND_SLOW;
  const sb = so.so_snd;
  const prflags = so.so_proto.pr_flags;
  if (sb.sb_flags & SB_LOCK || so.so_state & SS_CANTSENDMORE || so.so_error) return SND_SLOW;
  if ((so.so_state & SS_ISCONNECTED) === 0 && (prflags & PR_CONNREQUIRED || addr === null)) return SND_SLOW;
  const space = sbspace(sb);
  if (resid > sb.sb_hiwat || space < resid) return SND_SLOW;
  sb.sb_flags |= SB_LOCK;
  let m: Mbuf;
  if (uio === null) {
    if (top === null) {
      m = m_gethdr(0, MT_DATA);
      m.m_pkthdr.len = 0;
    } else {
      m = top;
    }
  } else {
    m = m_getuio(uio, true, space);
  }
  if (flags & MSG_EOR) lastmbuf(m).m_flags |= M_EOR;
  const error = so.so_proto.pr_usrreqs!.pru_send(so, m, addr, null);
  sbunlock(sb);
  return error;
}

function* sosend_gen(
  so: Socket,
  addr: Mbuf | null,
  uio: Uio | null,
  top: Mbuf | null,
  control: Mbuf | null,
  flags: number,
): Sleeper {
  if (!(top instanceof Mbuf)) top = null;
  if (!(control instanceof Mbuf)) control = null;
  let error = 0;
  let resid = 0;
  let clen = 0;
  if (!sovalid(so)) {
    error = EBADF;
  } else if (!Number.isInteger(flags) || (uio !== null && top !== null) || (addr !== null && !(addr instanceof Mbuf))) {
    error = EINVAL;
  } else if (uio !== null && (!uio_valid(uio) || uio.uio_rw !== UIO_WRITE)) {
    error = EINVAL;
  } else {
    if (uio !== null) {
      resid = uio.uio_resid;
    } else if (top !== null) {
      resid = m_length(top);
      if (top.m_flags & M_PKTHDR && top.m_pkthdr.len !== resid) error = EINVAL;
    }
    if (so.so_type === SOCK_STREAM && flags & MSG_EOR) error = EINVAL;
    if (control !== null) clen = m_length(control);
  }
  if (error) {
    m_freem(top);
    m_freem(control);
    return error;
  }
  const sb = so.so_snd;
  const atomic = (so.so_proto.pr_flags & PR_ATOMIC) !== 0 || top !== null;
  const nbio = (flags & MSG_DONTWAIT) !== 0 || (so.so_state & SS_NBIO) !== 0;
  const usr = so.so_proto.pr_usrreqs!;
  let locked = false;

  /* The I/O lock is held across the space wait (FreeBSD's sosend_generic; OpenBSD drops and
   * retakes it): one stream sosend is never interleaved with another's bytes. */
  if (sb.sb_flags & SB_LOCK) {
    if (nbio) error = EWOULDBLOCK;
    else {
      error = yield* sblock_wait(sb);
      if (!error && !sovalid(so)) {
        sbunlock(sb);
        error = EBADF;
      }
    }
  } else {
    sb.sb_flags |= SB_LOCK;
  }
  if (!error) {
    locked = true;
    pass: for (;;) {
      if (so.so_state & SS_CANTSENDMORE) {
        error = EPIPE;
        break;
      }
      if (so.so_error) {
        error = so.so_error;
        so.so_error = 0;
        break;
      }
      if ((so.so_state & SS_ISCONNECTED) === 0) {
        if (so.so_proto.pr_flags & PR_CONNREQUIRED) {
          if (!(resid === 0 && clen > 0)) {
            error = ENOTCONN;
            break;
          }
        } else if (addr === null) {
          error = EDESTADDRREQ;
          break;
        }
      }
      let space = sbspace(sb);
      if (flags & MSG_OOB) space += 1024;
      if (clen > sb.sb_hiwat || (atomic && resid > sb.sb_hiwat - clen)) {
        error = EMSGSIZE;
        break;
      }
      if (space < resid + clen && (atomic || space < sb.sb_lowat || space < clen)) {
        if (nbio) {
          error = EWOULDBLOCK;
          break;
        }
        error = yield sbwait(sb);
        if (!sovalid(so)) {
          locked = false;
          error = EBADF;
        }
        if (error) break;
        continue pass;
      }
      space -= clen;
      do {
        if (uio === null) {
          resid = 0;
          if (top === null) {
            top = m_gethdr(0, MT_DATA);
            top.m_pkthdr.len = 0;
          }
        } else {
          top = m_getuio(uio, atomic, space);
          space -= top.m_len;
          resid = uio.uio_resid;
        }
        if (resid === 0 && flags & MSG_EOR) lastmbuf(top).m_flags |= M_EOR;
        const m = top;
        const c = control;
        top = null;
        control = null;
        clen = 0;
        if (flags & MSG_OOB) {
          /* No protocol here can send out-of-band data (Node cannot send TCP urgent data). */
          m_freem(m);
          m_freem(c);
          error = EOPNOTSUPP;
        } else {
          error = usr.pru_send(so, m, addr, c);
        }
        if (error) break pass;
      } while (resid > 0 && space > 0);
      if (resid <= 0) break;
    }
  }
  if (locked) sbunlock(sb);
  m_freem(top);
  m_freem(control);
  return error;
}

/** sosend: see the top of this file. Returns a Promise of the errno. */
export function sosend(
  so: Socket,
  addr: Mbuf | null,
  uio: Uio | null,
  top: Mbuf | null,
  control: Mbuf | null,
  flags: number,
): Promise<number> {
  if (ktr !== null) return ktr.sosend(so, addr, uio, top, control, flags, sosend_untraced);
  const r = sosend_fast(so, addr, uio, top, control, flags);
  if (r !== SND_SLOW) return so_settled(r);
  return co_run(sosend_gen(so, addr, uio, top, control, flags));
}

function sosend_untraced(
  so: Socket,
  addr: Mbuf | null,
  uio: Uio | null,
  top: Mbuf | null,
  control: Mbuf | null,
  flags: number,
): Promise<number> {
  const r = sosend_fast(so, addr, uio, top, control, flags);
  if (r !== SND_SLOW) return so_settled(r);
  return co_run(sosend_gen(so, addr, uio, top, control, flags));
}

/** sosend with MSG_DONTWAIT, returning the errno synchronously (for upcalls). */
export function sosend_nowait(
  so: Socket,
  addr: Mbuf | null,
  uio: Uio | null,
  top: Mbuf | null,
  control: Mbuf | null,
  flags: number,
): number {
  if (ktr !== null) return ktr.sosend_nowait(so, addr, uio, top, control, flags, sosend_nowait_untraced);
  return sosend_nowait_untraced(so, addr, uio, top, control, flags);
}

function sosend_nowait_untraced(
  so: Socket,
  addr: Mbuf | null,
  uio: Uio | null,
  top: Mbuf | null,
  control: Mbuf | null,
  flags: number,
): number {
  const f = Number.isInteger(flags) ? flags | MSG_DONTWAIT : flags;
  const r = sosend_fast(so, addr, uio, top, control, f);
  if (r !== SND_SLOW) return r;
  return co_now(sosend_gen(so, addr, uio, top, control, f));
}
