/*
 * Reading a whole directory, page by page, whatever the protocol version: the cookie walk of
 * RFC 1813 §3.3.16 (READDIR3), which NFSv4's READDIR (RFC 8881 §18.23) keeps, and every defence a
 * client needs against a server that lists wrongly. A version module supplies one page at a time
 * (DirPager); this file decides what to ask next and when to give up.
 *
 * - Paging: the first call sends cookie 0 and an all-zero verifier; each next call the last
 *   entry's cookie and the verifier of the previous reply.
 * - "Bad cookie" (the directory changed under the cookie, or the server restarted): start again
 *   from cookie 0 with a zero verifier, at most MAX_RESTARTS times, then the pager's error.
 *   Entries already returned (same name and fileid) are not returned twice.
 * - "Too small" (an entry does not fit): the same call with the sizes doubled; the pager throws
 *   once they cannot grow.
 * - Attributes with the entries not supported: plain listings from then on (the pager records
 *   it for the mount).
 * - Loops. A cookie seen twice in one pass over the directory — within one reply or across
 *   replies — is a server that lists in a circle (Linux fs/nfs/dir.c reports "readdir loop").
 *   The walk restarts once from cookie 0, with a zero verifier, without attributes and with the
 *   largest size the mount can receive, so that a directory that fits in one reply can still
 *   come back whole; a second loop is ELOOP (as Linux returns), naming the directory, the cookie
 *   and the server.
 * - Progress. In each pass, calls that bring no entry not already returned are at most the
 *   number of calls of the whole listing that did bring one, plus MAX_FRUITLESS: a restarted pass
 *   may re-read what was returned, but a server that keeps sending fresh cookies for names
 *   already listed cannot keep the client busy. Replies with no entries and no eof, MAX_EMPTY_PAGES in a row, are EIO. One
 *   pass sees at most MAX_DIR_ENTRIES cookies (then EOVERFLOW). So every listing ends, with
 *   entries or an error, after a number of calls bounded by the directory's real size.
 *
 * "." and ".." are not returned. Each entry's cookie is kept in it, as the server sent it.
 */
import { EIO, ELOOP, EOVERFLOW } from '../../sockets/index.js';
import { NfsError } from '../errors.js';
import type { NfsCounters } from './counters.js';
import type { OpCtx } from './session.js';

/** BAD_COOKIE restarts of one listing before it fails. */
export const MAX_RESTARTS = 3;
/** Consecutive replies with no entries and no eof before EIO. */
export const MAX_EMPTY_PAGES = 3;
/** Calls per pass that bring nothing new, beyond those that did, before ELOOP. */
export const MAX_FRUITLESS = 8;
/** Most cookies one pass sees (ten times the 100,000-entry directories the client is tested with). */
export const MAX_DIR_ENTRIES = 1024 * 1024;

const ZERO_VERF: Buffer = Buffer.alloc(8);

/** What every version's directory entry has. */
export interface WalkEntry {
  readonly name: string;
  readonly fileid: bigint;
  readonly cookie: bigint;
}

/** One call's question. */
export interface PageRequest {
  cookie: bigint;
  /** The cookie verifier (8 bytes in NFSv3 and NFSv4). */
  verf: Buffer;
  /** Ask for attributes (and handles) with the entries. */
  plus: boolean;
  /** How many times to double the mount's usual sizes (after "too small"). */
  grow: number;
  /** Ask for the largest reply the mount can receive, whatever `grow` says. */
  largest: boolean;
}

/** One call's answer; every other status the pager throws as the operation's NfsError. */
export type Page<E extends WalkEntry> =
  | { kind: 'entries'; entries: readonly E[]; eof: boolean; verf: Buffer }
  | { kind: 'bad-cookie' }
  /** An entry did not fit, and the sizes can still grow (at their limit the pager throws). */
  | { kind: 'too-small' }
  /** Attributes with entries are not supported: ask without from now on. */
  | { kind: 'no-plus' };

export interface DirPager<E extends WalkEntry> {
  /** The server, as errors name it ("127.0.0.1:2049"). */
  readonly server: string;
  page(req: PageRequest, ctx: OpCtx): Promise<Page<E>>;
  /** The error once BAD_COOKIE restarts are exhausted. */
  badCookieError(ctx: OpCtx, detail: string): NfsError;
}

