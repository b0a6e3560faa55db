/*
 * soreceive (kern/uipc_socket.c, OpenBSD 2020 algorithm).
 *
 * Receives one record (datagram) or a run of stream bytes. `uio` is always required: without
 * mp0 the data is copied into its iovecs (one copy); with mp0 the buffered mbufs themselves are
 * handed over as a chain through mp0 (no copy; a partly consumed mbuf is split, sharing its
 * storage) and uio is only the byte count (uio_resid), as the kernel's code (and the 2018 page)
 * has it. *paddr receives the sender address of a PR_ADDR protocol (MT_SONAME mbuf), *controlp
 * the control mbufs (chained on m_next); the caller frees what it receives. `controllen`, the
 * 7th argument of OpenBSD's soreceive (the room the receiver has for control data; kernel
 * callers pass 0), bounds the SCM_RIGHTS handed over through controlp: sockets that do not fit
 * are disposed of and the call returns EMSGSIZE, receiving no data (unp_externalize). Left out
 * (the page's six-argument call), there is no bound. Input *flagsp may
 * hold MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT, MSG_OOB; on success it gets MSG_TRUNC, MSG_EOR,
 * MSG_OOB, MSG_BCAST/MSG_MCAST as they apply (MSG_CTRUNC is never set here).
 *
 * Returns 0 with data, 0 with nothing at EOF (SS_CANTRCVMORE, buffer drained), or an errno: a
 * pending so_error (after buffered data; MSG_PEEK leaves it set), ENOTCONN (a connection
 * protocol neither connected nor connecting), EWOULDBLOCK (MSG_DONTWAIT / SS_NBIO with nothing
 * to read, or SO_RCVTIMEO expiry), EINTR/ERESTART (signal, unless SB_NOINTR), EINVAL (bad
 * arguments; MSG_OOB on TCP: there is never urgent data, see docs), EOPNOTSUPP (MSG_OOB
 * elsewhere), EBADF (closed). With MSG_WAITALL on a stream, a timeout or signal after some data
 * has been taken (copied or handed over) ends the call with 0 and a short count (uio_resid > 0).
 * Note the kernel's order: a MSG_WAITALL request that fits so_rcv (resid ≤ sb_hiwat) first
 * waits for all of it to be buffered, and a timeout or signal in that wait returns EWOULDBLOCK /
 * EINTR with the partial data left buffered; only a request larger than the buffer takes data
 * as it comes and then gets the short-count rule.
 *
 * With MSG_DONTWAIT or SS_NBIO it never waits: all work is done before it returns.
 */
import {
  IPPROTO_TCP, MSG_BCAST, MSG_DONTWAIT, MSG_EOR, MSG_MCAST, MSG_OOB, MSG_PEEK, MSG_TRUNC, MSG_WAITALL, PR_ADDR, PR_ATOMIC,
  PR_CONNREQUIRED, PR_RIGHTS, PR_WANTRCVD, SB_LOCK, SS_CANTRCVMORE, SS_ISCONNECTED, SS_ISCONNECTING, SS_NBIO, SS_RCVATMARK,
} from './constants.js';
import { cmsg_hasrights, unp_dispose, unp_externalize } from './control.js';
import { EBADF, EINVAL, ENOTCONN, EOPNOTSUPP, EWOULDBLOCK } from './errno.js';
import {
  M_BCAST, M_EOR, M_MCAST, M_PKTHDR, MT_CONTROL, MT_OOBDATA, Mbuf, m_copym, m_free,
} from './mbuf.js';
import type { Ref } from './ref.js';
import { sbdroprecord, sbfixup, sbfree, sblock_wait, sbunlock, sbwait } from './sockbuf.js';
import type { Socket } from './socket.js';
import { sovalid } from './socket.js';
import type { Uio } from './uio.js';
import { UIO_READ, uio_valid, uiomove } from './uio.js';
import { soclose } from './uipc-socket.js';
import { SleepingCall, co_now, co_run, so_settled } from './coroutine.js';
import type { Sleeper } from './coroutine.js';
import { ktr } from './instrument.js';
import { so_fastpath } from './fastpath.js';
import type { SoreceiveImpl, SoreceiveNowaitImpl } from './ktrace.js';

/** An mbuf out-parameter (paddr, mp0, controlp). */
type MbufRef = Ref<Mbuf | null> | null;

