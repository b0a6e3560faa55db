/*
 * Socket buffers (struct sockbuf, sys/socketvar.h; kern/uipc_socket2.c).
 *
 * A sockbuf holds mbufs with byte accounting: sb_cc counts every byte held (address and control
 * mbufs included), sb_datacc the data bytes only, sb_mbcnt the storage (MSIZE per mbuf plus its
 * external storage), against the limits sb_hiwat and sb_mbmax. Records are m_next chains linked
 * by m_nextpkt: [MT_SONAME] [MT_CONTROL...] [MT_DATA...]. Stream buffers hold a single record.
 *
 * Waiting: sbwait sleeps on the sockbuf itself (the kernel's &sb->sb_cc) for sb_timeo ticks
 * (0 = forever), interruptibly unless SB_NOINTR. The I/O lock (sblock) serialises senders and
 * receivers across their sleeps; waiting for it sleeps on sb_lockchan (the kernel's &sb->sb_flags).
 *
 * Today's kernel keeps the timeout in nanoseconds (sb_timeo_nsecs, INFSLP for none) and guards
 * the buffer's fields with a mutex, sb_mtx. Here sb_timeo_nsecs is the same timeout as sb_timeo,
 * seen in nanoseconds (set: rounded up to whole ticks), and sb_mtx is a Mutex (mutex.ts) a port
 * takes around its changes as the kernel's code does; the socket layer itself needs no mutex
 * (nothing runs in the middle of its synchronous steps).
 */
import { SB_LOCK, SB_MAX, SB_NOINTR, SB_WAIT, SB_WANT } from './constants.js';
import { ENOBUFS, EWOULDBLOCK } from './errno.js';
import { MAXMCLBYTES, MCLBYTES, MSIZE, MT_CONTROL, MT_SONAME, Mbuf, m_free } from './mbuf.js';
import { Mutex } from './mutex.js';
import { IPL_SOFTNET } from './spl.js';
import { PCATCH, PSOCK, SLEEPQ, tick_nsec, tsleep_co, wakeup, wchan } from './synch.js';
import { INFSLP, nsec_to_ticks } from './time.js';
import type { Sleep } from './synch.js';
import type { Sleeper } from './coroutine.js';

/**
 * Tunables (the kern.maxsockbuf sysctl): the largest sb_hiwat sbreserve grants, as each new
 * socket's so_sbmax. The library never changes it; a consumer that needs larger buffers raises
 * its own sockets' so_sbmax instead (docs/sockets.md).
 */
export const sbconfig = { sb_max: SB_MAX };

/** An upcall: FreeBSD's so_upcall_t, (so, arg, waitflag) => SU_OK | SU_ISCONNECTED. */
export type SoUpcall<S = unknown> = (so: S, arg: unknown, waitflag: number) => number;

/** What a sockbuf knows of its socket: the limit sbreserve grants within. */
export interface SbOwner {
  readonly so_sbmax: number;
}

export class Sockbuf {
  sb_cc = 0;
  sb_datacc = 0;
  sb_hiwat = 0;
  sb_wat = 0;
  sb_lowat = 0;
  sb_mbcnt = 0;
  sb_mbmax = 0;
  /** First record. */
  sb_mb: Mbuf | null = null;
  /** Last mbuf of the last record. */
  sb_mbtail: Mbuf | null = null;
  /** First mbuf of the last record. */
  sb_lastrecord: Mbuf | null = null;
  sb_flags = 0;
  /** Sleep timeout in ticks of hz; 0 means no timeout (INFSLP). */
  sb_timeo = 0;
  sb_upcall: SoUpcall | null = null;
  sb_upcallarg: unknown = null;
  /** Datagrams dropped because they did not fit (sbappendaddr returned 0). */
  sb_drops = 0;
  /** Wait channel for the I/O lock (SB_WANT sleepers). */
  readonly sb_lockchan: object = wchan();
  /** The sockbuf's mutex (today's kernel): see above. */
  readonly sb_mtx = new Mutex(IPL_SOFTNET, 'sb_mtx');
  /** The socket this buffer belongs to (set by the socket): whose so_sbmax sbreserve applies. */
  sb_so: SbOwner | null = null;
  /** The sockbuf is itself the wait channel of sbwait: its sleep queue (synch.ts). */
  [SLEEPQ]: Sleep | null = null;

