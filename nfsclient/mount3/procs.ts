/* The MOUNT v3 procedure table (RFC 1813 §5.2): number, name, argument and result codecs. */

import { rpcProcedure, xdr_void } from '../../rpc/index.js';
import {
  MOUNTPROC3_DUMP, MOUNTPROC3_EXPORT, MOUNTPROC3_MNT, MOUNTPROC3_NULL, MOUNTPROC3_UMNT, MOUNTPROC3_UMNTALL,
} from './constants.js';
import { dirpath, exports, mountlist, mountres3 } from './types.js';

export const MOUNT3_PROCEDURES = {
  NULL: rpcProcedure(MOUNTPROC3_NULL, 'MOUNTPROC3_NULL', xdr_void, xdr_void),
  MNT: rpcProcedure(MOUNTPROC3_MNT, 'MOUNTPROC3_MNT', dirpath, mountres3),
  DUMP: rpcProcedure(MOUNTPROC3_DUMP, 'MOUNTPROC3_DUMP', xdr_void, mountlist),
  UMNT: rpcProcedure(MOUNTPROC3_UMNT, 'MOUNTPROC3_UMNT', dirpath, xdr_void),
  UMNTALL: rpcProcedure(MOUNTPROC3_UMNTALL, 'MOUNTPROC3_UMNTALL', xdr_void, xdr_void),
  EXPORT: rpcProcedure(MOUNTPROC3_EXPORT, 'MOUNTPROC3_EXPORT', xdr_void, exports),
} as const;

/** The same entries indexed by procedure number. */
export const MOUNT3_PROCEDURE_BY_NUMBER = Object.freeze(
  Object.values(MOUNT3_PROCEDURES).sort((a, b) => a.proc - b.proc),
);