function isref(r: unknown): r is Ref<unknown> {
  return r !== null && typeof r === 'object';
}

/* Convenience beyond the kernel: a chain returned through mp0 carries its length in a pkthdr. */
function rcv_finish(mp0: Ref<Mbuf | null> | null, uio: Uio, orig_resid: number, e: number): number {
  if (mp0 !== null && mp0.value !== null) {
    const h = mp0.value;
    h.m_flags |= M_PKTHDR;
    h.m_pkthdr.len = orig_resid - uio.uio_resid;
  }
  return e;
}

/*
 * The argument checks of both paths: 0, EBADF (closed) or EINVAL (a bad out-parameter, flags
 * or uio: with mp0 only uio_resid counts, without it the uio must be a valid UIO_READ).
 */
function sorcv_check(
  so: Socket, paddr: MbufRef, uio: Uio, mp0: MbufRef, controlp: MbufRef, flagsp: Ref<number> | null,
): number {
  if (!sovalid(so)) return EBADF;
  if ((paddr !== null && !isref(paddr)) || (mp0 !== null && !isref(mp0)) || (controlp !== null && !isref(controlp))) return EINVAL;
  if (flagsp !== null && (!isref(flagsp) || !Number.isInteger(flagsp.value))) return EINVAL;
  if (mp0 !== null) {
    if (uio === null || typeof uio !== 'object' || !Number.isSafeInteger(uio.uio_resid) || uio.uio_resid < 0) return EINVAL;
  } else if (!uio_valid(uio) || uio.uio_rw !== UIO_READ) {
    return EINVAL;
  }
  return 0;
}

/*
 * The data step of soreceive's loop, shared by both paths: take the first `len` bytes
 * (0 < len ≤ m_len) of m, the first mbuf of so_rcv's first record, consuming them (never
 * MSG_PEEK). Without mp0 they are copied into uio; with mp0 they are handed over without a copy,
 * appended to the chain mp0 returns (last mbuf `mptail`): m itself when taken whole, else a new
 * mbuf sharing the prefix of its storage (the kernel's m_copym split). Taken whole, m leaves
 * so_rcv (its m_next and m_nextpkt are cleared: the caller reads them first). Returns the
 * chain's new last mbuf.
 */
function sorcv_take(so: Socket, m: Mbuf, len: number, uio: Uio, mp0: MbufRef, mptail: Mbuf | null): Mbuf | null {
  const sb = so.so_rcv;
  so.so_state &= ~SS_RCVATMARK;
  if (mp0 === null) uiomove(m.m_buf, len, uio, m.m_data);
  else uio.uio_resid -= len;
  let taken: Mbuf | null = null;
  if (len === m.m_len) {
    const nextrecord = m.m_nextpkt;
    const next = m.m_next;
    sbfree(sb, m);
    m.m_nextpkt = null;
    if (mp0 !== null) {
      m.m_next = null;
      taken = m;
    } else {
      m_free(m);
    }
    sb.sb_mb = next ?? nextrecord;
    if (next !== null) next.m_nextpkt = nextrecord;
    sbfixup(sb);
  } else {
    if (mp0 !== null) {
      taken = m_copym(m, 0, len, 0);
      taken.m_flags &= ~M_PKTHDR;
    }
    m.m_data += len;
    m.m_len -= len;
    sb.sb_cc -= len;
    sb.sb_datacc -= len;
  }
  if (taken === null) return mptail;
  if (mptail === null) mp0!.value = taken;
  else mptail.m_next = taken;
  return taken;
}

/* soreceive_fast's answers beyond an errno. */
const RCV_SLOW = -1; /* not a case it handles: run soreceive_gen from the start (nothing done yet) */
const RCV_SLEEP = -2; /* it must wait for data before doing anything: sbwait, then call it again */

