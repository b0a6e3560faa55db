/*
 * The porting kit's socket calls with the kernel's signatures: soreserve and sbreserve (2009 and
 * today's), soreceive's controllen, today's sosetopt and sogetopt (sonfs/sockets/current),
 * pru_send, and addr() for `&obj->field` as out-parameter and wait channel.
 */
import { describe, expect, it } from 'vitest';
import {
  AF_INET, EBADF, EINVAL, EMSGSIZE, ENOBUFS, IPPROTO_TCP, MGET, MSG_WAITALL, MT_DATA, MT_SOOPTS, M_WAIT, PSOCK,
  SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, SOL_SOCKET, SO_KEEPALIVE, SO_RCVBUF, SO_SNDBUF, TCP_NODELAY, UIO_READ, Uio,
  addr, cmsg_parse, int32_t, m_bytes, m_freem, m_wrap, mbstat, mtod, pru_send, sbreserve, scm_rights, sizeof, soclose,
  soconnect, socreate, sockaddr_in, sogetopt, soreceive, soreserve, sosend, sosetopt as sosetopt2009, sostat, tsleep,
  uio_init, wakeup,
} from '../../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../../sockets/index.js';
import { sosetopt } from '../../sockets/current.js';
import { localPair, mkso, recvn, tcpPair, track, udpSocket } from './helpers.js';

describe('soreserve and sbreserve', () => {
  it('soreserve(so, sndcc, rcvcc) sizes both buffers within so_sbmax', () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(soreserve(so, 40000, 50000)).toBe(0);
    expect(so.so_snd.sb_hiwat).toBe(40000);
    expect(so.so_rcv.sb_hiwat).toBe(50000);
    expect(soreserve(so, so.so_sbmax + 1, 1000)).toBe(ENOBUFS);
    expect(soreserve(so, 0, 1000)).toBe(ENOBUFS);
    so.so_sbmax *= 4;
    expect(soreserve(so, so.so_sbmax, so.so_sbmax)).toBe(0);
  });

  it('sbreserve takes today\'s (so, sb, cc) and 2009\'s (sb, cc): 0, or 1 when refused', () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(sbreserve(so, so.so_rcv, 12345)).toBe(0);
    expect(so.so_rcv.sb_hiwat).toBe(12345);
    expect(sbreserve(so.so_snd, 23456)).toBe(0);
    expect(so.so_snd.sb_hiwat).toBe(23456);
    expect(sbreserve(so.so_snd, so.so_sbmax + 1)).toBe(1);
    expect(sbreserve(so, so.so_snd, 0)).toBe(1);
    const other = mkso(AF_INET, SOCK_STREAM);
    expect(sbreserve(so, other.so_rcv, 1000)).toBe(1); /* not a buffer of so */
    so.so_sbmax *= 2;
    expect(sbreserve(so.so_rcv, so.so_sbmax)).toBe(0); /* the 2009 form follows the socket's so_sbmax too */
  });
});

