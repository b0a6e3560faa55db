/*
 * Open files: OPEN, CREATE, READ, WRITE, FLUSH, FSYNC, RELEASE.
 *
 * Close-to-open, as a kernel NFS client keeps it:
 * - OPEN opens the client's file handle, which revalidates the file with the server (ACCESS,
 *   fresh attributes). If the file's data changed since this mount last had it open (size, mtime
 *   or ctime differ), the kernel's page cache is dropped (no FOPEN_KEEP_CACHE); if the attributes
 *   the kernel holds are not these, they are invalidated first (FUSE_NOTIFY_INVAL_INODE), so the
 *   size it reads up to is the server's.
 * - FLUSH (every close(2)) commits what was written: close returns once the data is on the
 *   server's stable storage, and reports a write's deferred error. FSYNC is COMMIT too.
 *
 * READ replies with the client's receive buffers as they came (readViews: no copy in this
 * process). WRITE hands the request's data to the client's write-behind, which copies it into
 * its blocks and returns; the WRITEs go out UNSTABLE in the background, COMMIT at FLUSH/FSYNC.
 */
import { constants as fsc } from 'node:fs';
import type { NfsBigIntStats, NfsFileHandle } from '../nfsclient/index.js';
import { dataStamp, identity, typeOf } from './attrs.js';
import type { FuseCall } from './call.js';
import { REPLY, cstring, id64, need, tail, u32, u64 } from './codec.js';
import { FuseErrno, childPathOf, nodeOf, pathOf } from './context.js';
import type { FuseContext } from './context.js';
import { EBADF, EROFS, ESTALE } from './errno.js';
import type { OpenFile } from './handles.js';
import type { Inode } from './inodes.js';
import {
  FOPEN_KEEP_CACHE, FUSE_FSYNC_FDATASYNC, FUSE_NOTIFY_INVAL_INODE, FUSE_NOTIFY_INVAL_INODE_OUT_SIZE,
} from './kernel.js';

const ACC = fsc.O_RDONLY | fsc.O_WRONLY | fsc.O_RDWR;

/* The open(2) flags the client acts on. O_APPEND is left to the kernel, which writes at the end
 * of the file as it knows it (it refreshes the size first); the client would use its own idea. */
function clientFlags(flags: number): number {
  return flags & (ACC | fsc.O_TRUNC | fsc.O_SYNC | fsc.O_DSYNC);
}

function writes(flags: number): boolean {
  const acc = flags & ACC;
  return acc === fsc.O_WRONLY || acc === fsc.O_RDWR;
}

/** FUSE_NOTIFY_INVAL_INODE with off -1: the kernel drops the node's cached attributes only. */
async function invalidateAttrs(ctx: FuseContext, node: Inode): Promise<void> {
  const b = Buffer.alloc(REPLY + FUSE_NOTIFY_INVAL_INODE_OUT_SIZE);
  b.writeBigUInt64LE(BigInt(node.nodeid), REPLY);
  b.writeBigInt64LE(-1n, REPLY + 8);
  b.writeBigInt64LE(0n, REPLY + 16);
  await ctx.device.notify(FUSE_NOTIFY_INVAL_INODE, b, b.length);
}

/* After an open: the open flags for the kernel (keep its page cache only if the data did not
 * change), invalidating its attributes first when they are not the server's. */
async function openFlags(ctx: FuseContext, node: Inode, st: NfsBigIntStats, truncated: boolean): Promise<number> {
  const now = dataStamp(st);
  const keep = !truncated && node.stamp === now;
  if (node.sent !== now) {
    await invalidateAttrs(ctx, node);
    node.sent = null;
  }
  node.stamp = now;
  return keep ? FOPEN_KEEP_CACHE : 0;
}

/* A handle the kernel did not take (its OPEN was interrupted): close it. */
function abandon(ctx: FuseContext, fh: number, f: OpenFile): void {
  ctx.files.delete(fh);
  f.handle.close().catch(() => undefined).finally(() => ctx.table.closed(f.node));
}

