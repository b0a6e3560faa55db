/*
 * Operations on the name space shared by the client's methods: create (UNCHECKED, GUARDED,
 * EXCLUSIVE), MKDIR/SYMLINK/MKNOD results, SETATTR, and the removals with their two policies:
 *
 * - Retransmitted REMOVE/RMDIR/RENAME/LINK/MKDIR/SYMLINK (RFC 1813 §4.5, "non-idempotent
 *   procedures"): when the reply to the first transmission was lost and the server has no
 *   duplicate-request-cache entry for it, the retransmission finds the work done and answers
 *   NOENT (REMOVE, RMDIR, RENAME) or EXIST (LINK, MKDIR, SYMLINK). If the call was retransmitted
 *   and the directory changed since before the call (lostReplyDidIt), that answer is taken as the
 *   success it almost certainly is — what OpenBSD's nfs_removerpc and Linux do for REMOVE,
 *   extended to the others (MKDIR and SYMLINK also need the name to hold a directory, or a link to
 *   the same target: madeByLostReply). A directory unchanged since before the call means the error
 *   is genuine (the name really was missing, or really existed). Counted in
 *   counters.retransmitSuccesses.
 * - Silly rename: removing (or renaming over) a file that FileHandles of this client hold open
 *   renames it to a hidden ".nfs<16 hex>" name in the same directory instead; the last close
 *   removes that name (OpenBSD nfs_sillyrename / nfs_inactive). umount() closes every handle,
 *   so nothing is left behind by a clean unmount.
 */
import { randomBytes } from '../../rpc/internal.js';
import { EEXIST } from '../../sockets/index.js';
import { fhKey, sameContents } from '../cache/attrcache.js';
import { NfsError } from '../errors.js';
import type { fattr3, post_op_attr, post_op_fh3, wcc_data } from '../nfs3/attr.js';
import { EXCLUSIVE, GUARDED, NF3DIR, SET_TO_SERVER_TIME } from '../nfs3/constants.js';
import { NFS3ERR_EXIST, NFS3ERR_NOENT, NFS3ERR_NOTSUPP, NFS3_OK } from '../nfs3/nfsstat3.js';
import type { createhow3 } from '../nfs3/proc-create.js';
import { sattr3Of } from '../nfs3/sattr.js';
import type { sattr3 } from '../nfs3/sattr.js';
import type { FileState, MountSession } from './file-state.js';
import type { Node, Resolver } from './resolve.js';
import type { OpCtx } from './session.js';

/**
 * RFC 1813 §4.5: a retransmitted (or, after a reconnection, resent) non-idempotent call was
 * answered NOENT or EXIST. Did its first transmission do the work, its reply lost? `before` is the
 * directory's attributes as this client knew them when it sent the call (cached, any age), `after`
 * the post-op attributes in the failed reply. A failed call changes nothing, so if the directory
 * still shows `before`, no transmission changed it and the error is genuine; if it changed, the
 * first transmission (almost certainly) did. Unknown on either side: taken as done, the rule
 * OpenBSD's nfs_removerpc and Linux apply to REMOVE.
 */
export function lostReplyDidIt(before: fattr3 | undefined, after: fattr3 | null): boolean {
  return before === undefined || after === null || !sameContents(before, after);
}

/**
 * After MKDIR or SYMLINK answered EXIST to a call that was retransmitted, with the directory
 * changed since before the call (lostReplyDidIt): the object the first transmission made, if `name`
 * in `dir` now is one of type `type` (and, for a link, with `target`). Null otherwise: the EEXIST
 * stands.
 */
export async function madeByLostReply(core: Core, dir: Node, name: string, type: number, target: string | null,
  before: fattr3 | undefined, after: fattr3 | null, ctx: OpCtx): Promise<Node | null> {
  const { s, r } = core;
  if (!lostReplyDidIt(before, after)) return null;
  s.names.remove(dir.key, name);
  let node: Node;
  try {
    node = await r.lookup(dir, name, ctx);
    if (node.attrs.type !== type) return null;
    if (target !== null && (await r.readlink(node, ctx)) !== target) return null;
  } catch {
    return null;
  }
  s.counters.retransmitSuccesses++;
  return node;
}

/** A directory known by its handle alone. */
export type DirRef = Pick<Node, 'fh' | 'key'>;

/** The session and its resolver: what every operation needs. */
export interface Core {
  s: MountSession;
  r: Resolver;
}

/**
 * The object a CREATE/MKDIR/SYMLINK/MKNOD made: from the reply's post_op_fh3 and attributes, or
 * by LOOKUP/GETATTR when the server left them out (RFC 1813 §3.3.8 allows it).
 */
