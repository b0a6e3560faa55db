/*
 * sonfs: an NFSv3 client (RFC 1813) with MOUNT v3, in TypeScript, on the sonfs RPC client and
 * kernel socket layer. The package's main entry:
 *
 *     import { mount } from 'sonfs';
 *     const nfs = await mount('nfs://127.0.0.1/export?nfsport=2049&mountport=20048&version=3');
 *     await nfs.writeFile('/a.txt', 'hello');
 *     await nfs.umount();
 *
 * See docs/nfsclient.md.
 */
export { mount, mountUrl, listExports, resolveMountOptions, CLIENT_MAX_IO, CLIENT_MAX_IO_UDP } from './client/mount.js';
export type { ListExportsOptions, MountedUrl } from './client/mount.js';
export { NfsClient, DEFAULT_DIR_MODE, DEFAULT_FILE_MODE } from './client/client.js';
export type {
  MkdirOptions, MknodType, NfsClientStats, OpenOptions, ReaddirOptions, RmOptions, StatOptions,
} from './client/client.js';
export { NfsFileHandle } from './client/file-handle.js';
export type {
  FileReadResult, FileWriteResult, ReadFileOptions, ReadOptions, WriteData, WriteFileOptions,
} from './client/file-handle.js';
export { NfsReadStream, NfsWriteStream } from './client/streams.js';
export type { ReadStreamOptions, WriteStreamOptions } from './client/streams.js';
export { NfsBigIntStats, NfsDirent, NfsStats } from './client/stats.js';
export type { NfsStatFs } from './client/stats.js';
export type { MountLimits } from './client/session.js';
export type { NfsCounters } from './client/counters.js';
export type { TimeLike } from './client/time.js';
export { MAX_COMMIT_ROUNDS, COMMIT_BYTES } from './client/write-behind.js';
export { NfsError, isNfsError } from './errors.js';
export type { NfsErrorDetails } from './errors.js';
export {
  MOUNT_OPTION_NAMES, MountOptionError, defaultMountOptions, mountOptions, parseNfsUrl, setMountOption,
} from './options.js';
export type { LookupCache, MountOptions, NfsUrl, Proto } from './options.js';
export { MAXSYMLINKS } from './path.js';
/* Names as the client gives and takes them: bytes that are not UTF-8 as escapes (see docs). */
export { utf8bDecode as nameFromBytes, utf8bEncode as nameToBytes } from '../rpc/index.js';
/* The raw tier and the wire types, for callers who want the protocol itself. */
export { Mount3, Nfs3 } from './raw/index.js';
export type { Nfs3Args, Nfs3CallObserver, Nfs3Res, RawCallOptions, TrackedResult } from './raw/index.js';
export * as nfs3 from './nfs3/index.js';
export * as mount3 from './mount3/index.js';
