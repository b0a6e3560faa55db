/*
 * Reading a whole directory with READDIR / READDIRPLUS (RFC 1813 §3.3.16, §3.3.17).
 *
 * - Paging: the first call sends cookie 0 and an all-zero cookie verifier; each next call sends
 *   the last entry's cookie and the verifier of the previous reply, verbatim.
 * - NFS3ERR_BAD_COOKIE (the directory changed under the cookie, or the server restarted): start
 *   again from cookie 0 with a zero verifier and drop entries already returned (same fileid and
 *   name), at most MAX_RESTARTS times, then EIO — FreeBSD's recovery, where libnfs gives EIO at
 *   once and OpenBSD EINVAL.
 * - NFS3ERR_TOOSMALL (an entry does not fit the count): the same call with twice the count, up to
 *   MAX_COUNT.
 * - READDIRPLUS answered NFS3ERR_NOTSUPP: READDIR from then on, for the whole mount.
 * - READDIRPLUS entries prime the attribute and name caches; entries without attributes or a
 *   handle are fine (whoever needs them LOOKUPs or GETATTRs later). With `prime` 'dirs' only the
 *   subdirectories do (for a caller that keeps each entry's attributes itself and walks on only
 *   into subdirectories: the CLI's ls; two cache inserts per file are most of the client's time in
 *   a large listing).
 * - A reply with no entries and no eof, several times in a row, is a server that does not
 *   advance: EIO rather than a loop.
 * - A name that no directory can hold — empty, or with a "/" or a NUL in it — is EIO before
 *   anything of the page is used (Linux's verify_dirent_name): such a name would be taken for a
 *   path by whoever joins it to a directory (`readdir({ recursive })`, a recursive copy to local
 *   files), and could reach outside it.
 * - One listing holds at most MAX_DIR_ENTRIES entries (then EOVERFLOW): a server that never says
 *   eof, with fresh names and cookies on every page, cannot make it grow without bound.
 * "." and ".." are not returned.
 */
import { EIO, EOVERFLOW } from '../../sockets/errno.js';
import { fhKey } from '../cache/attrcache.js';
import { NfsError } from '../errors.js';
import type { fattr3 } from '../nfs3/attr.js';
import { NF3DIR } from '../nfs3/constants.js';
import {
  NFS3ERR_BAD_COOKIE, NFS3ERR_NOTSUPP, NFS3ERR_TOOSMALL, NFS3_OK,
} from '../nfs3/nfsstat3.js';
import type { entry3, entryplus3 } from '../nfs3/proc-readdir.js';
import type { Node } from './resolve.js';
import type { OpCtx, Session } from './session.js';

export const MAX_RESTARTS = 3;
/** Largest count a TOOSMALL retry goes to (bytes). */
export const MAX_COUNT = 1024 * 1024;
const MAX_EMPTY_PAGES = 3;
/** Most entries one listing returns (ten times the 100,000-entry directories the client is tested with). */
export const MAX_DIR_ENTRIES = 1024 * 1024;

/* EIO for a page holding a name no directory entry can have (empty, "/" or NUL in it). */
function checkNames(entries: readonly (entry3 | entryplus3)[], ctx: OpCtx): void {
  for (const e of entries) {
    const n = e.name;
    if (n === '' || n.includes('/') || n.includes('\0')) {
      throw new NfsError(EIO, { ...ctx, detail: `the server listed an invalid name ${JSON.stringify(n.slice(0, 64))}` });
    }
  }
}
const ZERO_VERF: Buffer = Buffer.alloc(8);

export interface DirEntry {
  name: string;
  fileid: bigint;
  /** From READDIRPLUS, when the server sent them. */
  attrs: fattr3 | null;
  fh: Buffer | null;
}

/** Which READDIRPLUS entries prime the attribute and name caches: all, or subdirectories only. */
export type Prime = 'all' | 'dirs';

/**
 * Every entry of the directory `dir`. `plus`: ask for attributes and handles (READDIRPLUS,
 * if the mount still uses it). `prime`: see above.
 * @throws NfsError (ENOTDIR, EACCES, ESTALE, EIO after too many BAD_COOKIE restarts ...)
 */
