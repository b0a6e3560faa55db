/*
 * The name cache: (directory, name) → file handle, with negative entries (RFC 1813 §4.11;
 * nfs(5) lookupcache; OpenBSD cache_lookup/cache_purge on ESTALE).
 *
 * Every entry records the directory's modification time (mtime and ctime) when it was made. An
 * entry is used only while the directory's current attributes — which the caller has
 * revalidated through the attribute cache — still show that time, so any change to the
 * directory, by this client or another, retires all of its entries at once. Negative entries
 * ("no such name") are kept only with lookupcache=all, and also expire after `negativeTtl`.
 * lookupcache=none turns the cache off. Entries are bounded (LRU).
 */

import type { LRUCache } from 'lru-cache';
import type { fattr3 } from '../nfs3/attr.js';
import type { nfstime3 } from '../nfs3/basic.js';
import type { LookupCache } from '../options.js';
import { boundedLru, lruGet, lruSet } from './lru.js';

export interface NameEntry {
  /** The child's handle, or null for a negative entry. */
  fh: Buffer | null;
}

interface Stored extends NameEntry {
  dirMtime: nfstime3;
  dirCtime: nfstime3;
  stamp: number;
}

export interface NameCacheOptions {
  mode: LookupCache;
  /** Milliseconds a negative entry lives at most (default 30 s). */
  negativeTtl?: number;
  max?: number;
  now?: () => number;
}

const SEP = '\0'; /* cannot occur in a name: the key is dirKey NUL name */

export class NameCache {
  readonly #mode: LookupCache;
  readonly #negativeTtl: number;
  readonly #now: () => number;
  readonly #cache: LRUCache<string, Stored>;
  hits = 0;
  negativeHits = 0;
  misses = 0;

  constructor(o: NameCacheOptions) {
    this.#mode = o.mode;
    this.#negativeTtl = o.negativeTtl ?? 30_000;
    this.#now = o.now ?? Date.now;
    this.#cache = boundedLru(o.max ?? 65536);
  }

  /**
   * The cached result of looking up `name` in the directory `dirKey` whose current attributes are
   * `dirAttrs`, or undefined when the cache cannot answer (ask the server).
   */
  lookup(dirKey: string, dirAttrs: fattr3, name: string): NameEntry | undefined {
    if (this.#mode === 'none') return undefined;
    const key = dirKey + SEP + name;
    const e = lruGet(this.#cache, key);
    if (e === undefined) {
      this.misses++;
      return undefined;
    }
    const fresh =
      e.dirMtime.seconds === dirAttrs.mtime.seconds && e.dirMtime.nseconds === dirAttrs.mtime.nseconds &&
      e.dirCtime.seconds === dirAttrs.ctime.seconds && e.dirCtime.nseconds === dirAttrs.ctime.nseconds &&
      (e.fh !== null || this.#now() - e.stamp < this.#negativeTtl);
    if (!fresh) {
      this.#cache.delete(key);
      this.misses++;
      return undefined;
    }
    if (e.fh === null) this.negativeHits++;
    else this.hits++;
    return e;
  }

  /** Remember that `name` in the directory (with attributes `dirAttrs`) is `fh`, or absent (null). */
  enter(dirKey: string, dirAttrs: fattr3, name: string, fh: Buffer | null): void {
    if (this.#mode === 'none' || (fh === null && this.#mode !== 'all')) return;
    lruSet(this.#cache, dirKey + SEP + name, {
      fh,
      dirMtime: dirAttrs.mtime,
      dirCtime: dirAttrs.ctime,
      stamp: this.#now(),
    });
  }

  /** The handle last entered for `name` in the directory, however old (not counted as a hit or miss). */
  peek(dirKey: string, name: string): Buffer | null | undefined {
    return this.#cache.peek(dirKey + SEP + name)?.fh;
  }

  /** Forget one name (after we removed or renamed it). */
  remove(dirKey: string, name: string): void {
    this.#cache.delete(dirKey + SEP + name);
  }

  /** Forget every name in a directory. */
  purgeDir(dirKey: string): void {
    const prefix = dirKey + SEP;
    for (const k of this.#cache.keys()) if (k.startsWith(prefix)) this.#cache.delete(k);
  }

  /** Forget every entry that leads to `fhKeyStr` or lives in it (after ESTALE: cache_purge). */
  purgeHandle(fhKeyStr: string): void {
    this.purgeDir(fhKeyStr);
    for (const [k, e] of this.#cache.entries()) {
      if (e.fh !== null && e.fh.toString('latin1') === fhKeyStr) this.#cache.delete(k);
    }
  }

  clear(): void {
    this.#cache.clear();
  }

  get size(): number {
    return this.#cache.size;
  }
}
