import { describe, expect, it } from 'vitest';
import * as E from '../../sockets/errno.js';
import { NFS4_ERRORS, nfsstat4, nfsstat4Errno, nfsstat4Name } from '../../nfsclient/nfs4/nfsstat4.js';
import { Nfs4Error } from '../../nfsclient/nfs4/errors.js';

describe('nfsstat4 → errno (RFC 7530 §13, RFC 8881 §15, RFC 7862 §11)', () => {
  it('has the RFCs\' values, 4.0 from 0 to 10048, 4.1 to 10087, 4.2 to 10096', () => {
    expect(nfsstat4).toMatchObject({
      NFS4_OK: 0, NFS4ERR_PERM: 1, NFS4ERR_NOENT: 2, NFS4ERR_ACCESS: 13, NFS4ERR_STALE: 70, NFS4ERR_BADHANDLE: 10001,
      NFS4ERR_DELAY: 10008, NFS4ERR_EXPIRED: 10011, NFS4ERR_GRACE: 10013, NFS4ERR_RESOURCE: 10018,
      NFS4ERR_STALE_CLIENTID: 10022, NFS4ERR_BAD_STATEID: 10025, NFS4ERR_BAD_SEQID: 10026, NFS4ERR_OP_ILLEGAL: 10044,
      NFS4ERR_CB_PATH_DOWN: 10048, NFS4ERR_BADSESSION: 10052, NFS4ERR_BADSLOT: 10053, NFS4ERR_SEQ_MISORDERED: 10063,
      NFS4ERR_RETRY_UNCACHED_REP: 10068, NFS4ERR_HASH_ALG_UNSUPP: 10072, NFS4ERR_CLIENTID_BUSY: 10074,
      NFS4ERR_SEQ_FALSE_RETRY: 10076, NFS4ERR_BAD_HIGH_SLOT: 10077, NFS4ERR_DEADSESSION: 10078,
      NFS4ERR_DELEG_REVOKED: 10087, NFS4ERR_XATTR2BIG: 10096,
    });
    /* 10002 (NOT_SYNC) and 10073 are not nfsstat4 values; NFS3ERR_NODEV (19) and REMOTE (71) neither. */
    const values = Object.values(nfsstat4) as number[];
    expect(values).not.toContain(10002);
    expect(values).not.toContain(10073);
    expect(values).not.toContain(19);
    expect(new Set(values).size).toBe(values.length);
  });

  it('maps every error status to an errno whose name is its code', () => {
    for (const s of NFS4_ERRORS) {
      const e = nfsstat4Errno(s);
      expect(e.name, String(s)).toBe(nfsstat4Name(s));
      expect(e.name).toMatch(/^NFS4ERR_/);
      expect(E.errnoName(e.errno)).toBe(e.code);
    }
  });

  it('maps the statuses with POSIX counterparts to them', () => {
    const expected: [number, string][] = [
      [1, 'EPERM'], [2, 'ENOENT'], [5, 'EIO'], [13, 'EACCES'], [17, 'EEXIST'], [18, 'EXDEV'], [20, 'ENOTDIR'], [21, 'EISDIR'],
      [22, 'EINVAL'], [27, 'EFBIG'], [28, 'ENOSPC'], [30, 'EROFS'], [31, 'EMLINK'], [63, 'ENAMETOOLONG'], [66, 'ENOTEMPTY'],
      [69, 'EDQUOT'], [70, 'ESTALE'], [10004, 'EOPNOTSUPP'], [10008, 'EAGAIN'], [10013, 'EAGAIN'], [10014, 'ESTALE'],
      [10015, 'EACCES'], [10021, 'EPROTONOSUPPORT'], [10029, 'ELOOP'], [10038, 'EBADF'], [10045, 'EDEADLK'],
      [10046, 'EBUSY'], [10095, 'ENOATTR'],
    ];
    for (const [s, code] of expected) expect(nfsstat4Errno(s).code, nfsstat4Name(s)).toBe(code);
  });

  it('gives EIO for statuses no RFC lists', () => {
    expect(nfsstat4Errno(12345)).toEqual({ errno: E.EIO, code: 'EIO', name: 'nfsstat4(12345)' });
  });

  it('makes errors that name the status, the operation and the COMPOUND', () => {
    const e = new Nfs4Error(2, { op: 'LOOKUP', compound: 'SEQUENCE PUTFH LOOKUP', detail: "looking up 'x'" });
    expect(e).toMatchObject({ status: 2, code: 'ENOENT', errno: E.ENOENT, statusName: 'NFS4ERR_NOENT', op: 'LOOKUP' });
    expect(e.message).toBe("NFS4ERR_NOENT from LOOKUP in COMPOUND SEQUENCE PUTFH LOOKUP (looking up 'x')");
  });
});
