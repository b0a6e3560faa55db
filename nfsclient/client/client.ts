/*
 * NfsClient: a mounted NFSv3 export with node:fs/promises' methods. Paths are relative to the
 * mount's root ("/a/b" and "a/b" name the same file); errors are NfsErrors with Node's codes,
 * the syscall Node would name, `path` (and `dest` for rename, link, symlink).
 *
 * Each path-based operation that meets NFS3ERR_STALE (a handle the server no longer knows) has
 * its caches purged and is repeated once from the path; a second ESTALE is the caller's. Every
 * modifying operation on a readonly mount fails with EROFS before anything is sent.
 * See docs/nfsclient.md for the consistency model.
 */
import { constants as fsc } from 'node:fs';
import {
  EACCES, EBUSY, EEXIST, EINVAL, EISDIR, ENOTDIR, EROFS,
} from '../../sockets/errno.js';
import { NfsError } from '../errors.js';
import {
  ACCESS3_DELETE, ACCESS3_EXECUTE, ACCESS3_EXTEND, ACCESS3_LOOKUP, ACCESS3_MODIFY, ACCESS3_READ, NF3BLK, NF3CHR,
  NF3DIR, NF3FIFO, NF3LNK, NF3SOCK, SET_TO_CLIENT_TIME,
} from '../nfs3/constants.js';
import { NFS3ERR_EXIST, NFS3_OK } from '../nfs3/nfsstat3.js';
import type { mknoddata3 } from '../nfs3/proc-create.js';
import { sattr3Of } from '../nfs3/sattr.js';
import type { MountOptions } from '../options.js';
import { joinPath, normalizePath } from '../path.js';
import type { Mount3 } from '../raw/mount3.js';
import type { Nfs3 } from '../raw/nfs3.js';
import type { RpcClientStats } from '../../rpc/client/stats.js';
import { toLength, toMode } from './args.js';
import type { NfsCounters } from './counters.js';
import { NfsFileHandle } from './file-handle.js';
import type { ReadFileOptions, WriteData, WriteFileOptions } from './file-handle.js';
import { FileState } from './file-state.js';
import { parseFlags } from './flags.js';
import { listDirectory, listWithAttrs, makeDirectory, readdirAttrs, removeTree } from './dirs.js';
import type { EntryAttrs } from './dirs.js';
import * as ops from './ops.js';
import { openNode } from './open.js';
import type { Core } from './ops.js';
import { Resolver, pathComponents, pathString } from './resolve.js';
import type { Node } from './resolve.js';
import type { MountLimits, OpCtx, Session } from './session.js';
import { NfsBigIntStats, NfsDirent, NfsStats, statFs } from './stats.js';
import type { NfsStatFs } from './stats.js';
import { NfsReadStream, NfsWriteStream } from './streams.js';
import type { ReadStreamOptions, WriteStreamOptions } from './streams.js';
import { toNfsTime } from './time.js';
import type { TimeLike } from './time.js';
import { utf8bEncode } from '../../rpc/xdr/utf8b.js';

/** Default permission bits of files and directories created without a mode (no umask is applied). */
export const DEFAULT_FILE_MODE = 0o644;
export const DEFAULT_DIR_MODE = 0o755;

export interface StatOptions {
  bigint?: boolean;
}

export interface ReaddirOptions {
  withFileTypes?: boolean;
  recursive?: boolean;
  encoding?: BufferEncoding | 'buffer' | null;
}

export interface MkdirOptions {
  recursive?: boolean;
  mode?: number | string;
}

export interface RmOptions {
  recursive?: boolean;
  force?: boolean;
}

export interface OpenOptions {
  signal?: AbortSignal;
}

/** What client.stats() returns. */
export interface NfsClientStats extends NfsCounters {
  /** The NFS RPC client's counters (calls, retransmits, timeouts, reconnects, bytes ...). */
  rpc: RpcClientStats;
  /** The MOUNT RPC client's counters. */
  mountRpc: RpcClientStats;
  /** Per NFS procedure: calls, replies, errors, retransmits, mean round trip (ms). */
  procedures: Record<string, { calls: number; replies: number; errors: number; retransmits: number; rttMeanMs: number }>;
  attrCache: { hits: number; misses: number; size: number };
  nameCache: { hits: number; negativeHits: number; misses: number; size: number };
  /** Files open now, and READDIRPLUS still in use. */
  openFiles: number;
  readdirplus: boolean;
}

