/* kernel-sockets.md §7 behaviours 64-71 (sosetopt, sogetopt) and their bad input. */
import { describe, expect, it } from 'vitest';
import {
  AF_INET, AF_INET6, AF_LOCAL, EBADF, ECONNRESET, EDOM, EINVAL, ENOBUFS, ENOPROTOOPT, ENOTCONN, EOPNOTSUPP,
  IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP, IP_PORTRANGE, IPV6_PORTRANGE, MT_FREE, MT_SOOPTS, PSOCK,
  SB_MAX, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, SOL_SOCKET, SO_ACCEPTCONN, SO_BROADCAST, SO_DEBUG, SO_DOMAIN,
  SO_DONTROUTE, SO_ERROR, SO_KEEPALIVE, SO_LINGER, SO_PEERCRED, SO_PROTOCOL, SO_RCVBUF, SO_RCVLOWAT, SO_RCVTIMEO,
  SO_REUSEADDR, SO_SNDBUF, SO_SNDLOWAT, SO_SNDTIMEO, SO_TYPE, TCP_MAXSEG, TCP_NODELAY, TCP_NOPUSH, TF_NODELAY,
  hz, m_free, mbstat, newproc, optint_read, runas, sockaddr_in, soconnect, sogetopt, sooptint, sooptlinger,
  soopt_linger, soopt_timeval, soopttimeval, sosetopt, soclose, tsleep, socketpair, MT_DATA, m_get, sbconfig,
} from '../../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../../sockets/index.js';
import { closedPort, mkso, tcpPair, track } from './helpers.js';

function getint(so: Socket, level: number, name: number): number | { error: number } {
  const r: Ref<Mbuf | null> = { value: null };
  const e = sogetopt(so, level, name, r);
  if (e) return { error: e };
  const v = optint_read(r.value!);
  m_free(r.value!);
  return v;
}

function setint(so: Socket, level: number, name: number, v: number): number {
  return sosetopt(so, level, name, sooptint(v));
}

function short(len: number): Mbuf {
  const m = m_get(0, MT_SOOPTS);
  m.m_len = len;
  return m;
}

