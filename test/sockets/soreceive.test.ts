/* kernel-sockets.md §7 behaviours 32-47, 49, 51-54 (soreceive) and soreceive's bad input. */
import { describe, expect, it } from 'vitest';
import {
  AF_INET, EBADF, ECONNREFUSED, ECONNRESET, EINTR, EINVAL, ENOTCONN, EOPNOTSUPP, ERESTART, EWOULDBLOCK, MSG_CTRUNC,
  MSG_DONTWAIT, MSG_EOR, MSG_OOB, MSG_PEEK, MSG_TRUNC, MSG_WAITALL, MT_SONAME, M_EXT, SB_NOINTR, SIGINT, SOCK_DGRAM,
  SOCK_SEQPACKET, SOCK_STREAM, SOL_SOCKET, SO_LINGER, SO_OOBINLINE, SO_RCVLOWAT, SO_RCVTIMEO, UIO_READ, UIO_WRITE,
  m_freem, m_length, m_tobuf, newproc, psignal, runas, sigaction_restart, soclose, soconnect, sockaddr_in,
  sockaddr_parse, sooptint, sooptlinger, soopttimeval, soreceive, sosetopt, soshutdown, SHUT_WR, uio_init,
} from '../../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../../sockets/index.js';
import {
  closedPort, localPair, mkso, recvall, recvn, sendstr, stuckPort, tcpPair, udpSocket, until,
  settlesAtTimer,
} from './helpers.js';
import { RCVMIN, RCVSLAB } from '../../sockets/proto/hoststream.js';
import { MSIZE } from '../../sockets/mbuf.js';

function mpRecv(so: Socket, resid: number, flags = 0): Promise<{ error: number; m: Mbuf | null; resid: number }> {
  const uio = uio_init(UIO_READ, []);
  uio.uio_resid = resid;
  const mp: Ref<Mbuf | null> = { value: null };
  return soreceive(so, null, uio, mp, null, { value: flags }).then((error) => ({ error, m: mp.value, resid: uio.uio_resid }));
}

describe('soreceive: empty buffers, EOF and errors', () => {
  it('a non-blocking soreceive on an empty buffer is EWOULDBLOCK (TCP connected, UDP); ENOTCONN comes first for unconnected TCP', async () => {
    const { client } = await tcpPair();
    expect((await recvn(client, 10, MSG_DONTWAIT)).error).toBe(EWOULDBLOCK);
    const u = mkso(AF_INET, SOCK_DGRAM);
    expect((await recvn(u, 10, MSG_DONTWAIT)).error).toBe(EWOULDBLOCK);
    const t = mkso(AF_INET, SOCK_STREAM);
    expect((await recvn(t, 10, MSG_DONTWAIT)).error).toBe(ENOTCONN);
    expect((await recvn(t, 10)).error).toBe(ENOTCONN);
  });

  it('a blocking soreceive with SO_RCVTIMEO on an idle connection returns EWOULDBLOCK when the timeout passes, not before', async () => {
    const { client } = await tcpPair();
    expect(sosetopt(client, SOL_SOCKET, SO_RCVTIMEO, soopttimeval(1, 0))).toBe(0);
    expect((await settlesAtTimer(() => recvn(client, 10), 1000)).error).toBe(EWOULDBLOCK);
  });

  it("after the peer's FIN, buffered data comes first, then soreceive returns 0 with no data and no error", async () => {
    const { client, server } = await tcpPair();
    expect(await sendstr(client, 'last words')).toBe(0);
    expect(soshutdown(client, SHUT_WR)).toBe(0);
    expect((await recvall(server, 10)).toString()).toBe('last words');
    const eof = await recvn(server, 10);
    expect(eof.error).toBe(0);
    expect(eof.data.length).toBe(0);
    expect((await recvn(server, 10)).data.length).toBe(0);
  });

  it('with so_error pending and nothing buffered, soreceive returns it and clears it; with MSG_PEEK it stays set', async () => {
    const { client, server } = await tcpPair();
    expect(sosetopt(client, SOL_SOCKET, SO_LINGER, sooptlinger(1, 0))).toBe(0);
    expect(await soclose(client)).toBe(0); /* abortive: the server gets a reset */
    expect(await until(() => server.so_error !== 0)).toBe(true);
    expect(server.so_error).toBe(ECONNRESET);
    expect((await recvn(server, 10, MSG_PEEK)).error).toBe(ECONNRESET);
    expect(server.so_error).toBe(ECONNRESET);
    expect((await recvn(server, 10)).error).toBe(ECONNRESET);
    expect(server.so_error).toBe(0);
    expect((await recvn(server, 10)).error).toBe(0); /* then EOF */
  });

  it('with so_error pending and data buffered, the data is delivered first and the error on the next call', async () => {
    const { client, server } = await tcpPair();
    expect(await sendstr(client, 'before reset')).toBe(0);
    expect(await until(() => server.so_rcv.sb_cc === 12)).toBe(true);
    expect(sosetopt(client, SOL_SOCKET, SO_LINGER, sooptlinger(1, 0))).toBe(0);
    expect(await soclose(client)).toBe(0);
    expect(await until(() => server.so_error !== 0)).toBe(true);
    const r = await recvn(server, 100);
    expect(r.error).toBe(0);
    expect(r.data.toString()).toBe('before reset');
    expect((await recvn(server, 100)).error).toBe(ECONNRESET);
  });

  it('soreceive on a connecting socket blocks (EWOULDBLOCK with MSG_DONTWAIT) instead of ENOTCONN', async () => {
    const port = await stuckPort();
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    expect((await recvn(so, 10, MSG_DONTWAIT)).error).toBe(EWOULDBLOCK);
    expect(sosetopt(so, SOL_SOCKET, SO_RCVTIMEO, soopttimeval(0, 200000))).toBe(0);
    expect((await recvn(so, 10)).error).toBe(EWOULDBLOCK);
  });

  it('a UDP socket whose peer answers with ICMP port unreachable gets ECONNREFUSED, reported once by the next soreceive', async () => {
    const port = await closedPort();
    const so = mkso(AF_INET, SOCK_DGRAM);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    expect(await until(() => {
      if (so.so_error) return true;
      void sendstr(so, 'anyone?', MSG_DONTWAIT);
      return false;
    })).toBe(true);
    expect((await recvn(so, 10, MSG_DONTWAIT)).error).toBe(ECONNREFUSED);
    expect((await recvn(so, 10, MSG_DONTWAIT)).error).toBe(EWOULDBLOCK);
  });
});

