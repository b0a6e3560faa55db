/*
 * sosetopt / sogetopt (kern/uipc_socket.c) with the man page's mbuf ownership:
 *
 *   sosetopt(so, level, optname, m0)  CONSUMES m0 on every path, errors included (the caller
 *                                     must not touch or free it afterwards; null is allowed
 *                                     where no value is needed).
 *   sogetopt(so, level, optname, mp)  ALLOCATES a new MT_SOOPTS mbuf into mp.value on success;
 *                                     the caller frees it. On error mp.value is null.
 *
 * Today's kernel passes a caller-owned mbuf both ways instead, and both are here too:
 *
 *   sogetopt(so, level, optname, m)   with an mbuf rather than a Ref: FILLS the caller's mbuf
 *                                     (m_len set to the value's size); the caller keeps it.
 *   sosetopt_keep(so, level, ...)     sosetopt that leaves m0 with the caller, who may reuse it
 *                                     and frees it: today's sosetopt, exported under that name
 *                                     by sonfs/sockets/current (current.ts), since one name
 *                                     cannot have both contracts.
 *
 * SOL_SOCKET options are handled here, with OpenBSD 2020 semantics: booleans need an int (else
 * EINVAL) and read back as the option's bit (SO_KEEPALIVE reads 0x8); SO_LINGER needs exactly
 * struct linger with 0 ≤ l_linger ≤ 32767; SO_SNDBUF/SO_RCVBUF ≤ 0 become 1, above so_sbmax (sb_max) are
 * ENOBUFS, and are EINVAL once that direction is shut; low-water marks are clamped to the high;
 * SO_SNDTIMEO/SO_RCVTIMEO take struct timeval ({0,0} = no timeout; tv_usec outside
 * [0, 1000000) or negative tv_sec → EINVAL; more than 2^31-1 ticks → EDOM), rounded up to whole
 * ticks; SO_DONTROUTE set non-zero is EOPNOTSUPP and reads 0; SO_ERROR reads and clears;
 * SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_PEERCRED (AF_LOCAL pairs) are read-only; SO_ACCEPTCONN is
 * ENOPROTOOPT under OpenBSD's rules. Anything else, and any other level on a protocol without
 * options (AF_LOCAL), is ENOPROTOOPT. Other levels go to the protocol (tcp.ts, udp.ts).
 */
import {
  AF_LOCAL, SO_ACCEPTCONN, SO_BROADCAST, SO_DEBUG, SO_DOMAIN, SO_DONTROUTE, SO_ERROR, SO_KEEPALIVE, SO_LINGER,
  SO_OOBINLINE, SO_PEERCRED, SO_PROTOCOL, SO_RCVBUF, SO_RCVLOWAT, SO_RCVTIMEO, SO_REUSEADDR, SO_REUSEPORT,
  SO_SNDBUF, SO_SNDLOWAT, SO_SNDTIMEO, SO_TIMESTAMP, SO_TYPE, SO_USELOOPBACK, SOL_SOCKET, SS_CANTRCVMORE,
  SS_CANTSENDMORE,
} from './constants.js';
import { EBADF, EDOM, EINVAL, ENOBUFS, ENOPROTOOPT, EOPNOTSUPP } from './errno.js';
import { MT_FREE, M_READONLY, Mbuf, m_bytes, m_free, m_freem } from './mbuf.js';
import { optint64_read, optint64_write, optint_read, optint_write, optlen, sooptmbuf } from './optval.js';
import { PRCO_GETOPT, PRCO_SETOPT } from './protosw.js';
import type { Ref } from './ref.js';
import { sbreserve_max } from './sockbuf.js';
import type { Sockbuf } from './sockbuf.js';
import type { Socket } from './socket.js';
import { sovalid } from './socket.js';
import { sowwakeup } from './sostate.js';
import { hz, tick } from './synch.js';
import { unp_peercred } from './proto/unix.js';
import { ktr } from './instrument.js';

const BOOLEAN_OPTIONS = new Set([
  SO_DEBUG, SO_KEEPALIVE, SO_USELOOPBACK, SO_BROADCAST, SO_REUSEADDR, SO_REUSEPORT, SO_OOBINLINE, SO_TIMESTAMP,
]);
const SHRT_MAX = 32767;
const TICKS_MAX = 0x7fffffff;

