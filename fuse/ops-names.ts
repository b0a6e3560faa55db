/*
 * Operations on names: LOOKUP, MKNOD, MKDIR, SYMLINK, UNLINK, RMDIR, RENAME, RENAME2, LINK.
 * Each is the client's path operation on the parent's path and the name, followed (for those
 * that make an entry) by an lstat of the new name for the entry's attributes — answered from the
 * client's caches, which the creating call's reply filled.
 */
import { constants as fsc } from 'node:fs';
import type { NfsBigIntStats } from '../nfsclient/index.js';
import { identity, typeOf } from './attrs.js';
import type { FuseCall } from './call.js';
import { cstring, id64, need, u32 } from './codec.js';
import { FuseErrno, childPathOf, lstat, nodeOf, pathOf } from './context.js';
import type { FuseContext } from './context.js';
import { EINVAL, ENOENT, EROFS } from './errno.js';
import type { Inode } from './inodes.js';
import {
  RENAME_EXCHANGE, RENAME_NOREPLACE, RENAME_WHITEOUT, S_IFBLK, S_IFCHR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK,
} from './kernel.js';

/* Record what `name` in `parent` is now and answer with its entry. */
function answerEntry(ctx: FuseContext, call: FuseCall, parent: Inode, name: string, st: NfsBigIntStats): void {
  const node = ctx.table.enter(parent, name, identity(st), typeOf(st));
  call.entry(node, st);
}

function writable(ctx: FuseContext): void {
  if (ctx.readonly) throw new FuseErrno(EROFS);
}

/** LOOKUP: name\0. */
export async function lookup(ctx: FuseContext, call: FuseCall): Promise<void> {
  const parent = nodeOf(ctx, call.req.nodeid);
  const { name } = cstring(call.req, 0);
  const path = childPathOf(ctx, parent, name);
  let st: NfsBigIntStats;
  try {
    st = await lstat(ctx, path);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') {
      ctx.table.unlink(parent, name); /* whatever the kernel knew by that name is gone */
      if (ctx.timeouts.negative > 0) call.negative(ctx.timeouts.negative);
      else call.error(ENOENT);
      return;
    }
    throw e;
  }
  answerEntry(ctx, call, parent, name, st);
}

/* new_decode_dev (include/linux/kdev_t.h): Linux's 32-bit dev_t encoding. */
function decodeDev(dev: number): [number, number] {
  return [(dev & 0xfff00) >>> 8, (dev & 0xff) | ((dev >>> 12) & 0xfff00)];
}

/** MKNOD: fuse_mknod_in { mode, rdev, umask, padding }, name\0. The mode is already masked. */
export async function mknod(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 16);
  const mode = u32(call.req, 0);
  const rdev = u32(call.req, 4);
  const { name } = cstring(call.req, 16);
  writable(ctx);
  const parent = nodeOf(ctx, call.req.nodeid);
  const path = childPathOf(ctx, parent, name);
  const perm = mode & 0o7777;
  switch (mode & S_IFMT) {
    case S_IFREG: {
      const h = await ctx.client.open(path, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, perm);
      await h.close();
      break;
    }
    case S_IFIFO: await ctx.client.mknod(path, 'fifo', perm); break;
    case S_IFSOCK: await ctx.client.mknod(path, 'socket', perm); break;
    case S_IFCHR: await ctx.client.mknod(path, 'char', perm, decodeDev(rdev)); break;
    case S_IFBLK: await ctx.client.mknod(path, 'block', perm, decodeDev(rdev)); break;
    default: throw new FuseErrno(EINVAL, `mknod of type ${(mode & S_IFMT).toString(8)}`);
  }
  answerEntry(ctx, call, parent, name, await lstat(ctx, path));
}

/** MKDIR: fuse_mkdir_in { mode, umask }, name\0. */
export async function mkdir(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 8);
  const mode = u32(call.req, 0);
  const { name } = cstring(call.req, 8);
  writable(ctx);
  const parent = nodeOf(ctx, call.req.nodeid);
  const path = childPathOf(ctx, parent, name);
  await ctx.client.mkdir(path, { mode: mode & 0o7777 });
  answerEntry(ctx, call, parent, name, await lstat(ctx, path));
}

/** SYMLINK: name\0 target\0. */
export async function symlink(ctx: FuseContext, call: FuseCall): Promise<void> {
  const { name, next } = cstring(call.req, 0);
  const { name: target } = cstring(call.req, next);
  writable(ctx);
  const parent = nodeOf(ctx, call.req.nodeid);
  const path = childPathOf(ctx, parent, name);
  await ctx.client.symlink(target, path);
  answerEntry(ctx, call, parent, name, await lstat(ctx, path));
}

/** UNLINK: name\0. A file open here lives on under a hidden name (the client's silly rename). */
export async function unlink(ctx: FuseContext, call: FuseCall): Promise<void> {
  const { name } = cstring(call.req, 0);
  writable(ctx);
  const parent = nodeOf(ctx, call.req.nodeid);
  await ctx.client.unlink(childPathOf(ctx, parent, name));
  ctx.table.unlink(parent, name);
  call.ok();
}

/** RMDIR: name\0. */
export async function rmdir(ctx: FuseContext, call: FuseCall): Promise<void> {
  const { name } = cstring(call.req, 0);
  writable(ctx);
  const parent = nodeOf(ctx, call.req.nodeid);
  await ctx.client.rmdir(childPathOf(ctx, parent, name));
  ctx.table.unlink(parent, name);
  call.ok();
}

async function renameCommon(ctx: FuseContext, call: FuseCall, newdir: number, flags: number, names: number): Promise<void> {
  const { name: oldName, next } = cstring(call.req, names);
  const { name: newName } = cstring(call.req, next);
  /* NFSv3's RENAME always replaces and cannot exchange: as the kernel's NFS client, refuse the
   * flags rather than emulate them without their atomicity (callers then fall back). */
  if (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) throw new FuseErrno(EINVAL, 'rename flags');
  if (flags !== 0) throw new FuseErrno(EINVAL, `rename flags ${flags}`);
  writable(ctx);
  const oldParent = nodeOf(ctx, call.req.nodeid);
  const newParent = nodeOf(ctx, newdir);
  await ctx.client.rename(childPathOf(ctx, oldParent, oldName), childPathOf(ctx, newParent, newName));
  ctx.table.rename(oldParent, oldName, newParent, newName);
  call.ok();
}

/** RENAME: fuse_rename_in { newdir }, oldname\0 newname\0. */
export function rename(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 8);
  return renameCommon(ctx, call, id64(call.req, 0), 0, 8);
}

/** RENAME2: fuse_rename2_in { newdir, flags, padding }, oldname\0 newname\0. */
export function rename2(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 16);
  return renameCommon(ctx, call, id64(call.req, 0), u32(call.req, 8), 16);
}

/** LINK: fuse_link_in { oldnodeid }, newname\0 (in the request's node, the new parent). */
export async function link(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 8);
  const old = nodeOf(ctx, id64(call.req, 0));
  const { name } = cstring(call.req, 8);
  writable(ctx);
  const parent = nodeOf(ctx, call.req.nodeid);
  const path = childPathOf(ctx, parent, name);
  await ctx.client.link(pathOf(ctx, old), path);
  answerEntry(ctx, call, parent, name, await lstat(ctx, path));
}