/*
 * The common case of soreceive without a generator: a stream socket (neither PR_ATOMIC nor
 * PR_ADDR), the I/O lock free, no MSG_PEEK or MSG_OOB, with — if anything is buffered — one
 * record of non-empty plain data mbufs (no control, urgent data or M_EOR), and, with
 * MSG_WAITALL, a request that fits so_rcv. It is soreceive_gen's algorithm restricted to that
 * case, step for step; for every other case it answers RCV_SLOW before doing anything but
 * clearing the out-parameters (which soreceive_gen does again). In that case soreceive_gen has
 * a single place to wait, before any data is taken (RCV_SLEEP): the caller sleeps on so_rcv and
 * calls it again, as soreceive_gen goes back to `restart`. Its second wait, for the rest of a
 * MSG_WAITALL request, cannot arise: such a request (fitting so_rcv) only takes data once all
 * of it is buffered — with so_error or EOF set and less buffered, soreceive_gen is used.
 */
function soreceive_fast(
  so: Socket, paddr: MbufRef, uio: Uio, mp0: MbufRef, controlp: MbufRef, flagsp: Ref<number> | null,
): number {
  if (sorcv_check(so, paddr, uio, mp0, controlp, flagsp) !== 0) return RCV_SLOW;
  if (so.so_proto.pr_flags & (PR_ATOMIC | PR_ADDR)) return RCV_SLOW;
  let flags = flagsp !== null ? flagsp.value & ~MSG_EOR : 0;
  if (so.so_state & SS_NBIO) flags |= MSG_DONTWAIT;
  if (flags & (MSG_OOB | MSG_PEEK)) return RCV_SLOW;
  if (paddr !== null) paddr.value = null;
  if (controlp !== null) controlp.value = null;
  if (mp0 !== null) mp0.value = null;
  return soreceive_stream(so, uio, mp0, controlp, flagsp, flags);
}

/*
 * soreceive_fast once the arguments are checked and the out-parameters cleared, with the
 * effective flags: also where a sleeping call resumes (RecvWait), as soreceive_gen resumes at
 * `restart` with what it has computed before its wait.
 */
function soreceive_stream(
  so: Socket, uio: Uio, mp0: MbufRef, controlp: MbufRef, flagsp: Ref<number> | null, flags: number,
): number {
  const prflags = so.so_proto.pr_flags;
  const sb = so.so_rcv;
  const resid = uio.uio_resid;
  const waitall = (flags & (MSG_WAITALL | MSG_DONTWAIT)) === MSG_WAITALL;
  if (sb.sb_flags & SB_LOCK || (waitall && resid > sb.sb_hiwat)) return RCV_SLOW;
  let m = sb.sb_mb;
  if (m !== null) {
    if (m.m_nextpkt !== null) return RCV_SLOW;
    for (let n: Mbuf | null = m; n !== null; n = n.m_next) {
      if (n.m_len === 0 || n.m_type === MT_CONTROL || n.m_type === MT_OOBDATA || n.m_flags & M_EOR) return RCV_SLOW;
    }
    /* MSG_WAITALL taking less than asked (so_error or EOF set): soreceive_gen's. */
    if (waitall && sb.sb_cc < resid && (so.so_error !== 0 || so.so_state & SS_CANTRCVMORE)) return RCV_SLOW;
  }

  sb.sb_flags |= SB_LOCK;
  if (
    (flags & (MSG_DONTWAIT | MSG_WAITALL)) === (MSG_DONTWAIT | MSG_WAITALL) &&
    sb.sb_cc < resid &&
    so.so_error === 0 &&
    (so.so_state & SS_CANTRCVMORE) === 0 &&
    (m !== null || (so.so_state & (SS_ISCONNECTED | SS_ISCONNECTING)) !== 0 || (prflags & PR_CONNREQUIRED) === 0)
  ) {
    sbunlock(sb);
    return EWOULDBLOCK;
  }
  if (m === null || ((flags & MSG_DONTWAIT) === 0 && sb.sb_cc < resid && (sb.sb_cc < sb.sb_lowat || waitall))) {
    let error = 0;
    if (so.so_error) {
      if (m === null) {
        error = so.so_error;
        so.so_error = 0;
      }
    } else if (so.so_state & SS_CANTRCVMORE) {
      /* EOF, or buffered data to deliver */
    } else if ((so.so_state & (SS_ISCONNECTED | SS_ISCONNECTING)) === 0 && prflags & PR_CONNREQUIRED) {
      error = ENOTCONN;
    } else if (resid === 0 && controlp === null) {
      /* nothing asked: 0 */
    } else {
      error = flags & MSG_DONTWAIT ? EWOULDBLOCK : RCV_SLEEP;
    }
    if (m === null || error !== 0 || (so.so_error === 0 && (so.so_state & SS_CANTRCVMORE) === 0)) {
      sbunlock(sb);
      return error;
    }
    /* so_error or EOF with data buffered: deliver it. */
  }

  /* dontblock: take from the one record. */
  sb.sb_lastrecord = m;
  if (m.m_flags & M_BCAST) flags |= MSG_BCAST;
  if (m.m_flags & M_MCAST) flags |= MSG_MCAST;
  let mptail: Mbuf | null = null;
  let nextrecord: Mbuf | null = null;
  while (m !== null && uio.uio_resid > 0) {
    const len = uio.uio_resid < m.m_len ? uio.uio_resid : m.m_len;
    let next: Mbuf | null = m;
    if (len === m.m_len) {
      nextrecord = m.m_nextpkt;
      next = m.m_next;
    }
    mptail = sorcv_take(so, m, len, uio, mp0, mptail);
    m = next;
  }
  if (m === null) {
    sb.sb_mb = nextrecord;
    sbfixup(sb);
  }
  if (prflags & PR_WANTRCVD && so.so_pcb !== null) so.so_proto.pr_usrreqs!.pru_rcvd(so);
  /* Every mbuf holds data, so a request for bytes took some: no `restart` here. */
  if (flagsp !== null) flagsp.value = flags;
  sbunlock(sb);
  return rcv_finish(mp0, uio, resid, 0);
}

