/*
 * The fore channel's slot table of a v4.1 session (RFC 8881 §2.10.6.1): one request at a time per
 * slot, each slot with its own sequence id.
 *
 * - A request takes the lowest free slot whose id is at most the limit: the lesser of the server's
 *   sr_highest_slotid (what it will accept) and sr_target_highest_slotid (what it would like the
 *   client to use), both taken from every SEQUENCE reply. Slots above the target are not handed
 *   out again ("retired") while the target is lower; they keep their sequence ids, so that a later
 *   raise of the target finds them where the server left them. Slots above sr_highest_slotid are
 *   dropped: the server no longer has them, and a slot it grants again starts afresh at sequence
 *   id 1 (FreeBSD nfscl re-initialises them the same way).
 * - sa_highest_slotid is the highest slot id in use, this request's included.
 * - When every usable slot is busy, requests wait in order (FIFO); a reply frees its slot for the
 *   first waiter.
 * - A slot's `seqid` is the sequence id of the next new request on it: 1 for a new slot, one more
 *   after every reply whose SEQUENCE succeeded. A request abandoned without its reply (an
 *   interruption, a soft timeout) leaves the server in one of two states — it executed the request
 *   or never saw it — so the slot moves on by one and is marked `interrupted`: the next request
 *   assumes the server saw it, and on SEQ_MISORDERED steps back (session.ts).
 */

import { RpcInterruptedError } from '../../../rpc/index.js';

export class Slot {
  /** Sequence id of the next new request on this slot (RFC 8881 §2.10.6.1). */
  seqid = 1;
  /** A request is outstanding on the slot. */
  inUse = false;
  /** The last request on the slot was abandoned without its reply. */
  interrupted = false;
  /** SEQ_MISORDERED was answered to a retry at sequence id 1 (no second such retry). */
  resetTried = false;

  constructor(readonly id: number) {}
}

interface Waiter {
  resolve: (s: Slot) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class SlotTable {
  readonly #slots: Slot[] = [];
  /** The server's sr_highest_slotid (initially ca_maxrequests - 1). */
  #highest: number;
  /** The server's sr_target_highest_slotid. */
  #target: number;
  #waiters: Waiter[] = [];
  #waitHead = 0;
  #closed: unknown = null;

  /** @param maxRequests the session's fore channel ca_maxrequests (at least 1). */
  constructor(readonly maxRequests: number) {
    if (!Number.isInteger(maxRequests) || maxRequests < 1) throw new RangeError(`SlotTable: bad ca_maxrequests ${maxRequests}`);
    this.#highest = maxRequests - 1;
    this.#target = maxRequests - 1;
  }

  /** The highest slot id requests may use now. */
  get limit(): number {
    return Math.min(this.#highest, this.#target, this.maxRequests - 1);
  }

  get highestSlotid(): number {
    return this.#highest;
  }

  get targetHighestSlotid(): number {
    return this.#target;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length - this.#waitHead;
  }

  /** Slots with a request outstanding. */
  get inUse(): number {
    let n = 0;
    for (const s of this.#slots) if (s.inUse) n++;
    return n;
  }

  /** The slot of an id (made on first use), for tests and inspection. */
  slot(id: number): Slot {
    while (this.#slots.length <= id) this.#slots.push(new Slot(this.#slots.length));
    return this.#slots[id]!;
  }

  /** sa_highest_slotid: the highest slot id with a request outstanding (0 when none). */
  highestInUse(): number {
    for (let i = this.#slots.length - 1; i >= 0; i--) if (this.#slots[i]!.inUse) return i;
    return 0;
  }

  /** The lowest free usable slot, taken; null when every one is busy. */
  tryAlloc(): Slot | null {
    if (this.#closed !== null) throw this.#closed;
    const limit = this.limit;
    for (let i = 0; i <= limit; i++) {
      const s = this.slot(i);
      if (!s.inUse) {
        s.inUse = true;
        return s;
      }
    }
    return null;
  }

  /** A slot: at once when one is free, else the first one freed after the requests waiting before. */
  alloc(signal?: AbortSignal): Promise<Slot> | Slot {
    if (this.waiting === 0) {
      const s = this.tryAlloc();
      if (s !== null) return s;
    }
    if (this.#closed !== null) return Promise.reject(this.#closed);
    if (signal?.aborted) return Promise.reject(new RpcInterruptedError({}, signal.reason));
    return new Promise<Slot>((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal !== undefined) {
        w.onAbort = () => {
          const i = this.#waiters.indexOf(w, this.#waitHead);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(new RpcInterruptedError({}, signal.reason));
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.#waiters.push(w);
    });
  }

  /** The request on `slot` is over (answered or abandoned): the slot goes to the first waiter. */
  release(slot: Slot): void {
    slot.inUse = false;
    this.#wake();
  }

  #wake(): void {
    while (this.#waitHead < this.#waiters.length) {
      const s = this.tryAlloc();
      if (s === null) return;
      const w = this.#waiters[this.#waitHead]!;
      this.#waiters[this.#waitHead++] = undefined as unknown as Waiter;
      if (w.signal !== undefined && w.onAbort !== undefined) w.signal.removeEventListener('abort', w.onAbort);
      w.resolve(s);
    }
    this.#waiters = [];
    this.#waitHead = 0;
  }

  /**
   * A SEQUENCE on `slot` succeeded: the slot moves to its next sequence id, and the server's
   * highest and target slot ids are taken (slots above the highest are dropped).
   */
  sequenceDone(slot: Slot, sr_highest_slotid: number, sr_target_highest_slotid: number): void {
    slot.seqid = (slot.seqid + 1) >>> 0;
    slot.interrupted = false;
    slot.resetTried = false;
    this.setHighest(sr_highest_slotid);
    this.#target = sr_target_highest_slotid;
    this.#wake();
  }

  /** The server accepts slots up to `highest` only (a reply's sr_highest_slotid, or BADSLOT). */
  setHighest(highest: number): void {
    if (highest < this.#highest) {
      for (let i = highest + 1; i < this.#slots.length; i++) {
        const s = this.#slots[i]!;
        if (!s.inUse) {
          s.seqid = 1;
          s.interrupted = false;
        }
      }
    }
    this.#highest = Math.min(highest, this.maxRequests - 1);
  }

  /** The request on `slot` was abandoned without its reply (see the file comment). */
  abandoned(slot: Slot): void {
    slot.seqid = (slot.seqid + 1) >>> 0;
    slot.interrupted = true;
  }

  /** Fail every waiter and every later alloc with `err` (the session is gone). */
  close(err: unknown): void {
    this.#closed = err;
    const ws = this.#waiters.slice(this.#waitHead);
    this.#waiters = [];
    this.#waitHead = 0;
    for (const w of ws) {
      if (w.signal !== undefined && w.onAbort !== undefined) w.signal.removeEventListener('abort', w.onAbort);
      w.reject(err);
    }
  }
}