function setopt(so: Socket, optname: number, m: Mbuf | null): number {
  if (optname === SO_LINGER) {
    if (m === null || optlen(m) !== 8) return EINVAL;
    const onoff = optint_read(m, 0);
    const linger = optint_read(m, 4);
    if (linger < 0 || linger > SHRT_MAX) return EINVAL;
    so.so_linger = linger;
    if (onoff) so.so_options |= SO_LINGER;
    else so.so_options &= ~SO_LINGER;
    return 0;
  }
  if (BOOLEAN_OPTIONS.has(optname)) {
    if (m === null || optlen(m) < 4) return EINVAL;
    if (optint_read(m)) so.so_options |= optname;
    else so.so_options &= ~optname;
    return 0;
  }
  switch (optname) {
    case SO_DONTROUTE:
      if (m === null || optlen(m) < 4) return EINVAL;
      return optint_read(m) ? EOPNOTSUPP : 0;
    case SO_SNDBUF:
    case SO_RCVBUF:
    case SO_SNDLOWAT:
    case SO_RCVLOWAT: {
      if (m === null || optlen(m) < 4) return EINVAL;
      let cnt = optint_read(m);
      if (cnt <= 0) cnt = 1;
      switch (optname) {
        case SO_SNDBUF:
          if (so.so_state & SS_CANTSENDMORE) return EINVAL;
          if (sbreserve_max(so.so_snd, cnt, so.so_sbmax)) return ENOBUFS;
          so.so_snd.sb_wat = cnt;
          sowwakeup(so);
          return 0;
        case SO_RCVBUF:
          if (so.so_state & SS_CANTRCVMORE) return EINVAL;
          if (sbreserve_max(so.so_rcv, cnt, so.so_sbmax)) return ENOBUFS;
          so.so_rcv.sb_wat = cnt;
          so.so_proto.pr_usrreqs!.pru_rcvd(so);
          return 0;
        case SO_SNDLOWAT:
          so.so_snd.sb_lowat = Math.min(cnt, so.so_snd.sb_hiwat);
          sowwakeup(so);
          return 0;
        default:
          so.so_rcv.sb_lowat = Math.min(cnt, so.so_rcv.sb_hiwat);
          return 0;
      }
    }
    case SO_SNDTIMEO:
    case SO_RCVTIMEO: {
      if (m === null || optlen(m) < 16) return EINVAL;
      const sec = optint64_read(m, 0);
      const usec = optint64_read(m, 8);
      if (sec < 0n || usec < 0n || usec >= 1000000n) return EINVAL;
      const ticks = sec * BigInt(hz) + (usec + BigInt(tick) - 1n) / BigInt(tick);
      if (ticks > BigInt(TICKS_MAX)) return EDOM;
      (optname === SO_SNDTIMEO ? so.so_snd : so.so_rcv).sb_timeo = Number(ticks);
      return 0;
    }
    default:
      return ENOPROTOOPT;
  }
}

/**
 * sosetopt: set option `optname` at `level` from m0, which is consumed. 0 or errno (EBADF for a
 * closed socket, EINVAL, ENOBUFS, EDOM, EOPNOTSUPP, ENOPROTOOPT, ECONNRESET for TCP options
 * once the connection is gone).
 */
export function sosetopt(so: Socket, level: number, optname: number, m0: Mbuf | null): number {
  const error = sosetopt_keep(so, level, optname, m0);
  m_freem(m0 instanceof Mbuf ? m0 : null);
  return error;
}

/**
 * sosetopt as today's kernel has it: the same, but m0 stays the caller's (it may set another
 * value in it and pass it again, and frees it). sonfs/sockets/current exports it as sosetopt.
 */
export function sosetopt_keep(so: Socket, level: number, optname: number, m0: Mbuf | null): number {
  const m = m0 instanceof Mbuf ? m0 : null;
  let error: number;
  if (m0 !== null && (m === null || m.m_type === MT_FREE)) error = EINVAL;
  else if (!sovalid(so)) error = EBADF;
  else if (!Number.isInteger(level) || !Number.isInteger(optname)) error = EINVAL;
  else if (level !== SOL_SOCKET) {
    const ctl = so.so_proto.pr_ctloutput;
    if (ctl === null) error = ENOPROTOOPT;
    else if (m === null) error = EINVAL;
    else error = ctl(PRCO_SETOPT, so, level, optname, m);
  } else {
    error = setopt(so, optname, m);
    if (!error) so.so_proto.pr_usrreqs!.pru_sooptchanged?.(so, optname);
  }
  if (ktr !== null) ktr.sosetopt(so, level, optname, m, error);
  return error;
}

function timeval(m: Mbuf, sb: Sockbuf): void {
  m.m_len = 16;
  optint64_write(m, BigInt(Math.floor(sb.sb_timeo / hz)), 0);
  optint64_write(m, BigInt((sb.sb_timeo % hz) * tick), 8);
}