describe('soreceive: flags', () => {
  it('MSG_PEEK returns data without consuming it; the next read returns the same bytes', async () => {
    const { client, server } = await tcpPair();
    expect(await sendstr(client, 'peekaboo')).toBe(0);
    expect(await until(() => server.so_rcv.sb_cc === 8)).toBe(true);
    const p = await recvn(server, 4, MSG_PEEK);
    expect(p.data.toString()).toBe('peek');
    expect(server.so_rcv.sb_cc).toBe(8);
    expect((await recvn(server, 8)).data.toString()).toBe('peekaboo');
  });

  it('MSG_WAITALL returns only when resid bytes have arrived; a timeout after partial data returns 0 with a short count', async () => {
    const { client, server } = await tcpPair();
    const reading = recvn(server, 10, MSG_WAITALL);
    expect(await sendstr(client, 'abc')).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(await sendstr(client, 'defghij')).toBe(0);
    const r = await reading;
    expect(r.error).toBe(0);
    expect(r.data.toString()).toBe('abcdefghij');
    expect(sosetopt(server, SOL_SOCKET, SO_RCVTIMEO, soopttimeval(0, 300000))).toBe(0);
    /* A request that fits the buffer waits for all of it: the timeout is EWOULDBLOCK, data kept. */
    expect(await sendstr(client, 'xyz')).toBe(0);
    expect(await until(() => server.so_rcv.sb_cc === 3)).toBe(true);
    expect((await recvn(server, 10, MSG_WAITALL)).error).toBe(EWOULDBLOCK);
    expect(server.so_rcv.sb_cc).toBe(3);
    /* A larger one takes the data as it comes: the timeout then returns 0 and a short count. */
    const short = await recvn(server, server.so_rcv.sb_hiwat + 1, MSG_WAITALL);
    expect(short.error).toBe(0);
    expect(short.data.toString()).toBe('xyz');
  });

  it('MSG_WAITALL where the peer closes mid-record returns 0 with a short count', async () => {
    const { client, server } = await tcpPair();
    const reading = recvn(server, 100, MSG_WAITALL);
    expect(await sendstr(client, 'partial')).toBe(0);
    expect(soshutdown(client, SHUT_WR)).toBe(0);
    const r = await reading;
    expect(r.error).toBe(0);
    expect(r.data.toString()).toBe('partial');
  });

  it('MSG_WAITALL interrupted by a signal after partial data returns 0 with a short count', async () => {
    const p = newproc({ uid: 0, gid: 0 });
    const { client, server } = await tcpPair();
    expect(await sendstr(client, 'some')).toBe(0);
    expect(await until(() => server.so_rcv.sb_cc === 4)).toBe(true);
    const reading = runas(p, () => recvn(server, server.so_rcv.sb_hiwat + 100, MSG_WAITALL));
    expect(server.so_rcv.sb_cc).toBe(0); /* taken at once; now waiting for the rest */
    expect(await until(() => p.p_nsleep > 0)).toBe(true);
    psignal(p, SIGINT);
    const r = await reading;
    expect(r.error).toBe(0);
    expect(r.data.toString()).toBe('some');
  });

  it('with SO_RCVLOWAT = N a blocking read of more than N bytes returns only once N bytes are buffered', async () => {
    const { client, server } = await tcpPair();
    expect(sosetopt(server, SOL_SOCKET, SO_RCVLOWAT, sooptint(6))).toBe(0);
    let done = false;
    const reading = recvn(server, 100).then((r) => {
      done = true;
      return r;
    });
    expect(await sendstr(client, 'abc')).toBe(0);
    expect(await until(() => server.so_rcv.sb_cc === 3)).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(done).toBe(false);
    expect(await sendstr(client, 'def')).toBe(0);
    expect((await reading).data.toString()).toBe('abcdef');
  });

  it('MSG_OOB is EINVAL on TCP (no urgent data ever arrives through Node), also with SO_OOBINLINE, and EOPNOTSUPP on UDP', async () => {
    const { server } = await tcpPair();
    expect((await recvn(server, 1, MSG_OOB)).error).toBe(EINVAL);
    expect(sosetopt(server, SOL_SOCKET, SO_OOBINLINE, sooptint(1))).toBe(0);
    expect((await recvn(server, 1, MSG_OOB)).error).toBe(EINVAL);
    const u = mkso(AF_INET, SOCK_DGRAM);
    expect((await recvn(u, 1, MSG_OOB)).error).toBe(EOPNOTSUPP);
  });

  it('output flags: MSG_EOR at a record end (an MSG_EOR passed in is ignored); MSG_CTRUNC is never set', async () => {
    const [a, b] = localPair(SOCK_SEQPACKET);
    expect(await sendstr(a, 'record-1')).toBe(0);
    expect(await sendstr(a, 'record-2')).toBe(0);
    const r1 = await recvn(b, 100, MSG_EOR);
    expect(r1.data.toString()).toBe('record-1');
    expect(r1.flags & MSG_EOR).toBe(MSG_EOR);
    expect(r1.flags & (MSG_CTRUNC | MSG_OOB)).toBe(0);
    const { client, server } = await tcpPair();
    expect(await sendstr(client, 'stream')).toBe(0);
    const r2 = await recvn(server, 6, MSG_EOR | MSG_WAITALL);
    expect(r2.flags & MSG_EOR).toBe(0);
  });
});