describe("soreceive's controllen", () => {
  it('with room for the rights passes them; with 0 (a kernel caller) disposes of them: EMSGSIZE, no data', async () => {
    const [a, b] = localPair(SOCK_SEQPACKET);
    const [x] = localPair(SOCK_STREAM);
    const recv = async (controllen: number): Promise<{ error: number; data: string; control: Mbuf | null }> => {
      const buf = Buffer.alloc(64);
      const uio = uio_init(UIO_READ, [buf]);
      const controlp: Ref<Mbuf | null> = { value: null };
      const error = await soreceive(b, null, uio, null, controlp, { value: 0 }, controllen);
      return { error, data: buf.subarray(0, 64 - uio.uio_resid).toString(), control: controlp.value };
    };
    expect(await sosend(a, null, null, m_wrap(Buffer.from('one')), scm_rights([x]), 0)).toBe(0);
    const ok = await recv(16 + 4);
    expect(ok.error).toBe(0);
    expect(ok.data).toBe('one');
    expect(cmsg_parse(ok.control)[0]!.sockets).toEqual([x]);
    m_freem(ok.control);
    expect(x.so_count).toBe(2);
    expect(await soclose(x)).toBe(0); /* the reference received */

    const live = sostat.so_live;
    expect(await sosend(a, null, null, m_wrap(Buffer.from('two')), scm_rights([x]), 0)).toBe(0);
    expect(await soclose(x)).toBe(0); /* the sender's: only the one in flight is left */
    const refused = await recv(0);
    expect(refused.error).toBe(EMSGSIZE);
    expect(refused.data).toBe('');
    expect(cmsg_parse(refused.control)[0]!.sockets ?? []).toEqual([]);
    m_freem(refused.control);
    expect(x.so_count).toBeLessThanOrEqual(0); /* disposed: closed */
    expect(sostat.so_live).toBe(live - 1);

    expect(await sosend(a, null, null, m_wrap(Buffer.from('three')), null, 0)).toBe(0);
    expect((await recv(0)).data).toBe('three'); /* nothing to bound: 0 is fine */
  });

  it('is accepted on a stream read by a kernel caller, and a bad one is EINVAL', async () => {
    const { client, server } = await tcpPair();
    expect(await sosend(client, null, null, m_wrap(Buffer.from('abcd')), null, 0)).toBe(0);
    const buf = Buffer.alloc(4);
    expect(await soreceive(server, null, uio_init(UIO_READ, [buf]), null, null, { value: MSG_WAITALL }, 0)).toBe(0);
    expect(buf.toString()).toBe('abcd');
    expect(await soreceive(server, null, uio_init(UIO_READ, [buf]), null, null, null, -1)).toBe(EINVAL);
    expect(await soreceive(server, null, uio_init(UIO_READ, [buf]), null, null, null, 1.5)).toBe(EINVAL);
  });
});

describe("today's option calls (sonfs/sockets/current)", () => {
  it('sosetopt leaves the mbuf with the caller, who sets another value in it and frees it; nothing leaks', () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    const before = mbstat.m_alloc - mbstat.m_freed;
    const mopt = MGET(M_WAIT, MT_SOOPTS);
    mtod(mopt, int32_t)[0] = 1;
    mopt.m_len = sizeof(int32_t);
    expect(sosetopt(so, SOL_SOCKET, SO_KEEPALIVE, mopt)).toBe(0);
    mtod(mopt, int32_t)[0] = 1;
    mopt.m_len = sizeof(int32_t);
    expect(sosetopt(so, IPPROTO_TCP, TCP_NODELAY, mopt)).toBe(0);
    mtod(mopt, int32_t)[0] = 20000;
    expect(sosetopt(so, SOL_SOCKET, SO_SNDBUF, mopt)).toBe(0);
    expect(so.so_snd.sb_hiwat).toBe(20000);
    m_freem(mopt);
    expect(mbstat.m_alloc - mbstat.m_freed).toBe(before);
    const freed = MGET(M_WAIT, MT_SOOPTS);
    m_freem(freed);
    expect(sosetopt(so, SOL_SOCKET, SO_KEEPALIVE, freed)).toBe(EINVAL);
  });

  it("the 2009 sosetopt still consumes its mbuf", () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    const before = mbstat.m_alloc - mbstat.m_freed;
    const m = MGET(M_WAIT, MT_SOOPTS);
    mtod(m, int32_t)[0] = 1;
    m.m_len = 4;
    expect(sosetopt2009(so, SOL_SOCKET, SO_KEEPALIVE, m)).toBe(0);
    expect(mbstat.m_alloc - mbstat.m_freed).toBe(before);
  });

  it('sogetopt given an mbuf fills it; given a Ref it allocates one', () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(soreserve(so, 30000, 31000)).toBe(0);
    const m = MGET(M_WAIT, MT_SOOPTS);
    expect(sogetopt(so, SOL_SOCKET, SO_RCVBUF, m)).toBe(0);
    expect(m.m_len).toBe(4);
    expect(mtod(m, int32_t)[0]).toBe(31000);
    expect(sogetopt(so, SOL_SOCKET, 0x7777, m)).not.toBe(0);
    m_freem(m);
    const mp: Ref<Mbuf | null> = { value: null };
    expect(sogetopt(so, SOL_SOCKET, SO_SNDBUF, mp)).toBe(0);
    expect(m_bytes(mp.value!).readInt32LE(0)).toBe(30000);
    m_freem(mp.value);
    expect(sogetopt(so, SOL_SOCKET, SO_SNDBUF, m_wrap(Buffer.alloc(4)))).toBe(EINVAL); /* read-only storage */
  });
});

