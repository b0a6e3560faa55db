/*
 * The attribute cache (RFC 1813 §4.11; OpenBSD nfs_subs.c nfs_attrtimeo/nfs_getattrcache).
 *
 * Attributes from any reply (GETATTR, post-op attributes, READDIRPLUS entries) are kept per file
 * handle for a time that follows the BSD heuristic: a tenth of the time since the file last
 * changed, clamped to [acregmin, acregmax] for files and [acdirmin, acdirmax] for directories —
 * recently changed files are revalidated sooner. A file this client is writing (locally modified)
 * always gets the minimum. `noac` turns the cache off: every lookup misses.
 *
 * wcc_data (RFC 1813 §2.6) keeps the cache coherent with this client's own changes: when the
 * pre-operation attributes equal what was cached, only our operation changed the object, so the
 * post-operation attributes replace the cached ones and the caller's data caches stay valid.
 * Otherwise someone else changed it too, and the caller must drop what it cached for the object.
 *
 * Time is injected (`now`, in milliseconds) so tests control it. Entries are bounded (LRU).
 */

import type { LRUCache } from 'lru-cache';
import type { fattr3, wcc_data } from '../nfs3/attr.js';
import type { nfstime3 } from '../nfs3/basic.js';
import { NF3DIR } from '../nfs3/constants.js';
import { boundedLru, lruGet, lruSet } from './lru.js';

export interface AttrCacheOptions {
  /** Seconds. */
  acregmin: number;
  acregmax: number;
  acdirmin: number;
  acdirmax: number;
  noac: boolean;
  /** Most entries kept (default 65536). */
  max?: number;
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
}

interface Entry {
  attrs: fattr3;
  /** When the attributes were received (ms). */
  stamp: number;
  /** How long they stay valid (ms). */
  timeout: number;
}

/** The key for a file handle: its bytes as a latin1 string (one char per byte, unique). */
export function fhKey(fh: Buffer): string {
  return fh.toString('latin1');
}

function timeMs(t: nfstime3): number {
  return t.seconds * 1000 + Math.floor(t.nseconds / 1e6);
}

function sameTime(a: nfstime3, b: nfstime3): boolean {
  return a.seconds === b.seconds && a.nseconds === b.nseconds;
}

export class AttrCache {
  readonly #o: Required<AttrCacheOptions>;
  readonly #cache: LRUCache<string, Entry>;
  /** Handles with local modifications in progress (writes not yet flushed): minimum timeout. */
  readonly #modified = new Set<string>();
  hits = 0;
  misses = 0;

  constructor(o: AttrCacheOptions) {
    this.#o = { max: 65536, now: Date.now, ...o };
    this.#cache = boundedLru(this.#o.max);
  }

  get noac(): boolean {
    return this.#o.noac;
  }

  /* nfs_attrtimeo: a tenth of the age of the last change, clamped to the type's bounds. */
  #timeout(key: string, a: fattr3, now: number): number {
    const dir = a.type === NF3DIR;
    const min = (dir ? this.#o.acdirmin : this.#o.acregmin) * 1000;
    const max = (dir ? this.#o.acdirmax : this.#o.acregmax) * 1000;
    if (this.#modified.has(key)) return min;
    const age = (now - timeMs(a.mtime)) / 10;
    return age < min ? min : age > max ? max : age;
  }

  /** Cached attributes still within their timeout, or undefined (a miss: ask the server). */
  get(key: string): fattr3 | undefined {
    if (this.#o.noac) {
      this.misses++;
      return undefined;
    }
    const e = lruGet(this.#cache, key);
    if (e === undefined || this.#o.now() - e.stamp >= e.timeout) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return e.attrs;
  }

  /** Cached attributes regardless of age (for comparisons), or undefined. */
  peek(key: string): fattr3 | undefined {
    return lruGet(this.#cache, key)?.attrs;
  }

  /** Store attributes just received from the server. A null (absent post-op attrs) is ignored. */
  set(key: string, attrs: fattr3 | null): void {
    if (attrs === null) return;
    const now = this.#o.now();
    lruSet(this.#cache, key, { attrs, stamp: now, timeout: this.#timeout(key, attrs, now) });
  }

  /** Forget the attributes of one handle (after ESTALE, or a change we cannot account for). */
  invalidate(key: string): void {
    this.#cache.delete(key);
  }

  /** Drop every entry (e.g. on reconnect to a restarted server). */
  clear(): void {
    this.#cache.clear();
  }

  /** Mark a handle locally modified (dirty data being written): its attributes age at the minimum. */
  setModified(key: string, modified: boolean): void {
    if (modified) this.#modified.add(key);
    else this.#modified.delete(key);
  }

  /**
   * Apply the wcc_data of a reply to an operation this client made on `key`. Returns true when the
   * pre-operation attributes matched the cache (only this client changed the object, so data it
   * cached stays valid), false when the object also changed otherwise or cannot be told (the
   * caller drops its data, directory and name caches for it).
   */
  applyWcc(key: string, wcc: wcc_data): boolean {
    const cached = lruGet(this.#cache, key)?.attrs;
    const before = wcc.before;
    const ours =
      cached !== undefined && before !== null && before.size === cached.size &&
      sameTime(before.mtime, cached.mtime) && sameTime(before.ctime, cached.ctime);
    if (wcc.after !== null) this.set(key, wcc.after);
    else this.invalidate(key);
    return ours;
  }

  get size(): number {
    return this.#cache.size;
  }
}

/** True when two attribute sets describe unchanged contents (same size, mtime and ctime). */
export function sameContents(a: fattr3, b: fattr3): boolean {
  return a.size === b.size && sameTime(a.mtime, b.mtime) && sameTime(a.ctime, b.ctime);
}