describe('soreceive: datagrams', () => {
  it('one call returns exactly one datagram even when several are queued', async () => {
    const a = await udpSocket();
    const b = await udpSocket();
    for (const s of ['one', 'two', 'three']) expect(await sendstr(a.so, s, 0, sockaddr_in('127.0.0.1', b.port))).toBe(0);
    expect(await until(() => b.so.so_rcv.sb_mb?.m_nextpkt?.m_nextpkt != null)).toBe(true);
    expect((await recvn(b.so, 100)).data.toString()).toBe('one');
    expect((await recvn(b.so, 100)).data.toString()).toBe('two');
    expect((await recvn(b.so, 100)).data.toString()).toBe('three');
  });

  it('a datagram longer than the request returns its head with MSG_TRUNC and discards the rest', async () => {
    const a = await udpSocket();
    const b = await udpSocket();
    expect(await sendstr(a.so, 'truncated datagram', 0, sockaddr_in('127.0.0.1', b.port))).toBe(0);
    expect(await sendstr(a.so, 'next', 0, sockaddr_in('127.0.0.1', b.port))).toBe(0);
    const r = await recvn(b.so, 9);
    expect(r.data.toString()).toBe('truncated');
    expect(r.flags & MSG_TRUNC).toBe(MSG_TRUNC);
    const n = await recvn(b.so, 100);
    expect(n.data.toString()).toBe('next');
    expect(n.flags & MSG_TRUNC).toBe(0);
  });

  it('PR_ADDR: paddr gets an MT_SONAME mbuf with the sender; with MSG_PEEK a copy; with a null paddr the address is discarded', async () => {
    const a = await udpSocket();
    const b = await udpSocket();
    expect(await sendstr(a.so, 'from a', 0, sockaddr_in('127.0.0.1', b.port))).toBe(0);
    expect(await sendstr(a.so, 'again', 0, sockaddr_in('127.0.0.1', b.port))).toBe(0);
    const pa: Ref<Mbuf | null> = { value: null };
    const f: Ref<number> = { value: MSG_PEEK };
    expect(await soreceive(b.so, pa, uio_init(UIO_READ, [Buffer.alloc(10)]), null, null, f)).toBe(0);
    expect(pa.value!.m_type).toBe(MT_SONAME);
    expect(sockaddr_parse(pa.value)).toEqual({ family: AF_INET, address: '127.0.0.1', port: a.port });
    expect(pa.value).not.toBe(b.so.so_rcv.sb_mb);
    m_freem(pa.value);
    expect(await soreceive(b.so, pa, uio_init(UIO_READ, [Buffer.alloc(10)]), null, null, null)).toBe(0);
    expect(sockaddr_parse(pa.value)).toMatchObject({ port: a.port });
    m_freem(pa.value);
    const r = await recvn(b.so, 10); /* paddr given by the helper, ignored below */
    expect(r.data.toString()).toBe('again');
    expect(await sendstr(a.so, 'no addr', 0, sockaddr_in('127.0.0.1', b.port))).toBe(0);
    const buf = Buffer.alloc(10);
    expect(await soreceive(b.so, null, uio_init(UIO_READ, [buf]), null, null, null)).toBe(0);
    expect(buf.subarray(0, 7).toString()).toBe('no addr');
    expect(b.so.so_rcv.sb_cc).toBe(0);
  });

  it('a zero-length datagram is a successful 0-byte receive', async () => {
    const a = await udpSocket();
    const b = await udpSocket();
    expect(await sendstr(a.so, '', 0, sockaddr_in('127.0.0.1', b.port))).toBe(0);
    const r = await recvn(b.so, 10);
    expect(r.error).toBe(0);
    expect(r.data.length).toBe(0);
    expect(r.from).toMatchObject({ port: a.port });
  });
});