  /** sb_timeo in nanoseconds (INFSLP: no timeout); setting it rounds up to whole ticks. */
  get sb_timeo_nsecs(): number {
    return this.sb_timeo === 0 ? INFSLP : this.sb_timeo * tick_nsec;
  }

  set sb_timeo_nsecs(nsecs: number) {
    this.sb_timeo = nsec_to_ticks(nsecs, tick_nsec, 'sb_timeo_nsecs');
  }
}

/** sballoc: account for mbuf m entering sb. */
export function sballoc(sb: Sockbuf, m: Mbuf): void {
  sb.sb_cc += m.m_len;
  if (m.m_type !== MT_CONTROL && m.m_type !== MT_SONAME) sb.sb_datacc += m.m_len;
  sb.sb_mbcnt += MSIZE;
  if (m.m_ext !== null) sb.sb_mbcnt += m.m_ext.ext_size;
}

/** sbfree: account for mbuf m leaving sb. */
export function sbfree(sb: Sockbuf, m: Mbuf): void {
  sb.sb_cc -= m.m_len;
  if (m.m_type !== MT_CONTROL && m.m_type !== MT_SONAME) sb.sb_datacc -= m.m_len;
  sb.sb_mbcnt -= MSIZE;
  if (m.m_ext !== null) sb.sb_mbcnt -= m.m_ext.ext_size;
}

/** sbspace: free space, the smaller of byte and storage room. May be negative (over-committed). */
export function sbspace(sb: Sockbuf): number {
  const bytes = sb.sb_hiwat - sb.sb_cc;
  const store = sb.sb_mbmax - sb.sb_mbcnt;
  return bytes < store ? bytes : store;
}

/**
 * sbreserve's work: set the buffer's limit to cc bytes. Fails (returns 1) for 0 or more than
 * `max`, the socket's so_sbmax (the kernel's sb_max). The storage limit follows OpenBSD 2021:
 * max(3 * MAXMCLBYTES, 8 * cc). Clamps sb_lowat. (The kernel-signature sbreserve and soreserve
 * are soreserve.ts's.)
 */
export function sbreserve_max(sb: Sockbuf, cc: number, max: number): number {
  if (!(cc > 0) || cc > max) return 1;
  sb.sb_hiwat = cc;
  sb.sb_mbmax = Math.max(3 * MAXMCLBYTES, 8 * cc);
  if (sb.sb_lowat > sb.sb_hiwat) sb.sb_lowat = sb.sb_hiwat;
  return 0;
}

/** soreserve's work: reserve both buffers (within `max`) and default the low-water marks. 0 or ENOBUFS. */
export function soreserve_max(snd: Sockbuf, rcv: Sockbuf, sndcc: number, rcvcc: number, max: number): number {
  if (sbreserve_max(snd, sndcc, max) || sbreserve_max(rcv, rcvcc, max)) return ENOBUFS;
  snd.sb_wat = sndcc;
  rcv.sb_wat = rcvcc;
  if (rcv.sb_lowat === 0) rcv.sb_lowat = 1;
  if (snd.sb_lowat === 0) snd.sb_lowat = MCLBYTES;
  if (snd.sb_lowat > snd.sb_hiwat) snd.sb_lowat = snd.sb_hiwat;
  return 0;
}

/**
 * sbappendstream: append chain m to the single record of a stream buffer. No space check: the
 * protocol (flow control) is responsible. The mbufs are linked, never copied.
 */
export function sbappendstream(sb: Sockbuf, m: Mbuf): void {
  if (sb.sb_mbtail === null) {
    sb.sb_mb = m;
    sb.sb_lastrecord = m;
  } else {
    sb.sb_mbtail.m_next = m;
  }
  let last = m;
  for (;;) {
    sballoc(sb, last);
    if (last.m_next === null) break;
    last = last.m_next;
  }
  sb.sb_mbtail = last;
}