export async function createdNode(
  core: Core, dir: Node, name: string, obj: post_op_fh3, attrs: post_op_attr, dirWcc: wcc_data, ctx: OpCtx,
): Promise<Node> {
  const { s, r } = core;
  s.wcc(dir.key, dirWcc);
  s.names.remove(dir.key, name);
  if (obj === null) return r.lookup(dir, name, ctx);
  const key = fhKey(obj);
  let a: fattr3 | null = attrs;
  if (a === null) a = await s.getattr(obj, ctx, true, key);
  else s.attrs.set(key, a);
  if (dirWcc.after !== null) s.names.enter(dir.key, dirWcc.after, name, obj);
  return { fh: obj, key, attrs: a };
}

/** CREATE `name` in `dir` (RFC 1813 §3.3.8). @throws NfsError (EEXIST for GUARDED/EXCLUSIVE ...) */
export async function create(core: Core, dir: Node, name: string, how: createhow3, ctx: OpCtx): Promise<Node> {
  const s = core.s;
  const res = await s.call('CREATE', { where: { dir: dir.fh, name }, how }, ctx);
  if (res.status !== NFS3_OK) {
    s.wcc(dir.key, res.resfail.dir_wcc);
    throw s.fail(res.status, ctx, dir.key);
  }
  const ok = res.resok;
  return createdNode(core, dir, name, ok.obj, ok.obj_attributes, ok.dir_wcc, ctx);
}

/**
 * O_CREAT | O_EXCL: CREATE EXCLUSIVE with a random verifier (a retransmission finds the same
 * verifier and succeeds), then SETATTR of the mode and of both times, which the server used to
 * store the verifier (RFC 1813 §3.3.8). A server without EXCLUSIVE (NOTSUPP) gets GUARDED.
 */
export async function createExclusive(core: Core, dir: Node, name: string, mode: number, ctx: OpCtx): Promise<Node> {
  const s = core.s;
  const verf = randomBytes(8);
  const res = await s.call('CREATE', { where: { dir: dir.fh, name }, how: { mode: EXCLUSIVE, verf } }, ctx);
  if (res.status !== NFS3_OK) {
    s.wcc(dir.key, res.resfail.dir_wcc);
    if (res.status === NFS3ERR_NOTSUPP) {
      return create(core, dir, name, { mode: GUARDED, obj_attributes: sattr3Of({ mode }) }, ctx);
    }
    throw s.fail(res.status, ctx, dir.key);
  }
  const ok = res.resok;
  const node = await createdNode(core, dir, name, ok.obj, ok.obj_attributes, ok.dir_wcc, ctx);
  await setattr(core, node, { mode, atime: { set_it: SET_TO_SERVER_TIME }, mtime: { set_it: SET_TO_SERVER_TIME } }, ctx);
  return { ...node, attrs: s.attrs.peek(node.key) ?? node.attrs };
}

/** ACCESS (RFC 1813 §3.3.4): the bits of `want` the server grants; fresh attributes on the way. */
export async function accessBits(core: Core, node: Node, want: number, ctx: OpCtx): Promise<number> {
  const s = core.s;
  const res = await s.call('ACCESS', { object: node.fh, access: want }, ctx);
  if (res.status !== NFS3_OK) {
    s.postOp(node.key, res.resfail.obj_attributes);
    throw s.fail(res.status, ctx, node.key);
  }
  if (res.resok.obj_attributes !== null) s.attrs.set(node.key, res.resok.obj_attributes);
  return res.resok.access;
}

/** SETATTR (RFC 1813 §3.3.2) with no guard. @throws NfsError (EPERM, EACCES, EROFS, EFBIG ...) */
export async function setattr(core: Core, node: Node, set: Partial<sattr3>, ctx: OpCtx): Promise<void> {
  const s = core.s;
  const res = await s.call('SETATTR', { object: node.fh, new_attributes: sattr3Of(set), guard: null }, ctx);
  if (res.status !== NFS3_OK) {
    s.wcc(node.key, res.resfail.obj_wcc);
    throw s.fail(res.status, ctx, node.key);
  }
  s.wcc(node.key, res.resok.obj_wcc);
}

/* The open state of `name` in `dir`, if a FileHandle of this client holds it open. */
async function openTarget(core: Core, dir: Node, name: string, ctx: OpCtx): Promise<{ node: Node; state: FileState } | null> {
  if (core.s.files.size === 0) return null;
  let node: Node;
  try {
    node = await core.r.lookup(dir, name, ctx);
  } catch {
    return null; /* the REMOVE/RENAME itself will report it */
  }
  const state = core.s.files.get(node.key);
  if (state === undefined || state.openCount === 0 || state.silly !== null || node.attrs.type === NF3DIR) return null;
  return { node, state };
}

