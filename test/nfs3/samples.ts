/* Sample arguments and results (success and failure) for every NFSv3 procedure (RFC 1813 §3.3). */
import {
  EXCLUSIVE, FILE_SYNC, FSF3_CANSETTIME, FSF3_HOMOGENEOUS, FSF3_LINK, FSF3_SYMLINK, GUARDED, NF3BLK, NF3CHR, NF3DIR,
  NF3FIFO, NF3SOCK, UNCHECKED, UNSTABLE,
} from '../../nfsclient/nfs3/constants.js';
import { NFS3ERR_ACCES, NFS3ERR_NOENT, NFS3ERR_NOTSUPP, NFS3_OK } from '../../nfsclient/nfs3/nfsstat3.js';
import type { Nfs3ProcedureName } from '../../nfsclient/nfs3/procs.js';
import { sattr3Of } from '../../nfsclient/nfs3/sattr.js';
import type { wcc_data } from '../../nfsclient/nfs3/attr.js';
import { sampleFattr3 } from './nfs3-arbitraries.js';

const fh = Buffer.from('0011223344556677', 'hex');
const dirFh = Buffer.from('aabbccdd', 'hex');
const where = { dir: dirFh, name: 'new name' };
const wcc: wcc_data = { before: { size: 10n, mtime: { seconds: 1, nseconds: 2 }, ctime: { seconds: 3, nseconds: 4 } }, after: sampleFattr3 };
const wccNone: wcc_data = { before: null, after: null };
const verf = Buffer.from('0102030405060708', 'hex');
const created = { obj: fh, obj_attributes: sampleFattr3, dir_wcc: wcc };

