/* kernel-sockets.md §7 behaviours 18-31 (sosend), BUG 3 (MSG_DONTWAIT) and sosend's bad input. */
import { describe, expect, it } from 'vitest';
import {
  AF_INET, AF_INET6, AF_LOCAL, EAFNOSUPPORT, EBADF, ECONNREFUSED, EDESTADDRREQ, EINVAL, EISCONN, EMSGSIZE, ENOTCONN,
  EOPNOTSUPP, EPIPE, EWOULDBLOCK, MSG_DONTWAIT, MSG_EOR, MSG_OOB, MT_DATA, MT_FREE, M_EXTWR, MEXTADD, M_PKTHDR,
  SHUT_WR, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET, SO_SNDTIMEO, SS_NBIO, UIO_READ, UIO_WRITE, m_get, m_gethdr,
  m_wrap, mbstat, scm_creds, sleepstat, soclose, soconnect, sockaddr_in, sockaddr_in6, soopttimeval, sosend,
  sosetopt, soshutdown, uio_init,
  uio_iovecs,
} from '../../sockets/index.js';
import type { Mbuf, Socket } from '../../sockets/index.js';
import {
  closedPort, drain, fillUntilBlocked, localPair, mkso, recvall, recvn, sendstr, tcpPair, udpSocket, until,
  settlesAtTimer,
} from './helpers.js';

/* A packet-header chain of the given parts, each in its own read-only mbuf. */
function chain(...parts: Buffer[]): Mbuf {
  const ms = parts.map((p) => m_wrap(p));
  for (let i = 1; i < ms.length; i++) ms[i]!.m_flags &= ~M_PKTHDR;
  for (let i = 0; i < ms.length - 1; i++) ms[i]!.m_next = ms[i + 1]!;
  ms[0]!.m_pkthdr.len = parts.reduce((n, p) => n + p.length, 0);
  return ms[0]!;
}

function freed(m: Mbuf): boolean {
  return m.m_type === MT_FREE;
}

describe('sosend: state checks', () => {
  it('sosend on an unconnected TCP socket is ENOTCONN and releases top and control', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    const top = chain(Buffer.from('ab'), Buffer.from('cd'));
    const second = top.m_next!;
    const control = scm_creds();
    expect(await sosend(so, null, null, top, control, 0)).toBe(ENOTCONN);
    expect(freed(top) && freed(second) && freed(control)).toBe(true);
  });

  it('sosend on an unconnected UDP socket without an address is EDESTADDRREQ', async () => {
    const so = mkso(AF_INET, SOCK_DGRAM);
    expect(await sendstr(so, 'x')).toBe(EDESTADDRREQ);
  });

  it('sosend with an address on a connected UDP socket is EISCONN', async () => {
    const peer = await udpSocket();
    const so = mkso(AF_INET, SOCK_DGRAM);
    expect(soconnect(so, sockaddr_in('127.0.0.1', peer.port))).toBe(0);
    expect(await sendstr(so, 'x', 0, sockaddr_in('127.0.0.1', peer.port))).toBe(EISCONN);
  });

  it('sosend after soshutdown(SHUT_WR) is EPIPE, with no signal or exception', async () => {
    const { client } = await tcpPair();
    expect(soshutdown(client, SHUT_WR)).toBe(0);
    expect(await sendstr(client, 'late')).toBe(EPIPE);
    const [a] = localPair(SOCK_STREAM);
    expect(soshutdown(a, SHUT_WR)).toBe(0);
    expect(await sendstr(a, 'late')).toBe(EPIPE);
  });

  it('a pending so_error is returned by the next sosend exactly once and cleared', async () => {
    const port = await closedPort();
    const so = mkso(AF_INET, SOCK_DGRAM);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    expect(await until(() => {
      if (so.so_error === ECONNREFUSED) return true;
      void sendstr(so, 'ping', MSG_DONTWAIT);
      return false;
    })).toBe(true);
    expect(await sendstr(so, 'x', MSG_DONTWAIT)).toBe(ECONNREFUSED);
    expect(so.so_error).toBe(0);
    expect(await sendstr(so, 'x', MSG_DONTWAIT)).toBe(0);
  });

  it('sosend(MSG_EOR) on SOCK_STREAM is EINVAL', async () => {
    const { client } = await tcpPair();
    expect(await sendstr(client, 'x', MSG_EOR)).toBe(EINVAL);
  });

  it('an atomic send (UDP datagram, or any top chain) longer than so_snd.sb_hiwat is EMSGSIZE at once, without blocking', async () => {
    const peer = await udpSocket();
    const so = mkso(AF_INET, SOCK_DGRAM);
    const big = Buffer.alloc(so.so_snd.sb_hiwat + 1);
    const { client } = await tcpPair();
    const before = sleepstat.tsleep;
    expect(await sendstr(so, big, 0, sockaddr_in('127.0.0.1', peer.port))).toBe(EMSGSIZE);
    const top = m_wrap(Buffer.alloc(client.so_snd.sb_hiwat + 1));
    expect(await sosend(client, null, null, top, null, 0)).toBe(EMSGSIZE);
    expect(freed(top)).toBe(true);
    expect(sleepstat.tsleep).toBe(before);
  });

  it('sosend(MSG_OOB) is EOPNOTSUPP on UDP, and on TCP too (Node cannot send urgent data)', async () => {
    const peer = await udpSocket();
    const u = mkso(AF_INET, SOCK_DGRAM);
    expect(await sendstr(u, 'x', MSG_OOB, sockaddr_in('127.0.0.1', peer.port))).toBe(EOPNOTSUPP);
    const { client } = await tcpPair();
    expect(await sendstr(client, 'x', MSG_OOB)).toBe(EOPNOTSUPP);
  });

  it('a control-only send on an unconnected TCP socket passes the ENOTCONN check and TCP rejects the control with EINVAL', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    const control = scm_creds();
    expect(await sosend(so, null, null, null, control, 0)).toBe(EINVAL);
    expect(freed(control)).toBe(true);
    expect(await sosend(so, null, uio_init(UIO_WRITE, [Buffer.from('x')]), null, null, 0)).toBe(ENOTCONN);
  });
});

