/*
 * mountstat3 (RFC 1813 §5.1.5) and ONE table mapping each status to a BSD errno and a Node-style
 * code. A status outside the table (a server's invention) maps to EIO.
 */

import { EACCES, EINVAL, EIO, ENAMETOOLONG, ENOENT, ENOTDIR, EOPNOTSUPP, EPERM } from '../../sockets/index.js';

export const mountstat3 = {
  MNT3_OK: 0, /* no error */
  MNT3ERR_PERM: 1, /* Not owner */
  MNT3ERR_NOENT: 2, /* No such file or directory */
  MNT3ERR_IO: 5, /* I/O error */
  MNT3ERR_ACCES: 13, /* Permission denied */
  MNT3ERR_NOTDIR: 20, /* Not a directory */
  MNT3ERR_INVAL: 22, /* Invalid argument */
  MNT3ERR_NAMETOOLONG: 63, /* Filename too long */
  MNT3ERR_NOTSUPP: 10004, /* Operation not supported */
  MNT3ERR_SERVERFAULT: 10006, /* A failure on the server */
} as const;
export type mountstat3 = (typeof mountstat3)[keyof typeof mountstat3];
export const {
  MNT3_OK, MNT3ERR_PERM, MNT3ERR_NOENT, MNT3ERR_IO, MNT3ERR_ACCES, MNT3ERR_NOTDIR, MNT3ERR_INVAL,
  MNT3ERR_NAMETOOLONG, MNT3ERR_NOTSUPP, MNT3ERR_SERVERFAULT,
} = mountstat3;

export interface StatusErrno {
  /** BSD errno (sockets/errno.ts). */
  errno: number;
  /** Node-style error code ('ENOENT' ...). */
  code: string;
  /** The RFC's name of the status. */
  name: string;
}

const table = new Map<number, StatusErrno>([
  [MNT3ERR_PERM, { errno: EPERM, code: 'EPERM', name: 'MNT3ERR_PERM' }],
  [MNT3ERR_NOENT, { errno: ENOENT, code: 'ENOENT', name: 'MNT3ERR_NOENT' }],
  [MNT3ERR_IO, { errno: EIO, code: 'EIO', name: 'MNT3ERR_IO' }],
  [MNT3ERR_ACCES, { errno: EACCES, code: 'EACCES', name: 'MNT3ERR_ACCES' }],
  [MNT3ERR_NOTDIR, { errno: ENOTDIR, code: 'ENOTDIR', name: 'MNT3ERR_NOTDIR' }],
  [MNT3ERR_INVAL, { errno: EINVAL, code: 'EINVAL', name: 'MNT3ERR_INVAL' }],
  [MNT3ERR_NAMETOOLONG, { errno: ENAMETOOLONG, code: 'ENAMETOOLONG', name: 'MNT3ERR_NAMETOOLONG' }],
  /* EOPNOTSUPP rather than libnfs's EINVAL, as for NFS3ERR_NOTSUPP. */
  [MNT3ERR_NOTSUPP, { errno: EOPNOTSUPP, code: 'EOPNOTSUPP', name: 'MNT3ERR_NOTSUPP' }],
  [MNT3ERR_SERVERFAULT, { errno: EIO, code: 'EIO', name: 'MNT3ERR_SERVERFAULT' }],
]);

/**
 * The errno, code and name of a failed mountstat3 (MNT3_OK has none: it is not an error; asking
 * for it, or for an unknown value, gives EIO).
 */
export function mountstat3Errno(status: number): StatusErrno {
  return table.get(status) ?? { errno: EIO, code: 'EIO', name: status === MNT3_OK ? 'MNT3_OK' : `mountstat3(${status})` };
}