describe('SOL_SOCKET options', () => {
  it('SO_KEEPALIVE set to 1 reads back the option bit (0x8); set to 0 reads back 0', async () => {
    const { client } = await tcpPair();
    expect(setint(client, SOL_SOCKET, SO_KEEPALIVE, 1)).toBe(0);
    expect(getint(client, SOL_SOCKET, SO_KEEPALIVE)).toBe(SO_KEEPALIVE);
    expect(setint(client, SOL_SOCKET, SO_KEEPALIVE, 0)).toBe(0);
    expect(getint(client, SOL_SOCKET, SO_KEEPALIVE)).toBe(0);
    for (const opt of [SO_DEBUG, SO_REUSEADDR, SO_BROADCAST]) {
      expect(setint(client, SOL_SOCKET, opt, 7)).toBe(0);
      expect(getint(client, SOL_SOCKET, opt)).toBe(opt);
    }
  });

  it('a boolean option shorter than an int is EINVAL; SO_LINGER of the wrong length or with l_linger outside [0, 32767] is EINVAL', () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(sosetopt(so, SOL_SOCKET, SO_KEEPALIVE, short(2))).toBe(EINVAL);
    expect(sosetopt(so, SOL_SOCKET, SO_KEEPALIVE, null)).toBe(EINVAL);
    expect(sosetopt(so, SOL_SOCKET, SO_LINGER, sooptint(1))).toBe(EINVAL);
    expect(sosetopt(so, SOL_SOCKET, SO_LINGER, sooptlinger(1, -1))).toBe(EINVAL);
    expect(sosetopt(so, SOL_SOCKET, SO_LINGER, sooptlinger(1, 32768))).toBe(EINVAL);
    expect(sosetopt(so, SOL_SOCKET, SO_LINGER, sooptlinger(1, 32767))).toBe(0);
    const r: Ref<Mbuf | null> = { value: null };
    expect(sogetopt(so, SOL_SOCKET, SO_LINGER, r)).toBe(0);
    expect(soopt_linger(r.value!)).toEqual({ l_onoff: SO_LINGER, l_linger: 32767 });
    m_free(r.value!);
  });

  it('so_sbmax is each socket\'s sb_max: raised on one socket it lets that one reserve more, and no other', () => {
    const big = mkso(AF_INET, SOCK_STREAM);
    const other = mkso(AF_INET, SOCK_STREAM);
    expect(big.so_sbmax).toBe(sbconfig.sb_max);
    big.so_sbmax = 4 * SB_MAX;
    expect(setint(big, SOL_SOCKET, SO_RCVBUF, 2 * SB_MAX)).toBe(0);
    expect(getint(big, SOL_SOCKET, SO_RCVBUF)).toBe(2 * SB_MAX);
    expect(setint(big, SOL_SOCKET, SO_SNDBUF, 4 * SB_MAX + 1)).toBe(ENOBUFS);
    expect(setint(other, SOL_SOCKET, SO_RCVBUF, 2 * SB_MAX)).toBe(ENOBUFS);
    expect(sbconfig.sb_max).toBe(SB_MAX);
  });

  it('SO_RCVBUF ≤ 0 becomes 1 byte; above sb_max it is ENOBUFS; SO_RCVLOWAT above the high-water mark is clamped to it', () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(setint(so, SOL_SOCKET, SO_RCVBUF, 0)).toBe(0);
    expect(getint(so, SOL_SOCKET, SO_RCVBUF)).toBe(1);
    expect(setint(so, SOL_SOCKET, SO_RCVBUF, -5)).toBe(0);
    expect(getint(so, SOL_SOCKET, SO_RCVBUF)).toBe(1);
    expect(setint(so, SOL_SOCKET, SO_RCVBUF, SB_MAX + 1)).toBe(ENOBUFS);
    expect(setint(so, SOL_SOCKET, SO_RCVBUF, 65536)).toBe(0);
    expect(getint(so, SOL_SOCKET, SO_RCVBUF)).toBe(65536);
    expect(setint(so, SOL_SOCKET, SO_RCVLOWAT, 100000)).toBe(0);
    expect(getint(so, SOL_SOCKET, SO_RCVLOWAT)).toBe(65536);
    expect(setint(so, SOL_SOCKET, SO_SNDLOWAT, 10)).toBe(0);
    expect(getint(so, SOL_SOCKET, SO_SNDLOWAT)).toBe(10);
    expect(setint(so, SOL_SOCKET, SO_SNDBUF, 4096)).toBe(0);
    expect(getint(so, SOL_SOCKET, SO_SNDBUF)).toBe(4096);
  });

  it('SO_RCVTIMEO: {0,0} means no timeout and reads back {0,0}; bad tv_usec or short values are EINVAL; too large is EDOM; values round up to ticks', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    const r: Ref<Mbuf | null> = { value: null };
    expect(sogetopt(so, SOL_SOCKET, SO_RCVTIMEO, r)).toBe(0);
    expect(soopt_timeval(r.value!)).toEqual({ tv_sec: 0, tv_usec: 0 });
    m_free(r.value!);
    expect(sosetopt(so, SOL_SOCKET, SO_RCVTIMEO, soopttimeval(1, 500000))).toBe(0);
    expect(so.so_rcv.sb_timeo).toBe(1.5 * hz);
    expect(sogetopt(so, SOL_SOCKET, SO_RCVTIMEO, r)).toBe(0);
    expect(soopt_timeval(r.value!)).toEqual({ tv_sec: 1, tv_usec: 500000 });
    m_free(r.value!);
    expect(sosetopt(so, SOL_SOCKET, SO_SNDTIMEO, soopttimeval(0, 1))).toBe(0);
    expect(so.so_snd.sb_timeo).toBe(1);
    expect(sosetopt(so, SOL_SOCKET, SO_RCVTIMEO, soopttimeval(0, 1000000))).toBe(EINVAL);
    expect(sosetopt(so, SOL_SOCKET, SO_RCVTIMEO, soopttimeval(0, -1))).toBe(EINVAL);
    expect(sosetopt(so, SOL_SOCKET, SO_RCVTIMEO, soopttimeval(-1, 0))).toBe(EINVAL);
    expect(sosetopt(so, SOL_SOCKET, SO_RCVTIMEO, soopttimeval(2n ** 40n, 0))).toBe(EDOM);
    expect(sosetopt(so, SOL_SOCKET, SO_RCVTIMEO, short(8))).toBe(EINVAL);
    expect(so.so_rcv.sb_timeo).toBe(1.5 * hz);
    expect(sosetopt(so, SOL_SOCKET, SO_RCVTIMEO, soopttimeval(0, 0))).toBe(0);
    expect(so.so_rcv.sb_timeo).toBe(0);
  });

  it('SO_ERROR returns the pending error and clears it (a second read returns 0)', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(soconnect(so, sockaddr_in('127.0.0.1', await closedPort()))).toBe(0);
    await tsleep(so.so_timeo, PSOCK, 'conn', 10 * hz);
    expect(getint(so, SOL_SOCKET, SO_ERROR)).toBe(61 /* ECONNREFUSED */);
    expect(getint(so, SOL_SOCKET, SO_ERROR)).toBe(0);
  });

  it('SO_TYPE returns the type; unknown options, SO_ACCEPTCONN (OpenBSD rules) and any level of a protocol without options are ENOPROTOOPT', () => {
    const so = mkso(AF_INET, SOCK_DGRAM);
    expect(getint(so, SOL_SOCKET, SO_TYPE)).toBe(SOCK_DGRAM);
    expect(getint(so, SOL_SOCKET, SO_DOMAIN)).toBe(AF_INET);
    expect(getint(so, SOL_SOCKET, SO_PROTOCOL)).toBe(IPPROTO_UDP);
    expect(getint(so, SOL_SOCKET, 0x7777)).toEqual({ error: ENOPROTOOPT });
    expect(setint(so, SOL_SOCKET, 0x7777, 1)).toBe(ENOPROTOOPT);
    expect(setint(so, SOL_SOCKET, SO_TYPE, 1)).toBe(ENOPROTOOPT);
    expect(getint(so, SOL_SOCKET, SO_ACCEPTCONN)).toEqual({ error: ENOPROTOOPT });
    const local = mkso(AF_LOCAL, SOCK_STREAM);
    expect(getint(local, IPPROTO_TCP, TCP_NODELAY)).toEqual({ error: ENOPROTOOPT });
    expect(setint(local, 12345, 1, 1)).toBe(ENOPROTOOPT);
  });

  it('SO_DONTROUTE set non-zero is EOPNOTSUPP and always reads 0 (OpenBSD 2020)', () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(setint(so, SOL_SOCKET, SO_DONTROUTE, 1)).toBe(EOPNOTSUPP);
    expect(setint(so, SOL_SOCKET, SO_DONTROUTE, 0)).toBe(0);
    expect(getint(so, SOL_SOCKET, SO_DONTROUTE)).toBe(0);
  });

  it('SO_PEERCRED gives an in-process AF_LOCAL peer its creator ids; ENOTCONN unconnected; EOPNOTSUPP elsewhere', () => {
    const p = newproc({ uid: 4242, gid: 77 });
    const sv: [Socket | null, Socket | null] = [null, null];
    expect(runas(p, () => socketpair(AF_LOCAL, SOCK_SEQPACKET, 0, sv))).toBe(0);
    track(sv[0]);
    track(sv[1]);
    const r: Ref<Mbuf | null> = { value: null };
    expect(sogetopt(sv[0]!, SOL_SOCKET, SO_PEERCRED, r)).toBe(0);
    expect(r.value!.m_len).toBe(12);
    expect([optint_read(r.value!, 0), optint_read(r.value!, 4), optint_read(r.value!, 8)]).toEqual([4242, 77, p.p_pid]);
    m_free(r.value!);
    expect(getint(mkso(AF_LOCAL, SOCK_STREAM), SOL_SOCKET, SO_PEERCRED)).toEqual({ error: ENOTCONN });
    expect(getint(mkso(AF_INET, SOCK_STREAM), SOL_SOCKET, SO_PEERCRED)).toEqual({ error: EOPNOTSUPP });
  });
});

