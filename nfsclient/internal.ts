/*
 * What cli/ may use beyond nfsclient's public index: the listing with READDIRPLUS attributes
 * behind `ls -l`, `ls`'s mode-bit helpers, the receive buffers `cp` reads a local file into, and
 * the MOUNT and NFS program numbers and export types (public too, as mount3.* and nfs3.*; here
 * without their namespaces, which a bundle would have to build whole). Not part of the package's
 * API (fuse/ and examples/ use the public index only).
 */
export { readdirAttrs } from './client/dirs.js';
export type { EntryAttrs } from './client/dirs.js';
export { readTarget } from './client/aligned.js';
export { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, statNumbers } from './client/stats.js';
export type { StatNumbers } from './client/stats.js';
export { MOUNT_PROGRAM, MOUNT_V3 } from './mount3/constants.js';
export type { exportnode, mountbody } from './mount3/types.js';
export { NFS_PROGRAM, NFS_V3 } from './nfs3/constants.js';
