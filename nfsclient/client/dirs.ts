/*
 * Directory work for readdir, mkdir and rm: listings (typed, recursive, or with each entry's
 * attributes for the CLI's ls), entry types, MKDIR, and emptying a tree. Independent calls run
 * TREE_PARALLELISM at a time.
 */
import { fhKey } from '../cache/attrcache.js';
import { NfsError } from '../errors.js';
import type { fattr3 } from '../nfs3/attr.js';
import { NF3DIR } from '../nfs3/constants.js';
import { NFS3ERR_EXIST, NFS3_OK } from '../nfs3/nfsstat3.js';
import { sattr3Of } from '../nfs3/sattr.js';
import { createdNode, madeByLostReply, remove, rmdirName } from './ops.js';
import type { Core } from './ops.js';
import { pool } from './pool.js';
import { readDirectory } from './readdir.js';
import type { DirEntry } from './readdir.js';
import type { Node } from './resolve.js';
import type { OpCtx } from './session.js';
import { typeBits } from './stats.js';

/** How many independent RPCs directory-wide operations keep in flight (rm -r, typed listings). */
export const TREE_PARALLELISM = 16;

/* The S_IF* type of each entry: from READDIRPLUS attributes, else LOOKUP (a few in flight). */
export async function entryTypes(core: Core, dir: Node, entries: DirEntry[], ctx: OpCtx): Promise<number[]> {
  const missing = entries.filter((e) => e.attrs === null);
  const looked = new Map<string, number>();
  if (missing.length > 0) {
    await pool(missing, TREE_PARALLELISM, async (e) => {
      try {
        looked.set(e.name, typeBits((await core.r.lookup(dir, e.name, ctx)).attrs.type));
      } catch (err) {
        if (!(err instanceof NfsError && err.code === 'ENOENT')) throw err;
        looked.set(e.name, 0); /* removed meanwhile */
      }
    });
  }
  return entries.map((e) => (e.attrs !== null ? typeBits(e.attrs.type) : looked.get(e.name) ?? 0));
}

/** MKDIR `name` in `dir` (EXIST after a retransmission: see madeByLostReply in ops.ts). */
export async function makeDirectory(core: Core, dir: Node, name: string, mode: number, ctx: OpCtx): Promise<Node> {
  const s = core.s;
  const before = s.attrs.peek(dir.key);
  const { res, retransmitted } = await s.callTracked('MKDIR', { where: { dir: dir.fh, name }, attributes: sattr3Of({ mode }) }, ctx);
  if (res.status !== NFS3_OK) {
    s.wcc(dir.key, res.resfail.dir_wcc);
    if (res.status === NFS3ERR_EXIST && retransmitted) {
      const made = await madeByLostReply(core, dir, name, NF3DIR, null, before, res.resfail.dir_wcc.after, ctx);
      if (made !== null) return made;
    }
    throw s.fail(res.status, ctx, dir.key);
  }
  const ok = res.resok;
  return createdNode(core, dir, name, ok.obj, ok.obj_attributes, ok.dir_wcc, ctx);
}

/* Empty a directory: files removed TREE_PARALLELISM at a time, subdirectories depth first. */
export async function removeTree(core: Core, dir: Node, ctx: OpCtx): Promise<void> {
  const entries = await readDirectory(core.s, dir, true, ctx);
  const types = await entryTypes(core, dir, entries, ctx);
  const dirType = typeBits(NF3DIR);
  await pool(entries.map((e, i) => ({ e, t: types[i]! })), TREE_PARALLELISM, async ({ e, t }) => {
    try {
      if (t === dirType) {
        const child = e.fh !== null && e.attrs !== null ? { fh: e.fh, key: fhKey(e.fh), attrs: e.attrs }
          : await core.r.lookup(dir, e.name, ctx);
        await removeTree(core, child, ctx);
        await rmdirName(core, dir, e.name, ctx);
      } else {
        await remove(core, dir, e.name, ctx);
      }
    } catch (err) {
      if (!(err instanceof NfsError && err.code === 'ENOENT')) throw err;
    }
  });
}

