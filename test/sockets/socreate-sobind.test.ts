/* kernel-sockets.md §7 behaviours 1-8 (socreate, sobind) and the credential rule (BUG 1). */
import { describe, expect, it } from 'vitest';
import {
  AF_INET, AF_INET6, AF_LOCAL, AF_ROUTE, EACCES, EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EBADF, EINVAL,
  EPROTONOSUPPORT, IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, IP_PORTRANGE, IP_PORTRANGE_DEFAULT, IP_PORTRANGE_LOW,
  MCLBYTES, PR_ADDR, PR_ATOMIC, PR_CONNREQUIRED, PR_WANTRCVD, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM,
  SS_ISCONNECTED, SS_ISCONNECTING, SS_PRIV, Socket, m_get, MT_SONAME, newproc, proc0, runas, sobind, socreate,
  sockaddr_in, sockaddr_in6, sockaddr_un, solisten, sooptint, sosetopt, sostat,
} from '../../sockets/index.js';
import type { Ref } from '../../sockets/index.js';
import { mkso, portof, track } from './helpers.js';

const user = newproc({ uid: 1000, gid: 1000 });

describe('socreate', () => {
  it('socreate(AF_INET, SOCK_STREAM, 0) gives TCP with 16 KiB buffers and default low-water marks', () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(so.so_type).toBe(SOCK_STREAM);
    expect(so.so_proto.pr_protocol).toBe(IPPROTO_TCP);
    expect(so.so_proto.pr_flags & PR_CONNREQUIRED).toBeTruthy();
    expect(so.so_proto.pr_flags & PR_WANTRCVD).toBeTruthy();
    expect(so.so_state & (SS_ISCONNECTED | SS_ISCONNECTING)).toBe(0);
    expect(so.so_snd.sb_hiwat).toBe(16384);
    expect(so.so_rcv.sb_hiwat).toBe(16384);
    expect(so.so_rcv.sb_lowat).toBe(1);
    expect(so.so_snd.sb_lowat).toBe(Math.min(MCLBYTES, so.so_snd.sb_hiwat));
    expect(so.so_rcv.sb_timeo).toBe(0);
  });

  it('socreate(AF_INET, SOCK_DGRAM, 0) gives a PR_ATOMIC|PR_ADDR protocol without PR_CONNREQUIRED', () => {
    const so = mkso(AF_INET, SOCK_DGRAM);
    expect(so.so_proto.pr_protocol).toBe(IPPROTO_UDP);
    expect(so.so_proto.pr_flags & (PR_ATOMIC | PR_ADDR)).toBe(PR_ATOMIC | PR_ADDR);
    expect(so.so_proto.pr_flags & PR_CONNREQUIRED).toBe(0);
  });

  it('socreate(AF_INET, SOCK_DGRAM, IPPROTO_TCP) is EPROTONOSUPPORT and allocates nothing', () => {
    const before = sostat.so_live;
    const r: Ref<Socket | null> = { value: null };
    expect(socreate(AF_INET, r, SOCK_DGRAM, IPPROTO_TCP)).toBe(EPROTONOSUPPORT);
    expect(r.value).toBeNull();
    expect(sostat.so_live).toBe(before);
  });

  it('unknown domains and unsupported types are EPROTONOSUPPORT (the OpenBSD mapping)', () => {
    const r: Ref<Socket | null> = { value: null };
    expect(socreate(AF_ROUTE, r, SOCK_STREAM, 0)).toBe(EPROTONOSUPPORT);
    expect(socreate(999, r, SOCK_STREAM, 0)).toBe(EPROTONOSUPPORT);
    expect(socreate(AF_INET, r, SOCK_SEQPACKET, 0)).toBe(EPROTONOSUPPORT);
    expect(socreate(AF_INET, r, 42, 0)).toBe(EPROTONOSUPPORT);
    expect(socreate(AF_INET, r, SOCK_STREAM, 99)).toBe(EPROTONOSUPPORT);
    expect(r.value).toBeNull();
  });

  it('a failing attach (SOCK_RAW) returns its errno and leaves *aso untouched: EACCES without privilege, EPROTONOSUPPORT as root', () => {
    const before = sostat.so_live;
    const r: Ref<Socket | null> = { value: null };
    expect(runas(user, () => socreate(AF_INET, r, SOCK_RAW, IPPROTO_IP))).toBe(EACCES);
    expect(runas(user, () => socreate(AF_INET6, r, SOCK_RAW, 58))).toBe(EACCES);
    expect(runas(proc0, () => socreate(AF_INET, r, SOCK_RAW, 1))).toBe(EPROTONOSUPPORT);
    expect(r.value).toBeNull();
    expect(sostat.so_live).toBe(before);
  });

  it('socreate with a null aso is EINVAL and never throws', () => {
    expect(socreate(AF_INET, null as unknown as Ref<Socket | null>, SOCK_STREAM, 0)).toBe(EINVAL);
  });

  it('the credential of curproc is copied into so_cred at socreate and SS_PRIV follows it', async () => {
    const p = newproc({ uid: 1234, gid: 55, groups: [55, 66] });
    const so = track(
      await runas(p, async () => {
        await Promise.resolve();
        const r: Ref<Socket | null> = { value: null };
        expect(socreate(AF_INET, r, SOCK_STREAM, 0)).toBe(0);
        return r.value!;
      }),
    );
    expect(so.so_cred.cr_uid).toBe(1234);
    expect(so.so_cred.cr_groups).toEqual([55, 66]);
    expect(so.so_cpid).toBe(p.p_pid);
    expect(so.so_state & SS_PRIV).toBe(0);
    p.p_ucred.cr_uid = 0; /* later changes to the process do not reach the socket */
    expect(so.so_cred.cr_uid).toBe(1234);
    const root = mkso(AF_INET, SOCK_STREAM);
    expect(root.so_state & SS_PRIV).toBe(SS_PRIV);
  });
});

