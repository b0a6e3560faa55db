/*
 * sonfs's FUSE front end ('sonfs/fuse'): an NFS export as a local directory (`sonfs mount`). A
 * FUSE server in TypeScript on /dev/fuse, with no native code, over the NFS client's public API.
 * Root only. See docs/fuse.md.
 *
 *     import { mount } from 'sonfs';
 *     import { mountFuse } from 'sonfs/fuse';
 *     const nfs = await mount('nfs://127.0.0.1/export');
 *     const m = await mountFuse(nfs, '/mnt/export');
 *     // ... /mnt/export is the export ...
 *     await m.unmount();
 *     await nfs.umount();
 */
export { FuseMount, mountFuse } from './mount.js';
export type { FuseMountOptions } from './mount.js';
export type { ServerStats } from './server.js';
export {
  FSTYPE, abortConnection, mountAt, mountPath, mounts, umount,
} from './mountpoint.js';
export type { MountInfo, RunResult } from './mountpoint.js';
export { OPCODE_NAMES } from './kernel.js';