describe('soreceive: mbuf chains (mp0)', () => {
  it('mp0 returns min(resid, available) bytes as the buffered mbufs themselves, and decrements uio_resid', async () => {
    const { client, server } = await tcpPair();
    expect(await sendstr(client, 'zero-copy hand over')).toBe(0);
    expect(await until(() => server.so_rcv.sb_cc === 19)).toBe(true);
    const first = server.so_rcv.sb_mb!;
    const storage = first.m_buf;
    const r = await mpRecv(server, 9);
    expect(r.error).toBe(0);
    expect(m_tobuf(r.m).toString()).toBe('zero-copy');
    expect(r.resid).toBe(0);
    expect(r.m!.m_buf).toBe(storage); /* a view of the same storage: nothing copied */
    expect(r.m!.m_flags & M_EXT).toBe(M_EXT);
    const r2 = await mpRecv(server, 1000);
    expect(m_tobuf(r2.m).toString()).toBe(' hand over');
    expect(r2.m).toBe(first); /* the rest: the very mbuf that was buffered */
    expect(r2.resid).toBe(990);
    m_freem(r.m);
    m_freem(r2.m);
  });

  it('mp0 with MSG_WAITALL and uio_resid = L returns exactly L bytes across several arrivals', async () => {
    const { client, server } = await tcpPair();
    const reading = mpRecv(server, 30, MSG_WAITALL);
    for (const part of ['0123456789', 'abcdefghij', 'ABCDEFGHIJ', 'tail']) {
      expect(await sendstr(client, part)).toBe(0);
      await new Promise((r) => setTimeout(r, 5));
    }
    const r = await reading;
    expect(r.error).toBe(0);
    expect(m_length(r.m)).toBe(30);
    expect(r.m!.m_pkthdr.len).toBe(30);
    expect(m_tobuf(r.m).toString()).toBe('0123456789abcdefghijABCDEFGHIJ');
    m_freem(r.m);
    expect((await recvall(server, 4)).toString()).toBe('tail');
  });

  it('after consuming data the PR_WANTRCVD hook reopens a full receive buffer (host resumed); MSG_PEEK does not', async () => {
    const { client, server } = await tcpPair();
    const total = 4 * 1024 * 1024;
    const sending = sendstr(client, Buffer.alloc(total, 0x55));
    expect(await until(() => server.so_rcv.sb_cc >= server.so_rcv.sb_hiwat)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    const full = server.so_rcv.sb_cc;
    expect((await recvn(server, 10, MSG_PEEK)).data.length).toBe(10);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.so_rcv.sb_cc).toBe(full); /* paused: nothing more accepted */
    const got = await recvall(server, total);
    expect(got.length).toBe(total);
    expect(await sending).toBe(0);
  });

  it('a connecting socket reads into shared receive slabs: the bytes arrive intact and in order, several reads share one slab, and a full buffer pauses the host', async () => {
    const { client, server } = await tcpPair();
    const total = 4 * 1024 * 1024;
    const data = Buffer.alloc(total);
    for (let i = 0; i < total; i += 4) data.writeUInt32BE(i, i);
    const sending = sendstr(server, data);
    expect(await until(() => client.so_rcv.sb_cc >= client.so_rcv.sb_hiwat)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    const full = client.so_rcv.sb_cc;
    const storages = new Set<Buffer>();
    let mbufs = 0;
    for (let m = client.so_rcv.sb_mb; m !== null; m = m.m_next) {
      mbufs++;
      storages.add(m.m_buf);
      expect(m.m_buf.length).toBe(RCVSLAB);
      expect(m.m_ext!.ext_size).toBe(m.m_len); /* accounted by its bytes, not the slab's size */
    }
    expect(storages.size).toBeLessThanOrEqual(Math.ceil(full / (RCVSLAB - RCVMIN)) + 1);
    expect(client.so_rcv.sb_mbcnt).toBe(full + mbufs * MSIZE); /* each mbuf, and its bytes */
    await new Promise((r) => setTimeout(r, 50));
    expect(client.so_rcv.sb_cc).toBe(full); /* paused: nothing more accepted */
    const got = await recvall(client, total);
    expect(got.equals(data)).toBe(true);
    expect(await sending).toBe(0);
    expect(mbufs).toBeGreaterThan(0);
  });
});

describe('soreceive: interruption', () => {
  it('without SB_NOINTR a signal ends the wait with EINTR (ERESTART with SA_RESTART); with SB_NOINTR only the timeout does', async () => {
    const p = newproc({ uid: 0, gid: 0 });
    const { server } = await tcpPair();
    let reading = runas(p, () => recvn(server, 10));
    expect(await until(() => p.p_nsleep > 0)).toBe(true);
    psignal(p, SIGINT);
    expect((await reading).error).toBe(EINTR);
    sigaction_restart(p, SIGINT, true);
    reading = runas(p, () => recvn(server, 10));
    expect(await until(() => p.p_nsleep > 0)).toBe(true);
    psignal(p, SIGINT);
    expect((await reading).error).toBe(ERESTART);
    server.so_rcv.sb_flags |= SB_NOINTR;
    expect(sosetopt(server, SOL_SOCKET, SO_RCVTIMEO, soopttimeval(0, 300000))).toBe(0);
    reading = runas(p, () => recvn(server, 10));
    await new Promise((r) => setTimeout(r, 20));
    psignal(p, SIGINT);
    expect((await reading).error).toBe(EWOULDBLOCK);
  });
});

describe('soreceive: bad input', () => {
  it('bad arguments are errnos: closed socket, null or malformed uio, bad flags and out-parameters', async () => {
    const { server } = await tcpPair();
    expect(await soreceive(server, null, null as never, null, null, null)).toBe(EINVAL);
    expect(await soreceive(server, null, uio_init(UIO_WRITE, [Buffer.alloc(1)]), null, null, null)).toBe(EINVAL);
    const neg = uio_init(UIO_READ, []);
    neg.uio_resid = -5;
    expect(await soreceive(server, null, neg, { value: null }, null, null)).toBe(EINVAL);
    expect(await soreceive(server, null, uio_init(UIO_READ, [Buffer.alloc(1)]), null, null, { value: 0.5 })).toBe(EINVAL);
    expect(await soreceive(server, 5 as never, uio_init(UIO_READ, [Buffer.alloc(1)]), null, null, null)).toBe(EINVAL);
    await soclose(server);
    expect(await soreceive(server, null, uio_init(UIO_READ, [Buffer.alloc(1)]), null, null, null)).toBe(EBADF);
  });

  it('a soreceive waiting when its socket is closed ends with EBADF instead of hanging', async () => {
    const { server } = await tcpPair();
    const reading = recvn(server, 10);
    await new Promise((r) => setTimeout(r, 10));
    await soclose(server);
    expect((await reading).error).toBe(EBADF);
  });
});
