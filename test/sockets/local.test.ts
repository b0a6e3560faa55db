/*
 * AF_LOCAL: path-named streams over the host (interoperating with other processes), and
 * in-process pairs carrying SCM_RIGHTS / SCM_CREDS (kernel-sockets.md §7 behaviour 48).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AF_INET, AF_LOCAL, CMSG_LEN, EADDRINUSE, EBADF, EINVAL, EISCONN, ENOBUFS, ENOENT, ENOTSOCK, EOPNOTSUPP,
  EPROTOTYPE, MSG_DONTWAIT, MSG_PEEK, MT_CONTROL, SCM_CREDS, SCM_RIGHTS, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM,
  SOL_SOCKET, SS_ISCONNECTED, UIO_READ, cmsg_parse, m_freem, m_wrap, newproc, proc0, runas, scm_creds, scm_rights,
  sobind, soaccept, soclose, soconnect, soconnect2, soconnect_wait, sockaddr_parse, socketpair, solisten, soreceive,
  sosend, sopeeraddr, sosockaddr, sostat, uio_init, hz, MT_SONAME, m_get,
} from '../../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../../sockets/index.js';
import { drain, localPair, mkso, recvall, recvn, sendstr, sockaddr_un, sockpath, track, until } from './helpers.js';

/* Run `code` in a separate Node process; resolves with its stdout. */
function child(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', () => resolve(out));
  });
}

async function recvctl(so: Socket, n: number, flags = 0): Promise<{ error: number; data: string; control: Mbuf | null }> {
  const buf = Buffer.alloc(n);
  const uio = uio_init(UIO_READ, [buf]);
  const c: Ref<Mbuf | null> = { value: null };
  const error = await soreceive(so, null, uio, null, c, { value: flags });
  return { error, data: buf.subarray(0, n - uio.uio_resid).toString(), control: c.value };
}

