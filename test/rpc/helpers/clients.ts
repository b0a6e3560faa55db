/*
 * Client bookkeeping for the rpc/ loopback tests: every RpcClient made through `client()` is
 * closed after the test, and the socket layer's live-socket count must be back where it was.
 */
import { afterEach, expect } from 'vitest';
import { RpcClient } from '../../../rpc/client/index.js';
import type { RpcClientOptions } from '../../../rpc/client/index.js';
import { sostat } from '../../../sockets/index.js';
import type { FakeRpcServer } from './fake-rpc-server.js';

const clients: RpcClient[] = [];
const servers: FakeRpcServer[] = [];
let base = sostat.so_live;

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  expect(sostat.so_live, 'sockets left open by the test').toBe(base);
  base = sostat.so_live;
});

/** A client of `server` (closed after the test). Options default to quick soft-free timing. */
export function client(server: FakeRpcServer | { port: number; proto: 'tcp' | 'udp' }, options: Partial<RpcClientOptions> = {}): RpcClient {
  const c = new RpcClient({ host: '127.0.0.1', port: server.port, proto: server.proto, ...options });
  clients.push(c);
  return c;
}

/** Register a server to be closed after the test. */
export function serve<T extends FakeRpcServer>(s: T): T {
  servers.push(s);
  return s;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `cond` every 10 ms until it holds (or fail after `ms`). */
export async function until(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The u32 results codec most tests use: the fake server echoes the arguments. */
export const u32 = {
  encode: (w: { uint(v: number): void }, v: number): void => w.uint(v),
  decode: (r: { uint(): number }): number => r.uint(),
};
