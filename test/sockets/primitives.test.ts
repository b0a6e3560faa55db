/* The kernel primitives under the socket layer: tsleep/wakeup, proc and signals, sockaddrs, uio. */
import { describe, expect, it } from 'vitest';
import {
  AF_INET, AF_INET6, AF_LOCAL, EINTR, ERESTART, EWOULDBLOCK, MT_SONAME, PCATCH, PSOCK, SIGINT, SIGTERM, UIO_READ,
  UIO_WRITE, curproc, hz, m_freem, newproc, proc0, psignal, runas, sigaction_restart, sleepstat, sockaddr_in,
  sockaddr_in6, sockaddr_parse, sockaddr_un, tsleep, uio_init, uiomove, wakeup, wakeup_one, mtod, m_bytes, m_get,
} from '../../sockets/index.js';
import { settlesAtTimer } from './helpers.js';

describe('tsleep / wakeup', () => {
  it('wakeup wakes every sleeper on the channel with 0; wakeup_one only the first', async () => {
    const chan = {};
    const order: number[] = [];
    const a = tsleep(chan, PSOCK, 'a', 0).then((e) => (order.push(1), e));
    const b = tsleep(chan, PSOCK, 'b', 0).then((e) => (order.push(2), e));
    const c = tsleep(chan, PSOCK, 'c', 0).then((e) => (order.push(3), e));
    wakeup_one(chan);
    expect(await a).toBe(0);
    expect(order).toEqual([1]);
    wakeup(chan);
    expect(await Promise.all([b, c])).toEqual([0, 0]);
    wakeup({}); /* nobody sleeping: harmless */
    expect(sleepstat.sleeping).toBe(0);
  });

  it('a timeout in ticks ends the sleep with EWOULDBLOCK when its timer fires, not before', async () => {
    expect(await settlesAtTimer(() => tsleep({}, PSOCK, 'timo', hz / 10), 100)).toBe(EWOULDBLOCK);
  });

  it('psignal ends PCATCH sleeps of that process with EINTR, or ERESTART for an SA_RESTART signal; other sleeps go on', async () => {
    const p = newproc({ uid: 1, gid: 1 });
    const chan = {};
    const catching = runas(p, () => tsleep(chan, PSOCK | PCATCH, 'catch', 0));
    const plain = runas(p, () => tsleep(chan, PSOCK, 'nocatch', hz / 5));
    const other = tsleep(chan, PSOCK | PCATCH, 'proc0', hz / 5);
    psignal(p, SIGINT);
    expect(await catching).toBe(EINTR);
    expect(await plain).toBe(EWOULDBLOCK);
    expect(await other).toBe(EWOULDBLOCK);
    sigaction_restart(p, SIGTERM, true);
    const again = runas(p, () => tsleep(chan, PSOCK | PCATCH, 'catch', 0));
    psignal(p, SIGTERM);
    expect(await again).toBe(ERESTART);
  });

  it('a signal posted with no sleep pending interrupts the next PCATCH sleep at once, once', async () => {
    const p = newproc({ uid: 1, gid: 1 });
    psignal(p, SIGINT);
    expect(await runas(p, () => tsleep({}, PSOCK | PCATCH, 'x', 0))).toBe(EINTR);
    expect(await runas(p, () => tsleep({}, PSOCK | PCATCH, 'x', 1))).toBe(EWOULDBLOCK);
    psignal(p, 0);
    psignal(p, 99);
    expect(p.p_siglist).toBe(0);
  });
});

describe('proc', () => {
  it('curproc follows runas across awaits and timers, and is proc0 outside', async () => {
    const p = newproc({ uid: 7, gid: 8, groups: [8, 9] });
    expect(curproc()).toBe(proc0);
    const seen = await runas(p, async () => {
      await new Promise((r) => setTimeout(r, 5));
      await Promise.resolve();
      return curproc();
    });
    expect(seen).toBe(p);
    expect(p.p_ucred).toMatchObject({ cr_uid: 7, cr_gid: 8, cr_groups: [8, 9] });
    expect(proc0.p_ucred.cr_uid).toBe(0);
    expect(curproc()).toBe(proc0);
  });
});

describe('sockaddr helpers', () => {
  it('sockaddr_in builds the BSD layout: sa_len 16, family, port and address in network order', () => {
    const m = sockaddr_in('10.1.2.3', 2049);
    expect(m.m_type).toBe(MT_SONAME);
    expect([...m_bytes(m)]).toEqual([16, AF_INET, 0x08, 0x01, 10, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(sockaddr_parse(m)).toEqual({ family: AF_INET, address: '10.1.2.3', port: 2049 });
    m_freem(m);
  });

  it('sockaddr_in6 and sockaddr_un round-trip through sockaddr_parse', () => {
    const m6 = sockaddr_in6('fe80::1:2', 111);
    expect(m6.m_len).toBe(28);
    expect(mtod(m6)[1]).toBe(AF_INET6);
    expect(mtod(m6).readUInt16BE(2)).toBe(111);
    expect(sockaddr_parse(m6)).toEqual({ family: AF_INET6, address: 'fe80::1:2', port: 111 });
    expect(sockaddr_parse(sockaddr_in6('::ffff:127.0.0.1', 1))).toEqual({ family: AF_INET6, address: '::ffff:7f00:1', port: 1 });
    const mu = sockaddr_un('/var/run/x.sock');
    expect(mu.m_len).toBe(106);
    expect(sockaddr_parse(mu)).toEqual({ family: AF_LOCAL, path: '/var/run/x.sock' });
  });

  it('the builders throw RangeError for what a sockaddr cannot hold; sockaddr_parse answers null for junk', () => {
    expect(() => sockaddr_in('::1', 1)).toThrow(RangeError);
    expect(() => sockaddr_in('1.2.3.4', 65536)).toThrow(RangeError);
    expect(() => sockaddr_in6('1.2.3.4', 1)).toThrow(RangeError);
    expect(() => sockaddr_un('x'.repeat(104))).toThrow(RangeError);
    expect(sockaddr_parse(null)).toBeNull();
    const junk = m_get(0, MT_SONAME);
    junk.m_len = 2;
    mtod(junk)[1] = 99;
    expect(sockaddr_parse(junk)).toBeNull();
  });
});

describe('uio', () => {
  it('uiomove moves bytes across iovecs in the uio direction and advances resid and offset', () => {
    const a = Buffer.alloc(3);
    const b = Buffer.alloc(4);
    const r = uio_init(UIO_READ, [a, b]);
    expect(uiomove(Buffer.from('abcdef'), 6, r)).toBe(0);
    expect(a.toString() + b.toString('utf8', 0, 3)).toBe('abcdef');
    expect(r.uio_resid).toBe(1);
    expect(r.uio_offset).toBe(6);
    const w = uio_init(UIO_WRITE, [Buffer.from('xy'), Buffer.from('z')]);
    const out = Buffer.alloc(3);
    expect(uiomove(out, 10, w)).toBe(0);
    expect(out.toString()).toBe('xyz');
    expect(w.uio_resid).toBe(0);
    expect(uiomove(out, -1, w)).toBe(22 /* EINVAL */);
  });
});