function* soreceive_gen(
  so: Socket, paddr: MbufRef, uio: Uio, mp0: MbufRef, controlp: MbufRef, flagsp: Ref<number> | null,
  controllen: number | undefined,
): Sleeper {
  const bad = sorcv_check(so, paddr, uio, mp0, controlp, flagsp);
  if (bad !== 0) return bad;
  if (paddr !== null) paddr.value = null;
  if (controlp !== null) controlp.value = null;
  if (mp0 !== null) mp0.value = null;
  let flags = flagsp !== null ? flagsp.value & ~MSG_EOR : 0;
  if (so.so_state & SS_NBIO) flags |= MSG_DONTWAIT;
  const usr = so.so_proto.pr_usrreqs!;
  const prflags = so.so_proto.pr_flags;
  if (flags & MSG_OOB) return usr_rcvoob(so);

  const sb = so.so_rcv;
  const orig_resid = uio.uio_resid;
  let progress = false; /* orig_resid = 0 in the kernel: an address or control was returned */
  let mptail: Mbuf | null = null;
  let error = 0;

  restart: for (;;) {
    if (sb.sb_flags & SB_LOCK) {
      if (flags & MSG_DONTWAIT) return EWOULDBLOCK;
      error = yield* sblock_wait(sb);
      if (!error && !sovalid(so)) {
        sbunlock(sb);
        error = EBADF;
      }
      if (error) return error;
    } else {
      sb.sb_flags |= SB_LOCK;
    }
    let m = sb.sb_mb;
    /* MSG_DONTWAIT | MSG_WAITALL on a stream is all or nothing (beyond the kernel, which would
     * sleep in its MSG_WAITALL loop even with MSG_DONTWAIT): EWOULDBLOCK, nothing consumed,
     * unless the whole request is buffered or no more can come (error, EOF). */
    if (
      (flags & (MSG_DONTWAIT | MSG_WAITALL)) === (MSG_DONTWAIT | MSG_WAITALL) &&
      (prflags & PR_ATOMIC) === 0 &&
      sb.sb_cc < uio.uio_resid &&
      so.so_error === 0 &&
      (so.so_state & SS_CANTRCVMORE) === 0 &&
      (m !== null || (so.so_state & (SS_ISCONNECTED | SS_ISCONNECTING)) !== 0 || (prflags & PR_CONNREQUIRED) === 0)
    ) {
      error = EWOULDBLOCK;
      break restart;
    }
    /* The wait condition: nothing buffered, or (stream, may wait) less than wanted and below
     * the low-water mark or MSG_WAITALL with a request that fits the buffer. */
    if (
      m === null ||
      ((flags & MSG_DONTWAIT) === 0 &&
        sb.sb_cc < uio.uio_resid &&
        (sb.sb_cc < sb.sb_lowat || ((flags & MSG_WAITALL) !== 0 && uio.uio_resid <= sb.sb_hiwat)) &&
        m.m_nextpkt === null &&
        (prflags & PR_ATOMIC) === 0)
    ) {
      let deliver = false;
      if (so.so_error) {
        if (m !== null) deliver = true;
        else {
          error = so.so_error;
          if ((flags & MSG_PEEK) === 0) so.so_error = 0;
          break restart;
        }
      } else if (so.so_state & SS_CANTRCVMORE) {
        if (m !== null) deliver = true;
        else break restart; /* EOF */
      } else {
        for (let n = m; n !== null; n = n.m_next) {
          if (n.m_type === MT_OOBDATA || n.m_flags & M_EOR) {
            deliver = true;
            break;
          }
        }
      }
      if (!deliver) {
        if ((so.so_state & (SS_ISCONNECTED | SS_ISCONNECTING)) === 0 && prflags & PR_CONNREQUIRED) {
          error = ENOTCONN;
          break restart;
        }
        if (uio.uio_resid === 0 && controlp === null) break restart;
        if (flags & MSG_DONTWAIT) {
          error = EWOULDBLOCK;
          break restart;
        }
        sbunlock(sb);
        error = yield sbwait(sb);
        if (!sovalid(so)) return EBADF;
        if (error) return error;
        continue restart;
      }
      m = sb.sb_mb!;
    }

    /* dontblock: take one record. */
    let nextrecord = m!.m_nextpkt;
    if (prflags & PR_ADDR) {
      progress = true;
      if (flags & MSG_PEEK) {
        if (paddr !== null) paddr.value = m_copym(m!, 0, m!.m_len, 0);
        m = m!.m_next;
      } else {
        sbfree(sb, m!);
        const next: Mbuf | null = m!.m_next;
        m!.m_nextpkt = null;
        if (paddr !== null) {
          m!.m_next = null;
          paddr.value = m;
        } else {
          m_free(m!);
        }
        if (next !== null) next.m_nextpkt = nextrecord;
        sb.sb_mb = next ?? nextrecord;
        sbfixup(sb);
        m = next;
      }
    }
    let ctail: Mbuf | null = null;
    while (m !== null && m.m_type === MT_CONTROL) {
      if (flags & MSG_PEEK) {
        if (controlp !== null && !cmsg_hasrights(m)) {
          const c = m_copym(m, 0, m.m_len, 0);
          if (ctail === null) controlp.value = c;
          else ctail.m_next = c;
          ctail = c;
        }
        m = m.m_next;
      } else {
        sbfree(sb, m);
        const next: Mbuf | null = m.m_next;
        m.m_nextpkt = null;
        m.m_next = null;
        if (next !== null) next.m_nextpkt = nextrecord;
        sb.sb_mb = next ?? nextrecord;
        if (controlp !== null) {
          if (controllen !== undefined && prflags & PR_RIGHTS && error === 0) error = unp_externalize(m, controllen, soclose);
          if (ctail === null) controlp.value = m;
          else ctail.m_next = m;
          ctail = m;
        } else {
          if (prflags & PR_RIGHTS) unp_dispose(m, soclose);
          m_free(m);
        }
        sbfixup(sb);
        m = next;
      }
      if (controlp !== null) progress = true;
    }

    let type = 0;
    if (m !== null) {
      if ((flags & MSG_PEEK) === 0) {
        m.m_nextpkt = nextrecord;
        if (nextrecord === null) sb.sb_lastrecord = m;
      }
      type = m.m_type;
      if (type === MT_OOBDATA) flags |= MSG_OOB;
      if (m.m_flags & M_BCAST) flags |= MSG_BCAST;
      if (m.m_flags & M_MCAST) flags |= MSG_MCAST;
    } else if ((flags & MSG_PEEK) === 0) {
      sb.sb_mb = nextrecord;
      sbfixup(sb);
    }

    let moff = 0;
    while (m !== null && uio.uio_resid > 0 && error === 0) {
      if (m.m_type === MT_OOBDATA) {
        if (type !== MT_OOBDATA) break;
      } else if (type === MT_OOBDATA) {
        break;
      } else if (m.m_type === MT_CONTROL) {
        break;
      }
      let len = uio.uio_resid;
      if (len > m.m_len - moff) len = m.m_len - moff;
      if (flags & MSG_PEEK) {
        /* Look, leave it buffered: copy, or with mp0 count only (the kernel's MSG_PEEK with mp0). */
        so.so_state &= ~SS_RCVATMARK;
        if (mp0 === null) uiomove(m.m_buf, len, uio, m.m_data + moff);
        else uio.uio_resid -= len;
        if (len === m.m_len - moff) {
          if (m.m_flags & M_EOR) flags |= MSG_EOR;
          m = m.m_next;
          moff = 0;
        } else {
          moff += len;
        }
      } else {
        let next: Mbuf | null = m;
        if (len === m.m_len) {
          if (m.m_flags & M_EOR) flags |= MSG_EOR;
          nextrecord = m.m_nextpkt;
          next = m.m_next;
        }
        mptail = sorcv_take(so, m, len, uio, mp0, mptail);
        m = next;
      }
      if (flags & MSG_EOR) break;
      /* MSG_WAITALL on a stream: wait for the rest, keeping the lock against other readers.
       * A timeout or signal now ends the call successfully with a short count. */
      while (
        (flags & (MSG_WAITALL | MSG_DONTWAIT)) === MSG_WAITALL &&
        m === null &&
        uio.uio_resid > 0 &&
        (prflags & PR_ATOMIC) === 0 &&
        nextrecord === null
      ) {
        if (so.so_error || so.so_state & SS_CANTRCVMORE) break;
        if (prflags & PR_WANTRCVD && so.so_pcb !== null) usr.pru_rcvd(so);
        const e = yield sbwait(sb);
        if (!sovalid(so)) return rcv_finish(mp0, uio, orig_resid, 0);
        if (e) {
          sbunlock(sb);
          return rcv_finish(mp0, uio, orig_resid, 0);
        }
        m = sb.sb_mb;
        if (m !== null) nextrecord = m.m_nextpkt;
      }
    }

    if (m !== null && prflags & PR_ATOMIC) {
      flags |= MSG_TRUNC;
      if ((flags & MSG_PEEK) === 0) sbdroprecord(sb);
    }
    if ((flags & MSG_PEEK) === 0) {
      if (m === null) {
        sb.sb_mb = nextrecord;
        sbfixup(sb);
      }
      if (prflags & PR_WANTRCVD && so.so_pcb !== null) usr.pru_rcvd(so);
    }
    if (!progress && orig_resid === uio.uio_resid && orig_resid !== 0 && (flags & MSG_EOR) === 0 && (so.so_state & SS_CANTRCVMORE) === 0) {
      sbunlock(sb);
      continue restart;
    }
    /* *flagsp = the input flags (MSG_EOR stripped) plus what happened: an MSG_EOR passed in
     * does not come back out unless a record ended. */
    if (flagsp !== null) flagsp.value = flags;
    break;
  }
  sbunlock(sb);
  return rcv_finish(mp0, uio, orig_resid, error);
}