describe('pru_send', () => {
  it("hands a datagram straight to the protocol, and frees it for a closed socket", async () => {
    const { so: peer, port } = await udpSocket();
    const so = mkso(AF_INET, SOCK_DGRAM);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    expect(pru_send(so, m_wrap(Buffer.from('timer')), null, null)).toBe(0);
    expect((await recvn(peer, 100)).data.toString()).toBe('timer');
    const before = mbstat.m_alloc - mbstat.m_freed;
    const gone = mkso(AF_INET, SOCK_DGRAM);
    expect(await soclose(gone)).toBe(0);
    const m = MGET(M_WAIT, MT_DATA);
    expect(pru_send(gone, m, null, null)).toBe(EBADF);
    expect(mbstat.m_alloc - mbstat.m_freed).toBe(before);
  });
});

describe('addr: &obj->field', () => {
  it('is an out-parameter (socreate into a structure field) and always the same wait channel for the same field', async () => {
    const nmp = { nm_so: null as Socket | null, nm_flag: 0 };
    expect(socreate(AF_INET, addr(nmp, 'nm_so'), SOCK_STREAM, 0)).toBe(0);
    track(nmp.nm_so);
    expect(nmp.nm_so).not.toBeNull();
    const flagp = addr(nmp, 'nm_flag');
    expect(addr(nmp, 'nm_flag')).toBe(flagp);
    flagp.value |= 0x10;
    expect(nmp.nm_flag).toBe(0x10);
    const sleeping = tsleep(flagp, PSOCK, 'flag', 0);
    wakeup(addr(nmp, 'nm_flag'));
    expect(await sleeping).toBe(0);
    expect(() => addr(nmp.nm_so!, 'so_timeo')).toThrow(/wait channel/);
    expect(() => addr(nmp.nm_so!, 'so_rcv')).toThrow(/wait channel/);
  });

  it('walks a chain as a pointer to a pointer (pm = &m->m_next)', () => {
    const a = m_wrap(Buffer.from('a'));
    a.m_next = m_wrap(Buffer.from('b'));
    let pm: Ref<Mbuf | null> = { value: a };
    let n = 0;
    while (pm.value !== null) {
      n++;
      pm = addr(pm.value, 'm_next');
    }
    expect(n).toBe(2);
    pm.value = m_wrap(Buffer.from('c'));
    expect(a.m_next!.m_next).toBe(pm.value);
    m_freem(a);
  });
});

describe('Uio and Iovec as declared structures', () => {
  it('a zero-filled struct uio, its fields then assigned, reads from a socket', async () => {
    const { client, server } = await tcpPair();
    expect(await sosend(client, null, null, m_wrap(Buffer.from('xyz')), null, 0)).toBe(0);
    const auio = new Uio();
    expect(auio.uio_resid).toBe(0);
    auio.uio_iov = [{ iov_base: Buffer.alloc(3), iov_len: 3 }];
    auio.uio_iovcnt = 1;
    auio.uio_rw = UIO_READ;
    auio.uio_resid = 3;
    const base = (auio.uio_iov as { iov_base: Buffer }[])[0]!.iov_base;
    expect(await soreceive(server, null, auio, null, null, { value: MSG_WAITALL }, 0)).toBe(0);
    expect(base.toString()).toBe('xyz');
  });
});
