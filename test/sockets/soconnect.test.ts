/* kernel-sockets.md §7 behaviours 9-17 (soconnect, sodisconnect) and BUG 2. */
import { describe, expect, it } from 'vitest';
import {
  AF_INET, AF_INET6, EAFNOSUPPORT, EADDRNOTAVAIL, EALREADY, EBADF, ECONNREFUSED, ECONNRESET, EINVAL, EISCONN,
  ENOTCONN, EOPNOTSUPP, EWOULDBLOCK, PSOCK, SO_RCV, SOCK_DGRAM, SOCK_STREAM, SS_CANTRCVMORE, SS_CANTSENDMORE,
  SS_ISCONNECTED, SS_ISCONNECTING, SS_ISDISCONNECTED, SS_ISDISCONNECTING, SU_OK, hz, m_get, MT_SONAME, soclose,
  soconnect, soconnect_wait, sodisconnect, sockaddr_in, sockaddr_in6, sockaddr_un, soupcall_set, sostat, tsleep,
} from '../../sockets/index.js';
import type { Socket } from '../../sockets/index.js';
import { closedPort, mkso, recvn, sendstr, stuckPort, tcpListener, tcpPair, udpSocket, until } from './helpers.js';

describe('soconnect (TCP)', () => {
  it('soconnect to a listener returns 0 at once with SS_ISCONNECTING; the so_timeo waiter wakes connected, after the receive upcall ran', async () => {
    const { port } = await tcpListener();
    const so = mkso(AF_INET, SOCK_STREAM);
    let upcalls = 0;
    let connectedInUpcall = false;
    expect(soupcall_set(so, SO_RCV, (s: Socket) => {
      upcalls++;
      connectedInUpcall ||= (s.so_state & SS_ISCONNECTED) !== 0;
      return SU_OK;
    }, null)).toBe(0);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    expect(so.so_state & SS_ISCONNECTING).toBe(SS_ISCONNECTING);
    expect(so.so_state & SS_ISCONNECTED).toBe(0);
    expect(await tsleep(so.so_timeo, PSOCK, 'conn', 10 * hz)).toBe(0);
    expect(so.so_state & SS_ISCONNECTING).toBe(0);
    expect(so.so_state & SS_ISCONNECTED).toBe(SS_ISCONNECTED);
    expect(upcalls).toBeGreaterThanOrEqual(1);
    expect(connectedInUpcall).toBe(true);
  });

  it('soconnect to a closed port leaves ECONNREFUSED in so_error and clears SS_ISCONNECTING', async () => {
    const port = await closedPort();
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    expect(so.so_state & SS_ISCONNECTING).toBeTruthy();
    expect(await tsleep(so.so_timeo, PSOCK, 'conn', 10 * hz)).toBe(0);
    expect(so.so_error).toBe(ECONNREFUSED);
    expect(so.so_state & SS_ISCONNECTING).toBe(0);
    const gone = SS_CANTRCVMORE | SS_CANTSENDMORE | SS_ISDISCONNECTED;
    expect(so.so_state & gone).toBe(gone);
    expect(await soconnect_wait(so, hz)).toBe(ECONNREFUSED);
    expect(so.so_error).toBe(0);
  });

  it('a second soconnect while connecting, or once connected, is EISCONN (not EALREADY)', async () => {
    const { port } = await tcpListener();
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(EISCONN);
    expect(await soconnect_wait(so, 10 * hz)).toBe(0);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(EISCONN);
  });

  it('soconnect on a listening socket is EOPNOTSUPP', async () => {
    const { so, port } = await tcpListener();
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(EOPNOTSUPP);
  });

  it('soconnect to INADDR_ANY, broadcast or multicast is EINVAL synchronously with SS_ISCONNECTING clear (BUG 2)', () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    for (const host of ['0.0.0.0', '255.255.255.255', '224.0.0.1']) {
      expect(soconnect(so, sockaddr_in(host, 2049))).toBe(EINVAL);
      expect(so.so_state & SS_ISCONNECTING).toBe(0);
    }
    const so6 = mkso(AF_INET6, SOCK_STREAM);
    expect(soconnect(so6, sockaddr_in6('::', 2049))).toBe(EINVAL);
    expect(soconnect(so6, sockaddr_in6('ff02::1', 2049))).toBe(EINVAL);
    expect(soconnect(so, sockaddr_in('127.0.0.1', 0))).toBe(EADDRNOTAVAIL);
    expect(so.so_state & SS_ISCONNECTING).toBe(0);
    expect(sostat.host_live).toBeGreaterThanOrEqual(0);
  });

  it('soconnect rejects bad addresses with EINVAL / EAFNOSUPPORT, and a closed socket with EBADF', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    const short = m_get(0, MT_SONAME);
    short.m_len = 0;
    expect(soconnect(so, short)).toBe(EINVAL);
    expect(soconnect(so, null as never)).toBe(EINVAL);
    expect(soconnect(so, sockaddr_in6('::1', 1))).toBe(EAFNOSUPPORT);
    expect(soconnect(so, sockaddr_un('/tmp/nowhere'))).toBe(EAFNOSUPPORT);
    expect(so.so_state & SS_ISCONNECTING).toBe(0);
    await soclose(so);
    expect(soconnect(so, sockaddr_in('127.0.0.1', 1))).toBe(EBADF);
  });

  it('waiting on so_timeo with a timeout while the connect is pending returns EWOULDBLOCK each period; abandoning restores a consistent state and soclose succeeds', async () => {
    const port = await stuckPort();
    const so = mkso(AF_INET, SOCK_STREAM);
    const hosts = sostat.host_live;
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    for (let i = 0; i < 2; i++) {
      expect(await tsleep(so.so_timeo, PSOCK, 'conn', hz / 5)).toBe(EWOULDBLOCK);
      expect(so.so_state & SS_ISCONNECTING).toBe(SS_ISCONNECTING);
    }
    expect(await soconnect_wait(so, hz / 5)).toBe(EWOULDBLOCK);
    expect(so.so_state & (SS_ISCONNECTING | SS_ISCONNECTED)).toBe(0);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(EINVAL);
    expect(await soclose(so)).toBe(0);
    expect(await until(() => sostat.host_live === hosts)).toBe(true);
  });

  it('soclose of a socket still connecting succeeds and releases the host socket', async () => {
    const port = await stuckPort();
    const so = mkso(AF_INET, SOCK_STREAM);
    const hosts = sostat.host_live;
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    expect(sostat.host_live).toBe(hosts + 1);
    expect(await soclose(so)).toBe(0);
    expect(await until(() => sostat.host_live === hosts)).toBe(true);
  });

  it('a stale so_error does not leak into a new connect attempt', async () => {
    const { port } = await tcpListener();
    const so = mkso(AF_INET, SOCK_STREAM);
    so.so_error = ECONNRESET; /* left over from an earlier failure */
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    expect(so.so_error).toBe(0);
    expect(await soconnect_wait(so, 10 * hz)).toBe(0);
  });
});

