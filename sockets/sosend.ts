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
import { so_fastpath } from './fastpath.js';
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
 * The argument checks of both paths: the bytes to send (uio_resid, or the length of `top`), or
 * -EBADF (closed) / -EINVAL (bad flags, both uio and top, an address that is no mbuf, a uio
 * that is no valid UIO_WRITE, a top whose pkthdr length is not its length, MSG_EOR on a stream).
 * `top` is an Mbuf or null (the caller's normalisation).
 */
function sosend_resid(so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, flags: number): number {
  if (!sovalid(so)) return -EBADF;
  if (!Number.isInteger(flags) || (uio !== null && top !== null) || (addr !== null && !(addr instanceof Mbuf))) return -EINVAL;
  let resid = 0;
  if (uio !== null) {
    if (!uio_valid(uio) || uio.uio_rw !== UIO_WRITE) return -EINVAL;
    resid = uio.uio_resid;
  } else if (top !== null) {
    resid = m_length(top);
    if (top.m_flags & M_PKTHDR && top.m_pkthdr.len !== resid) return -EINVAL;
  }
  if (so.so_type === SOCK_STREAM && flags & MSG_EOR) return -EINVAL;
  return resid;
}

/*
 * The chain one pru_send takes, shared by both paths: `top` itself (an empty packet header mbuf
 * when there is neither uio nor top: a control-only or zero-length send), or up to `space` bytes
 * of uio copied into a new mbuf (all of them if `atomic`). With MSG_EOR, the message ends with
 * this chain if nothing of uio is left: its last mbuf gets M_EOR.
 */
function sosend_chain(uio: Uio | null, top: Mbuf | null, atomic: boolean, space: number, flags: number): Mbuf {
  let m: Mbuf;
  if (uio !== null) {
    m = m_getuio(uio, atomic, space);
  } else if (top !== null) {
    m = top;
  } else {
    m = m_gethdr(0, MT_DATA);
    m.m_pkthdr.len = 0;
  }
  if (flags & MSG_EOR && (uio === null || uio.uio_resid === 0)) lastmbuf(m).m_flags |= M_EOR;
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
  so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number,
): number {
  if (control !== null || flags & MSG_OOB) return SND_SLOW;
  if (!(top instanceof Mbuf)) top = null;
  const resid = sosend_resid(so, addr, uio, top, flags);
  if (resid < 0) return SND_SLOW;
  const sb = so.so_snd;
  const prflags = so.so_proto.pr_flags;
  if (sb.sb_flags & SB_LOCK || so.so_state & SS_CANTSENDMORE || so.so_error) return SND_SLOW;
  if ((so.so_state & SS_ISCONNECTED) === 0 && (prflags & PR_CONNREQUIRED || addr === null)) return SND_SLOW;
  const space = sbspace(sb);
  if (resid > sb.sb_hiwat || space < resid) return SND_SLOW;
  sb.sb_flags |= SB_LOCK;
  const error = so.so_proto.pr_usrreqs!.pru_send(so, sosend_chain(uio, top, true, space, flags), addr, null);
  sbunlock(sb);
  return error;
}

function* sosend_gen(
  so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number,
): Sleeper {
  if (!(top instanceof Mbuf)) top = null;
  if (!(control instanceof Mbuf)) control = null;
  let error = 0;
  let resid = sosend_resid(so, addr, uio, top, flags);
  if (resid < 0) {
    m_freem(top);
    m_freem(control);
    return -resid;
  }
  let clen = control !== null ? m_length(control) : 0;
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
        const m = sosend_chain(uio, top, atomic, space, flags);
        if (uio !== null) {
          space -= m.m_len;
          resid = uio.uio_resid;
        } else {
          resid = 0;
        }
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
  so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number,
): Promise<number> {
  if (ktr !== null) return ktr.sosend(so, addr, uio, top, control, flags, sosend_untraced);
  return sosend_untraced(so, addr, uio, top, control, flags);
}

function sosend_untraced(
  so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number,
): Promise<number> {
  const r = so_fastpath.snd ? sosend_fast(so, addr, uio, top, control, flags) : SND_SLOW;
  if (r !== SND_SLOW) return so_settled(r);
  return co_run(sosend_gen(so, addr, uio, top, control, flags));
}

/** sosend with MSG_DONTWAIT, returning the errno synchronously (for upcalls). */
export function sosend_nowait(
  so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number,
): number {
  if (ktr !== null) return ktr.sosend_nowait(so, addr, uio, top, control, flags, sosend_nowait_untraced);
  return sosend_nowait_untraced(so, addr, uio, top, control, flags);
}

function sosend_nowait_untraced(
  so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number,
): number {
  const f = Number.isInteger(flags) ? flags | MSG_DONTWAIT : flags;
  const r = so_fastpath.snd ? sosend_fast(so, addr, uio, top, control, f) : SND_SLOW;
  if (r !== SND_SLOW) return r;
  return co_now(sosend_gen(so, addr, uio, top, control, f));
}
