import { describe, expect, it } from 'vitest';
import * as E from '../../sockets/errno.js';
import { nfsstat3, nfsstat3Errno, nfsstat3Name } from '../../nfsclient/nfs3/nfsstat3.js';

describe('nfsstat3 → errno (RFC 1813 §2.6)', () => {
  it('has the RFC\'s values', () => {
    expect(nfsstat3).toMatchObject({
      NFS3_OK: 0, NFS3ERR_PERM: 1, NFS3ERR_NOENT: 2, NFS3ERR_IO: 5, NFS3ERR_NXIO: 6, NFS3ERR_ACCES: 13, NFS3ERR_EXIST: 17,
      NFS3ERR_XDEV: 18, NFS3ERR_NODEV: 19, NFS3ERR_NOTDIR: 20, NFS3ERR_ISDIR: 21, NFS3ERR_INVAL: 22, NFS3ERR_FBIG: 27,
      NFS3ERR_NOSPC: 28, NFS3ERR_ROFS: 30, NFS3ERR_MLINK: 31, NFS3ERR_NAMETOOLONG: 63, NFS3ERR_NOTEMPTY: 66,
      NFS3ERR_DQUOT: 69, NFS3ERR_STALE: 70, NFS3ERR_REMOTE: 71, NFS3ERR_BADHANDLE: 10001, NFS3ERR_NOT_SYNC: 10002,
      NFS3ERR_BAD_COOKIE: 10003, NFS3ERR_NOTSUPP: 10004, NFS3ERR_TOOSMALL: 10005, NFS3ERR_SERVERFAULT: 10006,
      NFS3ERR_BADTYPE: 10007, NFS3ERR_JUKEBOX: 10008,
    });
    expect(Object.keys(nfsstat3).length).toBe(29);
  });

  it('maps every error status to a BSD errno and its Node-style code', () => {
    const expected: [number, number, string][] = [
      [1, E.EPERM, 'EPERM'], [2, E.ENOENT, 'ENOENT'], [5, E.EIO, 'EIO'], [6, E.ENXIO, 'ENXIO'], [13, E.EACCES, 'EACCES'],
      [17, E.EEXIST, 'EEXIST'], [18, E.EXDEV, 'EXDEV'], [19, E.ENODEV, 'ENODEV'], [20, E.ENOTDIR, 'ENOTDIR'],
      [21, E.EISDIR, 'EISDIR'], [22, E.EINVAL, 'EINVAL'], [27, E.EFBIG, 'EFBIG'], [28, E.ENOSPC, 'ENOSPC'],
      [30, E.EROFS, 'EROFS'], [31, E.EMLINK, 'EMLINK'], [63, E.ENAMETOOLONG, 'ENAMETOOLONG'], [66, E.ENOTEMPTY, 'ENOTEMPTY'],
      [69, E.EDQUOT, 'EDQUOT'], [70, E.ESTALE, 'ESTALE'], [71, E.EREMOTE, 'EREMOTE'], [10001, E.EIO, 'EIO'],
      [10002, E.EIO, 'EIO'], [10003, E.EIO, 'EIO'], [10004, E.EOPNOTSUPP, 'EOPNOTSUPP'], [10005, E.EIO, 'EIO'],
      [10006, E.EIO, 'EIO'], [10007, E.EINVAL, 'EINVAL'], [10008, E.EAGAIN, 'EAGAIN'],
    ];
    for (const [status, errno, code] of expected) {
      expect(nfsstat3Errno(status), nfsstat3Name(status)).toMatchObject({ errno, code, name: nfsstat3Name(status) });
    }
    expect(expected.length).toBe(28);
    expect(E.EOPNOTSUPP).toBe(45);
    expect(E.EAGAIN).toBe(35);
  });

  it('gives EIO for statuses the RFC does not list', () => {
    expect(nfsstat3Errno(12345)).toEqual({ errno: E.EIO, code: 'EIO', name: 'nfsstat3(12345)' });
    expect(nfsstat3Name(70)).toBe('NFS3ERR_STALE');
  });
});