/* For every procedure: sample arguments, and results for success and failure. */
export const samples: Record<Nfs3ProcedureName, { args: unknown[]; res: unknown[] }> = {
  NULL: { args: [undefined], res: [undefined] },
  GETATTR: {
    args: [{ object: fh }],
    res: [{ status: NFS3_OK, resok: { obj_attributes: sampleFattr3 } }, { status: NFS3ERR_NOENT, resfail: undefined }],
  },
  SETATTR: {
    args: [{ object: fh, new_attributes: sattr3Of({ mode: 0o600, uid: 0, gid: 0, size: 1n << 40n }), guard: { seconds: 5, nseconds: 6 } },
      { object: fh, new_attributes: sattr3Of({ atime: { set_it: 1 }, mtime: { set_it: 2, mtime: { seconds: 1, nseconds: 1 } } }), guard: null }],
    res: [{ status: NFS3_OK, resok: { obj_wcc: wcc } }, { status: 10002, resfail: { obj_wcc: wccNone } }],
  },
  LOOKUP: {
    args: [{ what: { dir: dirFh, name: '..' } }],
    res: [{ status: NFS3_OK, resok: { object: fh, obj_attributes: sampleFattr3, dir_attributes: null } }, { status: NFS3ERR_NOENT, resfail: { dir_attributes: sampleFattr3 } }],
  },
  ACCESS: {
    args: [{ object: fh, access: 0x3f }],
    res: [{ status: NFS3_OK, resok: { obj_attributes: null, access: 0x3 } }, { status: NFS3ERR_ACCES, resfail: { obj_attributes: null } }],
  },
  READLINK: {
    args: [{ symlink: fh }],
    res: [{ status: NFS3_OK, resok: { symlink_attributes: sampleFattr3, data: '../target/ü' } }, { status: 22, resfail: { symlink_attributes: null } }],
  },
  READ: {
    args: [{ file: fh, offset: (1n << 32n) + 1n, count: 65536 }],
    res: [{ status: NFS3_OK, resok: { file_attributes: sampleFattr3, count: 5, eof: true, data: Buffer.from('hello') } },
      { status: NFS3_OK, resok: { file_attributes: null, count: 0, eof: true, data: Buffer.alloc(0) } },
      { status: 5, resfail: { file_attributes: null } }],
  },
  WRITE: {
    args: [{ file: fh, offset: 0n, count: 3, stable: UNSTABLE, data: Buffer.from('abc') }, { file: fh, offset: 7n, count: 4096, stable: FILE_SYNC, data: Buffer.alloc(4096, 9) }],
    res: [{ status: NFS3_OK, resok: { file_wcc: wcc, count: 3, committed: FILE_SYNC, verf } }, { status: 28, resfail: { file_wcc: wccNone } }],
  },
  CREATE: {
    args: [{ where, how: { mode: UNCHECKED, obj_attributes: sattr3Of({ mode: 0o644 }) } }, { where, how: { mode: GUARDED, obj_attributes: sattr3Of() } },
      { where, how: { mode: EXCLUSIVE, verf } }],
    res: [{ status: NFS3_OK, resok: created }, { status: NFS3_OK, resok: { obj: null, obj_attributes: null, dir_wcc: wccNone } }, { status: 17, resfail: { dir_wcc: wcc } }],
  },
  MKDIR: { args: [{ where, attributes: sattr3Of({ mode: 0o755 }) }], res: [{ status: NFS3_OK, resok: created }, { status: 17, resfail: { dir_wcc: wcc } }] },
  SYMLINK: {
    args: [{ where, symlink: { symlink_attributes: sattr3Of(), symlink_data: '/some/where' } }],
    res: [{ status: NFS3_OK, resok: created }, { status: 13, resfail: { dir_wcc: wccNone } }],
  },
  MKNOD: {
    args: [{ where, what: { type: NF3CHR, device: { dev_attributes: sattr3Of({ mode: 0o600 }), spec: { specdata1: 1, specdata2: 3 } } } },
      { where, what: { type: NF3BLK, device: { dev_attributes: sattr3Of(), spec: { specdata1: 8, specdata2: 0 } } } },
      { where, what: { type: NF3FIFO, pipe_attributes: sattr3Of({ mode: 0o644 }) } }, { where, what: { type: NF3SOCK, pipe_attributes: sattr3Of() } },
      { where, what: { type: NF3DIR } }],
    res: [{ status: NFS3_OK, resok: created }, { status: 10007, resfail: { dir_wcc: wcc } }],
  },
  REMOVE: { args: [{ object: where }], res: [{ status: NFS3_OK, resok: { dir_wcc: wcc } }, { status: 2, resfail: { dir_wcc: wccNone } }] },
  RMDIR: { args: [{ object: where }], res: [{ status: NFS3_OK, resok: { dir_wcc: wcc } }, { status: 66, resfail: { dir_wcc: wcc } }] },
  RENAME: {
    args: [{ from: where, to: { dir: fh, name: 'other' } }],
    res: [{ status: NFS3_OK, resok: { fromdir_wcc: wcc, todir_wcc: wccNone } }, { status: 18, resfail: { fromdir_wcc: wccNone, todir_wcc: wcc } }],
  },
  LINK: {
    args: [{ file: fh, link: where }],
    res: [{ status: NFS3_OK, resok: { file_attributes: sampleFattr3, linkdir_wcc: wcc } }, { status: 31, resfail: { file_attributes: null, linkdir_wcc: wccNone } }],
  },
  READDIR: {
    args: [{ dir: dirFh, cookie: 0n, cookieverf: Buffer.alloc(8), count: 4096 }],
    res: [{ status: NFS3_OK, resok: { dir_attributes: sampleFattr3, cookieverf: verf, reply: { entries: [{ fileid: 1n, name: '.', cookie: 1n }, { fileid: 2n, name: 'a', cookie: (1n << 63n) + 5n }], eof: false } } },
      { status: NFS3_OK, resok: { dir_attributes: null, cookieverf: verf, reply: { entries: [], eof: true } } },
      { status: 10003, resfail: { dir_attributes: null } }],
  },
  READDIRPLUS: {
    args: [{ dir: dirFh, cookie: 77n, cookieverf: verf, dircount: 1024, maxcount: 8192 }],
    res: [{ status: NFS3_OK, resok: { dir_attributes: null, cookieverf: verf, reply: { entries: [
      { fileid: 3n, name: 'f', cookie: 9n, name_attributes: sampleFattr3, name_handle: fh },
      { fileid: 4n, name: 'g', cookie: 10n, name_attributes: null, name_handle: null }], eof: true } } },
    { status: NFS3ERR_NOTSUPP, resfail: { dir_attributes: sampleFattr3 } }],
  },
  FSSTAT: {
    args: [{ fsroot: fh }],
    res: [{ status: NFS3_OK, resok: { obj_attributes: sampleFattr3, tbytes: 1n << 50n, fbytes: 2n, abytes: 3n, tfiles: 4n, ffiles: 5n, afiles: 6n, invarsec: 0 } },
      { status: 70, resfail: { obj_attributes: null } }],
  },
  FSINFO: {
    args: [{ fsroot: fh }],
    res: [{ status: NFS3_OK, resok: { obj_attributes: null, rtmax: 1 << 20, rtpref: 1 << 20, rtmult: 4096, wtmax: 1 << 20, wtpref: 1 << 20, wtmult: 4096,
      dtpref: 65536, maxfilesize: (1n << 63n) - 1n, time_delta: { seconds: 0, nseconds: 1 }, properties: FSF3_LINK | FSF3_SYMLINK | FSF3_HOMOGENEOUS | FSF3_CANSETTIME } },
    { status: 10006, resfail: { obj_attributes: null } }],
  },
  PATHCONF: {
    args: [{ object: fh }],
    res: [{ status: NFS3_OK, resok: { obj_attributes: sampleFattr3, linkmax: 32000, name_max: 255, no_trunc: true, chown_restricted: true, case_insensitive: false, case_preserving: true } },
      { status: 70, resfail: { obj_attributes: null } }],
  },
  COMMIT: {
    args: [{ file: fh, offset: 0n, count: 0 }],
    res: [{ status: NFS3_OK, resok: { file_wcc: wcc, verf } }, { status: 5, resfail: { file_wcc: wccNone } }],
  },
};
