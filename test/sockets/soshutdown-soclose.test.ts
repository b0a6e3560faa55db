/* kernel-sockets.md §7 behaviours 55-63 (soshutdown, soclose, linger) and leak accounting. */
import { describe, expect, it } from 'vitest';
import {
  AF_INET, AF_LOCAL, EBADF, ECONNRESET, EINVAL, EWOULDBLOCK, MSG_DONTWAIT, SHUT_RD, SHUT_RDWR, SHUT_WR, SOCK_DGRAM,
  SOCK_STREAM, SOL_SOCKET, SO_LINGER, SO_RCVBUF, SO_SNDBUF, SS_CANTRCVMORE, SS_CANTSENDMORE, SS_NBIO, SS_NOFDREF,
  POLLNVAL, SO_RCV, SU_OK, UIO_READ, m_wrap, proc0, scm_rights, sobind, soaccept, soclose, soconnect, soconnect2,
  sockaddr_in, sogetopt, solisten, sooptint, sooptlinger, sopoll, soreceive, sosend, sosetopt, soshutdown,
  sosockaddr, sopeeraddr, sostat, soupcall_set, uio_init,
} from '../../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../../sockets/index.js';
import {
  fillUntilBlocked, hostsClosed, localPair, mkso, recvall, recvn, sendstr, tcpListener, tcpPair, until, waitConnect,
  settlesAtTimer,
} from './helpers.js';

describe('soshutdown', () => {
  it('SHUT_WR on TCP sets SS_CANTSENDMORE and sends FIN (the peer reads EOF) while local receiving still works; a second SHUT_WR is 0', async () => {
    const { client, server } = await tcpPair();
    expect(await sendstr(client, 'request')).toBe(0);
    expect(soshutdown(client, SHUT_WR)).toBe(0);
    expect(client.so_state & SS_CANTSENDMORE).toBe(SS_CANTSENDMORE);
    expect((await recvall(server, 7)).toString()).toBe('request');
    expect((await recvn(server, 10)).data.length).toBe(0); /* EOF */
    expect(await sendstr(server, 'reply after FIN')).toBe(0);
    expect((await recvall(client, 15)).toString()).toBe('reply after FIN');
    expect(soshutdown(client, SHUT_WR)).toBe(0);
  });

  it('SHUT_RD discards unread data, sets SS_CANTRCVMORE, and later receives return 0 at once', async () => {
    const { client, server } = await tcpPair();
    expect(await sendstr(client, 'unread')).toBe(0);
    expect(await until(() => server.so_rcv.sb_cc === 6)).toBe(true);
    expect(soshutdown(server, SHUT_RD)).toBe(0);
    expect(server.so_state & SS_CANTRCVMORE).toBe(SS_CANTRCVMORE);
    expect(server.so_rcv.sb_cc).toBe(0);
    const r = await recvn(server, 10);
    expect(r.error).toBe(0);
    expect(r.data.length).toBe(0);
    expect(await sendstr(client, 'more, discarded')).toBe(0);
    await new Promise((res) => setTimeout(res, 20));
    expect(server.so_rcv.sb_cc).toBe(0);
  });

  it('SHUT_RD disposes of rights in the discarded data: a socket in flight is closed', async () => {
    const [a, b] = localPair(SOCK_STREAM);
    const [x] = localPair(SOCK_STREAM);
    const live = sostat.so_live;
    expect(await sosend(a, null, null, m_wrap(Buffer.from('fd')), scm_rights([x]), 0)).toBe(0);
    expect(x.so_count).toBe(2);
    expect(await soclose(x)).toBe(0); /* the sender's own reference */
    expect(x.so_count).toBe(1); /* still alive: in flight */
    expect(soshutdown(b, SHUT_RD)).toBe(0);
    expect(x.so_count).toBeLessThanOrEqual(0);
    expect(sostat.so_live).toBe(live - 1);
  });

  it('SHUT_RDWR does both; an invalid how is EINVAL', async () => {
    const { client, server } = await tcpPair();
    expect(soshutdown(client, SHUT_RDWR)).toBe(0);
    expect(client.so_state & (SS_CANTRCVMORE | SS_CANTSENDMORE)).toBe(SS_CANTRCVMORE | SS_CANTSENDMORE);
    expect((await recvn(server, 10)).data.length).toBe(0);
    for (const how of [3, -1, 1.5, NaN]) expect(soshutdown(client, how)).toBe(EINVAL);
    await soclose(client);
    expect(soshutdown(client, SHUT_WR)).toBe(EBADF);
  });

  it('after SHUT_WR, sosetopt(SO_SNDBUF) is EINVAL; after SHUT_RD, sosetopt(SO_RCVBUF) is EINVAL', async () => {
    const { client } = await tcpPair();
    expect(soshutdown(client, SHUT_WR)).toBe(0);
    expect(sosetopt(client, SOL_SOCKET, SO_SNDBUF, sooptint(32768))).toBe(EINVAL);
    expect(sosetopt(client, SOL_SOCKET, SO_RCVBUF, sooptint(32768))).toBe(0);
    expect(soshutdown(client, SHUT_RD)).toBe(0);
    expect(sosetopt(client, SOL_SOCKET, SO_RCVBUF, sooptint(32768))).toBe(EINVAL);
  });
});

