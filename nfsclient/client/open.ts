/*
 * What open() opens: the lookup, or CREATE (UNCHECKED for O_CREAT, EXCLUSIVE for O_CREAT|O_EXCL),
 * symbolic-link and type checks (O_NOFOLLOW, O_DIRECTORY, EISDIR), and close-to-open's
 * revalidation — one ACCESS call that checks the open mode against the server's rules
 * (root squash, ACLs) and brings fresh attributes; write access denied by a read-only export is
 * EROFS, not EACCES (writeDenied).
 */
import { EACCES, EEXIST, EISDIR, ELOOP, ENOTDIR } from '../../sockets/index.js';
import { NfsError } from '../errors.js';
import {
  ACCESS3_EXTEND, ACCESS3_LOOKUP, ACCESS3_MODIFY, ACCESS3_READ, NF3DIR, NF3LNK, UNCHECKED,
} from '../nfs3/constants.js';
import { NFS3ERR_ROFS, NFS3_OK } from '../nfs3/nfsstat3.js';
import { sattr3Of } from '../nfs3/sattr.js';
import type { OpenFlags } from './flags.js';
import { accessBits, create, createExclusive } from './ops.js';
import type { Core } from './ops.js';
import type { Node } from './resolve.js';
import type { OpCtx } from './session.js';

/*
 * ACCESS denied writing `node`. A read-only export denies it too, and open(2) says EROFS for that:
 * a SETATTR that sets nothing tells the two apart — a read-only file system refuses every SETATTR
 * (NFS3ERR_ROFS) — and otherwise the answer is EACCES. Only on this failure path.
 */
async function writeDenied(core: Core, node: Node, ctx: OpCtx): Promise<NfsError> {
  const s = core.s;
  const res = await s.call('SETATTR', { object: node.fh, new_attributes: sattr3Of({}), guard: null }, ctx);
  s.wcc(node.key, res.status === NFS3_OK ? res.resok.obj_wcc : res.resfail.obj_wcc);
  return res.status === NFS3ERR_ROFS ? s.fail(res.status, ctx, node.key) : new NfsError(EACCES, ctx);
}

/* Find or create what open() opens. `fresh`: its attributes were just revalidated (or it was just made). */
export async function openNode(core: Core, p: string, f: OpenFlags, mode: number, ctx: OpCtx): Promise<{ node: Node; fresh: boolean; created: boolean }> {
  const { r, s } = core;
  let node: Node | null = null;
  let created = false;
  if (f.create) {
    const { dir, name } = await r.resolveParent(p, ctx);
    if (name === null) {
      if (f.exclusive) throw new NfsError(EEXIST, ctx);
      node = await r.root(ctx);
    } else if (f.exclusive) {
      node = await createExclusive(core, dir, name, mode, ctx);
      created = true;
    } else {
      try {
        node = await r.lookup(dir, name, ctx);
      } catch (e) {
        if (!(e instanceof NfsError && e.code === 'ENOENT')) throw e;
      }
      if (node === null) {
        node = await create(core, dir, name, { mode: UNCHECKED, obj_attributes: sattr3Of({ mode }) }, ctx);
        created = true;
      } else if (node.attrs.type === NF3LNK) {
        if (f.noFollow) throw new NfsError(ELOOP, ctx);
        node = await r.resolve(p, true, ctx);
      }
    }
  } else {
    node = await r.resolve(p, !f.noFollow, ctx);
    if (f.noFollow && node.attrs.type === NF3LNK) throw new NfsError(ELOOP, ctx);
  }
  if (f.directory && node.attrs.type !== NF3DIR) throw new NfsError(ENOTDIR, ctx);
  if (node.attrs.type === NF3DIR && (f.write || f.truncate)) throw new NfsError(EISDIR, ctx);
  if (created) return { node, fresh: true, created };
  if (!s.opts.cto && s.attrs.get(node.key) !== undefined) return { node, fresh: false, created };
  /* Close-to-open: ACCESS checks the open mode and brings fresh attributes in one call. */
  let want = 0;
  if (f.read) want |= node.attrs.type === NF3DIR ? ACCESS3_LOOKUP | ACCESS3_READ : ACCESS3_READ;
  if (f.write) want |= ACCESS3_MODIFY | ACCESS3_EXTEND;
  const granted = await accessBits(core, node, want, ctx);
  if (f.read && (granted & ACCESS3_READ) === 0) throw new NfsError(EACCES, ctx);
  if (f.write && (granted & (ACCESS3_MODIFY | ACCESS3_EXTEND)) === 0) throw await writeDenied(core, node, ctx);
  const attrs = s.attrs.peek(node.key) ?? (await s.getattr(node.fh, ctx, true, node.key));
  return { node: { ...node, attrs }, fresh: true, created };
}
