/*
 * Attributes and the file system: GETATTR, SETATTR, ACCESS, STATFS, READLINK.
 *
 * A node is reached by its path, and its attributes are accepted only if they are still those of
 * the file the node stands for (same fsid and fileid): a name another client gave to another
 * file meanwhile is ESTALE, and the kernel's path walk then looks the name up again
 * (LOOKUP_REVAL). Through an open file (GETATTR with FUSE_GETATTR_FH, SETATTR with FATTR_FH, or a
 * node no name leads to any more — removed while open) the client's file handle is used instead.
 */
import { nameToBytes } from '../nfsclient/index.js';
import type { NfsBigIntStats, NfsFileHandle } from '../nfsclient/index.js';
import { identity, typeOf } from './attrs.js';
import type { FuseCall } from './call.js';
import { id64, need, s64, u32, u64 } from './codec.js';
import { FuseErrno, lstat, nodeOf, pathOf } from './context.js';
import type { FuseContext } from './context.js';
import { EROFS, ESTALE } from './errno.js';
import type { Inode } from './inodes.js';
import {
  FATTR_ATIME, FATTR_ATIME_NOW, FATTR_FH, FATTR_GID, FATTR_MODE, FATTR_MTIME, FATTR_MTIME_NOW, FATTR_SIZE,
  FATTR_UID, FUSE_GETATTR_FH,
} from './kernel.js';

/** Where a node's operations go: its path, or an open handle of it. */
type Target = { path: string; handle: null } | { path: null; handle: NfsFileHandle };

/**
 * The handle the kernel named (FUSE_GETATTR_FH, FATTR_FH); else, when `preferOpen`, any open
 * handle of the node — the client then lets this client's WRITEs in flight land first, so that a
 * futimens(2) after write(2) (cp -a, tar) is not undone by a WRITE moving mtime after it; else
 * the node's path; else (no name leads to it: removed while open) any open handle.
 */
function target(ctx: FuseContext, node: Inode, fh: number | null, preferOpen = false): Target {
  if (fh !== null) {
    const f = ctx.files.file(fh);
    if (f !== undefined) return { path: null, handle: f.handle };
  }
  if (preferOpen && node.opens > 0) {
    const f = ctx.files.anyFileOf(node);
    if (f !== undefined) return { path: null, handle: f.handle };
  }
  const path = ctx.table.path(node);
  if (path !== null) return { path, handle: null };
  const f = ctx.files.anyFileOf(node);
  if (f !== undefined) return { path: null, handle: f.handle };
  throw new FuseErrno(ESTALE, `node ${node.nodeid} has no name`);
}

/** Attributes of a node, checked to be the node's file. */
async function attrsOf(ctx: FuseContext, node: Inode, t: Target): Promise<NfsBigIntStats> {
  let st: NfsBigIntStats;
  if (t.handle !== null) st = await t.handle.stat({ bigint: true }) as NfsBigIntStats;
  /* the root may be reached through a symbolic link in the URL's path: it is what the link names */
  else if (node === ctx.table.root) st = await ctx.client.stat(t.path, { bigint: true }) as NfsBigIntStats;
  else st = await lstat(ctx, t.path);
  if (identity(st) !== node.key && node !== ctx.table.root) throw new FuseErrno(ESTALE, `node ${node.nodeid} was replaced`);
  return st;
}

/** GETATTR: fuse_getattr_in { getattr_flags, dummy, fh }. */
export async function getattr(ctx: FuseContext, call: FuseCall): Promise<void> {
  const node = nodeOf(ctx, call.req.nodeid);
  let fh: number | null = null;
  if (call.req.len >= 40 + 16 && (u32(call.req, 0) & FUSE_GETATTR_FH) !== 0) fh = id64(call.req, 8);
  let st: NfsBigIntStats;
  try {
    st = await attrsOf(ctx, node, target(ctx, node, fh));
  } catch (e) {
    /* The name now leads nowhere: the kernel's walk retries with a fresh LOOKUP on ESTALE. */
    if ((e as { code?: unknown }).code === 'ENOENT' && node !== ctx.table.root) throw new FuseErrno(ESTALE);
    throw e;
  }
  call.attr(node, st, typeOf(st));
}

/* A time of fuse_setattr_in (seconds, nanoseconds) as the client takes it exactly: a decimal string. */
function time(sec: number, nsec: number): string {
  return `${sec}.${String(Math.min(nsec, 999_999_999)).padStart(9, '0')}`;
}