describe('AF_LOCAL streams on filesystem paths', () => {
  it('a listener bound to a path serves another process (a Node client in a child process)', async () => {
    const path = sockpath();
    const l = mkso(AF_LOCAL, SOCK_STREAM);
    expect(await sobind(l, sockaddr_un(path), proc0)).toBe(0);
    expect(fs.statSync(path).isSocket()).toBe(true);
    expect(await solisten(l, 5)).toBe(0);
    const out = child(`
      const c = require('net').connect(${JSON.stringify(path)});
      c.on('connect', () => c.write('ping from child'));
      c.on('data', (d) => { process.stdout.write(d); c.destroy(); });`);
    const a: Ref<Socket | null> = { value: null };
    expect(await soaccept(l, a, null)).toBe(0);
    const so = track(a.value!);
    expect((await recvall(so, 15)).toString()).toBe('ping from child');
    expect(await sendstr(so, 'pong from sonfs')).toBe(0);
    expect(await out).toBe('pong from sonfs');
    const nam: Ref<Mbuf | null> = { value: null };
    expect(sosockaddr(l, nam)).toBe(0);
    expect(sockaddr_parse(nam.value)).toEqual({ family: AF_LOCAL, path });
    m_freem(nam.value);
  });

  it('soconnect reaches a listener of another process by path', async () => {
    const path = sockpath();
    const srv = spawn(process.execPath, ['-e', `
      const s = require('net').createServer((c) => c.on('data', (d) => { c.end('echo:' + d); s.close(); }));
      s.listen(${JSON.stringify(path)}, () => console.log('ready'));`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => srv.stdout.once('data', () => r()));
    const so = mkso(AF_LOCAL, SOCK_STREAM);
    expect(soconnect(so, sockaddr_un(path))).toBe(0);
    expect(await soconnect_wait(so, 10 * hz)).toBe(0);
    expect(await sendstr(so, 'hi')).toBe(0);
    expect((await recvall(so, 7)).toString()).toBe('echo:hi');
    expect((await recvn(so, 10)).data.length).toBe(0);
    const nam: Ref<Mbuf | null> = { value: null };
    expect(sopeeraddr(so, nam)).toBe(0);
    expect(sockaddr_parse(nam.value)).toEqual({ family: AF_LOCAL, path });
    m_freem(nam.value);
    expect(await soclose(so)).toBe(0);
    await new Promise<void>((r) => (srv.exitCode !== null ? r() : srv.on('close', () => r())));
  });

  it('binding an existing path is EADDRINUSE; connecting to a missing path is ENOENT, to a non-socket ENOTSOCK; listening unbound is EINVAL', async () => {
    const path = sockpath();
    fs.writeFileSync(path, 'not a socket');
    const so = mkso(AF_LOCAL, SOCK_STREAM);
    expect(await sobind(so, sockaddr_un(path), proc0)).toBe(EADDRINUSE);
    expect(soconnect(so, sockaddr_un(path))).toBe(ENOTSOCK);
    expect(soconnect(so, sockaddr_un(`${path}.missing`))).toBe(ENOENT);
    expect(so.so_state & SS_ISCONNECTED).toBe(0);
    expect(await solisten(so, 1)).toBe(EINVAL);
    const empty = m_get(0, MT_SONAME);
    empty.m_len = 2;
    empty.m_buf[empty.m_data] = 2;
    empty.m_buf[empty.m_data + 1] = AF_LOCAL;
    expect(await sobind(so, empty, proc0)).toBe(EINVAL);
  });

  it('closing the listener removes its socket file (the host does; BSD would leave it)', async () => {
    const path = sockpath();
    const l = mkso(AF_LOCAL, SOCK_STREAM);
    expect(await sobind(l, sockaddr_un(path), proc0)).toBe(0);
    expect(await solisten(l, 1)).toBe(0);
    expect(await soclose(l)).toBe(0);
    expect(await until(() => !fs.existsSync(path))).toBe(true);
  });

  it('control data cannot cross the host: sosend with control on a path-connected stream is EOPNOTSUPP', async () => {
    const path = sockpath();
    const l = mkso(AF_LOCAL, SOCK_STREAM);
    expect(await sobind(l, sockaddr_un(path), proc0)).toBe(0);
    expect(await solisten(l, 1)).toBe(0);
    const so = mkso(AF_LOCAL, SOCK_STREAM);
    expect(soconnect(so, sockaddr_un(path))).toBe(0);
    expect(await soconnect_wait(so, 10 * hz)).toBe(0);
    expect(await sosend(so, null, null, m_wrap(Buffer.from('x')), scm_creds(), 0)).toBe(EOPNOTSUPP);
  });
});

describe('AF_LOCAL in-process pairs', () => {
  it('socketpair of each type connects both ends; data flows both ways', async () => {
    for (const type of [SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM]) {
      const [a, b] = localPair(type);
      expect(a.so_state & SS_ISCONNECTED).toBe(SS_ISCONNECTED);
      expect(b.so_state & SS_ISCONNECTED).toBe(SS_ISCONNECTED);
      expect(await sendstr(a, 'a->b')).toBe(0);
      expect(await sendstr(b, 'b->a')).toBe(0);
      expect((await recvn(b, 10)).data.toString()).toBe('a->b');
      expect((await recvn(a, 10)).data.toString()).toBe('b->a');
    }
  });

  it('SCM_RIGHTS passes a Socket: the receiver gets the same socket and owns a reference to it', async () => {
    const [a, b] = localPair(SOCK_STREAM);
    const [x, y] = localPair(SOCK_DGRAM);
    expect(await sosend(a, null, null, m_wrap(Buffer.from('here')), scm_rights([x]), 0)).toBe(0);
    expect(x.so_count).toBe(2);
    expect(await soclose(x)).toBe(0); /* the sender's reference; the one in flight keeps x open */
    const r = await recvctl(b, 10);
    expect(r.data).toBe('here');
    expect(r.control!.m_type).toBe(MT_CONTROL);
    const msgs = cmsg_parse(r.control);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ cmsg_level: SOL_SOCKET, cmsg_type: SCM_RIGHTS });
    expect(msgs[0]!.sockets).toEqual([x]);
    m_freem(r.control);
    expect(await sendstr(x, 'through the passed socket')).toBe(0);
    expect((await recvn(y, 100)).data.toString()).toBe('through the passed socket');
    expect(await soclose(x)).toBe(0); /* the receiver's reference: now it is closed */
    expect(await sendstr(x, 'no')).toBe(EBADF);
  });

  it('SCM_CREDS carries the sending socket credential (so_cred), not the ambient curproc', async () => {
    const p = newproc({ uid: 501, gid: 20, groups: [20, 12, 61] });
    const sv: [Socket | null, Socket | null] = [null, null];
    expect(runas(p, () => socketpair(AF_LOCAL, SOCK_DGRAM, 0, sv))).toBe(0);
    const [a, b] = [track(sv[0]!), track(sv[1]!)];
    /* sent while curproc is proc0: the socket's creator (p) is what the receiver sees */
    expect(await sosend(a, null, null, m_wrap(Buffer.from('who')), scm_creds(), 0)).toBe(0);
    const r = await recvctl(b, 10);
    const [msg] = cmsg_parse(r.control);
    expect(msg!.cmsg_type).toBe(SCM_CREDS);
    expect(msg!.cred).toEqual({ cmcred_pid: p.p_pid, cmcred_uid: 501, cmcred_euid: 501, cmcred_gid: 20, cmcred_groups: [20, 12, 61] });
    m_freem(r.control);
    const bad = scm_creds();
    bad.m_buf.writeUInt32LE(CMSG_LEN(4), bad.m_data);
    expect(await sosend(a, null, null, m_wrap(Buffer.from('x')), bad, 0)).toBe(EINVAL);
  });

  it('without controlp, SCM_RIGHTS payloads are disposed of: the passed socket is closed, nothing leaks', async () => {
    const [a, b] = localPair(SOCK_SEQPACKET);
    const [x] = localPair(SOCK_STREAM);
    const live = sostat.so_live;
    expect(await sosend(a, null, null, m_wrap(Buffer.from('rights')), scm_rights([x]), 0)).toBe(0);
    expect(await soclose(x)).toBe(0);
    expect(x.so_count).toBe(1);
    const r = await recvn(b, 100); /* no controlp */
    expect(r.data.toString()).toBe('rights');
    expect(x.so_count).toBeLessThanOrEqual(0);
    expect(sostat.so_live).toBe(live - 1);
  });

  it('MSG_PEEK never exposes SCM_RIGHTS (but copies other control); the real read then gets them', async () => {
    const [a, b] = localPair(SOCK_DGRAM);
    const [x] = localPair(SOCK_STREAM);
    const ctl = scm_rights([x]);
    ctl.m_next = scm_creds();
    expect(await sosend(a, null, null, m_wrap(Buffer.from('peek')), ctl, 0)).toBe(0);
    const peeked = await recvctl(b, 10, MSG_PEEK);
    expect(peeked.data).toBe('peek');
    expect(cmsg_parse(peeked.control).map((c) => c.cmsg_type)).toEqual([SCM_CREDS]);
    m_freem(peeked.control);
    const real = await recvctl(b, 10);
    expect(cmsg_parse(real.control).map((c) => c.cmsg_type)).toEqual([SCM_RIGHTS, SCM_CREDS]);
    expect(cmsg_parse(real.control)[0]!.sockets).toEqual([x]);
    m_freem(real.control);
    await soclose(x); /* the reference received */
  });

  it('SCM_RIGHTS of a closed socket is EBADF and nothing is queued', async () => {
    const [a, b] = localPair(SOCK_STREAM);
    const x = mkso(AF_LOCAL, SOCK_STREAM);
    await soclose(x);
    expect(await sosend(a, null, null, m_wrap(Buffer.from('x')), scm_rights([x]), 0)).toBe(EBADF);
    expect(b.so_rcv.sb_cc).toBe(0);
  });

  it('a datagram that does not fit the peer is ENOBUFS; an addressed datagram send is EOPNOTSUPP (no local names)', async () => {
    const [a, b] = localPair(SOCK_DGRAM);
    const dg = Buffer.alloc(a.so_snd.sb_hiwat);
    let e = 0;
    let sent = 0;
    while ((e = await sendstr(a, dg, MSG_DONTWAIT)) === 0) sent++;
    expect(e).toBe(ENOBUFS);
    expect(sent).toBe(Math.floor(b.so_rcv.sb_hiwat / (dg.length + 106)));
    const u = mkso(AF_LOCAL, SOCK_DGRAM);
    expect(await sendstr(u, 'x', 0, sockaddr_un('/tmp/peer'))).toBe(EOPNOTSUPP);
    expect(await sobind(u, sockaddr_un(sockpath()), proc0)).toBe(EOPNOTSUPP);
    expect(soconnect(u, sockaddr_un('/tmp/x'))).toBe(EOPNOTSUPP);
    await drain(b);
  });

  it('soconnect2 checks its arguments: EPROTOTYPE across types, EISCONN when connected, EOPNOTSUPP outside AF_LOCAL', () => {
    const s1 = mkso(AF_LOCAL, SOCK_STREAM);
    const d1 = mkso(AF_LOCAL, SOCK_DGRAM);
    expect(soconnect2(s1, d1)).toBe(EPROTOTYPE);
    const [p1] = localPair(SOCK_STREAM);
    expect(soconnect2(p1, s1)).toBe(EISCONN);
    const t1 = mkso(AF_INET, SOCK_STREAM);
    const t2 = mkso(AF_INET, SOCK_STREAM);
    expect(soconnect2(t1, t2)).toBe(EOPNOTSUPP);
    expect(soconnect2(t1, s1)).toBe(EOPNOTSUPP);
    const sv: [Socket | null, Socket | null] = [null, null];
    expect(socketpair(AF_INET, SOCK_STREAM, 0, sv)).toBe(EOPNOTSUPP);
    expect(sv).toEqual([null, null]);
    expect(socketpair(AF_LOCAL, 99, 0, sv)).toBe(43 /* EPROTONOSUPPORT */);
  });

  it('a one-way datagram connection: soconnect2(d1, d2); d2 closing leaves d1 with ECONNRESET and unconnected', async () => {
    const d1 = mkso(AF_LOCAL, SOCK_DGRAM);
    const d2 = mkso(AF_LOCAL, SOCK_DGRAM);
    expect(soconnect2(d1, d2)).toBe(0);
    expect(d2.so_state & SS_ISCONNECTED).toBe(0);
    expect(await sendstr(d1, 'one way')).toBe(0);
    const r = await recvn(d2, 100);
    expect(r.data.toString()).toBe('one way');
    expect(r.from).toEqual({ family: AF_LOCAL, path: '' });
    expect(await sendstr(d2, 'back')).toBe(39 /* EDESTADDRREQ */);
    expect(await soclose(d2)).toBe(0);
    expect(d1.so_error).toBe(54 /* ECONNRESET */);
    expect(d1.so_state & SS_ISCONNECTED).toBe(0);
    expect(await sendstr(d1, 'x')).toBe(54);
    expect(await sendstr(d1, 'x')).toBe(39);
  });
});
