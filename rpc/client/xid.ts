/*
 * Transaction ids (RFC 5531 §9: the xid only lets the client match replies; the server's
 * duplicate request cache keys on it, so a retransmission reuses it). A random start, then +1
 * per call, wrapping at 2^32, skipping any xid still outstanding.
 */
import { randomBytes } from './random.js';

/*
 * Where allocators created without a start get it: null (the default) is a random start. The
 * trace layer installs a source while recording (it reports each start, for replay) or replaying
 * (it hands out the recorded starts, in order, so the replayed calls carry the recorded xids).
 */
let xidsource: (() => number) | null = null;

/** Install (or with null remove) the source of first xids; returns the previous one. */
export function xid_setsource(fn: (() => number) | null): (() => number) | null {
  const old = xidsource;
  xidsource = fn;
  return old;
}

/** A random first xid. */
export function xid_random(): number {
  return randomBytes(4).readUInt32BE(0);
}

export class XidAllocator {
  /** First xid handed out (for telling an old xid from one never issued). */
  readonly start: number;
  #next: number;
  /** How many xids have been handed out (saturates at 2^32: then every xid counts as issued). */
  #issued = 0;

  constructor(start?: number) {
    this.start = (start ?? (xidsource !== null ? xidsource() : xid_random())) >>> 0;
    this.#next = this.start;
  }

  /** The next xid not in `outstanding`. */
  next(outstanding: { has(xid: number): boolean }): number {
    let x = this.#next;
    while (outstanding.has(x)) x = (x + 1) >>> 0;
    this.#next = (x + 1) >>> 0;
    const span = (this.#next - this.start) >>> 0;
    this.#issued = span === 0 || this.#issued >= 0x100000000 ? 0x100000000 : Math.max(this.#issued, span);
    return x;
  }

  /** True if `xid` was handed out by this allocator (an old call's), false if it never was. */
  issued(xid: number): boolean {
    return this.#issued >= 0x100000000 || ((xid - this.start) >>> 0) < this.#issued;
  }
}