/** OPEN: fuse_open_in { flags, open_flags }. */
export async function open(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 8);
  const flags = u32(call.req, 0);
  const node = nodeOf(ctx, call.req.nodeid);
  if (ctx.readonly && (writes(flags) || flags & fsc.O_TRUNC)) throw new FuseErrno(EROFS);
  const path = pathOf(ctx, node);
  const handle = await ctx.client.open(path, clientFlags(flags));
  let st: NfsBigIntStats;
  try {
    st = await handle.stat({ bigint: true }) as NfsBigIntStats;
    /* The name now leads to another file: the kernel's open retries with a fresh LOOKUP. */
    if (identity(st) !== node.key) throw new FuseErrno(ESTALE, `node ${node.nodeid} was replaced`);
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
  ctx.table.opened(node);
  const f: OpenFile = { kind: 'file', node, handle, writable: writes(flags) };
  const fh = ctx.files.add(f);
  let oflags: number;
  try {
    oflags = await openFlags(ctx, node, st, (flags & fsc.O_TRUNC) !== 0);
  } catch (e) {
    abandon(ctx, fh, f);
    throw e;
  }
  if (!call.open(fh, oflags)) abandon(ctx, fh, f);
}

/** CREATE: fuse_create_in { flags, mode, umask, open_flags }, name\0. The mode is already masked. */
export async function create(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 16);
  const flags = u32(call.req, 0);
  const mode = u32(call.req, 4) & 0o7777;
  const { name } = cstring(call.req, 16);
  if (ctx.readonly) throw new FuseErrno(EROFS);
  const parent = nodeOf(ctx, call.req.nodeid);
  const path = childPathOf(ctx, parent, name);
  const handle = await ctx.client.open(path, clientFlags(flags) | fsc.O_CREAT | (flags & fsc.O_EXCL), mode);
  let st: NfsBigIntStats;
  try {
    st = await handle.stat({ bigint: true }) as NfsBigIntStats;
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
  const node = ctx.table.enter(parent, name, identity(st), typeOf(st));
  ctx.table.opened(node);
  node.stamp = dataStamp(st);
  const f: OpenFile = { kind: 'file', node, handle, writable: writes(flags) };
  const fh = ctx.files.add(f);
  if (!call.create(node, st, fh, 0)) abandon(ctx, fh, f);
}

function fileOf(ctx: FuseContext, fh: number): OpenFile {
  const f = ctx.files.file(fh);
  if (f === undefined) throw new FuseErrno(EBADF, `unknown file handle ${fh}`);
  return f;
}

/** READ: fuse_read_in { fh, offset, size, read_flags, lock_owner, flags, padding }. */
export async function read(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 24);
  const f = fileOf(ctx, id64(call.req, 0));
  const offset = u64(call.req, 8);
  const size = u32(call.req, 16);
  const { bytesRead, buffers } = await f.handle.readViews(size, offset);
  call.data(buffers, bytesRead);
}

/**
 * WRITE: fuse_write_in { fh, offset, size, write_flags, lock_owner, flags, padding }, then the
 * data. The data is a view of the reader's slot: the caller keeps the slot until this settles.
 */
export async function write(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 40);
  const f = fileOf(ctx, id64(call.req, 0));
  const offset = u64(call.req, 8);
  const size = u32(call.req, 16);
  const data = tail(call.req, 40, size);
  await f.handle.write(data, 0, size, offset);
  call.written(size);
}

/* Commit what was written to the file (through any handle of it) and note its data stamp. */
async function commit(ctx: FuseContext, f: OpenFile, handle: NfsFileHandle, datasync: boolean): Promise<void> {
  if (datasync) await handle.datasync();
  else await handle.sync();
  const st = await handle.stat({ bigint: true }) as NfsBigIntStats;
  f.node.stamp = dataStamp(st);
}

/** FLUSH (each close(2)): fuse_flush_in { fh, unused, padding, lock_owner }. */
export async function flush(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 8);
  const f = fileOf(ctx, id64(call.req, 0));
  if (f.writable) await commit(ctx, f, f.handle, false);
  call.ok();
}

/** FSYNC: fuse_fsync_in { fh, fsync_flags, padding }. */
export async function fsync(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 16);
  const f = fileOf(ctx, id64(call.req, 0));
  const datasync = (u32(call.req, 8) & FUSE_FSYNC_FDATASYNC) !== 0;
  await commit(ctx, f, f.handle, datasync);
  call.ok();
}

/**
 * RELEASE: fuse_release_in { fh, flags, release_flags, lock_owner }. The handle is closed at
 * once (before anything awaits), so a request the kernel sent after it — an UNLINK of the
 * file, say — finds it closed and needs no silly rename.
 */
export async function release(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 8);
  const fh = id64(call.req, 0);
  const f = ctx.files.file(fh);
  if (f === undefined) {
    call.ok();
    return;
  }
  ctx.files.delete(fh);
  const closing = f.handle.close();
  try {
    await closing;
  } catch (e) {
    ctx.log(`closing ${f.handle.path}: ${(e as Error).message}`);
  } finally {
    ctx.table.closed(f.node);
  }
  call.ok();
}
