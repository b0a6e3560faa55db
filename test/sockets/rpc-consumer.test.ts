/*
 * kernel-sockets.md §7 behaviours 76-78: what an RPC/NFS client does with the layer — record-
 * marked request chains, record reads in two steps, and recovery from a reset mid-call.
 */
import { describe, expect, it } from 'vitest';
import {
  AF_INET, ECONNRESET, IPPROTO_TCP, M_COPYALL, M_PKTHDR, M_PREPEND, M_WAIT, MSG_WAITALL, MT_DATA, MT_FREE, SHUT_RDWR,
  SOCK_STREAM, SOL_SOCKET, SO_LINGER, TCP_NODELAY, UIO_READ, m_copydata, m_copym, m_freem, m_gethdr, m_length, m_tobuf,
  m_wrap, mtod, hz, soclose, soconnect, soconnect_wait, sockaddr_in, sooptint, sooptlinger, soreceive, sosend,
  sosetopt, soshutdown, uio_init, soaccept,
} from '../../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../../sockets/index.js';
import { mkso, recvall, sendstr, tcpListener, tcpPair, track } from './helpers.js';

/* A record-marked request: header mbuf (xid) + payload mbuf, mark prepended (nfs_request). */
function request(xid: number, payload: Buffer): Mbuf {
  const h = m_gethdr(M_WAIT, MT_DATA);
  h.m_data = 64;
  h.m_len = 4;
  mtod(h).writeUInt32BE(xid, 0);
  const p = m_wrap(payload);
  p.m_flags &= ~M_PKTHDR;
  h.m_next = p;
  h.m_pkthdr.len = 4 + payload.length;
  const top = M_PREPEND(h, 4, M_WAIT);
  mtod(top).writeUInt32BE((0x80000000 | (4 + payload.length)) >>> 0, 0);
  return top;
}

/* Read one record: the mark with MSG_WAITALL, then the body as a chain (mp0 + MSG_WAITALL). */
async function readRecord(so: Socket): Promise<{ error: number; body: Mbuf | null; short: boolean }> {
  const mark = Buffer.alloc(4);
  const u = uio_init(UIO_READ, [mark]);
  let error = await soreceive(so, null, u, null, null, { value: MSG_WAITALL });
  if (error || u.uio_resid !== 0) return { error, body: null, short: u.uio_resid !== 0 };
  const len = mark.readUInt32BE(0) & 0x7fffffff;
  const bu = uio_init(UIO_READ, []);
  bu.uio_resid = len;
  const mp: Ref<Mbuf | null> = { value: null };
  error = await soreceive(so, null, bu, mp, null, { value: MSG_WAITALL });
  return { error, body: mp.value, short: bu.uio_resid !== 0 };
}

describe('RPC-style use of the socket layer', () => {
  it('a chain built with m_gethdr + M_PREPEND(4) goes out byte-exactly; sosend consumes it and an m_copym copy stays valid for a resend', async () => {
    const { client, server } = await tcpPair();
    const top = request(0x01020304, Buffer.from('call-args'));
    const copy = m_copym(top, 0, M_COPYALL, M_WAIT);
    const expected = Buffer.from(m_tobuf(top));
    const second = top.m_next!;
    expect(await sosend(client, null, null, top, null, 0)).toBe(0);
    expect(top.m_type === MT_FREE || client.so_snd.sb_cc > 0).toBe(true);
    expect((await recvall(server, expected.length)).equals(expected)).toBe(true);
    expect(top.m_type).toBe(MT_FREE);
    expect(second.m_type).toBe(MT_FREE);
    /* The retransmission copy shares storage that is still intact. */
    expect(m_tobuf(copy).equals(expected)).toBe(true);
    expect(await sosend(client, null, null, copy, null, 0)).toBe(0);
    expect((await recvall(server, expected.length)).equals(expected)).toBe(true);
  });

  it('a reply written in many small segments is read whole: 4-byte mark, then the body with mp0 + MSG_WAITALL, XID via m_copydata', async () => {
    const { client, server } = await tcpPair((c, l) => {
      expect(sosetopt(l, IPPROTO_TCP, TCP_NODELAY, sooptint(1))).toBe(0);
      void c;
    });
    const body = Buffer.alloc(3000, 0x61);
    body.writeUInt32BE(0xcafe0001, 0);
    const rec = Buffer.concat([Buffer.from([0x80, 0, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
    const writer = (async () => {
      for (let i = 0; i < rec.length; i += 97) {
        expect(await sendstr(server, rec.subarray(i, Math.min(i + 97, rec.length)))).toBe(0);
        if (i % 970 === 0) await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const r = await readRecord(client);
    await writer;
    expect(r.error).toBe(0);
    expect(r.short).toBe(false);
    expect(m_length(r.body)).toBe(body.length);
    const xid = Buffer.alloc(4);
    m_copydata(r.body, 0, 4, xid);
    expect(xid.readUInt32BE(0)).toBe(0xcafe0001);
    expect(m_tobuf(r.body).equals(body)).toBe(true);
    m_freem(r.body);
  });

  it('a server reset mid-reply gives an error or a short count; the client disconnects, reconnects and resends', async () => {
    const { so: listener, port } = await tcpListener();
    const connect = async (): Promise<Socket> => {
      const so = mkso(AF_INET, SOCK_STREAM);
      expect(soconnect(so, sockaddr_in('127.0.0.1', port))).toBe(0);
      expect(await soconnect_wait(so, 10 * hz)).toBe(0);
      return so;
    };
    const accept = async (): Promise<Socket> => {
      const a: Ref<Socket | null> = { value: null };
      expect(await soaccept(listener, a, null)).toBe(0);
      return track(a.value!);
    };
    const req = request(7, Buffer.from('read block 42'));
    const keep = m_copym(req, 0, M_COPYALL, M_WAIT);
    let so = await connect();
    let srv = await accept();
    expect(await sosend(so, null, null, req, null, 0)).toBe(0);
    expect((await recvall(srv, 4 + 4 + 13)).length).toBe(21);
    /* Half a reply, then an abortive close. */
    expect(await sendstr(srv, Buffer.from([0x80, 0, 0, 100, 1, 2, 3]))).toBe(0);
    expect(sosetopt(srv, SOL_SOCKET, SO_LINGER, sooptlinger(1, 0))).toBe(0);
    expect(await soclose(srv)).toBe(0);
    const broken = await readRecord(so);
    expect(broken.error === ECONNRESET || broken.short).toBe(true);
    m_freem(broken.body);
    /* nfs_disconnect + nfs_reconnect + resend of every outstanding request. */
    soshutdown(so, SHUT_RDWR);
    expect(await soclose(so)).toBe(0);
    so = await connect();
    srv = await accept();
    expect(await sosend(so, null, null, m_copym(keep, 0, M_COPYALL, M_WAIT), null, 0)).toBe(0);
    const again = await recvall(srv, 21);
    expect(again.subarray(8).toString()).toBe('read block 42');
    expect(await sendstr(srv, Buffer.from([0x80, 0, 0, 2, 0x6f, 0x6b]))).toBe(0);
    const ok = await readRecord(so);
    expect(ok.error).toBe(0);
    expect(m_tobuf(ok.body).toString()).toBe('ok');
    m_freem(ok.body);
    m_freem(keep);
  });
});
