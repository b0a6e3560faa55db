/* Listener and address functions' bad input, UDP buffer limits and options applied to the host. */
import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import {
  AF_INET, AF_LOCAL, EBADF, EINVAL, ENOTCONN, EOPNOTSUPP, EWOULDBLOCK, MSG_DONTWAIT, SOCK_DGRAM, SOCK_STREAM,
  SOL_SOCKET, SO_RCVBUF, SO_REUSEADDR, SS_NBIO, m_freem, proc0, sobind, soaccept, soclose, sockaddr_in,
  sockaddr_parse, solisten, sooptint, sopeeraddr, sosetopt, sosockaddr, soconnect,
} from '../../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../../sockets/index.js';
import { mkso, portof, sendstr, tcpListener, tcpPair, udpSocket, until, waitConnect } from './helpers.js';

describe('solisten / soaccept / address queries', () => {
  it('solisten: EOPNOTSUPP on datagram sockets, EINVAL when connected or for a non-integer backlog, EBADF when closed', async () => {
    const u = mkso(AF_INET, SOCK_DGRAM);
    expect(await solisten(u, 5)).toBe(EOPNOTSUPP);
    const { client } = await tcpPair();
    expect(await solisten(client, 5)).toBe(EINVAL);
    const t = mkso(AF_INET, SOCK_STREAM);
    expect(await solisten(t, 1.5)).toBe(EINVAL);
    expect(await solisten(t, -1)).toBe(0); /* negative: somaxconn */
    expect(t.so_qlimit).toBe(128);
    await soclose(t);
    expect(await solisten(t, 5)).toBe(EBADF);
  });

  it('soaccept: EINVAL if not listening or aso is null; EWOULDBLOCK with MSG_DONTWAIT or SS_NBIO and nothing queued; returns the peer address', async () => {
    const t = mkso(AF_INET, SOCK_STREAM);
    expect(await soaccept(t, { value: null }, null)).toBe(EINVAL);
    const { so: l, port } = await tcpListener();
    expect(await soaccept(l, null as never, null)).toBe(EINVAL);
    expect(await soaccept(l, { value: null }, null, MSG_DONTWAIT)).toBe(EWOULDBLOCK);
    l.so_state |= SS_NBIO;
    expect(await soaccept(l, { value: null }, null)).toBe(EWOULDBLOCK);
    l.so_state &= ~SS_NBIO;
    const c = mkso(AF_INET, SOCK_STREAM);
    expect(soconnect(c, sockaddr_in('127.0.0.1', port))).toBe(0);
    await waitConnect(c);
    const a: Ref<Socket | null> = { value: null };
    const nam: Ref<Mbuf | null> = { value: null };
    expect(await soaccept(l, a, nam)).toBe(0);
    expect(sockaddr_parse(nam.value)).toEqual({ family: AF_INET, address: '127.0.0.1', port: portof(c) });
    m_freem(nam.value);
    await soclose(a.value!);
  });

  it('soaccept waiting when its listener is closed returns EBADF instead of hanging', async () => {
    const { so: l } = await tcpListener();
    const waiting = soaccept(l, { value: null }, null);
    await new Promise((r) => setTimeout(r, 10));
    await soclose(l);
    expect(await waiting).toBe(EBADF);
  });

  it('sosockaddr / sopeeraddr: null out-parameter EINVAL, unconnected peer ENOTCONN', () => {
    const t = mkso(AF_INET, SOCK_STREAM);
    expect(sosockaddr(t, null as never)).toBe(EINVAL);
    expect(sopeeraddr(t, { value: null })).toBe(ENOTCONN);
    const r: Ref<Mbuf | null> = { value: null };
    expect(sosockaddr(t, r)).toBe(0);
    expect(sockaddr_parse(r.value)).toEqual({ family: AF_INET, address: '0.0.0.0', port: 0 });
    m_freem(r.value);
    const l = mkso(AF_LOCAL, SOCK_STREAM);
    expect(sosockaddr(l, r)).toBe(0);
    expect(sockaddr_parse(r.value)).toEqual({ family: AF_LOCAL, path: '' });
    m_freem(r.value);
  });
});

describe('UDP buffers and host options', () => {
  it('datagrams that do not fit so_rcv are dropped (sbappendaddr) and counted; the buffer never exceeds sb_hiwat', async () => {
    const a = await udpSocket();
    const b = await udpSocket();
    const dg = Buffer.alloc(1000);
    for (let i = 0; i < 100; i++) expect(await sendstr(a.so, dg, 0, sockaddr_in('127.0.0.1', b.port))).toBe(0);
    expect(await until(() => b.so.so_rcv.sb_drops > 0)).toBe(true);
    expect(b.so.so_rcv.sb_cc).toBeLessThanOrEqual(b.so.so_rcv.sb_hiwat);
  });

  it('SO_REUSEADDR set before the first bind lets two UDP sockets share a port (given to the host at creation)', async () => {
    const a = mkso(AF_INET, SOCK_DGRAM);
    const b = mkso(AF_INET, SOCK_DGRAM);
    for (const so of [a, b]) expect(sosetopt(so, SOL_SOCKET, SO_REUSEADDR, sooptint(1))).toBe(0);
    expect(await sobind(a, sockaddr_in('127.0.0.1', 0), proc0)).toBe(0);
    expect(await sobind(b, sockaddr_in('127.0.0.1', portof(a)), proc0)).toBe(0);
  });

  it('SO_RCVBUF on a bound UDP socket is applied to the host socket too', async () => {
    const { so } = await udpSocket();
    expect(sosetopt(so, SOL_SOCKET, SO_RCVBUF, sooptint(200000))).toBe(0);
    const host = (so.so_pcb as { sock: dgram.Socket }).sock;
    expect(host.getRecvBufferSize()).toBeGreaterThanOrEqual(200000);
  });
});
