/*
 * NfsError: the high tier's errors, shaped like Node's fs errors so code written for
 * node:fs/promises handles them unchanged: `code` ('ENOENT'), `syscall` ('open'), `path`,
 * `dest` (rename/link/symlink), and a message in Node's form
 * "ENOENT: no such file or directory, open '/a.txt'".
 *
 * `errno` is the BSD errno value (sockets/errno.ts), positive, the same on every platform —
 * not Node's negative libuv number. `nfsstat3` is the server's status when one caused the error,
 * and `cause` the underlying RpcError or host error when there is one.
 */

import { EIO, errno as errnoTable, errnoName, strerror } from '../sockets/index.js';
import { RpcError } from '../rpc/index.js';
import { nfsstat3Errno } from './nfs3/nfsstat3.js';

/* libuv's wording for the codes a filesystem client meets, so messages read as Node's do. */
const uvMessages: Record<string, string> = {
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  EIO: 'i/o error',
  ENXIO: 'no such device or address',
  EBADF: 'bad file descriptor',
  EAGAIN: 'resource temporarily unavailable',
  EACCES: 'permission denied',
  EEXIST: 'file already exists',
  EXDEV: 'cross-device link not permitted',
  ENODEV: 'no such device',
  ENOTDIR: 'not a directory',
  EISDIR: 'illegal operation on a directory',
  EINVAL: 'invalid argument',
  EFBIG: 'file too large',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EMLINK: 'too many links',
  ENAMETOOLONG: 'name too long',
  ENOTEMPTY: 'directory not empty',
  ELOOP: 'too many symbolic links encountered',
  EDQUOT: 'disk quota exceeded',
  ESTALE: 'stale file handle',
  ETIMEDOUT: 'connection timed out',
  EINTR: 'interrupted system call',
  EOPNOTSUPP: 'operation not supported on socket',
  ENOTSUP: 'operation not supported',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ENOTCONN: 'socket is not connected',
  EREMOTE: 'object is remote',
};

export interface NfsErrorDetails {
  syscall: string;
  path?: string | undefined;
  dest?: string | undefined;
  /** The NFSv3 status that caused it, if any. */
  nfsstat3?: number | undefined;
  cause?: unknown;
  /** A more specific explanation, appended to the message. */
  detail?: string | undefined;
}

export class NfsError extends Error {
  override name = 'NfsError';
  /** Node-style code: 'ENOENT', 'ESTALE', 'ETIMEDOUT' ... */
  readonly code: string;
  /** BSD errno value (positive). */
  readonly errno: number;
  readonly syscall: string;
  readonly path: string | undefined;
  readonly dest: string | undefined;
  readonly nfsstat3: number | undefined;
  /** The explanation appended to the message in parentheses, if any (which export, which address ...). */
  readonly detail: string | undefined;

  constructor(errno: number, d: NfsErrorDetails) {
    const code = errnoName(errno);
    let msg = `${code}: ${uvMessages[code] ?? strerror(errno).toLowerCase()}, ${d.syscall}`;
    if (d.path !== undefined) msg += ` '${d.path}'`;
    if (d.dest !== undefined) msg += ` -> '${d.dest}'`;
    if (d.detail !== undefined) msg += ` (${d.detail})`;
    super(msg, d.cause === undefined ? undefined : { cause: d.cause });
    this.code = code;
    this.errno = errno;
    this.syscall = d.syscall;
    this.path = d.path;
    this.dest = d.dest;
    this.nfsstat3 = d.nfsstat3;
    this.detail = d.detail;
  }

  /** An error for a failed NFSv3 status, mapped through the one nfsstat3 table. */
  static fromStatus(status: number, d: NfsErrorDetails): NfsError {
    const m = nfsstat3Errno(status);
    return new NfsError(m.errno, { ...d, nfsstat3: status, detail: d.detail ?? m.name });
  }

  /** An error from anything thrown below the high tier (RpcError, host error, NfsError). */
  static from(err: unknown, d: NfsErrorDetails): NfsError {
    if (err instanceof NfsError) return err;
    if (RpcError.isRpcError(err)) {
      return new NfsError(err.errno, { ...d, cause: err, detail: d.detail ?? err.message });
    }
    const code = (err as { code?: unknown } | null)?.code;
    const message = (err as { message?: unknown } | null)?.message;
    return new NfsError(typeof code === 'string' && code in uvMessages ? codeToErrno(code) : EIO, {
      ...d,
      cause: err,
      detail: d.detail ?? (typeof message === 'string' ? message : String(err)),
    });
  }
}

function codeToErrno(code: string): number {
  return (errnoTable as Record<string, number>)[code] ?? EIO;
}

/** True for an NfsError with the given code (works across two loaded copies of the package). */
export function isNfsError(err: unknown, code?: string): err is NfsError {
  return (
    typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'NfsError' &&
    (code === undefined || (err as { code?: unknown }).code === code)
  );
}
