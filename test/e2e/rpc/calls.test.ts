/*
 * The RPC client against the real servers of the shared suite container: NULL calls to NFS v3
 * and MOUNT v3 over TCP and UDP, and the error replies real servers give — PROG_UNAVAIL,
 * PROG_MISMATCH with the supported range, PROC_UNAVAIL — as typed errors.
 */
import { afterEach, describe, expect, test } from 'vitest';
import {
  EPROCUNAVAIL, EPROGMISMATCH, EPROGUNAVAIL, sostat,
} from '../../../sockets/index.js';
import { RpcClient } from '../../../rpc/client/index.js';
import type { RpcProto } from '../../../rpc/client/index.js';
import { RpcProcUnavailError, RpcProgMismatchError, RpcProgUnavailError } from '../../../rpc/errors.js';
import { host, ports } from './helpers.js';

const NFS_PROGRAM = 100003;
const MOUNT_PROGRAM = 100005;
const clients: RpcClient[] = [];
const base = sostat.so_live;

function client(port: number, proto: RpcProto): RpcClient {
  const c = new RpcClient({ host, port, proto, hard: false, timeo: proto === 'udp' ? 10 : 50, retrans: 3 });
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  expect(sostat.so_live).toBe(base);
});

describe.each(['tcp', 'udp'] as const)('over %s', (proto) => {
  test('NULL to NFS v3 and MOUNT v3 is answered', async () => {
    const nfs = client(ports().nfs, proto);
    const mnt = client(ports().mount, proto);
    await expect(nfs.ping(NFS_PROGRAM, 3)).resolves.toBeUndefined();
    await expect(mnt.ping(MOUNT_PROGRAM, 3)).resolves.toBeUndefined();
    expect(nfs.stats.replies).toBe(1);
    expect(mnt.stats.replies).toBe(1);
  });

  test('an unregistered program is PROG_UNAVAIL (EPROGUNAVAIL) from ganesha and from rpcbind', async () => {
    for (const port of [ports().nfs, ports().rpcbind]) {
      const c = client(port, proto);
      const e = await c.ping(100099, 1).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RpcProgUnavailError);
      expect((e as RpcProgUnavailError).errno).toBe(EPROGUNAVAIL);
      expect((e as RpcProgUnavailError).call).toMatchObject({ prog: 100099, vers: 1, proc: 0 });
    }
  });

  test('NFS version 5 is PROG_MISMATCH with the range ganesha supports (3..4)', async () => {
    const e = await client(ports().nfs, proto).ping(NFS_PROGRAM, 5).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcProgMismatchError);
    expect(e).toMatchObject({ low: 3, high: 4, errno: EPROGMISMATCH, code: 'ERR_RPC_PROG_MISMATCH' });
  });

  test('procedure 99 of NFS v3 is PROC_UNAVAIL (EPROCUNAVAIL)', async () => {
    const e = await client(ports().nfs, proto).call(NFS_PROGRAM, 3, 99, null, null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcProcUnavailError);
    expect((e as RpcProcUnavailError).errno).toBe(EPROCUNAVAIL);
  });

  test('64 NULL calls in flight at once are all answered, matched by xid', async () => {
    const c = client(ports().nfs, proto);
    await Promise.all(Array.from({ length: 64 }, () => c.ping(NFS_PROGRAM, 3)));
    expect(c.stats.replies).toBe(64);
    expect(c.stats.strayReplies + c.stats.badReplies).toBe(0);
  });
});
