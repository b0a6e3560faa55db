/*
 * Path resolution (namei) over LOOKUP, with the attribute and name caches.
 *
 * A path is relative to the mount's root ("/" and "" are the root). It is split by
 * components(); the walk keeps a stack of the directories resolved so far: ".." pops it and,
 * at the root, stays at the root, so the server is never sent ".." and no path leaves the
 * mounted export. A symbolic link met before the last component — or as the last one when the
 * operation follows links — is read (READLINK) and its target's components are put in front of
 * the rest; an absolute target restarts from the mount root (the server's "/" means nothing to
 * us: targets are taken relative to the mount, as libnfs does). At most MAXSYMLINKS links per
 * path (ELOOP).
 *
 * lookup() answers from the name cache when the directory's cached attributes are still valid
 * and the entry was made under the same directory mtime/ctime (negative entries: ENOENT without
 * a call); otherwise it sends LOOKUP, whose reply refreshes the directory's and the child's
 * attributes and the name cache.
 */
import { EINVAL, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR } from '../../sockets/errno.js';
import { fhKey } from '../cache/attrcache.js';
import { NfsError } from '../errors.js';
import type { fattr3 } from '../nfs3/attr.js';
import { NF3DIR, NF3LNK } from '../nfs3/constants.js';
import { NFS3ERR_NOENT, NFS3ERR_STALE, NFS3_OK } from '../nfs3/nfsstat3.js';
import { MAXSYMLINKS, PathError, components } from '../path.js';
import type { OpCtx, Session } from './session.js';
import { utf8bDecode } from '../../rpc/xdr/utf8b.js';

/** A file system object: its handle, the handle's cache key, and its attributes. */
export interface Node {
  fh: Buffer;
  key: string;
  attrs: fattr3;
}

/** A path's parent directory and last name. `name` is null for the mount root. */
export interface ParentAndName {
  dir: Node;
  name: string | null;
}

/** components() with PathError turned into the operation's NfsError (EINVAL, ENAMETOOLONG). */
export function pathComponents(path: string, nameMax: number, ctx: OpCtx): string[] {
  try {
    return components(path, nameMax);
  } catch (e) {
    if (e instanceof PathError) throw new NfsError(e.code === 'EINVAL' ? EINVAL : ENAMETOOLONG, { ...ctx, detail: e.message });
    throw e;
  }
}

/**
 * A path argument as a string. A Buffer holds the name's bytes: UTF-8, or any bytes at all (those
 * that are not UTF-8 become escapes that are sent as the same bytes: rpc/xdr/utf8b.ts).
 * Anything else is EINVAL.
 */
export function pathString(path: unknown, ctx: OpCtx): string {
  if (typeof path === 'string') return path;
  if (Buffer.isBuffer(path)) return utf8bDecode(path);
  if (path instanceof URL) throw new NfsError(EINVAL, { ...ctx, detail: 'URL paths are not supported: pass the path inside the mount' });
  throw new NfsError(EINVAL, { ...ctx, path: String(path), detail: 'the path must be a string' });
}

export class Resolver {
  constructor(private readonly s: Session) {}

  /** The mount root, with its attributes (cached while valid). */
  async root(ctx: OpCtx): Promise<Node> {
    const s = this.s;
    return { fh: s.root, key: s.rootKey, attrs: await s.getattr(s.root, ctx, false, s.rootKey) };
  }

  /**
   * `name` in the directory `dir`.
   * @throws NfsError ENOENT (also from a negative cache entry), ENOTDIR, EACCES, ESTALE ...
   */
  async lookup(dir: Node, name: string, ctx: OpCtx): Promise<Node> {
    const s = this.s;
    const dirAttrs = s.attrs.get(dir.key);
    if (dirAttrs !== undefined) {
      const e = s.names.lookup(dir.key, dirAttrs, name);
      if (e !== undefined) {
        if (e.fh === null) throw new NfsError(ENOENT, ctx);
        const key = fhKey(e.fh);
        const cached = s.attrs.get(key);
        if (cached !== undefined) return { fh: e.fh, key, attrs: cached };
        const r = await s.call('GETATTR', { object: e.fh }, ctx);
        if (r.status === NFS3_OK) {
          s.attrs.set(key, r.resok.obj_attributes);
          return { fh: e.fh, key, attrs: r.resok.obj_attributes };
        }
        if (r.status !== NFS3ERR_STALE) throw s.fail(r.status, ctx, key);
        s.purge(key); /* the entry is gone with it: ask the directory again */
      }
    }
    const res = await s.call('LOOKUP', { what: { dir: dir.fh, name } }, ctx);
    if (res.status === NFS3_OK) {
      const { object, obj_attributes, dir_attributes } = res.resok;
      const key = fhKey(object);
      if (dir_attributes !== null) {
        s.attrs.set(dir.key, dir_attributes);
        s.names.enter(dir.key, dir_attributes, name, object);
      }
      let attrs = obj_attributes;
      if (attrs === null) attrs = await s.getattr(object, ctx, true, key);
      else s.attrs.set(key, attrs);
      return { fh: object, key, attrs };
    }
    const da = res.resfail.dir_attributes;
    if (da !== null) {
      s.attrs.set(dir.key, da);
      if (res.status === NFS3ERR_NOENT) s.names.enter(dir.key, da, name, null);
    }
    throw s.fail(res.status, ctx, dir.key);
  }

