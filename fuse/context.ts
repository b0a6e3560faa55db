/*
 * What the operations share: the client, the node and handle tables, the timeouts, the device;
 * and the lookups every operation starts with (a node ID to its node, a node to its path).
 */
import type { NfsBigIntStats, NfsClient } from '../nfsclient/index.js';
import type { FuseDevice } from './device.js';
import { ESTALE } from './errno.js';
import type { HandleTable } from './handles.js';
import type { Inode, InodeTable } from './inodes.js';
import type { Timeouts } from './attrs.js';

/** An error the operation answers with: Linux's errno. */
export class FuseErrno extends Error {
  override name = 'FuseErrno';
  constructor(readonly errno: number, message?: string) {
    super(message ?? `errno ${errno}`);
  }
}

export interface FuseContext {
  readonly client: NfsClient;
  readonly table: InodeTable;
  readonly files: HandleTable;
  readonly timeouts: Timeouts;
  readonly device: FuseDevice;
  /** Everything is refused with EROFS before the client is asked (a readonly mount). */
  readonly readonly: boolean;
  /** Something worth an administrator's eyes (a bug, an unexpected error). */
  log(message: string): void;
}

/** The node a request names. @throws FuseErrno ESTALE for a node ID this server does not know */
export function nodeOf(ctx: FuseContext, nodeid: number): Inode {
  const n = ctx.table.get(nodeid);
  if (n === undefined) throw new FuseErrno(ESTALE, `unknown node ${nodeid}`);
  return n;
}

/** A node's path. @throws FuseErrno ESTALE when no name leads to it any more */
export function pathOf(ctx: FuseContext, node: Inode): string {
  const p = ctx.table.path(node);
  if (p === null) throw new FuseErrno(ESTALE, `node ${node.nodeid} has no name`);
  return p;
}

/** The path of `name` in `parent`. */
export function childPathOf(ctx: FuseContext, parent: Inode, name: string): string {
  const p = ctx.table.childPath(parent, name);
  if (p === null) throw new FuseErrno(ESTALE, `node ${parent.nodeid} has no name`);
  return p;
}

/** lstat with exact numbers. */
export function lstat(ctx: FuseContext, path: string): Promise<NfsBigIntStats> {
  return ctx.client.lstat(path, { bigint: true });
}
