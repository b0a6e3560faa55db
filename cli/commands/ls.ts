/*
 * sonfs ls [-l] [-a] [-R] [-d] URL...: list directories, as ls(1) does.
 *
 * Names one per line, sorted by byte value (LC_ALL=C), dot files hidden without -a. -l: the long
 * format of `ls -ln` (numeric ids: they are the server's): "total", then mode string, links,
 * uid, gid, size (or "major, minor" for devices), modification time, name and "-> target" for
 * symbolic links, each column aligned. -R: every subdirectory too, depth first, each under a
 * "path:" header (server paths, "/export/dir"). -d: the operands themselves, not their contents.
 *
 * A listing is one READDIRPLUS sweep (the client's internal readdirAttrs call: readdir withFileTypes
 * with each entry's attributes); -l shows the attributes READDIRPLUS returned (no GETATTR or lstat
 * per entry; lstat only for an entry it gave none for), and READLINK for each symbolic link.
 * Exit status 1 if any operand or subdirectory could not be listed.
 */
import { posix } from 'node:path';
import type { NfsClient } from '../../nfsclient/index.js';
import { readdirAttrs, S_IFBLK, S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, statNumbers } from '../../nfsclient/internal.js';
import type { StatNumbers } from '../../nfsclient/internal.js';
import { UsageError } from '../io.js';
import { parseArgs, helpText } from '../lib/args.js';
import { cliCommand, complain } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { cannot } from '../lib/errors.js';
import { lsDates, modeString } from '../lib/format.js';
import type { Located } from '../lib/mounts.js';
import { serverPath } from '../lib/mounts.js';
import { isClosedOutput, write } from '../lib/output.js';
import { Ahead, mapLimit } from '../lib/pool.js';

const USAGE = 'sonfs ls [-l] [-a] [-R] [-d] URL...';
const DESCRIPTION = `
List the directories (or files) the nfs:// URLs name, one name per line, sorted.

  -l  long format, like ls -ln: mode, links, uid, gid, size, mtime, name (-> target)
  -a  include names starting with '.', and '.' and '..'
  -R  list subdirectories recursively, each under a "path:" header
  -d  list directories themselves, not their contents

Example: sonfs ls -l 'nfs://127.0.0.1/export/dir?version=3'`;

/** Entries whose attributes (READDIRPLUS gave none) or link targets are fetched at once for -l. */
const STAT_PARALLELISM = 32;
/** -R: directory listings fetched ahead of the one being printed (at most, not yet printed). */
const LIST_AHEAD = 8;

export interface LsOptions {
  long: boolean;
  all: boolean;
  recursive: boolean;
  directory: boolean;
  now?: number;
}