describe('sosend: space and waiting', () => {
  it('a top chain on TCP is all-or-nothing: EWOULDBLOCK with nothing queued when it does not fit, else it waits until it fits', async () => {
    const { client, server } = await tcpPair();
    await fillUntilBlocked(client);
    const cc = client.so_snd.sb_cc;
    const top = m_wrap(Buffer.alloc(8192, 0x41));
    expect(await sosend(client, null, null, top, null, MSG_DONTWAIT)).toBe(EWOULDBLOCK);
    expect(client.so_snd.sb_cc).toBe(cc);
    expect(freed(top)).toBe(true);
    void server;
    /* Blocking, on an in-process stream (whose space is deterministic): waits until it all fits. */
    const [a, b] = localPair(SOCK_STREAM);
    expect(await sendstr(a, Buffer.alloc(5000, 0x31))).toBe(0);
    const chainlen = a.so_snd.sb_hiwat - 5000 + 1;
    expect(await sosend(a, null, null, m_wrap(Buffer.alloc(chainlen, 0x32)), null, MSG_DONTWAIT)).toBe(EWOULDBLOCK);
    expect(b.so_rcv.sb_cc).toBe(5000);
    const sending = sosend(a, null, null, m_wrap(Buffer.alloc(chainlen, 0x32)), null, 0);
    let settled = false;
    void sending.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    expect(b.so_rcv.sb_cc).toBe(5000);
    expect((await recvn(b, 1)).data.toString()).toBe('1');
    expect(await sending).toBe(0);
    const rest = await drain(b);
    expect(rest.length).toBe(4999 + chainlen);
    expect(rest.subarray(4999).equals(Buffer.alloc(chainlen, 0x32))).toBe(true);
  });

  it('a stream uio send with MSG_DONTWAIT sends what fits, then EWOULDBLOCK with uio_resid showing the short count', async () => {
    const [a, b] = localPair(SOCK_STREAM);
    const hiwat = a.so_snd.sb_hiwat;
    const data = Buffer.alloc(hiwat + 1000, 0x33);
    const uio = uio_init(UIO_WRITE, [data]);
    expect(await sosend(a, null, uio, null, null, MSG_DONTWAIT)).toBe(EWOULDBLOCK);
    expect(uio.uio_resid).toBe(1000);
    expect((await drain(b)).length).toBe(hiwat);
  });

  it('a blocking stream send with SO_SNDTIMEO = 1 s against a peer that never reads returns EWOULDBLOCK with partial progress in uio_resid', async () => {
    const [a] = localPair(SOCK_STREAM);
    expect(sosetopt(a, SOL_SOCKET, SO_SNDTIMEO, soopttimeval(1, 0))).toBe(0);
    const data = Buffer.alloc(3 * a.so_snd.sb_hiwat);
    const uio = uio_init(UIO_WRITE, [data]);
    expect(await settlesAtTimer(() => sosend(a, null, uio, null, null, 0), 1000)).toBe(EWOULDBLOCK);
    expect(uio.uio_resid).toBe(data.length - a.so_snd.sb_hiwat);
    const { client } = await tcpPair();
    expect(sosetopt(client, SOL_SOCKET, SO_SNDTIMEO, soopttimeval(1, 0))).toBe(0);
    const big = Buffer.alloc(64 * 1024 * 1024);
    const u2 = uio_init(UIO_WRITE, [big]);
    expect(await sosend(client, null, u2, null, null, 0)).toBe(EWOULDBLOCK);
    expect(u2.uio_resid).toBeGreaterThan(0);
    expect(u2.uio_resid).toBeLessThan(big.length);
  });

  it('with MSG_DONTWAIT sosend never waits: its work is done when it returns, no sleep or timer (BUG 3)', async () => {
    const { client, server } = await tcpPair();
    const sleeps = sleepstat.tsleep;
    const uio = uio_init(UIO_WRITE, [Buffer.from('immediate')]);
    const p = sosend(client, null, uio, null, null, MSG_DONTWAIT);
    /* Before the promise is even looked at, the bytes are queued and counted. */
    expect(uio.uio_resid).toBe(0);
    expect(client.so_snd.sb_cc).toBe(9);
    expect(await p).toBe(0);
    expect(sleepstat.tsleep).toBe(sleeps);
    expect((await recvall(server, 9)).toString()).toBe('immediate');
    /* The same with SS_NBIO on the socket, and on a full socket: EWOULDBLOCK, no sleep. */
    client.so_state |= SS_NBIO;
    await fillUntilBlocked(client);
    const s2 = sleepstat.tsleep;
    const u2 = uio_init(UIO_WRITE, [Buffer.alloc(100000)]);
    const p2 = sosend(client, null, u2, null, null, 0);
    expect(await p2).toBe(EWOULDBLOCK);
    expect(sleepstat.tsleep).toBe(s2);
  });

  it('two concurrent senders on one stream are serialised; a non-blocking sender that finds the send lock held gets EWOULDBLOCK', async () => {
    const [a, b] = localPair(SOCK_STREAM);
    const A = Buffer.alloc(40000, 0x41);
    const B = Buffer.alloc(40000, 0x42);
    const pa = sosend(a, null, uio_init(UIO_WRITE, [A]), null, null, 0);
    const pb = sosend(a, null, uio_init(UIO_WRITE, [B]), null, null, 0);
    expect(await sendstr(a, 'C', MSG_DONTWAIT)).toBe(EWOULDBLOCK);
    const got = await recvall(b, 80000);
    expect(await pa).toBe(0);
    expect(await pb).toBe(0);
    expect(got.subarray(0, 40000).equals(A)).toBe(true);
    expect(got.subarray(40000).equals(B)).toBe(true);
  });
});

