/*
 * The NFSv4 module against ganesha: a client per test (the suite's server on 2049, or a server of
 * the test's own), destroyed after the test; a scratch directory's handle; COMPOUNDs whose
 * results must all be OK. After each test the socket layer's live-socket count must be back where
 * it was (destroy() and close() release everything).
 */
import { afterEach, expect } from 'vitest';
import { RpcClient } from '../../../rpc/index.js';
import { sostat } from '../../../sockets/index.js';
import { lookup, putfh, getfh } from '../../../nfsclient/nfs4/build.js';
import type { COMPOUND4res, nfs_argop4 } from '../../../nfsclient/nfs4/compound.js';
import { compoundName } from '../../../nfsclient/nfs4/compound.js';
import type { Nfs4MinorVersion } from '../../../nfsclient/nfs4/constants.js';
import { Nfs4Error } from '../../../nfsclient/nfs4/errors.js';
import { lookupExport } from '../../../nfsclient/nfs4/mount-path.js';
import type { Nfs4MountInfo } from '../../../nfsclient/nfs4/mount-path.js';
import { NFS4_OK, nfsstat4Name } from '../../../nfsclient/nfs4/nfsstat4.js';
import { Nfs4Client } from '../../../nfsclient/nfs4/state/client.js';
import type { Nfs4ClientOptions, Nfs4Ctx } from '../../../nfsclient/nfs4/state/client.js';
import { scratchDir } from '../../helpers/scratch.js';
import type { ScratchDir } from '../../helpers/scratch.js';
import { suiteServer } from '../../helpers/server.js';

export const MINOR_VERSIONS: Nfs4MinorVersion[] = [0, 1, 2];

export interface Conn {
  rpc: RpcClient;
  client: Nfs4Client;
  info: Nfs4MountInfo;
  /** Destroy the client and close the RPC client (also done after the test). */
  close(): Promise<void>;
}

const open: Conn[] = [];
let base = sostat.so_live;

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close().catch(() => undefined)));
  expect(sostat.so_live, 'sockets left open by the test').toBe(base);
  base = sostat.so_live;
});

/** A v4 client of `port` (default: the suite's server), established, /export looked up. */
export async function connect(minorversion: Nfs4MinorVersion, o: Partial<Nfs4ClientOptions> & { port?: number } = {}): Promise<Conn> {
  const rpc = new RpcClient({ host: '127.0.0.1', port: o.port ?? suiteServer().ports.nfs, auth: 'sys', resvport: false });
  const client = new Nfs4Client({ rpc, minorversion, ...o });
  let closed: Promise<void> | null = null;
  const conn: Conn = {
    rpc, client, info: undefined as unknown as Nfs4MountInfo,
    close: () => (closed ??= client.destroy().finally(() => rpc.close())),
  };
  open.push(conn);
  await client.establish();
  conn.info = await lookupExport(client, '/export');
  return conn;
}

/** Send `ops`; every result must be OK (else an Nfs4Error naming the failed operation). */
export async function ok<const T extends readonly nfs_argop4[]>(client: Nfs4Client, ops: T, ctx?: Nfs4Ctx): Promise<COMPOUND4res<T>> {
  const res = await client.compound(ops, ctx);
  if (res.status !== NFS4_OK) {
    const n = (res.resarray as readonly unknown[]).length;
    throw new Nfs4Error(res.status, { op: n === 0 ? undefined : compoundName([ops[n - 1]!]), compound: compoundName(ops) });
  }
  return res;
}

/** The status a COMPOUND ends with, by name ('NFS4ERR_NOENT'). */
export async function statusOf(client: Nfs4Client, ops: readonly nfs_argop4[], ctx?: Nfs4Ctx): Promise<string> {
  return nfsstat4Name((await client.compound(ops, ctx)).status);
}

/** A scratch directory of the suite's /export and its handle over `c`. */
export async function scratch(c: Conn): Promise<{ dir: ScratchDir; fh: Buffer }> {
  const dir = await scratchDir();
  const res = await ok(c.client, [putfh(c.info.root), lookup(dir.name), getfh()]);
  return { dir, fh: okOf(res.resarray[2]).resok4.object };
}

/** The OK arm of a result (throws otherwise). */
export function okOf<T extends { status: number }>(r: T | undefined): Extract<T, { status: 0 }> {
  if (r === undefined || r.status !== NFS4_OK) throw new Nfs4Error(r?.status ?? 5, { detail: 'expected an OK result' });
  return r as Extract<T, { status: 0 }>;
}

/** Deterministic bytes: the byte at i is a hash of (i, seed). */
export function pattern(n: number, seed = 0): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}