/** An entry of a listing: its path relative to the listed directory, its directory, name and S_IF* type (0: not asked). */
export interface Listed {
  rel: string;
  parent: string;
  name: string;
  type: number;
}

/**
 * The entries of `dir` (whose mount-relative path is `path`); `typed`: with their types
 * (READDIRPLUS, LOOKUP where it gave none); `recursive`: subdirectories too, breadth first
 * (links are not followed).
 */
export async function listDirectory(core: Core, dir: Node, path: string, typed: boolean, recursive: boolean, ctx: OpCtx): Promise<Listed[]> {
  const out: Listed[] = [];
  const queue: { node: Node; rel: string; abs: string }[] = [{ node: dir, rel: '', abs: path }];
  while (queue.length > 0) {
    const { node, rel, abs } = queue.shift()!;
    const entries = await readDirectory(core.s, node, typed, ctx);
    const types = typed ? await entryTypes(core, node, entries, ctx) : null;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const type = types === null ? 0 : types[i]!;
      const relName = rel === '' ? e.name : `${rel}/${e.name}`;
      out.push({ rel: relName, parent: abs, name: e.name, type });
      if (recursive && type === typeBits(NF3DIR)) {
        const child = e.fh !== null && e.attrs !== null ? { fh: e.fh, key: fhKey(e.fh), attrs: e.attrs }
          : await core.r.lookup(node, e.name, ctx);
        queue.push({ node: child, rel: relName, abs: abs === '/' ? `/${e.name}` : `${abs}/${e.name}` });
      }
    }
  }
  return out;
}

/**
 * The key of NfsClient's internal listing call (the CLI's ls): not part of the fs-like API.
 * `client[readdirAttrs](path)` is readdir(path, { withFileTypes: true }) with each entry's
 * attributes (see listWithAttrs).
 */
export const readdirAttrs: unique symbol = Symbol('sonfs.readdirAttrs');

/** An entry of listWithAttrs: name, S_IF* type (0: unknown), and attributes (null: none came). */
export interface EntryAttrs {
  name: string;
  type: number;
  attrs: fattr3 | null;
}

/**
 * The entries of `dir` with the attributes READDIRPLUS returned for them — the same the attribute
 * cache was just primed with, so what lstat would answer — or, for an entry READDIRPLUS gave no
 * attributes for, those of the LOOKUP that finds its type (as readdir withFileTypes does). attrs
 * is null when neither gave any (READDIR only, or a name removed meanwhile: type 0), and for a
 * file this client is writing (its attributes change as the writes go out: the caller lstats it).
 * Only subdirectories prime the attribute and name caches (readDirectory's prime 'dirs'): the
 * caller has every entry's attributes here, and walks on (ls -R) only into subdirectories.
 */
export async function listWithAttrs(core: Core, dir: Node, ctx: OpCtx): Promise<EntryAttrs[]> {
  const s = core.s;
  const entries = await readDirectory(s, dir, true, ctx, 'dirs');
  const out: EntryAttrs[] = new Array(entries.length);
  const missing: number[] = [];
  const writing = s.files.size > 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    let attrs = e.attrs;
    if (attrs === null) missing.push(i);
    else if (writing && e.fh !== null && s.files.get(fhKey(e.fh))?.writer.sending === true) attrs = null;
    out[i] = { name: e.name, type: attrs === null ? 0 : typeBits(attrs.type), attrs };
  }
  if (missing.length > 0) {
    await pool(missing, TREE_PARALLELISM, async (i) => {
      const o = out[i]!;
      try {
        const attrs = (await core.r.lookup(dir, o.name, ctx)).attrs;
        o.type = typeBits(attrs.type);
        o.attrs = attrs;
      } catch (err) {
        if (!(err instanceof NfsError && err.code === 'ENOENT')) throw err;
        /* removed meanwhile: type 0, no attributes */
      }
    });
  }
  return out;
}
