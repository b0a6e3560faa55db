/*
 * Transaction ids (RFC 5531 §9: the xid only lets the client match replies; the server's
 * duplicate request cache keys on it, so a retransmission reuses it). A random start, then +1
 * per call, wrapping at 2^32, skipping any xid still outstanding.
 */
import { xidSource } from '../instrument.js';
import { randomBytes } from './random.js';

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

  /**
   * Without `start`: the installed instrumentation's first xid (a trace or a replay session,
   * rpc/instrument.ts), else a random one.
   */
  constructor(start?: number) {
    const source = start === undefined ? xidSource() : null;
    this.start = (start ?? (source !== null ? source() : xid_random())) >>> 0;
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