/* PRU_RCVOOB: no protocol here ever has urgent data (see docs/sockets.md). */
function usr_rcvoob(so: Socket): number {
  return so.so_proto.pr_protocol === IPPROTO_TCP ? EINVAL : EOPNOTSUPP;
}

/* controllen is a socklen_t, or left out. */
function controllen_valid(controllen: number | undefined): boolean {
  return controllen === undefined || (Number.isInteger(controllen) && controllen >= 0 && controllen <= 0xffffffff);
}

/** soreceive: see the top of this file. Returns a Promise of the errno. */
export function soreceive(
  so: Socket, paddr: MbufRef, uio: Uio, mp0: MbufRef, controlp: MbufRef, flagsp: Ref<number> | null, controllen?: number,
): Promise<number> {
  if (controllen !== undefined && !controllen_valid(controllen)) return so_settled(EINVAL);
  if (ktr !== null) {
    const impl: SoreceiveImpl = controllen === undefined
      ? soreceive_untraced
      : (so1, paddr1, uio1, mp01, controlp1, flagsp1) => soreceive_untraced(so1, paddr1, uio1, mp01, controlp1, flagsp1, controllen);
    return ktr.soreceive(so, paddr, uio, mp0, controlp, flagsp, impl);
  }
  return soreceive_untraced(so, paddr, uio, mp0, controlp, flagsp, controllen);
}

