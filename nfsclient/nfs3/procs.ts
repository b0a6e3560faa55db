/*
 * The NFSv3 procedure table (RFC 1813 §3.3): number → RFC name, argument codec, result codec, so
 * the raw tier and tracing are table-driven. READ's entry decodes data as a Buffer; the raw tier
 * may substitute READ3res_mbuf or READ3res_into(buf, off) for zero-copy reads.
 */

import { rpcProcedure, xdr_void } from '../../rpc/index.js';
import {
  NFSPROC3_ACCESS, NFSPROC3_COMMIT, NFSPROC3_CREATE, NFSPROC3_FSINFO, NFSPROC3_FSSTAT, NFSPROC3_GETATTR,
  NFSPROC3_LINK, NFSPROC3_LOOKUP, NFSPROC3_MKDIR, NFSPROC3_MKNOD, NFSPROC3_NULL, NFSPROC3_PATHCONF,
  NFSPROC3_READ, NFSPROC3_READDIR, NFSPROC3_READDIRPLUS, NFSPROC3_READLINK, NFSPROC3_REMOVE, NFSPROC3_RENAME,
  NFSPROC3_RMDIR, NFSPROC3_SETATTR, NFSPROC3_SYMLINK, NFSPROC3_WRITE,
} from './constants.js';
import { ACCESS3args, ACCESS3res, GETATTR3args, GETATTR3res, SETATTR3args, SETATTR3res } from './proc-attr.js';
import {
  CREATE3args, CREATE3res, MKDIR3args, MKDIR3res, MKNOD3args, MKNOD3res, SYMLINK3args, SYMLINK3res,
} from './proc-create.js';
import { FSINFO3args, FSINFO3res, FSSTAT3args, FSSTAT3res, PATHCONF3args, PATHCONF3res } from './proc-fs.js';
import { COMMIT3args, COMMIT3res, READ3args, READ3res, WRITE3args, WRITE3res } from './proc-io.js';
import { LOOKUP3args, LOOKUP3res, READLINK3args, READLINK3res } from './proc-lookup.js';
import { READDIR3args, READDIR3res, READDIRPLUS3args, READDIRPLUS3res } from './proc-readdir.js';
import {
  LINK3args, LINK3res, REMOVE3args, REMOVE3res, RENAME3args, RENAME3res, RMDIR3args, RMDIR3res,
} from './proc-remove.js';

export const NFS3_PROCEDURES = {
  NULL: rpcProcedure(NFSPROC3_NULL, 'NFSPROC3_NULL', xdr_void, xdr_void),
  GETATTR: rpcProcedure(NFSPROC3_GETATTR, 'NFSPROC3_GETATTR', GETATTR3args, GETATTR3res),
  SETATTR: rpcProcedure(NFSPROC3_SETATTR, 'NFSPROC3_SETATTR', SETATTR3args, SETATTR3res),
  LOOKUP: rpcProcedure(NFSPROC3_LOOKUP, 'NFSPROC3_LOOKUP', LOOKUP3args, LOOKUP3res),
  ACCESS: rpcProcedure(NFSPROC3_ACCESS, 'NFSPROC3_ACCESS', ACCESS3args, ACCESS3res),
  READLINK: rpcProcedure(NFSPROC3_READLINK, 'NFSPROC3_READLINK', READLINK3args, READLINK3res),
  READ: rpcProcedure(NFSPROC3_READ, 'NFSPROC3_READ', READ3args, READ3res),
  WRITE: rpcProcedure(NFSPROC3_WRITE, 'NFSPROC3_WRITE', WRITE3args, WRITE3res),
  CREATE: rpcProcedure(NFSPROC3_CREATE, 'NFSPROC3_CREATE', CREATE3args, CREATE3res),
  MKDIR: rpcProcedure(NFSPROC3_MKDIR, 'NFSPROC3_MKDIR', MKDIR3args, MKDIR3res),
  SYMLINK: rpcProcedure(NFSPROC3_SYMLINK, 'NFSPROC3_SYMLINK', SYMLINK3args, SYMLINK3res),
  MKNOD: rpcProcedure(NFSPROC3_MKNOD, 'NFSPROC3_MKNOD', MKNOD3args, MKNOD3res),
  REMOVE: rpcProcedure(NFSPROC3_REMOVE, 'NFSPROC3_REMOVE', REMOVE3args, REMOVE3res),
  RMDIR: rpcProcedure(NFSPROC3_RMDIR, 'NFSPROC3_RMDIR', RMDIR3args, RMDIR3res),
  RENAME: rpcProcedure(NFSPROC3_RENAME, 'NFSPROC3_RENAME', RENAME3args, RENAME3res),
  LINK: rpcProcedure(NFSPROC3_LINK, 'NFSPROC3_LINK', LINK3args, LINK3res),
  READDIR: rpcProcedure(NFSPROC3_READDIR, 'NFSPROC3_READDIR', READDIR3args, READDIR3res),
  READDIRPLUS: rpcProcedure(NFSPROC3_READDIRPLUS, 'NFSPROC3_READDIRPLUS', READDIRPLUS3args, READDIRPLUS3res),
  FSSTAT: rpcProcedure(NFSPROC3_FSSTAT, 'NFSPROC3_FSSTAT', FSSTAT3args, FSSTAT3res),
  FSINFO: rpcProcedure(NFSPROC3_FSINFO, 'NFSPROC3_FSINFO', FSINFO3args, FSINFO3res),
  PATHCONF: rpcProcedure(NFSPROC3_PATHCONF, 'NFSPROC3_PATHCONF', PATHCONF3args, PATHCONF3res),
  COMMIT: rpcProcedure(NFSPROC3_COMMIT, 'NFSPROC3_COMMIT', COMMIT3args, COMMIT3res),
} as const;

export type Nfs3ProcedureName = keyof typeof NFS3_PROCEDURES;

/** The entries indexed by procedure number (NFS3_PROCEDURE_BY_NUMBER[6] is READ). */
export const NFS3_PROCEDURE_BY_NUMBER = Object.freeze(
  Object.values(NFS3_PROCEDURES).sort((a, b) => a.proc - b.proc),
);
