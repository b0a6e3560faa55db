/*
 * Directories: OPENDIR, READDIR, READDIRPLUS, RELEASEDIR (and FSYNCDIR).
 *
 * The listing is read whole when READDIR asks for offset 0 (the client pages READDIRPLUS through
 * the directory with its loop and cookie recovery), with "." and ".." in front, and kept with the
 * handle: an entry's offset is its index, so a listing read in several requests is one
 * consistent snapshot. Each page's entries are looked up (lstat, answered by the attributes
 * READDIRPLUS brought): READDIR for their inode numbers, READDIRPLUS for their entries too. An
 * entry gone by then is listed with inode 0 by READDIR (glibc skips those) and without a node
 * by READDIRPLUS.
 */
import { nameToBytes } from '../nfsclient/index.js';
import type { NfsBigIntStats } from '../nfsclient/index.js';
import { identity, typeOf } from './attrs.js';
import type { FuseCall, PlusEntry } from './call.js';
import { direntSize, direntplusSize, id64, need, u32, u64 } from './codec.js';
import { FuseErrno, childPathOf, lstat, nodeOf, pathOf } from './context.js';
import type { FuseContext } from './context.js';
import { EBADF } from './errno.js';
import type { DirEntry, OpenDir } from './handles.js';
import type { Inode } from './inodes.js';
import { S_IFDIR } from './kernel.js';

const DOT: DirEntry = { name: '.', bytes: Buffer.from('.'), type: S_IFDIR };
const DOTDOT: DirEntry = { name: '..', bytes: Buffer.from('..'), type: S_IFDIR };

/** OPENDIR: fuse_open_in { flags, open_flags }. */
export async function opendir(ctx: FuseContext, call: FuseCall): Promise<void> {
  const node = nodeOf(ctx, call.req.nodeid);
  const d: OpenDir = { kind: 'dir', node, entries: null };
  const fh = ctx.files.add(d);
  ctx.table.opened(node);
  if (!call.open(fh, 0)) {
    ctx.files.delete(fh);
    ctx.table.closed(node);
  }
}

async function list(ctx: FuseContext, node: Inode): Promise<DirEntry[]> {
  const dirents = await ctx.client.readdir(pathOf(ctx, node), { withFileTypes: true });
  const out: DirEntry[] = [DOT, DOTDOT];
  for (const e of dirents) out.push({ name: e.name, bytes: nameToBytes(e.name), type: e.type });
  return out;
}

function dirOf(ctx: FuseContext, fh: number): OpenDir {
  const d = ctx.files.dir(fh);
  if (d === undefined) throw new FuseErrno(EBADF, `unknown directory handle ${fh}`);
  return d;
}

/* The entries from `from` that fit in `size` bytes, records of `recSize(nameLen)` bytes. */
function page(entries: readonly DirEntry[], from: number, size: number, recSize: (n: number) => number): DirEntry[] {
  const out: DirEntry[] = [];
  let used = 0;
  for (let i = from; i < entries.length; i++) {
    const r = recSize(entries[i]!.bytes.length);
    if (used + r > size) break;
    used += r;
    out.push(entries[i]!);
  }
  return out;
}

/* The inode number of "." or ".." of `dir`. */
function dotIno(dir: Inode, e: DirEntry): bigint {
  if (e === DOT) return dir.ino;
  return (dir.links[0]?.parent ?? dir).ino;
}

/* lstat of a listed name; null if it is gone (or cannot be asked). */
async function entryStat(ctx: FuseContext, dir: Inode, e: DirEntry): Promise<NfsBigIntStats | null> {
  try {
    return await lstat(ctx, childPathOf(ctx, dir, e.name));
  } catch {
    return null;
  }
}

/* The listing of the handle, read at offset 0 (or when the handle has none yet). */
async function entriesOf(ctx: FuseContext, d: OpenDir, offset: number | bigint): Promise<DirEntry[]> {
  if (offset === 0 || d.entries === null) d.entries = await list(ctx, d.node);
  return d.entries;
}

/** READDIR: fuse_read_in { fh, offset, size, ... }. */
export async function readdir(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 24);
  const d = dirOf(ctx, id64(call.req, 0));
  const offset = u64(call.req, 8);
  const size = u32(call.req, 16);
  const entries = await entriesOf(ctx, d, offset);
  const from = typeof offset === 'bigint' ? entries.length : Math.min(offset, entries.length);
  const p = page(entries, from, size, direntSize);
  const inos = await Promise.all(p.map(async (e) => {
    if (e === DOT || e === DOTDOT) return dotIno(d.node, e);
    return (await entryStat(ctx, d.node, e))?.ino ?? 0n;
  }));
  call.dirents(entries, inos, from, size);
}

/** READDIRPLUS: as READDIR, each entry with its fuse_entry_out (a lookup the kernel then holds). */
export async function readdirplus(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 24);
  const d = dirOf(ctx, id64(call.req, 0));
  const offset = u64(call.req, 8);
  const size = u32(call.req, 16);
  const entries = await entriesOf(ctx, d, offset);
  const from = typeof offset === 'bigint' ? entries.length : Math.min(offset, entries.length);
  const p = page(entries, from, size, direntplusSize);
  const stats = await Promise.all(p.map((e) => (e === DOT || e === DOTDOT ? null : entryStat(ctx, d.node, e))));
  const plus: PlusEntry[] = p.map((e, i) => {
    const st = stats[i] ?? null;
    if (st === null) return { entry: e, ino: e === DOT || e === DOTDOT ? dotIno(d.node, e) : 0n, node: null, st: null };
    const node = ctx.table.enter(d.node, e.name, identity(st), typeOf(st));
    return { entry: { ...e, type: typeOf(st) }, ino: st.ino, node, st };
  });
  call.direntplus(plus, from, size);
}

/** RELEASEDIR: fuse_release_in { fh, ... }. */
export async function releasedir(ctx: FuseContext, call: FuseCall): Promise<void> {
  need(call.req, 8);
  const fh = id64(call.req, 0);
  const d = ctx.files.dir(fh);
  if (d !== undefined) {
    ctx.files.delete(fh);
    ctx.table.closed(d.node);
  }
  call.ok();
}

/**
 * FSYNCDIR: nothing to do. NFSv3 servers commit directory changes before they answer them
 * (RFC 1813 §3.3: CREATE, MKDIR, REMOVE, RENAME ... are stable when replied to).
 */
export async function fsyncdir(_ctx: FuseContext, call: FuseCall): Promise<void> {
  call.ok();
}
