/*
 * `npm run example:kernel`: the kernel-style NFS socket code of this directory against a server
 * of its own. It starts nfs-ganesha in Docker (sonfs/testing), mounts it with each port of the
 * socket code — nfs_socket_2009.ts (the interface of 2009) and nfs_socket_2025.ts (today's) —
 * over TCP and over UDP, makes NFS NULL calls one at a time and several at once, prints what
 * happened and stops the server. Exits non-zero if any call failed.
 */
import { startGanesha } from 'sonfs/testing';
import { SOCK_DGRAM, SOCK_STREAM, m_freem, proc0, sockaddr_in, strerror } from 'sonfs/sockets';
import type { Mbuf, Proc, Ref } from 'sonfs/sockets';
import { NFSPROC_NULL, Nfsmount, nfsstats } from './nfs.js';
import * as api2009 from './nfs_socket_2009.js';
import * as api2025 from './nfs_socket_2025.js';

interface Generation {
  nfs_mount(nmp: Nfsmount): Promise<number>;
  nfs_unmount(nmp: Nfsmount): Promise<void>;
  nfs_request(nmp: Nfsmount, procnum: number, procp: Proc | null, mrepp: Ref<Mbuf | null> | null): Promise<number>;
}

const CALLS = 20;

async function exercise(name: string, g: Generation, port: number, sotype: number): Promise<boolean> {
  const nmp = new Nfsmount(sockaddr_in('127.0.0.1', port), sotype, 0);
  const label = `${name}, ${sotype === SOCK_STREAM ? 'TCP' : 'UDP'}`;
  try {
    const error = await g.nfs_mount(nmp);
    if (error) {
      console.log(`${label}: nfs_connect: ${strerror(error)}`);
      return false;
    }
    const t0 = process.hrtime.bigint();
    let failed = 0;
    for (let i = 0; i < CALLS; i++) if (await g.nfs_request(nmp, NFSPROC_NULL, proc0, null)) failed++;
    const together = await Promise.all(Array.from({ length: CALLS }, () => g.nfs_request(nmp, NFSPROC_NULL, proc0, null)));
    failed += together.filter((e) => e !== 0).length;
    const us = Number(process.hrtime.bigint() - t0) / 1000 / (2 * CALLS);
    console.log(`${label}: ${2 * CALLS - failed} of ${2 * CALLS} NULL calls answered, ${us.toFixed(0)} µs each`);
    return failed === 0;
  } finally {
    await g.nfs_unmount(nmp);
    m_freem(nmp.nm_nam);
  }
}

const server = await startGanesha();
let ok = true;
try {
  console.log(`nfs-ganesha on 127.0.0.1, NFS port ${server.ports.nfs}`);
  for (const [name, g] of [['2009 interface', api2009], ['current interface', api2025]] as const) {
    for (const sotype of [SOCK_STREAM, SOCK_DGRAM]) ok = (await exercise(name, g, server.ports.nfs, sotype)) && ok;
  }
  console.log(`requests ${nfsstats.rpcrequests}, retransmits ${nfsstats.rpcretries}, reconnects ${nfsstats.reconnects}`);
} finally {
  await server.stop();
}
process.exitCode = ok ? 0 : 1;