describe('sobind', () => {
  it('sobind(INADDR_ANY:0) then the local-address query returns a non-zero ephemeral port', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(await sobind(so, sockaddr_in('0.0.0.0', 0), user)).toBe(0);
    expect(portof(so)).toBeGreaterThan(0);
    const u = mkso(AF_INET, SOCK_DGRAM);
    expect(await sobind(u, sockaddr_in('127.0.0.1', 0), user)).toBe(0);
    expect(portof(u)).toBeGreaterThan(0);
  });

  it('with IP_PORTRANGE=LOW and proc0, port 0 gets a reserved port (1023 down to 600)', async () => {
    for (const type of [SOCK_STREAM, SOCK_DGRAM]) {
      const so = mkso(AF_INET, type);
      expect(sosetopt(so, IPPROTO_IP, IP_PORTRANGE, sooptint(IP_PORTRANGE_LOW))).toBe(0);
      expect(await sobind(so, sockaddr_in('127.0.0.1', 0), proc0)).toBe(0);
      const port = portof(so);
      expect(port).toBeLessThan(1024);
      expect(port).toBeGreaterThanOrEqual(600);
      expect(sosetopt(so, IPPROTO_IP, IP_PORTRANGE, sooptint(IP_PORTRANGE_DEFAULT))).toBe(0);
    }
  });

  it('binding a reserved port, or a LOW-range port 0, with an unprivileged proc is EACCES', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(await sobind(so, sockaddr_in('127.0.0.1', 1000), user)).toBe(EACCES);
    expect(sosetopt(so, IPPROTO_IP, IP_PORTRANGE, sooptint(IP_PORTRANGE_LOW))).toBe(0);
    expect(await sobind(so, sockaddr_in('127.0.0.1', 0), user)).toBe(EACCES);
    const u = mkso(AF_INET6, SOCK_DGRAM);
    expect(await sobind(u, sockaddr_in6('::1', 999), user)).toBe(EACCES);
  });

  it('a second socket binding an address in use gets EADDRINUSE (TCP and UDP)', async () => {
    const a = mkso(AF_INET, SOCK_STREAM);
    expect(await sobind(a, sockaddr_in('127.0.0.1', 0), user)).toBe(0);
    const b = mkso(AF_INET, SOCK_STREAM);
    expect(await sobind(b, sockaddr_in('127.0.0.1', portof(a)), user)).toBe(EADDRINUSE);
    const u1 = mkso(AF_INET, SOCK_DGRAM);
    expect(await sobind(u1, sockaddr_in('127.0.0.1', 0), user)).toBe(0);
    const u2 = mkso(AF_INET, SOCK_DGRAM);
    expect(await sobind(u2, sockaddr_in('127.0.0.1', portof(u1)), user)).toBe(EADDRINUSE);
  });

  it('binding an address that is not local is EADDRNOTAVAIL', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(await sobind(so, sockaddr_in('192.0.2.1', 0), user)).toBe(EADDRNOTAVAIL);
  });

  it('sobind authorises with the proc passed, never the ambient curproc or so_cred (BUG 1)', async () => {
    /* Created by an unprivileged process, bound with proc0: allowed. */
    const so = track(runas(user, () => {
      const r: Ref<Socket | null> = { value: null };
      expect(socreate(AF_INET, r, SOCK_STREAM, 0)).toBe(0);
      return r.value!;
    }));
    expect(sosetopt(so, IPPROTO_IP, IP_PORTRANGE, sooptint(IP_PORTRANGE_LOW))).toBe(0);
    expect(await runas(user, () => sobind(so, sockaddr_in('127.0.0.1', 0), proc0))).toBe(0);
    expect(portof(so)).toBeLessThan(1024);
    /* Created by root, bound with an unprivileged proc while curproc is root: refused. */
    const so2 = mkso(AF_INET, SOCK_STREAM);
    expect(await sobind(so2, sockaddr_in('127.0.0.1', 1001), user)).toBe(EACCES);
  });

  it('an implicit bind (solisten) is authorised with so_cred, not the curproc of the call', async () => {
    const so = track(runas(user, () => {
      const r: Ref<Socket | null> = { value: null };
      socreate(AF_INET, r, SOCK_STREAM, 0);
      return r.value!;
    }));
    expect(sosetopt(so, IPPROTO_IP, IP_PORTRANGE, sooptint(IP_PORTRANGE_LOW))).toBe(0);
    /* curproc is root here, but the socket's creator was not. */
    expect(await solisten(so, 5)).toBe(EACCES);
  });

  it('sobind rejects bad input with an errno: closed socket, null proc, short or foreign addresses, a second bind', async () => {
    const so = mkso(AF_INET, SOCK_STREAM);
    expect(await sobind(so, null as never, proc0)).toBe(EINVAL);
    expect(await sobind(so, sockaddr_in('127.0.0.1', 0), null as never)).toBe(EINVAL);
    const short = m_get(0, MT_SONAME);
    short.m_len = 1;
    expect(await sobind(so, short, proc0)).toBe(EINVAL);
    const trunc = sockaddr_in('127.0.0.1', 0);
    trunc.m_len = 8;
    expect(await sobind(so, trunc, proc0)).toBe(EINVAL);
    expect(await sobind(so, sockaddr_in6('::1', 0), proc0)).toBe(EAFNOSUPPORT);
    expect(await sobind(so, sockaddr_un('/tmp/x'), proc0)).toBe(EAFNOSUPPORT);
    expect(await sobind(so, sockaddr_in('127.0.0.1', 0), proc0)).toBe(0);
    expect(await sobind(so, sockaddr_in('127.0.0.1', 0), proc0)).toBe(EINVAL);
    const local = mkso(AF_LOCAL, SOCK_STREAM);
    expect(await sobind(local, sockaddr_in('127.0.0.1', 0), proc0)).toBe(EAFNOSUPPORT);
    const { soclose } = await import('../../sockets/index.js');
    expect(await soclose(so)).toBe(0);
    expect(await sobind(so, sockaddr_in('127.0.0.1', 0), proc0)).toBe(EBADF);
  });
});
