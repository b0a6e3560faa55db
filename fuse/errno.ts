/*
 * Errors as the kernel takes them: Linux's positive errno values (a FUSE reply carries -errno).
 * The NFS client's errors carry Node's codes ('ENOENT', 'ESTALE' ...), whose Linux values
 * os.constants.errno gives on this platform; anything without an errno code is EIO (and worth a
 * log line: it is a bug or a surprise, not a file system answer).
 */
import { constants } from 'node:os';

const E = constants.errno as Record<string, number>;

export const ENOENT = E['ENOENT']!;
export const EIO = E['EIO']!;
export const EINTR = E['EINTR']!;
export const EINVAL = E['EINVAL']!;
export const ENOSYS = E['ENOSYS']!;
export const ESTALE = E['ESTALE']!;
export const EBADF = E['EBADF']!;
export const EROFS = E['EROFS']!;
export const EPROTO = E['EPROTO']!;
export const EFBIG = E['EFBIG']!;
export const EOPNOTSUPP = E['EOPNOTSUPP']!;
export const ENOTDIR = E['ENOTDIR']!;

/** Node's error codes that are not errno names, and what they mean to a file system caller. */
const NODE_CODES: Record<string, number> = {
  ERR_FS_FILE_TOO_LARGE: EFBIG,
  ERR_INVALID_ARG_VALUE: EINVAL,
  ERR_INVALID_ARG_TYPE: EINVAL,
  ERR_OUT_OF_RANGE: EINVAL,
};

/** The Linux errno for an error thrown by the client, or null when it has no errno meaning. */
export function errnoOf(err: unknown): number | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  return E[code] ?? NODE_CODES[code] ?? null;
}
