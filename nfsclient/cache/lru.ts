/*
 * How the attribute and name caches use lru-cache (the project's cache library), tuned for a CLI
 * process that makes both caches at mount and fills them with a listing's entries:
 *
 * - Bounded by `maxSize` with every entry of size 1 (at most `max` entries, least recently used
 *   evicted first), not by `max`: with `max` lru-cache preallocates its key, value and link
 *   arrays for all entries up front (`Array.from({ length: max })` twice per cache: 8–15 ms for
 *   65,536 entries, ~25 ms per mount for the two caches); with `maxSize` they grow as entries come.
 * - set()/get() take one shared options object instead of lru-cache's default `{}` allocated
 *   per call. lru-cache writes its `status` field into that object (a fresh object only when a
 *   diagnostics_channel subscriber listens), so it is cleared before each call: nothing of one
 *   call's status leaks into the next.
 */
import { LRUCache } from 'lru-cache';

/* `status` is typed undefined: it is what lru-cache finds there at each call (see above). */
const SET_OPTIONS: { size: number; status?: undefined } = { size: 1 };
const GET_OPTIONS: { status?: undefined } = {};

const one = (): number => 1;

/** An LRU cache of at most `max` entries (see above). */
export function boundedLru<V extends object>(max: number): LRUCache<string, V> {
  return new LRUCache<string, V>({ maxSize: max, sizeCalculation: one });
}

/** cache.set(key, value), without a per-call options object. */
export function lruSet<V extends object>(cache: LRUCache<string, V>, key: string, value: V): void {
  SET_OPTIONS.status = undefined;
  cache.set(key, value, SET_OPTIONS);
}

/** cache.get(key) (updates recency), without a per-call options object. */
export function lruGet<V extends object>(cache: LRUCache<string, V>, key: string): V | undefined {
  GET_OPTIONS.status = undefined;
  return cache.get(key, GET_OPTIONS);
}