interface Entry {
  name: string;
  /** For -l (an NfsStats, or the same numbers from READDIRPLUS attributes); null until known. */
  st: StatNumbers | null;
  isDir: boolean;
  target?: string;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function major(rdev: number): number {
  return (rdev >>> 8) & 0xfff;
}

function minor(rdev: number): number {
  return (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
}

/** The lines of a block of entries in the long format (no "total" line). */
export function longLines(entries: readonly Entry[], now: number = Date.now()): string[] {
  /* The columns of `ls -ln`: mode, links, uid, gid, size (or "major, minor"), date, name; each
   * right-aligned to its widest cell, except mode and date (left-aligned) and the name (last). */
  const n = entries.length;
  const modes = new Array<string>(n);
  const links = new Array<string>(n);
  const uids = new Array<string>(n);
  const gids = new Array<string>(n);
  const sizes = new Array<string>(n);
  const dates = new Array<string>(n);
  const date = lsDates(now);
  let wMode = 0;
  let wLinks = 0;
  let wUid = 0;
  let wGid = 0;
  let wSize = 0;
  let wDate = 0;
  for (let i = 0; i < n; i++) {
    const st = entries[i]!.st!;
    const fmt = st.mode & S_IFMT;
    const mode = modeString(st.mode);
    const nlink = String(st.nlink);
    const uid = String(st.uid);
    const gid = String(st.gid);
    const size = fmt === S_IFCHR || fmt === S_IFBLK ? `${major(st.rdev)}, ${minor(st.rdev)}` : String(st.size);
    const d = date(st.mtimeMs);
    modes[i] = mode;
    links[i] = nlink;
    uids[i] = uid;
    gids[i] = gid;
    sizes[i] = size;
    dates[i] = d;
    if (mode.length > wMode) wMode = mode.length;
    if (nlink.length > wLinks) wLinks = nlink.length;
    if (uid.length > wUid) wUid = uid.length;
    if (gid.length > wGid) wGid = gid.length;
    if (size.length > wSize) wSize = size.length;
    if (d.length > wDate) wDate = d.length;
  }
  const lines = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    const name = e.target === undefined ? e.name : `${e.name} -> ${e.target}`;
    lines[i] = `${modes[i]!.padEnd(wMode)} ${links[i]!.padStart(wLinks)} ${uids[i]!.padStart(wUid)} ${gids[i]!.padStart(wGid)} ${sizes[i]!.padStart(wSize)} ${dates[i]!.padEnd(wDate)} ${name}`;
  }
  return lines;
}

/* The text of lines, each ended by a newline. */
function text(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/*
 * What -l needs beyond the listing, for entries of directory `dir`, a few at a time: attributes
 * of entries READDIRPLUS gave none for (lstat), and the targets of symbolic links.
 */
async function fillStats(client: NfsClient, dir: string, entries: Entry[]): Promise<void> {
  const todo = entries.filter((e) => e.st === null || (e.st.mode & S_IFMT) === S_IFLNK);
  if (todo.length === 0) return;
  await mapLimit(todo, STAT_PARALLELISM, async (e) => {
    const p = e.name === '.' ? dir : posix.join(dir, e.name);
    e.st ??= await client.lstat(p);
    if ((e.st.mode & S_IFMT) === S_IFLNK) e.target = await client.readlink(p).catch(() => '?');
  });
}

class Lister {
  readonly #ctx: Ctx;
  readonly #o: LsOptions;
  status = 0;

  constructor(ctx: Ctx, o: LsOptions) {
    this.#ctx = ctx;
    this.#o = o;
  }

  async out(text: string): Promise<void> {
    if (text !== '') await write(this.#ctx.io.stdout, text);
  }

  /* The lines listing a set of entries (for -l, their "total" line first when `total`). */
  lines(entries: Entry[], total: boolean): string[] {
    if (!this.#o.long) return entries.map((e) => e.name);
    const lines = longLines(entries, this.#o.now);
    if (total) {
      const blocks = entries.reduce((n, e) => n + (e.st?.blocks ?? 0), 0);
      lines.unshift(`total ${Math.ceil(blocks / 2)}`);
    }
    return lines;
  }

  /* The entries of a directory, sorted, filtered, with attributes for -l. */
  async entries(client: NfsClient, dir: string): Promise<Entry[]> {
    const listed = await client[readdirAttrs](dir);
    const { all, long } = this.#o;
    const entries: Entry[] = [];
    if (all) entries.push({ name: '.', st: null, isDir: true }, { name: '..', st: null, isDir: true });
    for (let i = 0; i < listed.length; i++) {
      const d = listed[i]!;
      if (!all && d.name.charCodeAt(0) === 0x2e) continue; /* '.' */
      const st = long && d.attrs !== null ? statNumbers(d.attrs) : null;
      entries.push({ name: d.name, st, isDir: d.type === S_IFDIR });
    }
    entries.sort(byName);
    if (this.#o.long) await fillStats(client, dir, entries);
    return entries;
  }

  /* One directory's block: header, lines, then (-R) its subdirectories, depth first. */
  async listDir(loc: Located, dir: string, header: boolean, first: boolean): Promise<void> {
    if (!this.#o.recursive) {
      await this.block(loc, dir, header, first, this.entries(loc.client, dir));
      return;
    }
    /* -R: the listings of the next directories are fetched while this one is printed. */
    const ahead = new Ahead<Entry[]>(async (d, pos) => {
      const entries = await this.entries(loc.client, d);
      let i = 0;
      for (const e of entries) if (isSubdir(e)) ahead.offer(posix.join(d, e.name), [...pos, i++]);
      return entries;
    }, LIST_AHEAD);
    try {
      await this.walk(ahead, loc, dir, [], header, first);
    } finally {
      await ahead.settle();
    }
  }

  /* The block of `dir` (at depth-first position `pos`), then its subdirectories'. */
  async walk(ahead: Ahead<Entry[]>, loc: Located, dir: string, pos: readonly number[], header: boolean, first: boolean): Promise<void> {
    const entries = await this.block(loc, dir, header, first, ahead.take(dir, pos));
    if (entries === null) return;
    let i = 0;
    for (const e of entries) {
      if (isSubdir(e)) await this.walk(ahead, loc, posix.join(dir, e.name), [...pos, i++], true, false);
    }
  }

  /* Print one directory's block from its listing; null (complained, status 1) if it failed. */
  async block(loc: Located, dir: string, header: boolean, first: boolean, listing: Promise<Entry[]>): Promise<Entry[] | null> {
    const shown = serverPath(loc.export, dir);
    const head = header ? `${first ? '' : '\n'}${shown}:\n` : '';
    let entries: Entry[];
    try {
      entries = await listing;
    } catch (e) {
      if (isClosedOutput(e)) throw e;
      await this.out(head);
      complain(this.#ctx, cannot('open directory', shown, e));
      this.status = 1;
      return null;
    }
    await this.out(head + text(this.lines(entries, true)));
    return entries;
  }
}

/* A subdirectory -R descends into (links are not followed). */
function isSubdir(e: Entry): boolean {
  return e.isDir && e.name !== '.' && e.name !== '..';
}

export async function lsMain(args: string[], ctx: Ctx): Promise<number> {
  const a = parseArgs(args, { flags: 'laRd', long: { all: 'a', recursive: 'R', directory: 'd' } });
  if (a.help) {
    ctx.io.stdout.write(helpText(USAGE, DESCRIPTION));
    return 0;
  }
  if (a.operands.length === 0) throw new UsageError('give at least one URL');
  const o: LsOptions = {
    long: a.flags.has('l'), all: a.flags.has('a'), recursive: a.flags.has('R') && !a.flags.has('d'),
    directory: a.flags.has('d'),
  };
  const urls = a.operands.map((x) => ctx.remote(x));
  const lister = new Lister(ctx, o);
  const files: { loc: Located; entry: Entry }[] = [];
  const dirs: Located[] = [];
  for (const url of urls) {
    let loc: Located | undefined;
    try {
      loc = await ctx.mounts.locate(url);
      /* As ls: operands that are links are followed unless -l or -d asks about the link itself. */
      const c = loc.client;
      const st = o.long || o.directory ? await c.lstat(loc.path)
        : await c.stat(loc.path).catch(async (e: unknown) => {
          /* A dangling link is still listed, as ls does. */
          const l = await c.lstat(loc!.path).catch(() => null);
          if (l === null || !l.isSymbolicLink()) throw e;
          return l;
        });
      if (st.isDirectory() && !o.directory) {
        dirs.push(loc);
      } else {
        const entry: Entry = { name: loc.display, st, isDir: st.isDirectory() };
        if (st.isSymbolicLink() && o.long) entry.target = await loc.client.readlink(loc.path).catch(() => '?');
        files.push({ loc, entry });
      }
    } catch (e) {
      complain(ctx, cannot('access', loc?.display ?? url, e));
      lister.status = 1;
    }
  }
  try {
    if (files.length > 0) {
      const entries = files.map((f) => f.entry).sort(byName);
      await lister.out(text(lister.lines(entries, false)));
    }
    const header = urls.length > 1 || o.recursive;
    let first = files.length === 0;
    for (const loc of dirs) {
      await lister.listDir(loc, loc.path, header, first);
      first = false;
    }
  } catch (e) {
    if (!isClosedOutput(e)) throw e;
  }
  return lister.status;
}

export const ls = cliCommand('ls', 'list a directory (ls [-l] [-a] [-R] [-d] URL...)', USAGE, lsMain);
