/*
 * Bookkeeping shared by the reliability tests: every mount, proxy and server made through these
 * helpers is closed after the test, and the socket layer's own accounting (sostat.so_live:
 * sockets not freed; host_live: host handles open) must then be back where it was.
 */
import { afterEach, expect } from 'vitest';
import { mount } from '../../../nfsclient/index.js';
import type { MountOptions, NfsClient } from '../../../nfsclient/index.js';
import { sostat } from '../../../sockets/index.js';

type Closable = { close(): Promise<void> } | { stop(): Promise<void> };

const mounts: NfsClient[] = [];
const closables: Closable[] = [];
let base = { so: sostat.so_live, host: sostat.host_live };

afterEach(async () => {
  await Promise.all(mounts.splice(0).map((m) => m.umount().catch(() => undefined)));
  await Promise.all(closables.splice(0).reverse().map((c) => ('close' in c ? c.close() : c.stop()).catch(() => undefined)));
  expect(sostat.so_live, 'sockets left open by the test').toBe(base.so);
  /* A gracefully closed TCP connection keeps its host handle until the host has finished the
   * close, shortly after soclose returned (docs/sockets.md): wait for that, boundedly. */
  for (let i = 0; i < 250 && sostat.host_live > base.host; i++) await sleep(20);
  expect(sostat.host_live, 'host handles left open by the test').toBe(base.host);
  base = { so: sostat.so_live, host: sostat.host_live };
});

/** mount() whose client is unmounted after the test. */
export async function mounted(url: string, overrides: Partial<MountOptions> = {}): Promise<NfsClient> {
  const m = await mount(url, overrides);
  mounts.push(m);
  return m;
}

/** Close (or stop) `c` after the test, after the mounts. */
export function closeLater<T extends Closable>(c: T): T {
  closables.push(c);
  return c;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `cond` until it holds; throws after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 30_000, what = 'a condition'): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}