function soreceive_untraced(
  so: Socket, paddr: MbufRef, uio: Uio, mp0: MbufRef, controlp: MbufRef, flagsp: Ref<number> | null, controllen?: number,
): Promise<number> {
  const r = so_fastpath.rcv ? soreceive_fast(so, paddr, uio, mp0, controlp, flagsp) : RCV_SLOW;
  if (r >= 0) return so_settled(r);
  if (r === RCV_SLOW) return co_run(soreceive_gen(so, paddr, uio, mp0, controlp, flagsp, controllen));
  let flags = flagsp !== null ? flagsp.value & ~MSG_EOR : 0;
  if (so.so_state & SS_NBIO) flags |= MSG_DONTWAIT;
  return new RecvWait(so, paddr, uio, mp0, controlp, flagsp, flags, controllen).sleep();
}

/*
 * A soreceive whose fast path has to wait for data (RCV_SLEEP): sbwait, then — as soreceive_gen
 * after its wait: EBADF if the socket was closed meanwhile, the sleep's error, else `restart` —
 * the fast path again with the same flags (or soreceive_gen, if the case is no longer a fast one).
 */
class RecvWait extends SleepingCall {
  constructor(
    readonly so: Socket, readonly paddr: MbufRef, readonly uio: Uio, readonly mp0: MbufRef, readonly controlp: MbufRef,
    readonly flagsp: Ref<number> | null, readonly flags: number, readonly controllen: number | undefined,
  ) {
    super();
  }