describe('soconnect (UDP)', () => {
  it('UDP soconnect completes synchronously; connecting again to another address succeeds', async () => {
    const a = await udpSocket();
    const b = await udpSocket();
    const so = mkso(AF_INET, SOCK_DGRAM);
    expect(soconnect(so, sockaddr_in('127.0.0.1', a.port))).toBe(0);
    expect(so.so_state & SS_ISCONNECTED).toBe(SS_ISCONNECTED);
    expect(soconnect(so, sockaddr_in('127.0.0.1', b.port))).toBe(0);
    expect(so.so_state & SS_ISCONNECTED).toBe(SS_ISCONNECTED);
    expect(await sendstr(so, 'to-b')).toBe(0);
    const r = await recvn(b.so, 100);
    expect(r.error).toBe(0);
    expect(r.data.toString()).toBe('to-b');
    expect(await recvn(a.so, 100, 0x80 /* MSG_DONTWAIT */)).toMatchObject({ error: EWOULDBLOCK });
  });

  it('a stale ECONNREFUSED from ICMP does not survive a new UDP soconnect', async () => {
    const port = await closedPort();
    const so = mkso(AF_INET, SOCK_DGRAM);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    /* The first datagram may go out before the host socket is connected; keep sending until refused. */
    expect(await until(() => {
      if (so.so_error === ECONNREFUSED) return true;
      void sendstr(so, 'x', 0x80);
      return false;
    })).toBe(true);
    const b = await udpSocket();
    expect(soconnect(so, sockaddr_in('127.0.0.1', b.port))).toBe(0);
    expect(so.so_error).toBe(0);
  });
});

describe('sodisconnect', () => {
  it('sodisconnect on an unconnected socket is ENOTCONN; while disconnecting it is EALREADY', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(sodisconnect(so)).toBe(ENOTCONN);
    const { client } = await tcpPair();
    expect(sodisconnect(client)).toBe(0);
    expect(client.so_state & SS_ISDISCONNECTING).toBeTruthy();
    expect(client.so_state & SS_ISCONNECTED).toBe(SS_ISCONNECTED);
    expect(sodisconnect(client)).toBe(EALREADY);
    expect(await until(() => (client.so_state & SS_ISCONNECTED) === 0)).toBe(true);
    expect(sodisconnect(client)).toBe(ENOTCONN);
  });
});
