/* kernel-sockets.md §7 behaviours 72-75 (upcalls, readiness) and BUG 4. */
import { describe, expect, it } from 'vitest';
import {
  AF_INET, EBADF, EINVAL, ECONNRESET, EWOULDBLOCK, M_DONTWAIT, MSG_WAITALL, POLLERR, POLLHUP, POLLIN,
  POLLOUT, POLLRDNORM, POLLWRNORM, SHUT_WR, SOCK_STREAM, SOL_SOCKET, SO_LINGER, SO_RCV, SO_RCVLOWAT, SO_SND,
  SS_CANTRCVMORE, SS_ISCONNECTED, SU_ISCONNECTED, SU_OK, UIO_READ, m_freem, m_tobuf, soaccept, soclose, soconnect,
  sockaddr_in, sooptint, sooptlinger, sopoll, soreadable, soreceive_nowait, sosetopt, soshutdown, soupcall_clear,
  soupcall_set, sowriteable, uio_init,
  uio_iovecs,
} from '../../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../../sockets/index.js';
import { fillUntilBlocked, mkso, portof, recvall, sendstr, tcpListener, tcpPair, track, until } from './helpers.js';

/* soreceive_nowait(flags, mp0) of up to n bytes: the errno and data, synchronously. */
function nbread(so: Socket, n: number, flags = 0): { error: number; data: string } {
  const uio = uio_init(UIO_READ, []);
  uio.uio_resid = n;
  const mp: Ref<Mbuf | null> = { value: null };
  const error = soreceive_nowait(so, null, uio, mp, null, { value: flags });
  const data = m_tobuf(mp.value).toString();
  m_freem(mp.value);
  return { error, data };
}

