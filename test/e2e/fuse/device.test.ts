/*
 * The device alone: a reader started before mount(2) attached its descriptor to a connection
 * (reads answer EPERM then) waits for it, and gets INIT once the mount is made.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FuseRequest } from '../../../fuse/codec.js';
import { FuseDevice } from '../../../fuse/device.js';
import { FUSE_INIT } from '../../../fuse/kernel.js';
import { abortConnection, mountAt, mountDevice, umount } from '../../../fuse/mountpoint.js';
import { checkNoMountsLeft, fuseUnavailable, localDir } from './helpers.js';

checkNoMountsLeft();
beforeAll(() => {
  const why = fuseUnavailable();
  if (why !== null) throw new Error(why);
});

describe('FuseDevice', () => {
  it('a reader started before the mount waits for it (EPERM until then) and reads INIT', async () => {
    const dir = localDir('early');
    const dev = new FuseDevice({ maxWrite: 128 * 1024, slots: 2 });
    const requests: FuseRequest[] = [];
    let ended: string | null = null;
    let gotInit!: () => void;
    const init = new Promise<void>((resolve) => {
      gotInit = resolve;
    });
    dev.start({
      request: (r) => {
        requests.push(r);
        if (r.opcode === FUSE_INIT) gotInit();
      },
      end: (code) => {
        ended = code;
      },
      error: () => undefined,
    });
    await new Promise((r) => setTimeout(r, 200)); /* the reader meets EPERM many times meanwhile */
    expect(ended).toBeNull();
    await mountDevice(dev.fd, dir, 'sonfs-test', false);
    const m = mountAt(dir)!;
    try {
      await init;
      expect(requests.map((r) => r.opcode)).toEqual([FUSE_INIT]);
    } finally {
      abortConnection(m.minor);
      await umount(dir, true);
      dev.close();
    }
    expect(mountAt(dir)).toBeUndefined();
  });
});