describe('sosend: data path', () => {
  it('a top chain is sent byte-exactly, each mbuf as it is, and MEXTADD storage is freed only after the host took it', async () => {
    const { client, server } = await tcpPair();
    const frees: Buffer[] = [];
    const ext = Buffer.from('external-storage');
    const m2 = m_get(0, MT_DATA);
    MEXTADD(m2, ext, ext.length, M_EXTWR, (buf) => frees.push(buf), null);
    m2.m_len = ext.length;
    const head = m_gethdr(0, MT_DATA);
    head.m_len = 4;
    head.m_buf.write('HEAD', head.m_data);
    head.m_next = m2;
    head.m_pkthdr.len = 4 + ext.length;
    const p = sosend(client, null, null, head, null, 0);
    expect(frees.length).toBe(0); /* still queued in so_snd while the host writes it */
    expect(await p).toBe(0);
    expect((await recvall(server, 4 + ext.length)).toString()).toBe('HEADexternal-storage');
    expect(await until(() => frees.length === 1)).toBe(true);
    expect(frees[0]).toBe(ext);
    expect(client.so_snd.sb_cc).toBe(0);
  });

  it('UDP sends each sosend as one datagram to the given address', async () => {
    const peer = await udpSocket();
    const so = mkso(AF_INET, SOCK_DGRAM);
    expect(await sosend(so, sockaddr_in('127.0.0.1', peer.port), null, chain(Buffer.from('one-'), Buffer.from('dgram')), null, 0)).toBe(0);
    expect(await sendstr(so, '', 0, sockaddr_in('127.0.0.1', peer.port))).toBe(0);
    const r1 = await recvn(peer.so, 100);
    expect(r1.data.toString()).toBe('one-dgram');
    const r2 = await recvn(peer.so, 100);
    expect(r2.error).toBe(0);
    expect(r2.data.length).toBe(0);
  });
});

