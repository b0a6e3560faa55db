/*
 * NFSv3 directory pages: READDIR and READDIRPLUS (RFC 1813 §3.3.16, §3.3.17) as a DirPager, for
 * the version-neutral walk in dir-walk.ts (paging, restarts, loop and progress bounds).
 *
 * - NFS3ERR_BAD_COOKIE: the walk restarts (FreeBSD's recovery, where libnfs gives EIO at once and
 *   OpenBSD EINVAL); EIO-mapped BAD_COOKIE once it gives up.
 * - NFS3ERR_TOOSMALL: the walk doubles the counts, up to the largest reply the mount can receive
 *   (limits.maxDirCount); beyond that the status is the error.
 * - READDIRPLUS answered NFS3ERR_NOTSUPP: READDIR from then on, for the whole mount, as OpenBSD.
 * - READDIRPLUS entries prime the attribute and name caches; entries without attributes or a
 *   handle are fine (whoever needs them LOOKUPs or GETATTRs later). With `prime` 'dirs' only the
 *   subdirectories do (for a caller that keeps each entry's attributes itself and walks on only
 *   into subdirectories: the CLI's ls; two cache inserts per file are most of the client's time in
 *   a large listing).
 * - A name that no directory can hold — empty, or with a "/" or a NUL in it — is EIO before
 *   anything of the page is used (Linux's verify_dirent_name): such a name would be taken for a
 *   path by whoever joins it to a directory (`readdir({ recursive })`, a recursive copy to local
 *   files), and could reach outside it.
 */
import { EIO } from '../../sockets/index.js';
import { fhKey } from '../cache/attrcache.js';
import { NfsError } from '../errors.js';
import type { fattr3 } from '../nfs3/attr.js';
import { NF3DIR } from '../nfs3/constants.js';
import {
  NFS3ERR_BAD_COOKIE, NFS3ERR_NOTSUPP, NFS3ERR_TOOSMALL, NFS3_OK,
} from '../nfs3/nfsstat3.js';
import type { entry3, entryplus3 } from '../nfs3/proc-readdir.js';
import { walkDirectory } from './dir-walk.js';
import type { DirPager, Page, PageRequest } from './dir-walk.js';
import type { Node } from './resolve.js';
import type { OpCtx, Session } from './session.js';

/* EIO for a page holding a name no directory entry can have (empty, "/" or NUL in it). */
function checkNames(entries: readonly (entry3 | entryplus3)[], ctx: OpCtx): void {
  for (const e of entries) {
    const n = e.name;
    if (n === '' || n.includes('/') || n.includes('\0')) {
      throw new NfsError(EIO, { ...ctx, detail: `the server listed an invalid name ${JSON.stringify(n.slice(0, 64))}` });
    }
  }
}

export interface DirEntry {
  name: string;
  fileid: bigint;
  cookie: bigint;
  /** From READDIRPLUS, when the server sent them. */
  attrs: fattr3 | null;
  fh: Buffer | null;
}

/** Which READDIRPLUS entries prime the attribute and name caches: all, or subdirectories only. */
export type Prime = 'all' | 'dirs';

/* The READDIR / READDIRPLUS sizes of a request: the mount's, doubled `grow` times, or the largest. */
function sizes(s: Session, req: PageRequest): { dircount: number; maxcount: number; atLimit: boolean } {
  const l = s.limits;
  const max = l.maxDirCount;
  if (req.largest) return { dircount: max, maxcount: max, atLimit: true };
  const f = 2 ** req.grow;
  const dircount = Math.min(l.dircount * f, max);
  const maxcount = Math.min(l.maxcount * f, max);
  return { dircount, maxcount, atLimit: dircount >= max && maxcount >= max };
}

class Nfs3DirPager implements DirPager<DirEntry> {
  readonly server: string;

  constructor(readonly s: Session, readonly dir: Node, readonly onlyDirs: boolean) {
    this.server = `${s.opts.host}:${s.nfsRpc.options.port}`;
  }

  badCookieError(ctx: OpCtx, detail: string): NfsError {
    return NfsError.fromStatus(NFS3ERR_BAD_COOKIE, { ...ctx, detail: `NFS3ERR_BAD_COOKIE: ${detail}` });
  }

  async page(req: PageRequest, ctx: OpCtx): Promise<Page<DirEntry>> {
    const s = this.s;
    const dir = this.dir;
    const { dircount, maxcount, atLimit } = sizes(s, req);
    const plus = req.plus && s.rdirplus;
    let status: number;
    if (plus) {
      const res = await s.call('READDIRPLUS', { dir: dir.fh, cookie: req.cookie, cookieverf: req.verf, dircount, maxcount }, ctx);
      status = res.status;
      if (res.status === NFS3_OK) {
        const ok = res.resok;
        const da = ok.dir_attributes;
        if (da !== null) s.attrs.set(dir.key, da);
        const entries = ok.reply.entries;
        checkNames(entries, ctx);
        const out: DirEntry[] = new Array(entries.length);
        const attrs = s.attrs;
        const names = s.names;
        const dirKey = dir.key;
        const onlyDirs = this.onlyDirs;
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i]!;
          const fh = e.name_handle;
          const a = e.name_attributes;
          out[i] = { name: e.name, fileid: e.fileid, cookie: e.cookie, attrs: a, fh };
          if (fh === null || e.name === '.' || e.name === '..') continue;
          if (onlyDirs && (a === null || a.type !== NF3DIR)) continue;
          if (a !== null) attrs.set(fhKey(fh), a);
          if (da !== null) names.enter(dirKey, da, e.name, fh);
        }
        return { kind: 'entries', entries: out, eof: ok.reply.eof, verf: ok.cookieverf };
      }
      if (res.resfail.dir_attributes !== null) s.attrs.set(dir.key, res.resfail.dir_attributes);
      if (status === NFS3ERR_NOTSUPP) {
        s.rdirplus = false; /* for the whole mount, as OpenBSD does */
        return { kind: 'no-plus' };
      }
    } else {
      const res = await s.call('READDIR', { dir: dir.fh, cookie: req.cookie, cookieverf: req.verf, count: dircount }, ctx);
      status = res.status;
      if (res.status === NFS3_OK) {
        const ok = res.resok;
        if (ok.dir_attributes !== null) s.attrs.set(dir.key, ok.dir_attributes);
        const entries = ok.reply.entries;
        checkNames(entries, ctx);
        const out: DirEntry[] = new Array(entries.length);
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i]!;
          out[i] = { name: e.name, fileid: e.fileid, cookie: e.cookie, attrs: null, fh: null };
        }
        return { kind: 'entries', entries: out, eof: ok.reply.eof, verf: ok.cookieverf };
      }
      if (res.resfail.dir_attributes !== null) s.attrs.set(dir.key, res.resfail.dir_attributes);
    }
    if (status === NFS3ERR_BAD_COOKIE) return { kind: 'bad-cookie' };
    if (status === NFS3ERR_TOOSMALL && !atLimit) return { kind: 'too-small' };
    throw s.fail(status, ctx, dir.key);
  }
}

/**
 * Every entry of the directory `dir` ("." and ".." left out). `plus`: ask for attributes and
 * handles (READDIRPLUS, if the mount still uses it). `prime`: see above.
 * @throws NfsError (ENOTDIR, EACCES, ESTALE, ELOOP for a server that lists in a circle, EIO ...)
 */
export function readDirectory(s: Session, dir: Node, plus: boolean, ctx: OpCtx, prime: Prime = 'all'): Promise<DirEntry[]> {
  return walkDirectory(new Nfs3DirPager(s, dir, prime === 'dirs'), plus, ctx, s.counters);
}