/* A time from the client's attributes (nanoseconds) in the same form. */
function nsTime(ns: bigint): string {
  return time(Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n));
}

/**
 * SETATTR: fuse_setattr_in { valid, padding, fh, size, lock_owner, atime, mtime, ctime, atimensec,
 * mtimensec, ctimensec, mode, unused4, uid, gid, unused5 }. Size first (it moves mtime), then
 * mode, owner, and times last. FATTR_CTIME cannot be set over NFS (the server sets it), nor can
 * FATTR_KILL_SUIDGID be asked for: both are ignored, as the kernel NFS client does.
 */
export async function setattr(ctx: FuseContext, call: FuseCall): Promise<void> {
  const r = call.req;
  need(r, 88);
  /* Every field is read before the first await: the request's slot is released then. */
  const valid = u32(r, 0);
  const fh = valid & FATTR_FH ? id64(r, 8) : null;
  const size = u64(r, 16);
  const atimeAsked = valid & FATTR_ATIME_NOW ? null : time(s64(r, 32), u32(r, 56));
  const mtimeAsked = valid & FATTR_MTIME_NOW ? null : time(s64(r, 40), u32(r, 60));
  const mode = u32(r, 68) & 0o7777;
  const uid = valid & FATTR_UID ? u32(r, 76) : -1;
  const gid = valid & FATTR_GID ? u32(r, 80) : -1;
  if (ctx.readonly) throw new FuseErrno(EROFS);
  const node = nodeOf(ctx, r.nodeid);
  const t = target(ctx, node, fh, true);
  const c = ctx.client;
  if (valid & FATTR_SIZE) {
    /* A handle's truncate needs it open for writing; the path's commits open handles' data first. */
    const w = fh !== null ? ctx.files.file(fh) : undefined;
    const wh = w?.writable ? w : ctx.files.anyWritableOf(node);
    if (wh !== undefined) await wh.handle.truncate(size);
    else await c.truncate(pathOf(ctx, node), size);
  }
  if (valid & FATTR_MODE) {
    if (t.handle !== null) await t.handle.chmod(mode);
    else await c.lchmod(t.path, mode);
  }
  if (valid & (FATTR_UID | FATTR_GID)) {
    if (t.handle !== null) await t.handle.chown(uid, gid);
    else await c.lchown(t.path, uid, gid);
  }
  if (valid & (FATTR_ATIME | FATTR_MTIME)) {
    const now = new Date();
    let atime: string | Date = atimeAsked ?? now;
    let mtime: string | Date = mtimeAsked ?? now;
    if ((valid & (FATTR_ATIME | FATTR_MTIME)) !== (FATTR_ATIME | FATTR_MTIME)) {
      /* utimes sets both: keep the one not asked for. */
      const cur = await attrsOf(ctx, node, t);
      if (!(valid & FATTR_ATIME)) atime = nsTime(cur.atimeNs);
      if (!(valid & FATTR_MTIME)) mtime = nsTime(cur.mtimeNs);
    }
    if (t.handle !== null) await t.handle.utimes(atime, mtime);
    else await c.lutimes(t.path, atime, mtime);
  }
  const st = await attrsOf(ctx, node, t);
  call.attr(node, st, typeOf(st));
}

/** ACCESS: fuse_access_in { mask, padding } (R_OK 4, W_OK 2, X_OK 1: the server decides). */
export async function access(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 8);
  const mask = u32(call.req, 0) & 7;
  const node = nodeOf(ctx, call.req.nodeid);
  const t = target(ctx, node, null);
  if (t.path === null) {
    call.ok();
    return;
  }
  await ctx.client.access(t.path, mask);
  call.ok();
}

/** STATFS: the export's FSSTAT, in 4 KiB blocks. */
export async function statfs(ctx: FuseContext, call: FuseCall): Promise<void> {
  const s = await ctx.client.statfs('/', { bigint: true });
  call.statfs({
    blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree,
    bsize: Number(s.bsize), frsize: Number(s.bsize), namelen: ctx.client.limits.nameMax,
  });
}

/** READLINK: the target's bytes (no NUL). */
export async function readlink(ctx: FuseContext, call: FuseCall): Promise<void> {
  const node = nodeOf(ctx, call.req.nodeid);
  const t = target(ctx, node, null);
  if (t.path === null) throw new FuseErrno(ESTALE);
  call.bytes(nameToBytes(await ctx.client.readlink(t.path)));
}