describe('sosend: bad input', () => {
  it('every bad argument is an errno, never an exception, and top/control are still released', async () => {
    const { client } = await tcpPair();
    const uio = uio_init(UIO_WRITE, [Buffer.from('x')]);
    const top = m_wrap(Buffer.from('x'));
    expect(await sosend(client, null, uio, top, null, 0)).toBe(EINVAL);
    expect(freed(top)).toBe(true);
    const neg = uio_init(UIO_WRITE, [Buffer.from('x')]);
    neg.uio_resid = -1;
    expect(await sosend(client, null, neg, null, null, 0)).toBe(EINVAL);
    const lie = uio_init(UIO_WRITE, [Buffer.from('x')]);
    lie.uio_resid = 1e9;
    expect(await sosend(client, null, lie, null, null, 0)).toBe(EINVAL);
    const bad = uio_init(UIO_WRITE, [Buffer.from('x')]);
    uio_iovecs(bad)[0]!.iov_len = 99;
    expect(await sosend(client, null, bad, null, null, 0)).toBe(EINVAL);
    expect(await sosend(client, null, uio_init(UIO_READ, [Buffer.from('x')]), null, null, 0)).toBe(EINVAL);
    const wrong = m_wrap(Buffer.from('abc'));
    wrong.m_pkthdr.len = 10;
    expect(await sosend(client, null, null, wrong, null, 0)).toBe(EINVAL);
    expect(await sosend(client, null, uio_init(UIO_WRITE, [Buffer.from('x')]), null, null, 1.5)).toBe(EINVAL);
    expect(await sosend(client, {} as Mbuf, uio_init(UIO_WRITE, [Buffer.from('x')]), null, null, 0)).toBe(EINVAL);
    expect(await sosend(null as unknown as Socket, null, null, null, null, 0)).toBe(EBADF);
    const u = mkso(AF_INET, SOCK_DGRAM);
    expect(await sendstr(u, 'x', 0, sockaddr_in6('::1', 9))).toBe(EAFNOSUPPORT);
    const short = sockaddr_in('127.0.0.1', 9);
    short.m_len = 4;
    expect(await sendstr(u, 'x', 0, short)).toBe(EINVAL);
    const six = mkso(AF_INET6, SOCK_DGRAM);
    expect(await sendstr(six, 'x', 0, sockaddr_in('127.0.0.1', 9))).toBe(EAFNOSUPPORT);
    const local = mkso(AF_LOCAL, SOCK_DGRAM);
    expect(await sendstr(local, 'x')).toBe(EDESTADDRREQ);
    await soclose(client);
    const after = m_wrap(Buffer.from('x'));
    const freedBefore = mbstat.m_freed;
    expect(await sosend(client, null, null, after, null, 0)).toBe(EBADF);
    expect(mbstat.m_freed).toBe(freedBefore + 1);
  });
});
