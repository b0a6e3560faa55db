/*
 * The raw MOUNT v3 tier (RFC 1813 Appendix I): one method per procedure, returning what the
 * server answered. MNT returns the mountres3 union (never throws on a mountstat3); RPC failures
 * reject with the rpc/ errors.
 */
import type { RpcClient } from '../../rpc/index.js';
import { MOUNT_PROGRAM, MOUNT_V3 } from '../mount3/constants.js';
import { MOUNT3_PROCEDURES } from '../mount3/procs.js';
import type { exportnode, mountbody, mountres3 } from '../mount3/types.js';
import { rpcCallOptions } from './call-options.js';
import type { RawCallOptions } from './call-options.js';

export class Mount3 {
  constructor(readonly rpc: RpcClient) {}

  /** MOUNTPROC3_NULL. */
  null(o?: RawCallOptions): Promise<void> {
    return this.rpc.ping(MOUNT_PROGRAM, MOUNT_V3, rpcCallOptions(o, 0));
  }

  /** MOUNTPROC3_MNT: the root handle of `dirpath` and the auth flavors the server accepts for it. */
  mnt(dirpath: string, o?: RawCallOptions): Promise<mountres3> {
    return this.rpc.callProcedure(MOUNT_PROGRAM, MOUNT_V3, MOUNT3_PROCEDURES.MNT, dirpath, rpcCallOptions(o, 0));
  }

  /** MOUNTPROC3_DUMP: the server's list of (host, directory) mounts. */
  dump(o?: RawCallOptions): Promise<mountbody[]> {
    return this.rpc.callProcedure(MOUNT_PROGRAM, MOUNT_V3, MOUNT3_PROCEDURES.DUMP, undefined, rpcCallOptions(o, 0));
  }

  /** MOUNTPROC3_UMNT: remove this client's entry for `dirpath` from the server's mount list. */
  umnt(dirpath: string, o?: RawCallOptions): Promise<void> {
    return this.rpc.callProcedure(MOUNT_PROGRAM, MOUNT_V3, MOUNT3_PROCEDURES.UMNT, dirpath, rpcCallOptions(o, 0));
  }

  /** MOUNTPROC3_UMNTALL: remove every entry of this client. */
  umntall(o?: RawCallOptions): Promise<void> {
    return this.rpc.callProcedure(MOUNT_PROGRAM, MOUNT_V3, MOUNT3_PROCEDURES.UMNTALL, undefined, rpcCallOptions(o, 0));
  }

  /** MOUNTPROC3_EXPORT: the exported directories and who may mount them. */
  export(o?: RawCallOptions): Promise<exportnode[]> {
    return this.rpc.callProcedure(MOUNT_PROGRAM, MOUNT_V3, MOUNT3_PROCEDURES.EXPORT, undefined, rpcCallOptions(o, 0));
  }
}
