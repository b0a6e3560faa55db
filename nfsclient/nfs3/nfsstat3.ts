/*
 * nfsstat3 (RFC 1813 §2.6) and ONE table from each status to a BSD errno (sockets/errno.ts) and a
 * Node-style code, in the manner of libnfs's nfsstat3_to_errno. Departures from libnfs are marked.
 * Statuses the client handles itself before they reach a caller are marked too; the table still
 * gives them an errno for when the handling gives up.
 */

import {
  EACCES, EAGAIN, EDQUOT, EEXIST, EFBIG, EINVAL, EIO, EISDIR, EMLINK, ENAMETOOLONG, ENODEV, ENOENT, ENOSPC, ENOTDIR,
  ENOTEMPTY, ENXIO, EOPNOTSUPP, EPERM, EREMOTE, EROFS, errnoName, ESTALE, EXDEV,
} from '../../sockets/index.js';

export const nfsstat3 = {
  NFS3_OK: 0,
  NFS3ERR_PERM: 1,
  NFS3ERR_NOENT: 2,
  NFS3ERR_IO: 5,
  NFS3ERR_NXIO: 6,
  NFS3ERR_ACCES: 13,
  NFS3ERR_EXIST: 17,
  NFS3ERR_XDEV: 18,
  NFS3ERR_NODEV: 19,
  NFS3ERR_NOTDIR: 20,
  NFS3ERR_ISDIR: 21,
  NFS3ERR_INVAL: 22,
  NFS3ERR_FBIG: 27,
  NFS3ERR_NOSPC: 28,
  NFS3ERR_ROFS: 30,
  NFS3ERR_MLINK: 31,
  NFS3ERR_NAMETOOLONG: 63,
  NFS3ERR_NOTEMPTY: 66,
  NFS3ERR_DQUOT: 69,
  NFS3ERR_STALE: 70,
  NFS3ERR_REMOTE: 71,
  NFS3ERR_BADHANDLE: 10001,
  NFS3ERR_NOT_SYNC: 10002,
  NFS3ERR_BAD_COOKIE: 10003,
  NFS3ERR_NOTSUPP: 10004,
  NFS3ERR_TOOSMALL: 10005,
  NFS3ERR_SERVERFAULT: 10006,
  NFS3ERR_BADTYPE: 10007,
  NFS3ERR_JUKEBOX: 10008,
} as const;
export type nfsstat3 = (typeof nfsstat3)[keyof typeof nfsstat3];
/** Every status but NFS3_OK. A decoded status may also be a number the RFC does not list. */
export type nfsstat3_error = Exclude<nfsstat3, typeof NFS3_OK>;
export const {
  NFS3_OK, NFS3ERR_PERM, NFS3ERR_NOENT, NFS3ERR_IO, NFS3ERR_NXIO, NFS3ERR_ACCES, NFS3ERR_EXIST, NFS3ERR_XDEV,
  NFS3ERR_NODEV, NFS3ERR_NOTDIR, NFS3ERR_ISDIR, NFS3ERR_INVAL, NFS3ERR_FBIG, NFS3ERR_NOSPC, NFS3ERR_ROFS,
  NFS3ERR_MLINK, NFS3ERR_NAMETOOLONG, NFS3ERR_NOTEMPTY, NFS3ERR_DQUOT, NFS3ERR_STALE, NFS3ERR_REMOTE,
  NFS3ERR_BADHANDLE, NFS3ERR_NOT_SYNC, NFS3ERR_BAD_COOKIE, NFS3ERR_NOTSUPP, NFS3ERR_TOOSMALL,
  NFS3ERR_SERVERFAULT, NFS3ERR_BADTYPE, NFS3ERR_JUKEBOX,
} = nfsstat3;

export interface NfsStatusErrno {
  /** BSD errno value. */
  errno: number;
  /** Node-style code: the errno's name ('ENOENT', 'ESTALE' ...). */
  code: string;
  /** The RFC name of the status ('NFS3ERR_NOENT'). */
  name: string;
}

/* status → errno. The one table. */
const toErrno: ReadonlyArray<readonly [nfsstat3_error, number]> = [
  [NFS3ERR_PERM, EPERM],
  [NFS3ERR_NOENT, ENOENT],
  [NFS3ERR_IO, EIO],
  [NFS3ERR_NXIO, ENXIO],
  [NFS3ERR_ACCES, EACCES],
  [NFS3ERR_EXIST, EEXIST],
  [NFS3ERR_XDEV, EXDEV],
  [NFS3ERR_NODEV, ENODEV],
  [NFS3ERR_NOTDIR, ENOTDIR],
  [NFS3ERR_ISDIR, EISDIR],
  [NFS3ERR_INVAL, EINVAL],
  [NFS3ERR_FBIG, EFBIG],
  [NFS3ERR_NOSPC, ENOSPC],
  [NFS3ERR_ROFS, EROFS],
  [NFS3ERR_MLINK, EMLINK],
  [NFS3ERR_NAMETOOLONG, ENAMETOOLONG],
  [NFS3ERR_NOTEMPTY, ENOTEMPTY],
  [NFS3ERR_DQUOT, EDQUOT],
  [NFS3ERR_STALE, ESTALE], /* the client purges its caches for the handle first */
  [NFS3ERR_REMOTE, EREMOTE],
  [NFS3ERR_BADHANDLE, EIO], /* a handle the server cannot parse: a client bug or garbage */
  [NFS3ERR_NOT_SYNC, EIO], /* SETATTR guard mismatch */
  [NFS3ERR_BAD_COOKIE, EIO], /* the client restarts the listing from cookie 0 first */
  /* Departure from libnfs (EINVAL): "operation not supported" says what happened. */
  [NFS3ERR_NOTSUPP, EOPNOTSUPP],
  [NFS3ERR_TOOSMALL, EIO], /* the client retries READDIR with a larger count first */
  [NFS3ERR_SERVERFAULT, EIO],
  /* MKNOD of a type the server does not support: mknod(2) answers EINVAL for a bad type. */
  [NFS3ERR_BADTYPE, EINVAL],
  /* "Try again later": the client waits and retries; EAGAIN only if it gives up (soft mount, signal). */
  [NFS3ERR_JUKEBOX, EAGAIN],
];

const names = new Map<number, string>(Object.entries(nfsstat3).map(([k, v]) => [v, k]));
const table = new Map<number, NfsStatusErrno>(
  toErrno.map(([status, e]) => [status, Object.freeze({ errno: e, code: errnoName(e), name: names.get(status)! })]),
);

/** The RFC name of a status, or `nfsstat3(<n>)` for one it does not list. */
export function nfsstat3Name(status: number): string {
  return names.get(status) ?? `nfsstat3(${status})`;
}

/**
 * errno, code and name for a failed status. NFS3_OK is not an error; it, and any status the RFC
 * does not list, gives EIO.
 */
export function nfsstat3Errno(status: number): NfsStatusErrno {
  return table.get(status) ?? { errno: EIO, code: 'EIO', name: nfsstat3Name(status) };
}