const PROC_NAMES = [
  'NULL', 'GETATTR', 'SETATTR', 'LOOKUP', 'ACCESS', 'READLINK', 'READ', 'WRITE', 'CREATE', 'MKDIR', 'SYMLINK',
  'MKNOD', 'REMOVE', 'RMDIR', 'RENAME', 'LINK', 'READDIR', 'READDIRPLUS', 'FSSTAT', 'FSINFO', 'PATHCONF', 'COMMIT',
];

/** The type of node mknod() makes. */
export type MknodType = 'fifo' | 'socket' | 'char' | 'block';

export class NfsClient {
  readonly #s: Session;
  readonly #r: Resolver;
  readonly #core: Core;
  #unmounting: Promise<void> | null = null;

  /** Made by mount(). */
  constructor(session: Session) {
    this.#s = session;
    this.#r = new Resolver(session);
    this.#core = { s: session, r: this.#r };
  }

  /** The options the mount was made with (after defaults and validation). */
  get options(): Readonly<MountOptions> {
    return this.#s.opts;
  }

  /** What mount() negotiated: rsize, wsize, READDIR sizes, maxfilesize, name_max ... */
  get limits(): Readonly<MountLimits> {
    return this.#s.limits;
  }

  /** The raw tiers on this mount's RPC clients (the same connections, credential and options). */
  get raw(): { nfs: Nfs3; mount: Mount3 } {
    return { nfs: this.#s.nfs, mount: this.#s.mnt };
  }

  /** The export's root file handle. */
  get rootHandle(): Buffer {
    return this.#s.root;
  }

  /** True once umount() was called. */
  get unmounted(): boolean {
    return this.#unmounting !== null;
  }

  /* ------------------------------------------------------------------ helpers */

  #ctx(syscall: string, path: unknown, extra?: { dest?: unknown; signal?: AbortSignal | undefined }): OpCtx {
    const ctx: OpCtx = { syscall, path: typeof path === 'string' ? path : Buffer.isBuffer(path) ? path.toString() : String(path) };
    if (extra?.dest !== undefined) ctx.dest = typeof extra.dest === 'string' ? extra.dest : String(extra.dest);
    if (extra?.signal !== undefined) ctx.signal = extra.signal;
    return ctx;
  }

