/*
 * The datagram congestion window (OpenBSD nfs_socket.c, after Jacobson, SIGCOMM '88; see
 * shared/reference nfs-clients.md §1.2). Units are scaled by CWND_SCALE so that an additive
 * increase of 1/cwnd per reply can be kept in integers, as the kernel does:
 *
 *   cwnd starts at MAX_CWND / 2 (16 calls), is at most MAX_CWND (32 calls), at least one call;
 *   a call may be sent for the first time only while sent < cwnd, and then sent += CWND_SCALE;
 *   each reply to a call in the window: sent -= CWND_SCALE, and if the window was full
 *     (cwnd <= sent before) cwnd grows by about CWND_SCALE / cwnd calls (additive increase);
 *   each retransmission timeout halves cwnd (multiplicative decrease).
 *
 * Retransmissions of calls already in the window do not need a new slot. TCP has no window here:
 * its own congestion control applies, and maxInFlight bounds the calls outstanding.
 */
export const CWND_SCALE = 256;
export const MAX_CWND = 32 * CWND_SCALE;

export class CongestionWindow {
  cwnd = MAX_CWND / 2;
  sent = 0;

  /** Room for one more call to go out for the first time. */
  get open(): boolean {
    return this.sent < this.cwnd;
  }

  /** Calls the window allows in flight now. */
  get calls(): number {
    return Math.floor(this.cwnd / CWND_SCALE);
  }

  /** A call went out for the first time. */
  take(): void {
    this.sent += CWND_SCALE;
  }

  /** A call in the window got its reply. */
  replied(): void {
    if (this.cwnd <= this.sent) {
      this.cwnd += Math.floor((CWND_SCALE * CWND_SCALE + (this.cwnd >> 1)) / this.cwnd);
      if (this.cwnd > MAX_CWND) this.cwnd = MAX_CWND;
    }
    this.release();
  }

  /** A call in the window ended without a reply (timeout, abort, close). */
  release(): void {
    this.sent -= CWND_SCALE;
    if (this.sent < 0) this.sent = 0;
  }

  /** A retransmission timeout: halve the window. */
  timedOut(): void {
    this.cwnd >>= 1;
    if (this.cwnd < CWND_SCALE) this.cwnd = CWND_SCALE;
  }
}