  /* Sleep on so_rcv, as this call's own Sleep (a pending signal ends the sleep at once). */
  sleep(): Promise<number> {
    sbwait(this.so.so_rcv, this);
    if (this.done) this.awaken();
    return this.promise;
  }

  resume(): void {
    const so = this.so;
    try {
      if (!sovalid(so)) {
        this.resolve(EBADF);
      } else if (this.error !== 0) {
        this.resolve(this.error);
      } else {
        const r = soreceive_stream(so, this.uio, this.mp0, this.controlp, this.flagsp, this.flags);
        if (r >= 0) this.resolve(r);
        else if (r === RCV_SLEEP) void this.sleep();
        else {
          co_run(soreceive_gen(so, this.paddr, this.uio, this.mp0, this.controlp, this.flagsp, this.controllen))
            .then(this.resolve, this.reject);
        }
      }
    } catch (e) {
      this.reject(e);
    }
  }
}


/**
 * soreceive with MSG_DONTWAIT, returning the errno synchronously: for upcalls and other code
 * that must not wait (FreeBSD's in-kernel upcalls call soreceive(MSG_DONTWAIT) the same way).
 * MSG_DONTWAIT is added to *flagsp's input flags (a null flagsp means MSG_DONTWAIT alone).
 * `controllen` as soreceive's.
 */
export function soreceive_nowait(
  so: Socket, paddr: MbufRef, uio: Uio, mp0: MbufRef, controlp: MbufRef, flagsp: Ref<number> | null, controllen?: number,
): number {
  if (controllen !== undefined && !controllen_valid(controllen)) return EINVAL;
  if (ktr !== null) {
    const impl: SoreceiveNowaitImpl = controllen === undefined
      ? soreceive_nowait_untraced
      : (so1, paddr1, uio1, mp01, controlp1, flagsp1) => soreceive_nowait_untraced(so1, paddr1, uio1, mp01, controlp1, flagsp1, controllen);
    return ktr.soreceive_nowait(so, paddr, uio, mp0, controlp, flagsp, impl);
  }
  return soreceive_nowait_untraced(so, paddr, uio, mp0, controlp, flagsp, controllen);
}

function soreceive_nowait_untraced(
  so: Socket, paddr: MbufRef, uio: Uio, mp0: MbufRef, controlp: MbufRef, flagsp: Ref<number> | null, controllen?: number,
): number {
  const f: Ref<number> = flagsp ?? { value: 0 };
  if (Number.isInteger(f.value)) f.value |= MSG_DONTWAIT;
  const r = so_fastpath.rcv ? soreceive_fast(so, paddr, uio, mp0, controlp, f) : RCV_SLOW;
  if (r >= 0) return r;
  /* RCV_SLEEP cannot come back: with MSG_DONTWAIT the fast path answers EWOULDBLOCK. */
  return co_now(soreceive_gen(so, paddr, uio, mp0, controlp, f, controllen));
}