/** RENAME with the retransmission rule. */
async function renameRpc(core: Core, from: Node, fromName: string, to: Node, toName: string, ctx: OpCtx): Promise<void> {
  const s = core.s;
  const before = s.attrs.peek(from.key);
  const { res, retransmitted } = await s.callTracked('RENAME', {
    from: { dir: from.fh, name: fromName }, to: { dir: to.fh, name: toName },
  }, ctx);
  s.names.remove(from.key, fromName);
  s.names.remove(to.key, toName);
  const w = res.status === NFS3_OK ? res.resok : res.resfail;
  s.wcc(from.key, w.fromdir_wcc);
  s.wcc(to.key, w.todir_wcc);
  if (res.status === NFS3_OK) return;
  if (res.status === NFS3ERR_NOENT && retransmitted && lostReplyDidIt(before, w.fromdir_wcc.after)) {
    s.counters.retransmitSuccesses++;
    return;
  }
  throw s.fail(res.status, ctx, from.key, to.key);
}

/* Rename an open file to a hidden name in its directory; the last close removes it. */
async function sillyRename(core: Core, dir: Node, name: string, state: FileState, ctx: OpCtx): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const hidden = `.nfs${randomBytes(8).toString('hex')}`;
    try {
      await renameRpc(core, dir, name, dir, hidden, ctx);
    } catch (e) {
      if (attempt < 3 && e instanceof NfsError && e.errno === EEXIST) continue;
      throw e;
    }
    state.silly = { dir: dir.fh, dirKey: dir.key, name: hidden };
    core.s.counters.sillyRenames++;
    return;
  }
}

/** unlink(2): REMOVE, or a silly rename of a file open here. */
export async function remove(core: Core, dir: Node, name: string, ctx: OpCtx): Promise<void> {
  const open = await openTarget(core, dir, name, ctx);
  if (open !== null) {
    await sillyRename(core, dir, name, open.state, ctx);
    return;
  }
  await removeName(core, dir, name, ctx);
}

/** REMOVE `name` from `dir` with the retransmission rule (no silly rename). */
export async function removeName(core: Core, dir: DirRef, name: string, ctx: OpCtx): Promise<void> {
  const s = core.s;
  const known = s.names.peek(dir.key, name);
  const before = s.attrs.peek(dir.key);
  const { res, retransmitted } = await s.callTracked('REMOVE', { object: { dir: dir.fh, name } }, ctx);
  s.names.remove(dir.key, name);
  s.wcc(dir.key, res.status === NFS3_OK ? res.resok.dir_wcc : res.resfail.dir_wcc);
  if (known) s.attrs.invalidate(fhKey(known)); /* its nlink and ctime changed */
  if (res.status === NFS3_OK) return;
  if (res.status === NFS3ERR_NOENT && retransmitted && lostReplyDidIt(before, res.resfail.dir_wcc.after)) {
    s.counters.retransmitSuccesses++;
    return;
  }
  throw s.fail(res.status, ctx, dir.key);
}

/** rmdir(2): RMDIR with the retransmission rule. */
export async function rmdirName(core: Core, dir: DirRef, name: string, ctx: OpCtx): Promise<void> {
  const s = core.s;
  const before = s.attrs.peek(dir.key);
  const { res, retransmitted } = await s.callTracked('RMDIR', { object: { dir: dir.fh, name } }, ctx);
  s.names.remove(dir.key, name);
  s.wcc(dir.key, res.status === NFS3_OK ? res.resok.dir_wcc : res.resfail.dir_wcc);
  if (res.status === NFS3_OK) return;
  if (res.status === NFS3ERR_NOENT && retransmitted && lostReplyDidIt(before, res.resfail.dir_wcc.after)) {
    s.counters.retransmitSuccesses++;
    return;
  }
  throw s.fail(res.status, ctx, dir.key);
}

/** rename(2): a target open here is silly-renamed first. */
export async function rename(core: Core, from: Node, fromName: string, to: Node, toName: string, ctx: OpCtx): Promise<void> {
  const open = await openTarget(core, to, toName, ctx);
  if (open !== null) {
    const source = await core.r.lookup(from, fromName, ctx);
    if (source.key !== open.node.key) await sillyRename(core, to, toName, open.state, ctx);
  }
  await renameRpc(core, from, fromName, to, toName, ctx);
}

/** link(2): LINK with the retransmission rule (EXIST after a retransmission that changed the directory is success). */
export async function link(core: Core, file: Node, dir: Node, name: string, ctx: OpCtx): Promise<void> {
  const s = core.s;
  const before = s.attrs.peek(dir.key);
  const { res, retransmitted } = await s.callTracked('LINK', { file: file.fh, link: { dir: dir.fh, name } }, ctx);
  s.names.remove(dir.key, name);
  const w = res.status === NFS3_OK ? res.resok : res.resfail;
  s.postOp(file.key, w.file_attributes);
  s.wcc(dir.key, w.linkdir_wcc);
  if (res.status === NFS3_OK) {
    if (w.linkdir_wcc.after !== null) s.names.enter(dir.key, w.linkdir_wcc.after, name, file.fh);
    return;
  }
  if (res.status === NFS3ERR_EXIST && retransmitted && lostReplyDidIt(before, w.linkdir_wcc.after)) {
    s.counters.retransmitSuccesses++;
    return;
  }
  throw s.fail(res.status, ctx, file.key, dir.key);
}