describe('protocol options', () => {
  it('TCP_NODELAY round-trips; TCP_MAXSEG 0 or above the MSS is EINVAL; unknown TCP options are ENOPROTOOPT', async () => {
    const { client } = await tcpPair();
    expect(setint(client, IPPROTO_TCP, TCP_NODELAY, 1)).toBe(0);
    expect(getint(client, IPPROTO_TCP, TCP_NODELAY)).toBe(TF_NODELAY);
    expect(setint(client, IPPROTO_TCP, TCP_NODELAY, 0)).toBe(0);
    expect(getint(client, IPPROTO_TCP, TCP_NODELAY)).toBe(0);
    const mss = getint(client, IPPROTO_TCP, TCP_MAXSEG) as number;
    expect(mss).toBeGreaterThan(0);
    expect(setint(client, IPPROTO_TCP, TCP_MAXSEG, 0)).toBe(EINVAL);
    expect(setint(client, IPPROTO_TCP, TCP_MAXSEG, mss + 1)).toBe(EINVAL);
    expect(setint(client, IPPROTO_TCP, TCP_MAXSEG, mss - 12)).toBe(0);
    expect(getint(client, IPPROTO_TCP, TCP_MAXSEG)).toBe(mss - 12);
    expect(setint(client, IPPROTO_TCP, TCP_NOPUSH, 1)).toBe(ENOPROTOOPT);
    expect(sosetopt(client, IPPROTO_TCP, TCP_NODELAY, short(1))).toBe(EINVAL);
  });

  it('TCP options after the connection is gone are ECONNRESET', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(soconnect(so, sockaddr_in('127.0.0.1', await closedPort()))).toBe(0);
    await tsleep(so.so_timeo, PSOCK, 'conn', 10 * hz);
    expect(so.so_error).not.toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(setint(so, IPPROTO_TCP, TCP_NODELAY, 1)).toBe(ECONNRESET);
    expect(getint(so, IPPROTO_TCP, TCP_NODELAY)).toEqual({ error: ECONNRESET });
  });

  it('IP_PORTRANGE (AF_INET) and IPV6_PORTRANGE (AF_INET6) round-trip; other values are EINVAL; the wrong level is ENOPROTOOPT', () => {
    const so = mkso(AF_INET, SOCK_DGRAM);
    expect(setint(so, IPPROTO_IP, IP_PORTRANGE, 2)).toBe(0);
    expect(getint(so, IPPROTO_IP, IP_PORTRANGE)).toBe(2);
    expect(setint(so, IPPROTO_IP, IP_PORTRANGE, 3)).toBe(EINVAL);
    expect(setint(so, IPPROTO_IPV6, IPV6_PORTRANGE, 1)).toBe(ENOPROTOOPT);
    const six = mkso(AF_INET6, SOCK_STREAM);
    expect(setint(six, IPPROTO_IPV6, IPV6_PORTRANGE, 1)).toBe(0);
    expect(getint(six, IPPROTO_IPV6, IPV6_PORTRANGE)).toBe(1);
    expect(setint(six, IPPROTO_IP, IP_PORTRANGE, 1)).toBe(ENOPROTOOPT);
  });
});

