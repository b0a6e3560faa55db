/*
 * Tab completion for the shell: the first word against the command names; a later word against
 * the entries of its directory — on the server (a READDIRPLUS of that directory, through the
 * session's mounts), or on this host for the local operands of get, put and lcd.
 *
 * Listings of remote directories are cached for CACHE_MS (a few seconds: pressing Tab twice, or
 * completing a/b then a/b/c, lists each directory once), at most CACHE_DIRS of them. Directories
 * complete with a trailing '/', a single file match with a trailing space. Names are escaped
 * so the line reads back as the name (words.ts). Completion never throws: a failure (no server,
 * no such directory) completes nothing.
 */
import * as fsp from 'node:fs/promises';
import { join, posix } from 'node:path';
import { isNfsUrl } from '../lib/context.js';
import type { ShellSession } from './session.js';
import { urlOf } from './session.js';
import { escapeWord, scan } from './words.js';

export const CACHE_MS = 5000;
export const CACHE_DIRS = 64;

interface Listing {
  at: number;
  entries: { name: string; dir: boolean }[];
}

/** Which operands of a command are local paths (0-based, among the words after the command). */
function isLocalOperand(command: string, words: readonly string[], index: number): boolean {
  const operands = words.slice(1, index).filter((w) => !w.startsWith('-'));
  if (command === 'lcd') return true;
  if (command === 'put') return operands.length === 0;
  if (command === 'get') return operands.length === 1;
  return false;
}

export class Completer {
  readonly #session: ShellSession;
  readonly #now: () => number;
  readonly #cache = new Map<string, Listing>();
  /** Remote directories listed (cache misses), for tests. */
  listings = 0;

  constructor(session: ShellSession, now: () => number = Date.now) {
    this.#session = session;
    this.#now = now;
  }

  /** readline's completer: the candidate replacements of the last word, and that word as typed. */
  async complete(line: string): Promise<[string[], string]> {
    const s = scan(line);
    const index = s.raw === '' ? s.words.length : s.words.length - 1;
    try {
      if (index === 0) {
        const names = [...Object.keys(this.#session.commands), 'exit', 'quit'].sort();
        const hits = names.filter((n) => n.startsWith(s.value)).map((n) => `${n} `);
        return [hits, s.raw];
      }
      if (s.value.startsWith('-')) return [[], s.raw];
      const local = isLocalOperand(s.words[0]!, s.words, index);
      const slash = s.value.lastIndexOf('/');
      const dirPart = slash < 0 ? '' : s.value.slice(0, slash + 1);
      const prefix = s.value.slice(slash + 1);
      const entries = local ? await this.#localEntries(dirPart) : await this.#remoteEntries(dirPart);
      const hits = entries
        .filter((e) => e.name.startsWith(prefix) && (prefix.startsWith('.') || !e.name.startsWith('.')))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const quote = s.openQuote ?? (s.raw.startsWith("'") || s.raw.startsWith('"') ? s.raw[0] as "'" | '"' : null);
      const out = hits.map((e) => {
        const full = dirPart + e.name + (e.dir ? '/' : '');
        const end = hits.length === 1 && !e.dir ? (quote ?? '') + ' ' : '';
        if (quote === "'") return `'${full}${end}`;
        if (quote === '"') return `"${full.replace(/["\\]/g, (c) => `\\${c}`)}${end}`;
        return escapeWord(full) + end;
      });
      return [out, s.raw];
    } catch {
      return [[], s.raw];
    }
  }

  /** Drop cached listings (after a command changed the server's tree). */
  invalidate(): void {
    this.#cache.clear();
  }

  async #remoteEntries(dirPart: string): Promise<{ name: string; dir: boolean }[]> {
    const session = this.#session;
    let url: string;
    if (isNfsUrl(dirPart)) url = dirPart;
    else if (session.cwd === null) return [];
    else url = urlOf(session.cwd, posix.resolve(session.cwd.path, dirPart === '' ? '.' : dirPart));
    const now = this.#now();
    const hit = this.#cache.get(url);
    if (hit !== undefined && now - hit.at < CACHE_MS) return hit.entries;
    const loc = await session.mounts.locate(url);
    this.listings++;
    const dirents = await loc.client.readdir(loc.path, { withFileTypes: true });
    const entries = dirents.map((d) => ({ name: d.name, dir: d.isDirectory() }));
    this.#cache.delete(url);
    this.#cache.set(url, { at: now, entries });
    while (this.#cache.size > CACHE_DIRS) this.#cache.delete(this.#cache.keys().next().value!);
    return entries;
  }

  async #localEntries(dirPart: string): Promise<{ name: string; dir: boolean }[]> {
    const dir = dirPart === '' ? '.' : dirPart;
    const ents = await fsp.readdir(dir, { withFileTypes: true });
    return Promise.all(ents.map(async (d) => {
      let isDir = d.isDirectory();
      if (d.isSymbolicLink()) isDir = await fsp.stat(join(dir, d.name)).then((st) => st.isDirectory(), () => false);
      return { name: d.name, dir: isDir };
    }));
  }
}