describe('soclose', () => {
  it('soclose without SO_LINGER returns at once while the FIN goes out; SS_NOFDREF is set and every later call is EBADF', async () => {
    const { client, server } = await tcpPair();
    expect(await sendstr(client, 'bye')).toBe(0);
    const p = soclose(client);
    expect(client.so_state & SS_NOFDREF).toBe(SS_NOFDREF);
    expect(await p).toBe(0);
    expect((await recvall(server, 3)).toString()).toBe('bye');
    expect((await recvn(server, 10)).data.length).toBe(0);
    /* Every function rejects the closed socket the same way (the kernel would panic). */
    const nam: Ref<Mbuf | null> = { value: null };
    expect(await soclose(client)).toBe(EBADF);
    expect(await sobind(client, sockaddr_in('127.0.0.1', 0), proc0)).toBe(EBADF);
    expect(soconnect(client, sockaddr_in('127.0.0.1', 1))).toBe(EBADF);
    expect(await solisten(client, 1)).toBe(EBADF);
    expect(await soaccept(client, { value: null }, null)).toBe(EBADF);
    expect(soshutdown(client, SHUT_RDWR)).toBe(EBADF);
    expect(sosetopt(client, SOL_SOCKET, SO_SNDBUF, sooptint(1))).toBe(EBADF);
    expect(sogetopt(client, SOL_SOCKET, SO_SNDBUF, nam)).toBe(EBADF);
    expect(await sendstr(client, 'x')).toBe(EBADF);
    expect(await soreceive(client, null, uio_init(UIO_READ, [Buffer.alloc(1)]), null, null, null)).toBe(EBADF);
    expect(sosockaddr(client, nam)).toBe(EBADF);
    expect(sopeeraddr(client, nam)).toBe(EBADF);
    expect(soupcall_set(client, SO_RCV, () => SU_OK, null)).toBe(EBADF);
    expect(sopoll(client, 1)).toBe(POLLNVAL);
    expect(soconnect2(client, server)).toBe(EBADF);
  });

  it('SO_LINGER {1, 2} while the disconnect cannot complete (unsent data, zero window) waits out the 2 s and returns EWOULDBLOCK', async () => {
    const { client } = await tcpPair();
    await fillUntilBlocked(client);
    expect(sosetopt(client, SOL_SOCKET, SO_LINGER, sooptlinger(1, 2))).toBe(0);
    expect(await settlesAtTimer(() => soclose(client), 2000)).toBe(EWOULDBLOCK);
  });

  it('SO_LINGER {1, 5} returns as soon as the disconnect completes', async () => {
    const { client, server } = await tcpPair();
    expect(await sendstr(client, Buffer.alloc(100000))).toBe(0);
    expect(sosetopt(client, SOL_SOCKET, SO_LINGER, sooptlinger(1, 5))).toBe(0);
    const reading = recvall(server, 100000);
    expect(await soclose(client)).toBe(0); /* 0, not EWOULDBLOCK: the wait ended with the disconnect */
    expect((await reading).length).toBe(100000);
  });

  it('SO_LINGER {1, 0} is an abortive close: the peer sees ECONNRESET', async () => {
    const { client, server } = await tcpPair();
    expect(sosetopt(client, SOL_SOCKET, SO_LINGER, sooptlinger(1, 0))).toBe(0);
    expect(await soclose(client)).toBe(0);
    expect((await recvn(server, 10)).error).toBe(ECONNRESET);
  });

  it('with SO_LINGER set, a non-blocking close (MSG_DONTWAIT or SS_NBIO) does not wait', async () => {
    for (const nb of ['flag', 'nbio']) {
      const { client } = await tcpPair();
      await fillUntilBlocked(client);
      expect(sosetopt(client, SOL_SOCKET, SO_LINGER, sooptlinger(1, 30))).toBe(0);
      if (nb === 'nbio') client.so_state |= SS_NBIO;
      let done = false;
      const p = soclose(client, nb === 'flag' ? MSG_DONTWAIT : 0).then((e) => {
        done = true;
        return e;
      });
      await Promise.resolve();
      await Promise.resolve();
      expect(done).toBe(true);
      expect(await p).toBe(0);
    }
  });

  it('closing a listening socket aborts the connections still queued (the clients see a reset)', async () => {
    const { so: listener, port } = await tcpListener();
    const live = sostat.so_live;
    const clients: Socket[] = [];
    for (let i = 0; i < 3; i++) {
      const c = mkso(AF_INET, SOCK_STREAM);
      expect(soconnect(c, sockaddr_in('127.0.0.1', port))).toBe(0);
      await waitConnect(c);
      clients.push(c);
    }
    expect(await until(() => listener.so_qlen === 3)).toBe(true);
    expect(sostat.so_live).toBe(live + 6);
    expect(await soclose(listener)).toBe(0);
    expect(sostat.so_live).toBe(live + 2);
    for (const c of clients) {
      expect(await until(() => c.so_error !== 0 || (c.so_state & SS_CANTRCVMORE) !== 0)).toBe(true);
      expect((await recvn(c, 10)).error).toBe(ECONNRESET);
    }
  });

  it('soclose releases the host socket and the socket count returns to where it was', async () => {
    const live = sostat.so_live;
    const hosts = sostat.host_live;
    const { client, server, listener } = await tcpPair();
    const u = mkso(AF_INET, SOCK_DGRAM);
    expect(await sobind(u, sockaddr_in('127.0.0.1', 0), proc0)).toBe(0);
    const [a, b] = localPair(SOCK_DGRAM);
    expect(sostat.so_live).toBe(live + 6);
    for (const so of [client, server, listener, u, a, b]) expect(await soclose(so)).toBe(0);
    expect(sostat.so_live).toBe(live);
    expect(await hostsClosed(hosts)).toBe(true);
  });

  it('an AF_LOCAL pair: closing one end gives the other EOF, and its sends EPIPE', async () => {
    const [a, b] = localPair(SOCK_STREAM);
    expect(await sendstr(a, 'x')).toBe(0);
    expect(await soclose(a)).toBe(0);
    expect((await recvn(b, 10)).data.toString()).toBe('x');
    expect((await recvn(b, 10)).data.length).toBe(0);
    expect(await sendstr(b, 'y')).toBe(32 /* EPIPE */);
    const l = mkso(AF_LOCAL, SOCK_STREAM);
    expect(await soclose(l)).toBe(0);
  });
});