/* Link chain m0 (already accounted) as a new record. */
function sblinkrecord(sb: Sockbuf, m0: Mbuf): void {
  let last = m0;
  while (last.m_next !== null) last = last.m_next;
  if (sb.sb_lastrecord === null) sb.sb_mb = m0;
  else sb.sb_lastrecord.m_nextpkt = m0;
  sb.sb_lastrecord = m0;
  sb.sb_mbtail = last;
}

/** sbappendrecord: append chain m0 as a new record (no space check). */
export function sbappendrecord(sb: Sockbuf, m0: Mbuf): void {
  for (let m: Mbuf | null = m0; m !== null; m = m.m_next) sballoc(sb, m);
  sblinkrecord(sb, m0);
}

/**
 * sbappendaddr: append a datagram record [asa][control...][m0...]. Returns 1, or 0 — leaving
 * every chain with the caller, who drops the datagram — when it does not fit sbspace.
 * asa (an MT_SONAME mbuf) is taken over, not copied.
 */
export function sbappendaddr(sb: Sockbuf, asa: Mbuf, m0: Mbuf | null, control: Mbuf | null): number {
  let space = asa.m_len;
  let ctail: Mbuf | null = null;
  for (let n = control; n !== null; n = n.m_next) {
    space += n.m_len;
    ctail = n;
  }
  for (let n = m0; n !== null; n = n.m_next) space += n.m_len;
  if (space > sbspace(sb)) {
    sb.sb_drops++;
    return 0;
  }
  asa.m_next = control ?? m0;
  if (ctail !== null) ctail.m_next = m0;
  for (let n: Mbuf | null = asa; n !== null; n = n.m_next) sballoc(sb, n);
  sblinkrecord(sb, asa);
  return 1;
}

/** sbappendcontrol: append [control...][m0...] as a record if it fits; 1, else 0. */
export function sbappendcontrol(sb: Sockbuf, m0: Mbuf | null, control: Mbuf): number {
  let space = 0;
  let ctail = control;
  for (let n: Mbuf | null = control; n !== null; n = n.m_next) {
    space += n.m_len;
    ctail = n;
  }
  for (let n = m0; n !== null; n = n.m_next) space += n.m_len;
  if (space > sbspace(sb)) return 0;
  ctail.m_next = m0;
  for (let n: Mbuf | null = control; n !== null; n = n.m_next) sballoc(sb, n);
  sblinkrecord(sb, control);
  return 1;
}

/** Recompute sb_mbtail / sb_lastrecord after the head changed (SB_EMPTY_FIXUP and friends). */
export function sbsync(sb: Sockbuf): void {
  const first = sb.sb_mb;
  if (first === null) {
    sb.sb_mbtail = null;
    sb.sb_lastrecord = null;
    return;
  }
  let rec = first;
  while (rec.m_nextpkt !== null) rec = rec.m_nextpkt;
  sb.sb_lastrecord = rec;
  let m = rec;
  while (m.m_next !== null) m = m.m_next;
  sb.sb_mbtail = m;
}

/**
 * sbfixup: after records or mbufs were taken off the front, fix sb_lastrecord / sb_mbtail
 * (the kernel's SB_EMPTY_FIXUP and `if (nextrecord == NULL) sb_lastrecord = m`). The tail only
 * changes when the buffer empties, since mbufs leave from the front.
 */
export function sbfixup(sb: Sockbuf): void {
  const first = sb.sb_mb;
  if (first === null) {
    sb.sb_mbtail = null;
    sb.sb_lastrecord = null;
  } else if (first.m_nextpkt === null) {
    sb.sb_lastrecord = first;
  }
}

/**
 * sbdrop: drop len bytes from the front of the buffer, freeing whole mbufs (records are
 * crossed via m_nextpkt) and trimming a partial one. Used for so_snd once the host has taken
 * the bytes.
 */