/* The fileids already returned under each name (a name usually has one: a bigint, not a Set). */
class Returned {
  readonly #ids = new Map<string, bigint | Set<bigint>>();

  /** Records (name, fileid); false if it was already returned. */
  add(name: string, fileid: bigint): boolean {
    const ids = this.#ids.get(name);
    if (ids === undefined) {
      this.#ids.set(name, fileid);
      return true;
    }
    if (typeof ids === 'bigint') {
      if (ids === fileid) return false;
      this.#ids.set(name, new Set([ids, fileid]));
      return true;
    }
    if (ids.has(fileid)) return false;
    ids.add(fileid);
    return true;
  }
}

/* ELOOP for the second loop of a listing: `cookie` is the one repeated (or the last one sent). */
function loopError(pager: { readonly server: string }, cookie: bigint, name: string | undefined, why: string, ctx: OpCtx): NfsError {
  const dir = ctx.path === undefined ? 'the directory' : `'${ctx.path}'`;
  const what = name === undefined ? `cookie ${cookie}` : `cookie ${cookie}, name ${JSON.stringify(name.slice(0, 64))}`;
  return new NfsError(ELOOP, {
    ...ctx,
    detail: `readdir loop: the server ${pager.server} ${why} (${what}) listing ${dir}, also after a restart from cookie 0`,
  });
}

/**
 * Every entry of one directory, through `pager`. `plus`: ask for attributes with the entries.
 * @throws NfsError: the pager's errors, ELOOP, EOVERFLOW, EIO (see the file comment)
 */
export async function walkDirectory<E extends WalkEntry>(
  pager: DirPager<E>, plus: boolean, ctx: OpCtx, counters: NfsCounters,
): Promise<E[]> {
  const out: E[] = [];
  const returned = new Returned();
  const req: PageRequest = { cookie: 0n, verf: ZERO_VERF, plus, grow: 0, largest: false };
  let cookies = new Set<bigint>();
  let restarts = 0;
  let loopRestarted = false;
  let empty = 0;
  let fruitful = 0;
  let fruitless = 0;
  const restart = (): void => {
    req.cookie = 0n;
    req.verf = ZERO_VERF;
    cookies = new Set();
    empty = 0;
    fruitless = 0; /* fruitful counts the whole listing: a new pass may re-read that many pages */
  };
  for (;;) {
    const p = await pager.page(req, ctx);
    if (p.kind === 'bad-cookie') {
      if (++restarts > MAX_RESTARTS) {
        throw pager.badCookieError(ctx, `the listing was restarted ${MAX_RESTARTS} times and the directory kept changing`);
      }
      counters.badCookieRestarts++;
      restart();
      continue;
    }
    if (p.kind === 'too-small') {
      counters.tooSmallRetries++;
      req.grow++;
      continue;
    }
    if (p.kind === 'no-plus') {
      req.plus = false;
      continue;
    }
    req.verf = p.verf;
    const entries = p.entries;
    let added = 0;
    let repeated: E | null = null;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const c = e.cookie;
      if (cookies.has(c)) {
        repeated = e;
        break;
      }
      cookies.add(c);
      if (cookies.size > MAX_DIR_ENTRIES) {
        throw new NfsError(EOVERFLOW, { ...ctx, detail: `the directory has more than ${MAX_DIR_ENTRIES} entries` });
      }
      req.cookie = c;
      const name = e.name;
      if (name === '.' || name === '..' || !returned.add(name, e.fileid)) continue;
      out.push(e);
      added++;
    }
    let loop = repeated === null ? null : 'listed the same cookie twice';
    if (loop === null) {
      if (p.eof) return out;
      if (entries.length > 0) {
        empty = 0;
      } else if (++empty >= MAX_EMPTY_PAGES) {
        throw new NfsError(EIO, { ...ctx, detail: 'the server returned no entries and no end of directory' });
      }
      if (added > 0) {
        fruitful++;
        continue;
      }
      if (++fruitless <= fruitful + MAX_FRUITLESS) continue;
      loop = 'kept listing names it had already listed';
    }
    counters.readdirLoops++;
    if (loopRestarted) throw loopError(pager, repeated?.cookie ?? req.cookie, repeated?.name, loop, ctx);
    loopRestarted = true;
    req.plus = false;
    req.largest = true;
    restart();
  }
}