export async function readDirectory(s: Session, dir: Node, plus: boolean, ctx: OpCtx, prime: Prime = 'all'): Promise<DirEntry[]> {
  const onlyDirs = prime === 'dirs';
  const out: DirEntry[] = [];
  /* The fileids returned under each name: an entry already returned (same name and fileid) is dropped. */
  const seen = new Map<string, bigint | Set<bigint>>();
  let cookie = 0n;
  let verf = ZERO_VERF;
  let restarts = 0;
  let empty = 0;
  let dircount = s.limits.dircount;
  let maxcount = s.limits.maxcount;
  for (;;) {
    const usePlus = plus && s.rdirplus;
    let status: number;
    let entries: (entry3 | entryplus3)[] = [];
    let eof = false;
    if (usePlus) {
      const res = await s.call('READDIRPLUS', { dir: dir.fh, cookie, cookieverf: verf, dircount, maxcount }, ctx);
      status = res.status;
      if (res.status === NFS3_OK) {
        const ok = res.resok;
        const da = ok.dir_attributes;
        if (da !== null) s.attrs.set(dir.key, da);
        verf = ok.cookieverf;
        entries = ok.reply.entries;
        eof = ok.reply.eof;
        checkNames(entries, ctx);
        const attrs = s.attrs;
        const names = s.names;
        const dirKey = dir.key;
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i] as entryplus3;
          const fh = e.name_handle;
          if (fh === null || e.name === '.' || e.name === '..') continue;
          const a = e.name_attributes;
          if (onlyDirs && (a === null || a.type !== NF3DIR)) continue;
          if (a !== null) attrs.set(fhKey(fh), a);
          if (da !== null) names.enter(dirKey, da, e.name, fh);
        }
      } else if (res.resfail.dir_attributes !== null) {
        s.attrs.set(dir.key, res.resfail.dir_attributes);
      }
      if (status === NFS3ERR_NOTSUPP) {
        s.rdirplus = false; /* for the whole mount, as OpenBSD does */
        continue;
      }
    } else {
      const res = await s.call('READDIR', { dir: dir.fh, cookie, cookieverf: verf, count: dircount }, ctx);
      status = res.status;
      if (res.status === NFS3_OK) {
        const ok = res.resok;
        if (ok.dir_attributes !== null) s.attrs.set(dir.key, ok.dir_attributes);
        verf = ok.cookieverf;
        entries = ok.reply.entries;
        eof = ok.reply.eof;
        checkNames(entries, ctx);
      } else if (res.resfail.dir_attributes !== null) {
        s.attrs.set(dir.key, res.resfail.dir_attributes);
      }
    }
    if (status === NFS3_OK) {
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        cookie = e.cookie;
        const name = e.name;
        if (name === '.' || name === '..') continue;
        const fileid = e.fileid;
        const ids = seen.get(name);
        if (ids === undefined) {
          seen.set(name, fileid);
        } else if (typeof ids === 'bigint') {
          if (ids === fileid) continue;
          seen.set(name, new Set([ids, fileid]));
        } else {
          if (ids.has(fileid)) continue;
          ids.add(fileid);
        }
        if (out.length >= MAX_DIR_ENTRIES) {
          throw new NfsError(EOVERFLOW, { ...ctx, detail: `the directory has more than ${MAX_DIR_ENTRIES} entries` });
        }
        out.push(usePlus
          ? { name, fileid, attrs: (e as entryplus3).name_attributes, fh: (e as entryplus3).name_handle }
          : { name, fileid, attrs: null, fh: null });
      }
      if (eof) return out;
      if (entries.length === 0) {
        if (++empty >= MAX_EMPTY_PAGES) {
          throw new NfsError(EIO, { ...ctx, detail: 'the server returned no entries and no end of directory' });
        }
      } else {
        empty = 0;
      }
      continue;
    }
    if (status === NFS3ERR_BAD_COOKIE) {
      if (++restarts > MAX_RESTARTS) {
        throw NfsError.fromStatus(status, { ...ctx, detail: `NFS3ERR_BAD_COOKIE: the listing was restarted ${MAX_RESTARTS} times and the directory kept changing` });
      }
      s.counters.badCookieRestarts++;
      cookie = 0n;
      verf = ZERO_VERF;
      continue;
    }
    if (status === NFS3ERR_TOOSMALL && Math.max(dircount, maxcount) < MAX_COUNT) {
      s.counters.tooSmallRetries++;
      dircount = Math.min(dircount * 2, MAX_COUNT);
      maxcount = Math.min(maxcount * 2, MAX_COUNT);
      continue;
    }
    throw s.fail(status, ctx, dir.key);
  }
}
