/*
 * The datagram congestion window (OpenBSD nfs_socket.c, after Jacobson, SIGCOMM '88; see
 * shared/reference nfs-clients.md §1.2). Units are scaled by CWND_SCALE so that an additive
 * increase of 1/cwnd per reply can be kept in integers, as the kernel does:
 *
 *   cwnd starts at MAX_CWND / 2 (16 slots), is at most MAX_CWND (32 slots), at least one slot;
 *   a call may be sent for the first time only while sent < cwnd, and then takes its slots
 *     (sent += slots × CWND_SCALE);
 *   each reply to a call in the window gives its slots back, and if the window was full
 *     (cwnd <= sent before) cwnd grows by about CWND_SCALE / cwnd slots (additive increase);
 *   a retransmission timeout halves cwnd (multiplicative decrease) — once per flight: calls that
 *   went out before the last cut, and time out after it, were lost to the same congestion and do
 *   not cut again (TCP's one reduction per window, RFC 5681 §3.2 / RFC 6582; OpenBSD halves at
 *   every timeout, so that a burst of losses from one overflowed buffer collapses the window to
 *   one call, and the mount crawls at one call per round trip until it grows back).
 *
 * A slot is CWND_SLOT_BYTES, and a call takes one slot per CWND_SLOT_BYTES of its call or its
 * expected reply, whichever is larger (windowSlots): the BSD window counted calls when a datagram
 * held at most 8 KiB (NFS_MAXDGRAMDATA); with 32 KiB READs and WRITEs, 32 calls are 1 MiB in
 * flight, which overflows the server's socket buffer (about 208 KiB by default on Linux) or
 * docker-proxy's, and every overflow costs a retransmission timeout. Counting the bytes, as TCP's
 * window does, keeps 8 KiB calls exactly as the kernel had them.
 *
 * Retransmissions of calls already in the window do not need new slots. TCP has no window here:
 * its own congestion control applies, and maxInFlight bounds the calls outstanding.
 */
export const CWND_SCALE = 256;
export const MAX_CWND = 32 * CWND_SCALE;
/** Bytes per slot of the window. */
export const CWND_SLOT_BYTES = 8192;

/** The slots of a call of `callBytes` whose reply is expected to be `replyBytes` (at most a full window). */
export function windowSlots(callBytes: number, replyBytes: number): number {
  const n = Math.ceil((callBytes > replyBytes ? callBytes : replyBytes) / CWND_SLOT_BYTES);
  return n < 1 ? 1 : n > MAX_CWND / CWND_SCALE ? MAX_CWND / CWND_SCALE : n;
}

export class CongestionWindow {
  cwnd = MAX_CWND / 2;
  sent = 0;
  /* Transmissions stamped so far (first sends and retransmissions), and the stamp when the window was last cut. */
  #stamps = 0;
  #cutAt = 0;

  /** Room for one more call to go out for the first time (it may then overfill the window, as in the kernel). */
  get open(): boolean {
    return this.sent < this.cwnd;
  }

  /** Slots the window allows in flight now. */
  get calls(): number {
    return Math.floor(this.cwnd / CWND_SCALE);
  }

  /** A call of `slots` slots went out for the first time. */
  take(slots: number): void {
    this.sent += slots * CWND_SCALE;
  }

  /** A transmission (first or retransmission) goes out: its stamp, for timedOut(). */
  stamp(): number {
    return ++this.#stamps;
  }

  /** A call of `slots` slots in the window got its reply. */
  replied(slots: number): void {
    if (this.cwnd <= this.sent) {
      this.cwnd += Math.floor((CWND_SCALE * CWND_SCALE + (this.cwnd >> 1)) / this.cwnd);
      if (this.cwnd > MAX_CWND) this.cwnd = MAX_CWND;
    }
    this.release(slots);
  }

  /** A call of `slots` slots in the window ended without a reply (timeout, abort, close). */
  release(slots: number): void {
    this.sent -= slots * CWND_SCALE;
    if (this.sent < 0) this.sent = 0;
  }

  /** A retransmission timeout of the transmission stamped `stamp`: halve the window, once per flight. */
  timedOut(stamp: number): void {
    if (stamp <= this.#cutAt) return;
    this.#cutAt = this.#stamps;
    this.cwnd >>= 1;
    if (this.cwnd < CWND_SCALE) this.cwnd = CWND_SCALE;
  }
}
