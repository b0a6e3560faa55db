/*
 * Mounting the scripted fake server in a test: every mount is unmounted and every fake server
 * closed after the test, and the socket layer's live-socket count must be back where it was.
 */
import { afterEach, expect } from 'vitest';
import { mount } from '../../../nfsclient/index.js';
import type { MountOptions, NfsClient } from '../../../nfsclient/index.js';
import { sostat } from '../../../sockets/index.js';
import { FakeNfs } from './fake-nfs.js';

const mounts: NfsClient[] = [];
const fakes: FakeNfs[] = [];
let base = sostat.so_live;

afterEach(async () => {
  await Promise.all(mounts.splice(0).map((m) => m.umount().catch(() => undefined)));
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  expect(sostat.so_live, 'sockets left open by the test').toBe(base);
  base = sostat.so_live;
});

/** A fake server (closed after the test). */
export async function fakeServer(proto: 'tcp' | 'udp' = 'tcp'): Promise<FakeNfs> {
  const f = await FakeNfs.start(proto);
  fakes.push(f);
  return f;
}

/** A mount of the fake server (unmounted after the test). */
export async function mountFake(fake: FakeNfs, extra: Partial<MountOptions> = {}): Promise<NfsClient> {
  const m = await mount(fake.options(extra as Record<string, unknown>) as Partial<MountOptions>);
  mounts.push(m);
  return m;
}