export function sbdrop(sb: Sockbuf, len: number): void {
  let m = sb.sb_mb;
  let next = m === null ? null : m.m_nextpkt;
  while (len > 0) {
    if (m === null) {
      if (next === null) break;
      m = next;
      next = m.m_nextpkt;
    }
    if (m.m_len > len) {
      m.m_len -= len;
      m.m_data += len;
      sb.sb_cc -= len;
      if (m.m_type !== MT_CONTROL && m.m_type !== MT_SONAME) sb.sb_datacc -= len;
      break;
    }
    len -= m.m_len;
    sbfree(sb, m);
    m = m_free(m);
  }
  while (m !== null && m.m_len === 0) {
    sbfree(sb, m);
    m = m_free(m);
  }
  if (m !== null) {
    m.m_nextpkt = next;
    sb.sb_mb = m;
  } else {
    sb.sb_mb = next;
  }
  if (sb.sb_mb === null) {
    sb.sb_mbtail = null;
    sb.sb_lastrecord = null;
  } else if (sb.sb_mb.m_nextpkt === null) {
    sb.sb_lastrecord = sb.sb_mb;
  }
}

/** sbdroprecord: free the whole first record. */
export function sbdroprecord(sb: Sockbuf): void {
  const rec = sb.sb_mb;
  if (rec === null) return;
  sb.sb_mb = rec.m_nextpkt;
  rec.m_nextpkt = null;
  for (let m: Mbuf | null = rec; m !== null; ) {
    sbfree(sb, m);
    m = m_free(m);
  }
  sbfixup(sb);
}

/**
 * Detach every record from sb and zero its counters; returns the records (linked by m_nextpkt)
 * so the caller can dispose of rights before freeing them (sorflush, sofree).
 */
export function sbdetach(sb: Sockbuf): Mbuf | null {
  const recs = sb.sb_mb;
  sb.sb_mb = null;
  sb.sb_mbtail = null;
  sb.sb_lastrecord = null;
  sb.sb_cc = 0;
  sb.sb_datacc = 0;
  sb.sb_mbcnt = 0;
  return recs;
}

/**
 * sbwait: sleep until the buffer changes (sowakeup), sb_timeo passes (EWOULDBLOCK) or, unless
 * SB_NOINTR, a signal arrives (EINTR/ERESTART). For generator-driven calls (coroutine.ts):
 * `error = yield sbwait(sb)`; a call that sleeps as itself passes itself as `s`.
 */
export function sbwait(sb: Sockbuf, s?: Sleep): Sleep {
  sb.sb_flags |= SB_WAIT;
  return tsleep_co(sb, PSOCK | (sb.sb_flags & SB_NOINTR ? 0 : PCATCH), 'sbwait', sb.sb_timeo, s);
}

/**
 * sblock, no-wait form: take the I/O lock if free (0), else EWOULDBLOCK.
 */
export function sblock_nowait(sb: Sockbuf): number {
  if (sb.sb_flags & SB_LOCK) return EWOULDBLOCK;
  sb.sb_flags |= SB_LOCK;
  return 0;
}

/**
 * sblock, waiting form, for generator-driven calls (`error = yield* sblock_wait(sb)`): take the
 * I/O lock, sleeping while it is held. 0 or the sleep's error (the lock is then not taken).
 */
export function* sblock_wait(sb: Sockbuf): Sleeper {
  while (sb.sb_flags & SB_LOCK) {
    sb.sb_flags |= SB_WANT;
    const error = yield tsleep_co(sb.sb_lockchan, PSOCK | (sb.sb_flags & SB_NOINTR ? 0 : PCATCH), 'sblock', 0);
    if (error) return error;
  }
  sb.sb_flags |= SB_LOCK;
  return 0;
}

/** sbunlock: release the I/O lock and wake one waiter's worth (all re-check). */
export function sbunlock(sb: Sockbuf): void {
  sb.sb_flags &= ~SB_LOCK;
  if (sb.sb_flags & SB_WANT) {
    sb.sb_flags &= ~SB_WANT;
    wakeup(sb.sb_lockchan);
  }
}