describe('option mbuf ownership', () => {
  it('sosetopt consumes m0 on every path and sogetopt returns a new MT_SOOPTS mbuf for the caller to free: nothing leaks, nothing is freed twice', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    const live = (): number => mbstat.m_alloc - mbstat.m_freed;
    const before = live();
    const okm = sooptint(1);
    expect(sosetopt(so, SOL_SOCKET, SO_KEEPALIVE, okm)).toBe(0);
    expect(okm.m_type).toBe(MT_FREE);
    const badm = sooptint(1);
    expect(sosetopt(so, SOL_SOCKET, 0x7777, badm)).toBe(ENOPROTOOPT);
    expect(badm.m_type).toBe(MT_FREE);
    const shortm = short(1);
    expect(sosetopt(so, SOL_SOCKET, SO_SNDBUF, shortm)).toBe(EINVAL);
    expect(shortm.m_type).toBe(MT_FREE);
    const protom = sooptint(1);
    expect(sosetopt(so, IPPROTO_TCP, 999, protom)).toBe(ENOPROTOOPT);
    expect(protom.m_type).toBe(MT_FREE);
    const r: Ref<Mbuf | null> = { value: null };
    for (const opt of [SO_KEEPALIVE, SO_LINGER, SO_SNDTIMEO, SO_TYPE, SO_ERROR, SO_SNDBUF]) {
      expect(sogetopt(so, SOL_SOCKET, opt, r)).toBe(0);
      expect(r.value!.m_type).toBe(MT_SOOPTS);
      m_free(r.value!);
    }
    expect(sogetopt(so, SOL_SOCKET, 0x7777, r)).toBe(ENOPROTOOPT);
    expect(r.value).toBeNull();
    expect(live()).toBe(before);
  });

  it('bad input: closed socket EBADF, non-integer level or name EINVAL, m0 that is not an mbuf EINVAL, null mp EINVAL', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(sosetopt(so, 1.5, SO_DEBUG, sooptint(1))).toBe(EINVAL);
    expect(sosetopt(so, SOL_SOCKET, NaN, sooptint(1))).toBe(EINVAL);
    expect(sosetopt(so, SOL_SOCKET, SO_DEBUG, {} as Mbuf)).toBe(EINVAL);
    expect(sogetopt(so, SOL_SOCKET, SO_DEBUG, null as never)).toBe(EINVAL);
    const m = m_get(0, MT_DATA);
    await soclose(so);
    expect(sosetopt(so, SOL_SOCKET, SO_DEBUG, m)).toBe(EBADF);
    expect(m.m_type).toBe(MT_FREE);
    expect(getint(so, SOL_SOCKET, SO_DEBUG)).toEqual({ error: EBADF });
  });
});
