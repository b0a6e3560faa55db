/*
 * Lease renewal (RFC 7530 §9.5, RFC 8881 §8.3): the server keeps a client's state while the client
 * renews its lease, which every SEQUENCE (4.1) or stateful operation (4.0) does as a side effect.
 * When the client has been quiet for half a lease, it renews explicitly: a COMPOUND of SEQUENCE
 * alone (4.1) or RENEW (4.0), as Linux's renewd does at two thirds.
 *
 * One timer, set for when half a lease will have passed since the last renewal, and unref'd: it
 * never keeps the process alive by itself (an idle mount must not prevent exit), and stop() clears
 * it for good.
 */

export class LeaseRenewer {
  #timer: NodeJS.Timeout | null = null;
  #last: number;
  #running = false;
  #stopped = true;
  /* After an attempt, the next one waits at least a tenth of a lease (no storm while failing). */
  #notBefore = 0;
  readonly #tickFn = (): void => this.#tick();

  /**
   * @param renew sends the explicit renewal (its failures are its own to handle).
   * @param leaseMs the server's lease_time in ms.
   */
  constructor(
    readonly renew: () => Promise<void>,
    public leaseMs: number,
    readonly now: () => number = () => performance.now(),
  ) {
    this.#last = now();
  }

  /** The lease was renewed now (a reply to a renewing operation came back). */
  renewed(): void {
    this.#last = this.now();
  }

  /** Milliseconds since the last renewal. */
  get idleMs(): number {
    return this.now() - this.#last;
  }

  /** Whether the timer is set (for tests: it must not hold the process). */
  get timer(): NodeJS.Timeout | null {
    return this.#timer;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  #schedule(): void {
    if (this.#stopped || this.#running) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    const now = this.now();
    const due = Math.max(this.#last + this.leaseMs / 2, this.#notBefore) - now;
    this.#timer = setTimeout(this.#tickFn, Math.max(due, 250));
    this.#timer.unref();
  }

  #tick(): void {
    this.#timer = null;
    if (this.#stopped) return;
    if (this.now() - this.#last < this.leaseMs / 2) {
      this.#schedule();
      return;
    }
    this.#running = true;
    this.#notBefore = this.now() + this.leaseMs / 10;
    this.renew().catch(() => undefined).finally(() => {
      this.#running = false;
      this.#schedule();
    });
  }
}
