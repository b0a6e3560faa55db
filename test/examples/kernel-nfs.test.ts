/*
 * examples/kernel-nfs: an NFS client's socket code written as a BSD kernel writes it, once
 * against the interface of 2009 (sonfs/sockets) and once against today's
 * (sonfs/sockets/current), making NFS NULL calls to the suite's ganesha.
 *
 * Where a test needs the server to misbehave (drop a connection with a request in it, never
 * answer), a TCP relay on loopback stands between the client and ganesha: ganesha itself cannot
 * be made to do that on demand.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ECONNREFUSED, EINTR, SIGINT, SOCK_DGRAM, SOCK_STREAM, m_freem, mbstat, newproc, proc0, psignal, sockaddr_in,
  sockaddr_parse, sosockaddr, sostat,
} from 'sonfs/sockets';
import type { Mbuf, Proc, Ref } from 'sonfs/sockets';
import { NFSMNT_INT, NFSMNT_NOCONN, NFSMNT_SOFT, NFSPROC_NULL, Nfsmount, nfsstats } from '../../examples/kernel-nfs/nfs.js';
import * as api2009 from '../../examples/kernel-nfs/nfs_socket_2009.js';
import * as api2025 from '../../examples/kernel-nfs/nfs_socket_2025.js';
import { suiteServer } from '../helpers/server.js';

interface Generation {
  nfs_mount(nmp: Nfsmount): Promise<number>;
  nfs_unmount(nmp: Nfsmount): Promise<void>;
  nfs_request(nmp: Nfsmount, procnum: number, procp: Proc | null, mrepp: Ref<Mbuf | null> | null): Promise<number>;
}

const generations: [string, Generation][] = [
  ['the 2009 interface (sonfs/sockets)', api2009],
  ['the current interface (sonfs/sockets/current)', api2025],
];

/** A relay on 127.0.0.1 to ganesha's NFS port: `mode(n)` says what to do with connection n (0, 1, ...). */
interface Relay {
  port: number;
  /** The xid of each record each connection carried from the client, in order. */
  xids: number[][];
  close(): Promise<void>;
}

type RelayMode = 'forward' | 'drop-after-request' | 'stall';