function getopt(so: Socket, optname: number, m: Mbuf): number {
  if (BOOLEAN_OPTIONS.has(optname)) {
    optint_write(m, so.so_options & optname);
    return 0;
  }
  switch (optname) {
    case SO_LINGER:
      m.m_len = 8;
      optint_write(m, so.so_options & SO_LINGER, 0);
      optint_write(m, so.so_linger, 4);
      return 0;
    case SO_DONTROUTE:
      optint_write(m, 0);
      return 0;
    case SO_TYPE:
      optint_write(m, so.so_type);
      return 0;
    case SO_DOMAIN:
      optint_write(m, so.so_proto.pr_domain.dom_family);
      return 0;
    case SO_PROTOCOL:
      optint_write(m, so.so_proto.pr_protocol);
      return 0;
    case SO_ERROR:
      optint_write(m, so.so_error);
      so.so_error = 0;
      return 0;
    case SO_SNDBUF:
      optint_write(m, so.so_snd.sb_hiwat);
      return 0;
    case SO_RCVBUF:
      optint_write(m, so.so_rcv.sb_hiwat);
      return 0;
    case SO_SNDLOWAT:
      optint_write(m, so.so_snd.sb_lowat);
      return 0;
    case SO_RCVLOWAT:
      optint_write(m, so.so_rcv.sb_lowat);
      return 0;
    case SO_SNDTIMEO:
      timeval(m, so.so_snd);
      return 0;
    case SO_RCVTIMEO:
      timeval(m, so.so_rcv);
      return 0;
    case SO_PEERCRED: {
      if (so.so_proto.pr_domain.dom_family !== AF_LOCAL) return EOPNOTSUPP;
      const pc = unp_peercred(so);
      if (typeof pc === 'number') return pc;
      m.m_len = 12;
      optint_write(m, pc.uid, 0);
      optint_write(m, pc.gid, 4);
      optint_write(m, pc.pid, 8);
      return 0;
    }
    case SO_ACCEPTCONN: /* OpenBSD's sogetopt does not know it */
    default:
      return ENOPROTOOPT;
  }
}

/**
 * sogetopt: read option `optname` at `level` into a new MT_SOOPTS mbuf returned through mp (the
 * caller frees it). 0 or errno (then mp.value is null). Given an mbuf instead of a Ref (today's
 * kernel), the value is written into that mbuf, which stays the caller's: 0 or errno; EINVAL if
 * its storage is read-only or shorter than 16 bytes (the largest option value here).
 */
export function sogetopt(so: Socket, level: number, optname: number, mp: Ref<Mbuf | null>): number;
export function sogetopt(so: Socket, level: number, optname: number, m: Mbuf): number;
export function sogetopt(so: Socket, level: number, optname: number, mp: Ref<Mbuf | null> | Mbuf): number {
  const error = mp instanceof Mbuf ? sogetopt_into(so, level, optname, mp) : sogetopt1(so, level, optname, mp);
  if (ktr !== null) ktr.sogetopt(so, level, optname, error);
  return error;
}

function sogetopt1(so: Socket, level: number, optname: number, mp: Ref<Mbuf | null>): number {
  if (mp === null || typeof mp !== 'object') return EINVAL;
  mp.value = null;
  if (!sovalid(so)) return EBADF;
  if (!Number.isInteger(level) || !Number.isInteger(optname)) return EINVAL;
  const m = sooptmbuf(4);
  const error = getopt_level(so, level, optname, m);
  if (error) {
    m_free(m);
    return error;
  }
  mp.value = m;
  return 0;
}

const OPTVAL_MAX = 16;

function sogetopt_into(so: Socket, level: number, optname: number, m: Mbuf): number {
  if (m.m_type === MT_FREE || M_READONLY(m) || m.m_buf.length - m.m_data < OPTVAL_MAX) return EINVAL;
  if (!sovalid(so)) return EBADF;
  if (!Number.isInteger(level) || !Number.isInteger(optname)) return EINVAL;
  m.m_len = 4;
  m_bytes(m).fill(0);
  return getopt_level(so, level, optname, m);
}

function getopt_level(so: Socket, level: number, optname: number, m: Mbuf): number {
  if (level !== SOL_SOCKET) {
    const ctl = so.so_proto.pr_ctloutput;
    return ctl === null ? ENOPROTOOPT : ctl(PRCO_GETOPT, so, level, optname, m);
  }
  return getopt(so, optname, m);
}
