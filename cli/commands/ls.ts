/*
 * sonfs ls [-l] [-a] [-R] [-d] URL...: list directories, as ls(1) does.
 *
 * Names one per line, sorted by byte value (LC_ALL=C), dot files hidden without -a. -l: the long
 * format of `ls -ln` (numeric ids: they are the server's): "total", then mode string, links,
 * uid, gid, size (or "major, minor" for devices), modification time, name and "-> target" for
 * symbolic links, each column aligned. -R: every subdirectory too, depth first, each under a
 * "path:" header (server paths, "/export/dir"). -d: the operands themselves, not their contents.
 *
 * A listing is one READDIRPLUS sweep (readdir withFileTypes); with -l the attributes come from the
 * attribute cache it primed (no GETATTR per entry), and READLINK for each symbolic link.
 * Exit status 1 if any operand or subdirectory could not be listed.
 */
import { posix } from 'node:path';
import type { NfsClient } from '../../nfsclient/client/client.js';
import type { NfsStats } from '../../nfsclient/client/stats.js';
import { UsageError } from '../io.js';
import { parseArgs, helpText } from '../lib/args.js';
import { cliCommand, complain } from '../lib/context.js';
import type { Ctx } from '../lib/context.js';
import { cannot } from '../lib/errors.js';
import { columns, lsDate, modeString } from '../lib/format.js';
import type { Located } from '../lib/mounts.js';
import { serverPath } from '../lib/mounts.js';
import { isClosedOutput, write } from '../lib/output.js';
import { mapLimit } from '../lib/pool.js';

const USAGE = 'sonfs ls [-l] [-a] [-R] [-d] URL...';
const DESCRIPTION = `
List the directories (or files) the nfs:// URLs name, one name per line, sorted.

  -l  long format, like ls -ln: mode, links, uid, gid, size, mtime, name (-> target)
  -a  include names starting with '.', and '.' and '..'
  -R  list subdirectories recursively, each under a "path:" header
  -d  list directories themselves, not their contents

Example: sonfs ls -l 'nfs://127.0.0.1/export/dir?version=3'`;

/** Entries whose attributes are fetched at once for -l (cache hits after READDIRPLUS). */
const STAT_PARALLELISM = 32;

export interface LsOptions {
  long: boolean;
  all: boolean;
  recursive: boolean;
  directory: boolean;
  now?: number;
}

interface Entry {
  name: string;
  st: NfsStats | null;
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
  const rows = entries.map((e) => {
    const st = e.st!;
    const isDev = st.isCharacterDevice() || st.isBlockDevice();
    const size = isDev ? `${major(st.rdev)}, ${minor(st.rdev)}` : String(st.size);
    const name = e.target === undefined ? e.name : `${e.name} -> ${e.target}`;
    return [modeString(st.mode), String(st.nlink), String(st.uid), String(st.gid), size, lsDate(st.mtimeMs, now), name];
  });
  return columns(rows, new Set([0, 5, 6]));
}

/* Attributes (and link targets) of entries of directory `dir`, fetched a few at a time. */
async function fillStats(client: NfsClient, dir: string, entries: Entry[]): Promise<void> {
  await mapLimit(entries, STAT_PARALLELISM, async (e) => {
    const p = e.name === '.' ? dir : posix.join(dir, e.name);
    e.st = await client.lstat(p);
    if (e.st.isSymbolicLink()) e.target = await client.readlink(p).catch(() => '?');
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
    const dirents = await client.readdir(dir, { withFileTypes: true });
    const entries: Entry[] = [];
    if (this.#o.all) entries.push({ name: '.', st: null, isDir: true }, { name: '..', st: null, isDir: true });
    for (const d of dirents) {
      if (!this.#o.all && d.name.startsWith('.')) continue;
      entries.push({ name: d.name, st: null, isDir: d.isDirectory() });
    }
    entries.sort(byName);
    if (this.#o.long) await fillStats(client, dir, entries);
    return entries;
  }

  /* One directory's block: header, lines, then (-R) its subdirectories, depth first. */
  async listDir(loc: Located, dir: string, header: boolean, first: boolean): Promise<void> {
    const shown = serverPath(loc.export, dir);
    let entries: Entry[];
    try {
      entries = await this.entries(loc.client, dir);
    } catch (e) {
      if (isClosedOutput(e)) throw e;
      await this.out(header ? `${first ? '' : '\n'}${shown}:\n` : '');
      complain(this.#ctx, cannot('open directory', shown, e));
      this.status = 1;
      return;
    }
    const lines = this.lines(entries, true);
    const head = header ? `${first ? '' : '\n'}${shown}:\n` : '';
    await this.out(head + lines.map((l) => `${l}\n`).join(''));
    if (!this.#o.recursive) return;
    for (const e of entries) {
      if (!e.isDir || e.name === '.' || e.name === '..') continue;
      await this.listDir(loc, posix.join(dir, e.name), true, false);
    }
  }
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
      await lister.out(lister.lines(entries, false).map((l) => `${l}\n`).join(''));
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