async function relay(target: number, mode: (n: number) => RelayMode): Promise<Relay> {
  const xids: number[][] = [];
  const sockets = new Set<net.Socket>();
  const srv = net.createServer({ allowHalfOpen: false }, (client) => {
    const n = xids.length;
    const seen: number[] = [];
    xids.push(seen);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const how = mode(n);
    let upstream: net.Socket | null = null;
    if (how === 'forward') {
      upstream = net.connect(target, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream!));
      upstream.on('error', () => client.destroy());
      upstream.on('data', (b) => client.write(b));
      upstream.on('end', () => client.end());
      client.on('end', () => upstream!.end());
    }
    let pending = Buffer.alloc(0);
    client.on('data', (b: Buffer) => {
      pending = Buffer.concat([pending, b]);
      while (pending.length >= 8) {
        const len = pending.readUInt32BE(0) & 0x7fffffff;
        if (pending.length < 4 + len) break;
        seen.push(pending.readUInt32BE(4));
        const record = pending.subarray(0, 4 + len);
        pending = pending.subarray(4 + len);
        if (upstream !== null) upstream.write(record);
        else if (how === 'drop-after-request') client.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return {
    port: (srv.address() as net.AddressInfo).port,
    xids,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    },
  };
}

/** A UDP relay to ganesha's NFS port that drops the first `drop` requests; `xids` are all it was sent. */
async function udpRelay(target: number, drop: number): Promise<{ port: number; xids: number[]; close(): Promise<void> }> {
  const xids: number[] = [];
  const front = dgram.createSocket('udp4');
  const back = dgram.createSocket('udp4');
  let client: dgram.RemoteInfo | null = null;
  front.on('message', (msg, rinfo) => {
    client = rinfo;
    xids.push(msg.readUInt32BE(0));
    if (xids.length > drop) back.send(msg, target, '127.0.0.1');
  });
  back.on('message', (msg) => {
    if (client !== null) front.send(msg, client.port, client.address);
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => back.bind(0, '127.0.0.1', resolve));
  return {
    port: front.address().port,
    xids,
    async close() {
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => back.close(() => resolve()));
    },
  };
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function localport(nmp: Nfsmount): number {
  const nam: Ref<Mbuf | null> = { value: null };
  expect(sosockaddr(nmp.nm_so!, nam)).toBe(0);
  const sa = sockaddr_parse(nam.value);
  m_freem(nam.value);
  return sa !== null && 'port' in sa ? sa.port : -1;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/* Every mbuf and socket the client allocated is freed by the time it unmounts. */
function accounting(): () => void {
  const mbufs = mbstat.m_alloc - mbstat.m_freed;
  const sockets = sostat.so_live;
  return () => {
    expect(mbstat.m_alloc - mbstat.m_freed).toBe(mbufs);
    expect(sostat.so_live).toBe(sockets);
  };
}

async function mount(g: Generation, port: number, sotype: number, flag: number): Promise<Nfsmount> {
  const nmp = new Nfsmount(sockaddr_in('127.0.0.1', port), sotype, flag);
  cleanups.push(async () => {
    await g.nfs_unmount(nmp);
    m_freem(nmp.nm_nam);
  });
  return nmp;
}

describe.each(generations)('a kernel-style NFS client written against %s', (_name, g) => {
  it('makes NULL calls over TCP from a reserved port, one at a time and many at once through the send and receive locks', async () => {
    const nmp = await mount(g, suiteServer().ports.nfs, SOCK_STREAM, 0);
    const balanced = accounting();
    expect(await g.nfs_mount(nmp)).toBe(0);
    const port = localport(nmp);
    expect(port).toBeGreaterThanOrEqual(600);
    expect(port).toBeLessThan(1024);
    for (let i = 0; i < 5; i++) expect(await g.nfs_request(nmp, NFSPROC_NULL, proc0, null)).toBe(0);
    const all = await Promise.all(Array.from({ length: 64 }, () => g.nfs_request(nmp, NFSPROC_NULL, proc0, null)));
    expect(all).toEqual(new Array(64).fill(0));
    const mrep: Ref<Mbuf | null> = { value: null };
    expect(await g.nfs_request(nmp, NFSPROC_NULL, proc0, mrep)).toBe(0);
    expect(mrep.value).not.toBeNull(); /* the reply: xid, REPLY, accepted, AUTH_NULL verifier, SUCCESS */
    m_freem(mrep.value);
    await g.nfs_unmount(nmp);
    expect(nmp.nm_so).toBeNull();
    balanced();
  });

  it('makes NULL calls over UDP, on a connected socket and on an unconnected one (the reply read with its sender address)', async () => {
    for (const flag of [0, NFSMNT_NOCONN]) {
      const nmp = await mount(g, suiteServer().ports.nfs, SOCK_DGRAM, flag);
      const balanced = accounting();
      expect(await g.nfs_mount(nmp)).toBe(0);
      expect(localport(nmp)).toBeLessThan(1024);
      const all = await Promise.all(Array.from({ length: 8 }, () => g.nfs_request(nmp, NFSPROC_NULL, proc0, null)));
      expect(all).toEqual(new Array(8).fill(0));
      await g.nfs_unmount(nmp);
      balanced();
    }
  });

  it('reconnects and sends the request again when the connection breaks with the request in it', async () => {
    const r = await relay(suiteServer().ports.nfs, (n) => (n === 0 ? 'drop-after-request' : 'forward'));
    cleanups.push(() => r.close());
    const reconnects = nfsstats.reconnects;
    const retries = nfsstats.rpcretries;
    const nmp = await mount(g, r.port, SOCK_STREAM, 0);
    expect(await g.nfs_mount(nmp)).toBe(0);
    expect(await g.nfs_request(nmp, NFSPROC_NULL, proc0, null)).toBe(0);
    expect(r.xids.length).toBe(2);
    expect(r.xids[1]).toEqual(r.xids[0]); /* the same request, sent again on the new connection */
    expect(nfsstats.reconnects - reconnects).toBe(1);
    expect(nfsstats.rpcretries - retries).toBe(1);
    expect(await g.nfs_request(nmp, NFSPROC_NULL, proc0, null)).toBe(0);
  });

  it('sends a lost UDP request again from the retransmit timer, straight to the protocol (pru_send)', async () => {
    const r = await udpRelay(suiteServer().ports.nfs, 1);
    cleanups.push(() => r.close());
    const retries = nfsstats.rpcretries;
    const nmp = await mount(g, r.port, SOCK_DGRAM, 0);
    nmp.nm_timeo = 1;
    expect(await g.nfs_mount(nmp)).toBe(0);
    expect(await g.nfs_request(nmp, NFSPROC_NULL, proc0, null)).toBe(0);
    expect(r.xids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(r.xids).size).toBe(1); /* the same request each time */
    expect(nfsstats.rpcretries - retries).toBe(r.xids.length - 1);
  });

  it('reports a refused connection, taken from so_error after the wait on so_timeo', async () => {
    const nmp = await mount(g, await closedPort(), SOCK_STREAM, 0);
    expect(await g.nfs_mount(nmp)).toBe(ECONNREFUSED);
    expect(nmp.nm_so).toBeNull();
  });

  it('gives up on a soft mount whose server never answers, after nm_retry timeouts', async () => {
    const r = await relay(suiteServer().ports.nfs, () => 'stall');
    cleanups.push(() => r.close());
    const nmp = await mount(g, r.port, SOCK_STREAM, NFSMNT_SOFT);
    nmp.nm_timeo = 1;
    nmp.nm_retry = 1;
    expect(await g.nfs_mount(nmp)).toBe(0);
    const error = await g.nfs_request(nmp, NFSPROC_NULL, proc0, null);
    expect(error).toBe(EINTR);
  });

  it('ends a call on an interruptible mount when its process gets a signal it neither blocks nor ignores', async () => {
    const r = await relay(suiteServer().ports.nfs, () => 'stall');
    cleanups.push(() => r.close());
    const nmp = await mount(g, r.port, SOCK_STREAM, NFSMNT_INT);
    expect(await g.nfs_mount(nmp)).toBe(0);
    const p = newproc({ uid: 1000, gid: 1000 });
    const call = g.nfs_request(nmp, NFSPROC_NULL, p, null);
    psignal(p, SIGINT);
    expect(await call).toBe(EINTR);
  });
});
