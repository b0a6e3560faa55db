/*
 * Mounting the suite's ganesha in the nfsclient end-to-end tests. Every mount made here is
 * unmounted after its test, and the socket layer's live-socket count must then be back where it
 * was before the test (umount releases every socket).
 */
import { afterEach, expect } from 'vitest';
import { mount } from '../../../nfsclient/index.js';
import type { MountOptions, NfsClient } from '../../../nfsclient/index.js';
import { sostat } from '../../../sockets/index.js';
import { scratchDir } from '../../helpers/scratch.js';
import type { ScratchDir } from '../../helpers/scratch.js';
import { suiteServer } from '../../helpers/server.js';

export const PROTOS = ['tcp', 'udp'] as const;
export type Proto = (typeof PROTOS)[number];

const mounts: NfsClient[] = [];
let base = sostat.so_live;

afterEach(async () => {
  await Promise.all(mounts.splice(0).map((m) => m.umount().catch(() => undefined)));
  expect(sostat.so_live, 'sockets left open by the test').toBe(base);
  base = sostat.so_live;
});

/** Mount an export of the suite's server (unmounted after the test). */
export async function mountExport(exportPath: string, options: Partial<MountOptions> = {}): Promise<NfsClient> {
  const m = await mount(suiteServer().url(exportPath), options);
  mounts.push(m);
  return m;
}

/** A scratch directory and /export mounted over `proto`; `p(rel)` is rel's path on the mount. */
export async function scratchMount(proto: Proto = 'tcp', options: Partial<MountOptions> = {}): Promise<{
  nfs: NfsClient; dir: ScratchDir; p: (rel?: string) => string;
}> {
  const dir = await scratchDir();
  const nfs = await mountExport('/export', { proto, ...options });
  return { nfs, dir, p: (rel = '') => (rel === '' ? `/${dir.name}` : `/${dir.name}/${rel}`) };
}

export { rejection } from '../../nfsclient/helpers/rejection.js';

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