  /** The target of a symbolic link. */
  async readlink(node: Node, ctx: OpCtx): Promise<string> {
    const s = this.s;
    const res = await s.call('READLINK', { symlink: node.fh }, ctx);
    if (res.status !== NFS3_OK) {
      if (res.resfail.symlink_attributes !== null) s.attrs.set(node.key, res.resfail.symlink_attributes);
      throw s.fail(res.status, ctx, node.key);
    }
    if (res.resok.symlink_attributes !== null) s.attrs.set(node.key, res.resok.symlink_attributes);
    return res.resok.data;
  }

  /**
   * The object a path names. `follow`: follow a symbolic link in the last component (stat,
   * open) or not (lstat, readlink, unlink).
   */
  async resolve(path: string, follow: boolean, ctx: OpCtx): Promise<Node> {
    const comps = pathComponents(path, this.s.limits.nameMax, ctx);
    const stack = [await this.root(ctx)];
    /* A trailing "/" (or "/.") means a directory: links are followed, anything else is ENOTDIR (POSIX). */
    const mustBeDir = comps.length > 0 && /\/\.?$/.test(path);
    await this.#walk(stack, [], comps, follow || mustBeDir, ctx);
    const node = stack[stack.length - 1]!;
    if (mustBeDir && node.attrs.type !== NF3DIR) throw new NfsError(ENOTDIR, ctx);
    return node;
  }

  /**
   * The directory a path's last component lives in (every link on the way followed), and that
   * component. A path ending in "." or ".." names no entry: EINVAL.
   */
  async resolveParent(path: string, ctx: OpCtx): Promise<ParentAndName> {
    const comps = pathComponents(path, this.s.limits.nameMax, ctx);
    /* "dir/." and "dir/.." name no entry of their parent (rename, unlink, create of them: EINVAL). */
    if (/(^|\/)\.\.?\/*$/.test(path) && comps.length > 0) {
      throw new NfsError(EINVAL, { ...ctx, detail: "the path ends in '.' or '..'" });
    }
    const stack = [await this.root(ctx)];
    const name = comps.pop();
    await this.#walk(stack, [], comps, true, ctx);
    const dir = stack[stack.length - 1]!;
    if (name !== undefined && dir.attrs.type !== NF3DIR) throw new NfsError(ENOTDIR, ctx);
    return { dir, name: name ?? null };
  }

  /** The canonical mount-relative path of what `path` names (every link resolved). */
  async realpath(path: string, ctx: OpCtx): Promise<string> {
    const comps = pathComponents(path, this.s.limits.nameMax, ctx);
    const stack = [await this.root(ctx)];
    const names: string[] = [];
    await this.#walk(stack, names, comps, true, ctx);
    return '/' + names.join('/');
  }

  /*
   * The walk: `queue` consumed left to right; symlink targets spliced in front of what is left.
   * `names` follows `stack` (the component names below the root).
   */
  async #walk(stack: Node[], names: string[], queue: string[], followLast: boolean, ctx: OpCtx): Promise<void> {
    let links = 0;
    let i = 0;
    while (i < queue.length) {
      const c = queue[i++]!;
      if (c === '..') {
        if (stack.length > 1) {
          stack.pop();
          names.pop();
        }
        continue;
      }
      const dir = stack[stack.length - 1]!;
      if (dir.attrs.type !== NF3DIR) throw new NfsError(ENOTDIR, ctx);
      const child = await this.lookup(dir, c, ctx);
      const last = i === queue.length;
      if (child.attrs.type === NF3LNK && (!last || followLast)) {
        if (++links > MAXSYMLINKS) throw new NfsError(ELOOP, { ...ctx, detail: `more than ${MAXSYMLINKS} symbolic links` });
        const target = await this.readlink(child, ctx);
        if (target === '') throw new NfsError(ENOENT, { ...ctx, detail: 'empty symbolic link' });
        const t = pathComponents(target, this.s.limits.nameMax, ctx);
        if (target.startsWith('/')) {
          stack.length = 1;
          names.length = 0;
        }
        queue = [...t, ...queue.slice(i)];
        i = 0;
        continue;
      }
      stack.push(child);
      names.push(c);
    }
  }
}