describe('upcalls', () => {
  it('the receive upcall runs synchronously at each read wakeup: connect completion, data, peer FIN, and error', async () => {
    const { so: lis, port } = await tcpListener();
    const so = mkso(AF_INET, SOCK_STREAM);
    const seen: string[] = [];
    const reads: string[] = [];
    expect(soupcall_set(so, SO_RCV, (s: Socket, arg: unknown, waitflag: number) => {
      expect(arg).toBe('cookie');
      expect(waitflag).toBe(M_DONTWAIT);
      if (s.so_error) seen.push(`error:${s.so_error}`);
      else if (s.so_rcv.sb_cc > 0) {
        seen.push('data');
        /* Consume inside the upcall, without waiting: the data is already there. */
        const uio = uio_init(UIO_READ, [Buffer.alloc(100)]);
        const buf = uio_iovecs(uio)[0]!.iov_base;
        expect(soreceive_nowait(s, null, uio, null, null, null)).toBe(0);
        reads.push(buf.subarray(0, 100 - uio.uio_resid).toString());
      } else if (s.so_state & SS_CANTRCVMORE) seen.push('fin');
      else if (s.so_state & SS_ISCONNECTED) seen.push('connected');
      return SU_OK;
    }, 'cookie')).toBe(0);
    expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
    expect(await until(() => seen.includes('connected'))).toBe(true);
    const a: Ref<Socket | null> = { value: null };
    expect(await soaccept(lis, a, null)).toBe(0);
    const server = track(a.value!);
    expect(await sendstr(server, 'hello upcall')).toBe(0);
    expect(await until(() => reads.join('') === 'hello upcall')).toBe(true);
    expect(soshutdown(server, SHUT_WR)).toBe(0);
    expect(await until(() => seen.includes('fin'))).toBe(true);
    expect(seen.indexOf('connected')).toBeLessThan(seen.indexOf('data'));
    expect(seen.indexOf('data')).toBeLessThan(seen.indexOf('fin'));
    /* An error is a read wakeup too. */
    const p2 = await tcpPair();
    const errs: number[] = [];
    expect(soupcall_set(p2.server, SO_RCV, (s: Socket) => {
      if (s.so_error) errs.push(s.so_error);
      return SU_OK;
    }, null)).toBe(0);
    expect(sosetopt(p2.client, SOL_SOCKET, SO_LINGER, sooptlinger(1, 0))).toBe(0);
    expect(await soclose(p2.client)).toBe(0);
    expect(await until(() => errs.length > 0)).toBe(true);
    expect(errs[0]).toBe(ECONNRESET);
  });

  it('inside an upcall, soreceive(MSG_DONTWAIT | MSG_WAITALL, mp0) of a 4-byte mark is EWOULDBLOCK with 2 bytes buffered, and never waits', async () => {
    const { client, server } = await tcpPair();
    const results: string[] = [];
    expect(soupcall_set(server, SO_RCV, (s: Socket) => {
      const r = nbread(s, 4, MSG_WAITALL);
      results.push(r.error === 0 ? `mark:${r.data}` : `e${r.error}`);
      return SU_OK;
    }, null)).toBe(0);
    expect(await sendstr(client, 'ab')).toBe(0);
    expect(await until(() => results.length === 1)).toBe(true);
    expect(results[0]).toBe(`e${EWOULDBLOCK}`);
    expect(server.so_rcv.sb_cc).toBe(2); /* nothing consumed */
    expect(await sendstr(client, 'cd')).toBe(0);
    expect(await until(() => results.length === 2)).toBe(true);
    expect(results[1]).toBe('mark:abcd');
    /* Without MSG_WAITALL, MSG_DONTWAIT takes what is there. */
    soupcall_clear(server, SO_RCV);
    expect(await sendstr(client, 'xy')).toBe(0);
    expect(await until(() => server.so_rcv.sb_cc === 2)).toBe(true);
    expect(nbread(server, 4).data).toBe('xy');
  });

  it('after soupcall_clear the upcall is never called again, even while data keeps arriving', async () => {
    const { client, server } = await tcpPair();
    let calls = 0;
    let cleared = false;
    let afterClear = 0;
    expect(soupcall_set(server, SO_RCV, () => {
      calls++;
      if (cleared) afterClear++;
      return SU_OK;
    }, null)).toBe(0);
    const sending = (async () => {
      for (let i = 0; i < 200; i++) {
        expect(await sendstr(client, 'tick')).toBe(0);
        if (i === 50) {
          expect(soupcall_clear(server, SO_RCV)).toBe(0);
          cleared = true;
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    await sending;
    expect((await recvall(server, 800)).length).toBe(800);
    expect(calls).toBeGreaterThan(0);
    expect(afterClear).toBe(0);
    /* Clearing from inside the upcall: no further calls either. */
    let inner = 0;
    expect(soupcall_set(server, SO_RCV, (s: Socket) => {
      inner++;
      soupcall_clear(s, SO_RCV);
      return SU_OK;
    }, null)).toBe(0);
    expect(await sendstr(client, 'one')).toBe(0);
    expect(await sendstr(client, 'two')).toBe(0);
    expect(await until(() => server.so_rcv.sb_cc === 6)).toBe(true);
    expect(inner).toBe(1);
  });

  it('the send upcall runs when the host has taken queued bytes (space freed); SU_ISCONNECTED from a receive upcall removes it', async () => {
    const { client, server } = await tcpPair();
    let sndcalls = 0;
    expect(soupcall_set(client, SO_SND, (s: Socket) => {
      if (s.so_snd.sb_cc === 0) sndcalls++;
      return SU_OK;
    }, null)).toBe(0);
    expect(await sendstr(client, 'x')).toBe(0);
    expect(await until(() => sndcalls > 0)).toBe(true);
    let rcalls = 0;
    expect(soupcall_set(server, SO_RCV, () => {
      rcalls++;
      return SU_ISCONNECTED;
    }, null)).toBe(0);
    expect(await sendstr(client, 'y')).toBe(0);
    expect(await sendstr(client, 'z')).toBe(0);
    expect(await until(() => server.so_rcv.sb_cc === 3)).toBe(true); /* 'x' from above, 'y', 'z' */
    expect(rcalls).toBe(1);
    expect(server.so_rcv.sb_upcall).toBeNull();
  });

  it('soupcall_set / soupcall_clear reject bad arguments with errnos', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(soupcall_set(so, 0, () => SU_OK, null)).toBe(EINVAL);
    expect(soupcall_set(so, 4, () => SU_OK, null)).toBe(EINVAL);
    expect(soupcall_set(so, SO_RCV, null as never, null)).toBe(EINVAL);
    expect(soupcall_clear(so, 7)).toBe(EINVAL);
    expect(soupcall_set(so, SO_RCV | SO_SND, () => SU_OK, null)).toBe(0);
    expect(soupcall_clear(so, SO_RCV | SO_SND)).toBe(0);
    expect(soupcall_clear(so, SO_RCV)).toBe(0);
    await soclose(so);
    expect(soupcall_set(so, SO_RCV, () => SU_OK, null)).toBe(EBADF);
  });
});

describe('readiness', () => {
  it('soreadable follows sb_cc ≥ sb_lowat, EOF, queued connections and so_error; sopoll reports POLLIN accordingly', async () => {
    const { client, server, listener } = await tcpPair();
    expect(soreadable(server)).toBe(false);
    expect(sopoll(server, POLLIN | POLLRDNORM)).toBe(0);
    expect(sosetopt(server, SOL_SOCKET, SO_RCVLOWAT, sooptint(4))).toBe(0);
    expect(await sendstr(client, 'ab')).toBe(0);
    expect(await until(() => server.so_rcv.sb_cc === 2)).toBe(true);
    expect(soreadable(server)).toBe(false);
    expect(await sendstr(client, 'cd')).toBe(0);
    expect(await until(() => soreadable(server))).toBe(true);
    expect(sopoll(server, POLLIN | POLLRDNORM)).toBe(POLLIN | POLLRDNORM);
    await recvall(server, 4);
    expect(soreadable(server)).toBe(false);
    expect(soshutdown(client, SHUT_WR)).toBe(0);
    expect(await until(() => soreadable(server))).toBe(true);
    /* a listener is readable when a connection is queued */
    expect(soreadable(listener)).toBe(false);
    const c2 = mkso(AF_INET, SOCK_STREAM);
    expect(soconnect(c2, sockaddr_in('127.0.0.1', portof(listener)))).toBe(0);
    expect(await until(() => soreadable(listener))).toBe(true);
    server.so_error = ECONNRESET;
    expect(sopoll(server, POLLIN) & POLLERR).toBe(POLLERR);
    server.so_error = 0;
  });

  it('sowriteable follows free space ≥ sb_lowat while connected; POLLHUP replaces POLLOUT once disconnected', async () => {
    const unconnected = mkso(AF_INET, SOCK_STREAM);
    expect(sowriteable(unconnected)).toBe(false);
    const { client, server } = await tcpPair();
    expect(sowriteable(client)).toBe(true);
    expect(sopoll(client, POLLOUT | POLLWRNORM)).toBe(POLLOUT | POLLWRNORM);
    await fillUntilBlocked(client);
    expect(sowriteable(client)).toBe(false);
    expect(sopoll(client, POLLOUT)).toBe(0);
    expect(sosetopt(server, SOL_SOCKET, SO_LINGER, sooptlinger(1, 0))).toBe(0);
    expect(await soclose(server)).toBe(0);
    expect(await until(() => (sopoll(client, POLLOUT) & POLLHUP) !== 0)).toBe(true);
    expect(sopoll(client, POLLOUT) & POLLOUT).toBe(0);
    expect(sowriteable(client)).toBe(true); /* CANTSENDMORE / so_error: a send would not block */
  });
});