  /* Run a path-based operation, once more after ESTALE (the caches were purged by the first). */
  async #op<T>(ctx: OpCtx, fn: () => Promise<T>): Promise<T> {
    this.#s.checkOpen(ctx);
    ctx.signal?.throwIfAborted();
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof NfsError && e.code === 'ESTALE') || this.#s.closed) throw e;
      this.#s.counters.staleRetries++;
      return await fn();
    }
  }

  #stats(attrs: Node['attrs'], bigint: boolean | undefined): NfsStats | NfsBigIntStats {
    return bigint ? new NfsBigIntStats(attrs, this.#s.limits.wsize) : new NfsStats(attrs, this.#s.limits.wsize);
  }

  /* Attributes of a resolved node, after sending what this client wrote to it (so size and times are current). */
  async #currentAttrs(node: Node, ctx: OpCtx): Promise<Node['attrs']> {
    const st = this.#s.files.get(node.key);
    if (st === undefined || !st.writer.sending) return node.attrs;
    await st.writer.settle();
    return this.#s.getattr(node.fh, ctx, true, node.key);
  }

  /* ------------------------------------------------------------------ attributes */

  /** Attributes of what `path` names, following a final symbolic link. */
  stat(path: string, options: { bigint: true }): Promise<NfsBigIntStats>;
  stat(path: string, options?: StatOptions): Promise<NfsStats>;
  async stat(path: string, options?: StatOptions): Promise<NfsStats | NfsBigIntStats> {
    const ctx = this.#ctx('stat', path);
    return this.#op(ctx, async () => {
      const node = await this.#r.resolve(pathString(path, ctx), true, ctx);
      return this.#stats(await this.#currentAttrs(node, ctx), options?.bigint);
    });
  }

  /** Attributes of what `path` names, not following a final symbolic link. */
  lstat(path: string, options: { bigint: true }): Promise<NfsBigIntStats>;
  lstat(path: string, options?: StatOptions): Promise<NfsStats>;
  async lstat(path: string, options?: StatOptions): Promise<NfsStats | NfsBigIntStats> {
    const ctx = this.#ctx('lstat', path);
    return this.#op(ctx, async () => {
      const node = await this.#r.resolve(pathString(path, ctx), false, ctx);
      return this.#stats(await this.#currentAttrs(node, ctx), options?.bigint);
    });
  }

  /**
   * Check access with the ACCESS procedure — the server's decision (root squash, ACLs, the
   * export's read-only flag), not a guess from mode bits. mode: F_OK (exists), R_OK, W_OK, X_OK.
   * @throws NfsError EACCES when any asked right is missing; ENOENT ...
   */
  async access(path: string, mode: number = fsc.F_OK): Promise<void> {
    const ctx = this.#ctx('access', path);
    return this.#op(ctx, async () => {
      const node = await this.#r.resolve(pathString(path, ctx), true, ctx);
      if (mode === fsc.F_OK) return;
      const dir = node.attrs.type === NF3DIR;
      let want = 0;
      if (mode & fsc.R_OK) want |= ACCESS3_READ;
      if (mode & fsc.W_OK) want |= dir ? ACCESS3_MODIFY | ACCESS3_EXTEND | ACCESS3_DELETE : ACCESS3_MODIFY | ACCESS3_EXTEND;
      if (mode & fsc.X_OK) want |= dir ? ACCESS3_LOOKUP : ACCESS3_EXECUTE;
      if (mode & fsc.W_OK && this.#s.opts.readonly) throw new NfsError(EROFS, { ...ctx, detail: 'mounted readonly' });
      const granted = await ops.accessBits(this.#core, node, want, ctx);
      if ((granted & want) !== want) throw new NfsError(EACCES, ctx);
    });
  }

  /** File system statistics of the export (FSSTAT). */
  statfs(path: string, options: { bigint: true }): Promise<NfsStatFs<bigint>>;
  statfs(path?: string, options?: StatOptions): Promise<NfsStatFs<number>>;
  async statfs(path = '/', options?: StatOptions): Promise<NfsStatFs<number> | NfsStatFs<bigint>> {
    const ctx = this.#ctx('statfs', path);
    return this.#op(ctx, async () => {
      const s = this.#s;
      const node = await this.#r.resolve(pathString(path, ctx), true, ctx);
      const res = await s.call('FSSTAT', { fsroot: node.fh }, ctx);
      if (res.status !== NFS3_OK) throw s.fail(res.status, ctx, node.key);
      if (res.resok.obj_attributes !== null) s.attrs.set(node.key, res.resok.obj_attributes);
      return statFs(res.resok, options?.bigint ?? false);
    });
  }

  /* ------------------------------------------------------------------ SETATTR family */

  async #setattrPath(syscall: string, path: string, follow: boolean, set: Parameters<typeof ops.setattr>[2],
    before?: (node: Node, ctx: OpCtx) => Promise<void>): Promise<void> {
    const ctx = this.#ctx(syscall, path);
    this.#s.checkWritable(ctx);
    return this.#op(ctx, async () => {
      const node = await this.#r.resolve(pathString(path, ctx), follow, ctx);
      if (before !== undefined) await before(node, ctx);
      await ops.setattr(this.#core, node, set, ctx);
    });
  }

  /** Change the permission bits (a number or an octal string). */
  chmod(path: string, mode: number | string): Promise<void> {
    return this.#setattrPath('chmod', path, true, { mode: toMode(mode, 0, this.#ctx('chmod', path)) });
  }

  /** chmod of a symbolic link itself (servers usually ignore a link's mode). */
  lchmod(path: string, mode: number | string): Promise<void> {
    return this.#setattrPath('lchmod', path, false, { mode: toMode(mode, 0, this.#ctx('lchmod', path)) });
  }

  /** Change owner and group (-1 leaves one unchanged). */
  chown(path: string, uid: number, gid: number): Promise<void> {
    return this.#setattrPath('chown', path, true, { uid: uid < 0 ? null : uid, gid: gid < 0 ? null : gid });
  }

  /** chown of a symbolic link itself. */
  lchown(path: string, uid: number, gid: number): Promise<void> {
    return this.#setattrPath('lchown', path, false, { uid: uid < 0 ? null : uid, gid: gid < 0 ? null : gid });
  }

  /** Set access and modification times (seconds, numeric strings or Dates). */
  utimes(path: string, atime: TimeLike, mtime: TimeLike): Promise<void> {
    const ctx = this.#ctx('utime', path);
    return this.#setattrPath('utime', path, true, {
      atime: { set_it: SET_TO_CLIENT_TIME, atime: toNfsTime(atime, ctx) },
      mtime: { set_it: SET_TO_CLIENT_TIME, mtime: toNfsTime(mtime, ctx) },
    }, (node) => this.#settle(node));
  }

  /** utimes of a symbolic link itself. */
  lutimes(path: string, atime: TimeLike, mtime: TimeLike): Promise<void> {
    const ctx = this.#ctx('lutime', path);
    return this.#setattrPath('lutime', path, false, {
      atime: { set_it: SET_TO_CLIENT_TIME, atime: toNfsTime(atime, ctx) },
      mtime: { set_it: SET_TO_CLIENT_TIME, mtime: toNfsTime(mtime, ctx) },
    });
  }

  async #settle(node: Node): Promise<void> {
    const st = this.#s.files.get(node.key);
    if (st !== undefined && st.writer.sending) await st.writer.settle();
  }

  /** Set a file's size (default 0). Data written through open handles is committed first. */
  truncate(path: string, len: number | bigint = 0): Promise<void> {
    const size = toLength(len, 'len');
    return this.#setattrPath('truncate', path, true, { size }, async (node, c) => {
      if (node.attrs.type === NF3DIR) throw new NfsError(EISDIR, c);
      const st = this.#s.files.get(node.key);
      if (st !== undefined) {
        await st.writer.commit(c);
        st.size = size;
        st.reader.invalidate();
      }
    });
  }

  /* ------------------------------------------------------------------ directories */

  /**
   * The names in a directory ("." and ".." excluded), or Dirents with `withFileTypes`;
   * `recursive` lists subdirectories too (paths relative to `path`; links are not followed).
   */
  readdir(path: string, options: ReaddirOptions & { withFileTypes: true }): Promise<NfsDirent[]>;
  readdir(path: string, options: ReaddirOptions & { encoding: 'buffer' }): Promise<Buffer[]>;
  readdir(path: string, options?: ReaddirOptions | BufferEncoding | null): Promise<string[]>;
  async readdir(path: string, options?: ReaddirOptions | BufferEncoding | null): Promise<string[] | Buffer[] | NfsDirent[]> {
    const o: ReaddirOptions = typeof options === 'string' ? { encoding: options } : options ?? {};
    const ctx = this.#ctx('scandir', path);
    return this.#op(ctx, async () => {
      const p = pathString(path, ctx);
      const dir = await this.#r.resolve(p, true, ctx);
      if (dir.attrs.type !== NF3DIR) throw new NfsError(ENOTDIR, ctx);
      const out = await listDirectory(this.#core, dir, normalizePath(p), o.withFileTypes === true || o.recursive === true, o.recursive === true, ctx);
      if (o.withFileTypes) return out.map((e) => new NfsDirent(e.name, e.parent, e.type));
      if (o.encoding === 'buffer') return out.map((e) => utf8bEncode(e.rel));
      return out.map((e) => e.rel);
    });
  }

  /**
   * Internal, for the CLI's ls (keyed by a symbol: not part of the fs-like API): the entries of a
   * directory as readdir(path, { withFileTypes: true }) lists them, each with the attributes
   * READDIRPLUS returned (see listWithAttrs in dirs.ts), so a long listing needs no lstat per name.
   */
  async [readdirAttrs](path: string): Promise<EntryAttrs[]> {
    const ctx = this.#ctx('scandir', path);
    return this.#op(ctx, async () => {
      const dir = await this.#r.resolve(pathString(path, ctx), true, ctx);
      if (dir.attrs.type !== NF3DIR) throw new NfsError(ENOTDIR, ctx);
      return listWithAttrs(this.#core, dir, ctx);
    });
  }

  /**
   * Make a directory (mode default 0o755). `recursive`: make missing parents too, no error if it
   * exists; returns the first directory made (mount-relative), or undefined.
   */
  async mkdir(path: string, options?: MkdirOptions | number | string): Promise<string | undefined> {
    const o: MkdirOptions = typeof options === 'object' && options !== null ? options : { mode: options };
    const ctx = this.#ctx('mkdir', path);
    this.#s.checkWritable(ctx);
    const mode = toMode(o.mode, DEFAULT_DIR_MODE, ctx);
    return this.#op(ctx, async () => {
      const p = pathString(path, ctx);
      if (!o.recursive) {
        const { dir, name } = await this.#r.resolveParent(p, ctx);
        if (name === null) throw new NfsError(EEXIST, ctx);
        await makeDirectory(this.#core, dir, name, mode, ctx);
        return undefined;
      }
      const comps = pathComponents(p, this.#s.limits.nameMax, ctx);
      let node = await this.#r.root(ctx);
      const stack: Node[] = [node];
      const names: string[] = [];
      let first: string | undefined;
      for (const c of comps) {
        if (c === '..') {
          if (stack.length > 1) {
            stack.pop();
            names.pop();
          }
          node = stack[stack.length - 1]!;
          continue;
        }
        let child: Node;
        try {
          child = await this.#r.resolve(joinPath([...names, c]), true, ctx);
        } catch (e) {
          if (!(e instanceof NfsError && e.code === 'ENOENT')) throw e;
          try {
            child = await makeDirectory(this.#core, node, c, mode, ctx);
            first ??= joinPath([...names, c]);
          } catch (e2) {
            if (!(e2 instanceof NfsError && e2.code === 'EEXIST')) throw e2;
            child = await this.#r.resolve(joinPath([...names, c]), true, ctx); /* made meanwhile */
          }
        }
        if (child.attrs.type !== NF3DIR) throw new NfsError(ENOTDIR, ctx);
        stack.push(child);
        names.push(c);
        node = child;
      }
      return first;
    });
  }

  /** Remove an empty directory (`recursive`: remove it and everything in it, as rm -r). */
  async rmdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    if (options?.recursive) return this.rm(path, { recursive: true });
    const ctx = this.#ctx('rmdir', path);
    this.#s.checkWritable(ctx);
    return this.#op(ctx, async () => {
      const { dir, name } = await this.#r.resolveParent(pathString(path, ctx), ctx);
      if (name === null) throw new NfsError(EBUSY, { ...ctx, detail: 'the mount root' });
      await ops.rmdirName(this.#core, dir, name, ctx);
    });
  }

  /**
   * Remove a file, link or (with `recursive`) a directory tree; `force`: no error if it does not
   * exist.
   */
  async rm(path: string, options: RmOptions = {}): Promise<void> {
    const ctx = this.#ctx('rm', path);
    this.#s.checkWritable(ctx);
    try {
      await this.#op(ctx, async () => {
        const p = pathString(path, ctx);
        const { dir, name } = await this.#r.resolveParent(p, ctx);
        if (name === null) throw new NfsError(EBUSY, { ...ctx, detail: 'the mount root' });
        const node = await this.#r.lookup(dir, name, ctx);
        if (node.attrs.type === NF3DIR) {
          if (!options.recursive) throw new NfsError(EISDIR, { ...ctx, detail: 'Path is a directory: use { recursive: true }' });
          await removeTree(this.#core, node, ctx);
          await ops.rmdirName(this.#core, dir, name, ctx);
        } else {
          await ops.remove(this.#core, dir, name, ctx);
        }
      });
    } catch (e) {
      if (options.force && e instanceof NfsError && e.code === 'ENOENT') return;
      throw e;
    }
  }

  /* ------------------------------------------------------------------ names */

  /** Remove a name (not a directory). A file open here is renamed to a hidden .nfs name until its last close. */
  async unlink(path: string): Promise<void> {
    const ctx = this.#ctx('unlink', path);
    this.#s.checkWritable(ctx);
    return this.#op(ctx, async () => {
      const { dir, name } = await this.#r.resolveParent(pathString(path, ctx), ctx);
      if (name === null) throw new NfsError(EISDIR, { ...ctx, detail: 'the mount root' });
      await ops.remove(this.#core, dir, name, ctx);
    });
  }

  /** Rename (replacing a target; one open here is kept alive under a hidden name first). */
  async rename(oldPath: string, newPath: string): Promise<void> {
    const ctx = this.#ctx('rename', oldPath, { dest: newPath });
    this.#s.checkWritable(ctx);
    return this.#op(ctx, async () => {
      const from = await this.#r.resolveParent(pathString(oldPath, ctx), ctx);
      const to = await this.#r.resolveParent(pathString(newPath, ctx), ctx);
      if (from.name === null || to.name === null) throw new NfsError(EBUSY, { ...ctx, detail: 'the mount root' });
      await ops.rename(this.#core, from.dir, from.name, to.dir, to.name, ctx);
    });
  }

  /** Make a hard link `newPath` to `existingPath` (a final symbolic link is linked itself). */
  async link(existingPath: string, newPath: string): Promise<void> {
    const ctx = this.#ctx('link', existingPath, { dest: newPath });
    this.#s.checkWritable(ctx);
    return this.#op(ctx, async () => {
      const file = await this.#r.resolve(pathString(existingPath, ctx), false, ctx);
      const { dir, name } = await this.#r.resolveParent(pathString(newPath, ctx), ctx);
      if (name === null) throw new NfsError(EEXIST, ctx);
      await ops.link(this.#core, file, dir, name, ctx);
    });
  }

  /** Make a symbolic link at `path` whose target is `target` (stored as given). */
  async symlink(target: string, path: string, _type?: string | null): Promise<void> {
    const ctx = this.#ctx('symlink', target, { dest: path });
    this.#s.checkWritable(ctx);
    return this.#op(ctx, async () => {
      const t = pathString(target, ctx);
      if (t.includes('\0')) throw new NfsError(EINVAL, { ...ctx, detail: 'the target contains a NUL byte' });
      const { dir, name } = await this.#r.resolveParent(pathString(path, ctx), ctx);
      if (name === null) throw new NfsError(EEXIST, ctx);
      const s = this.#s;
      const before = s.attrs.peek(dir.key);
      const { res, retransmitted } = await s.callTracked('SYMLINK', {
        where: { dir: dir.fh, name }, symlink: { symlink_attributes: sattr3Of({ mode: 0o777 }), symlink_data: t },
      }, ctx);
      if (res.status !== NFS3_OK) {
        s.wcc(dir.key, res.resfail.dir_wcc);
        /* EXIST to a retransmission: the lost first reply's link, if the name holds it (ops.ts). */
        if (res.status === NFS3ERR_EXIST && retransmitted &&
            await ops.madeByLostReply(this.#core, dir, name, NF3LNK, t, before, res.resfail.dir_wcc.after, ctx) !== null) return;
        throw s.fail(res.status, ctx, dir.key);
      }
      const ok = res.resok;
      await ops.createdNode(this.#core, dir, name, ok.obj, ok.obj_attributes, ok.dir_wcc, ctx);
    });
  }

  /** A symbolic link's target (EINVAL if `path` is not a link). */
  async readlink(path: string, options?: { encoding?: BufferEncoding | 'buffer' } | BufferEncoding): Promise<string> {
    const ctx = this.#ctx('readlink', path);
    return this.#op(ctx, async () => {
      const node = await this.#r.resolve(pathString(path, ctx), false, ctx);
      if (node.attrs.type !== NF3LNK) throw new NfsError(EINVAL, { ...ctx, detail: 'not a symbolic link' });
      const target = await this.#r.readlink(node, ctx);
      const enc = typeof options === 'string' ? options : options?.encoding;
      return enc === undefined || enc === 'utf8' || enc === 'utf-8' || enc === 'buffer' ? target : Buffer.from(target).toString(enc);
    });
  }

  /** The canonical mount-relative path of `path` (every link resolved). */
  async realpath(path: string): Promise<string> {
    const ctx = this.#ctx('realpath', path);
    return this.#op(ctx, async () => this.#r.realpath(pathString(path, ctx), ctx));
  }

  /**
   * Make a FIFO, socket or device node (MKNOD; mode default 0o644; `rdev` [major, minor] for
   * devices). Servers may refuse devices (EPERM) or the type (EINVAL from NFS3ERR_BADTYPE).
   */
  async mknod(path: string, type: MknodType, mode?: number | string, rdev: [number, number] = [0, 0]): Promise<void> {
    const ctx = this.#ctx('mknod', path);
    this.#s.checkWritable(ctx);
    const m = toMode(mode, DEFAULT_FILE_MODE, ctx);
    const attrs = sattr3Of({ mode: m });
    let what: mknoddata3;
    if (type === 'fifo') what = { type: NF3FIFO, pipe_attributes: attrs };
    else if (type === 'socket') what = { type: NF3SOCK, pipe_attributes: attrs };
    else if (type === 'char' || type === 'block') {
      what = { type: type === 'char' ? NF3CHR : NF3BLK, device: { dev_attributes: attrs, spec: { specdata1: rdev[0], specdata2: rdev[1] } } };
    } else throw new NfsError(EINVAL, { ...ctx, detail: `unknown node type ${String(type)}` });
    return this.#op(ctx, async () => {
      const { dir, name } = await this.#r.resolveParent(pathString(path, ctx), ctx);
      if (name === null) throw new NfsError(EEXIST, ctx);
      const s = this.#s;
      const res = await s.call('MKNOD', { where: { dir: dir.fh, name }, what }, ctx);
      if (res.status !== NFS3_OK) {
        s.wcc(dir.key, res.resfail.dir_wcc);
        throw s.fail(res.status, ctx, dir.key);
      }
      const ok = res.resok;
      await ops.createdNode(this.#core, dir, name, ok.obj, ok.obj_attributes, ok.dir_wcc, ctx);
    });
  }

  /* ------------------------------------------------------------------ files */

  /**
   * Open a file (flags as Node: 'r', 'r+', 'w', 'wx', 'w+', 'a', 'ax', 'a+' ... or numeric O_*;
   * mode default 0o644 for a file created). Close-to-open: fresh attributes are fetched (with
   * ACCESS, which also checks the open mode against the server's rules) and cached data of an
   * earlier open is dropped if the file changed.
   */
  async open(path: string, flags: string | number = 'r', mode?: number | string, options?: OpenOptions): Promise<NfsFileHandle> {
    return this.#open(path, flags, mode, options?.signal, false);
  }

  async #open(path: string, flags: string | number | undefined, mode: number | string | undefined,
    signal: AbortSignal | undefined, ownsData: boolean): Promise<NfsFileHandle> {
    const ctx = this.#ctx('open', path, { signal });
    const f = parseFlags(flags, ctx);
    if (f.write || f.create || f.truncate) this.#s.checkWritable(ctx);
    const m = toMode(mode, DEFAULT_FILE_MODE, ctx);
    return this.#op(ctx, async () => {
      const p = pathString(path, ctx);
      const { node, fresh, created } = await openNode(this.#core, p, f, m, ctx);
      const s = this.#s;
      let state = s.files.get(node.key);
      if (state === undefined) {
        state = new FileState(s, node.fh, node.key, p, node.attrs);
        s.files.set(node.key, state);
      } else if (fresh) {
        state.revalidate(node.attrs);
      }
      state.openCount++;
      const h = new NfsFileHandle({ core: this.#core, state, flags: f, path: p, node, ownsData });
      if (f.truncate && f.write && !created) {
        /* O_TRUNC of an existing file */
        try {
          await state.writer.commit(ctx);
          await ops.setattr(this.#core, node, { size: 0n }, ctx);
          state.size = 0n;
          state.reader.invalidate();
        } catch (e) {
          await h.close().catch(() => undefined);
          throw e;
        }
      }
      return h;
    });
  }

  /** The whole file (a Buffer, or a string with an encoding). */
  async readFile(path: string, options?: ReadFileOptions & { flag?: string | number } | BufferEncoding | null): Promise<Buffer | string> {
    const o = typeof options === 'string' ? { encoding: options } : options ?? {};
    const h = await this.#open(path, o.flag ?? 'r', undefined, o.signal, false);
    try {
      return await h.readFile(o);
    } finally {
      await h.close();
    }
  }

  /**
   * Replace (flag 'w', the default) or otherwise write a file. The data is sent without a copy
   * and must not change until the promise settles (Node's rule too); it is committed before.
   */
  async writeFile(path: string, data: WriteData,
    options?: WriteFileOptions & { flag?: string | number; mode?: number | string } | BufferEncoding | null): Promise<void> {
    const o = typeof options === 'string' ? { encoding: options } : options ?? {};
    const h = await this.#open(path, o.flag ?? 'w', o.mode, o.signal, true);
    try {
      await h.writeFile(data, o);
    } catch (e) {
      await h.close().catch(() => undefined);
      throw e;
    }
    await h.close();
  }

  /** Append to a file, creating it if needed (flag 'a'). */
  appendFile(path: string, data: WriteData,
    options?: WriteFileOptions & { flag?: string | number; mode?: number | string } | BufferEncoding | null): Promise<void> {
    const o = typeof options === 'string' ? { encoding: options } : options ?? {};
    return this.writeFile(path, data, { ...o, flag: o.flag ?? 'a' });
  }

  /** A Readable of the file (start/end inclusive, highWaterMark default 64 KiB), read-ahead behind it. */
  createReadStream(path: string, options: ReadStreamOptions | BufferEncoding = {}): NfsReadStream {
    const o = typeof options === 'string' ? { encoding: options } : options;
    return new NfsReadStream(path, () => this.#open(path, o.flags ?? 'r', undefined, o.signal, false), o);
  }

  /** A Writable to the file (flags default 'w'); 'finish' once everything is committed. */
  createWriteStream(path: string, options: WriteStreamOptions | BufferEncoding = {}): NfsWriteStream {
    const o = typeof options === 'string' ? { encoding: options } : options;
    return new NfsWriteStream(path, () => this.#open(path, o.flags ?? 'w', o.mode, o.signal, false), o);
  }

  /* ------------------------------------------------------------------ mount */

  /** Counters of this mount (RPC, caches, read-ahead, write-behind, recoveries). */
  stats(): NfsClientStats {
    const s = this.#s;
    const procedures: NfsClientStats['procedures'] = {};
    for (const p of s.nfsRpc.procStats()) {
      if (p.prog !== 100003 || p.vers !== 3) continue;
      procedures[PROC_NAMES[p.proc] ?? String(p.proc)] = {
        calls: p.calls, replies: p.replies, errors: p.errors, retransmits: p.retransmits,
        rttMeanMs: p.rttSamples === 0 ? NaN : p.rttSum / p.rttSamples,
      };
    }
    return {
      ...s.counters,
      rpc: { ...s.nfsRpc.stats },
      mountRpc: { ...s.mountRpc.stats },
      procedures,
      attrCache: { hits: s.attrs.hits, misses: s.attrs.misses, size: s.attrs.size },
      nameCache: { hits: s.names.hits, negativeHits: s.names.negativeHits, misses: s.names.misses, size: s.names.size },
      openFiles: s.files.size,
      readdirplus: s.rdirplus,
    };
  }

  /**
   * Unmount: close every open FileHandle (committing what was written; hidden .nfs names of
   * removed files go), send UMNT (its failure is ignored), close both RPC clients and every
   * socket. Later calls fail with EBADF. Idempotent; rejects with the first close error, after
   * releasing everything.
   */
  umount(): Promise<void> {
    if (this.#unmounting === null) this.#unmounting = this.#umount();
    return this.#unmounting;
  }

  async #umount(): Promise<void> {
    const s = this.#s;
    let error: unknown = null;
    for (const h of [...s.handles]) {
      try {
        await h.close();
      } catch (e) {
        error ??= e;
      }
    }
    try {
      /* softConnect: a server that refuses connections (gone, or restarting) fails UMNT at once
       * instead of holding umount for the whole timeout. */
      await s.mnt.umnt(s.opts.export, { soft: true, timeout: 5000, softConnect: true });
    } catch {
      /* the server may be gone: nothing to undo */
    }
    s.markClosed();
    await Promise.all([s.nfsRpc.close(), s.mountRpc.close()]);
    if (error !== null) throw error;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.umount();
  }
}
