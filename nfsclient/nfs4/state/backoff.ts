/*
 * Waits between retries: NFS4ERR_DELAY and NFS4ERR_GRACE (RFC 7530 §13.1.1.3, §9.6.2; RFC 8881
 * §15.1.1.3) are waited out with a delay that doubles from `firstMs` to `maxMs`, as Linux's
 * nfs4_delay does (100 ms to 15 s). A budget bounds the total (soft mounts: the time a soft RPC
 * would have been given); past it the status goes back to the caller. The wait ends early, with
 * RpcInterruptedError (EINTR), when the operation's signal fires. The timer keeps the process alive,
 * as an RPC in flight does: an operation waiting out a DELAY is still under way.
 */

import { RpcInterruptedError } from '../../../rpc/index.js';

export interface BackoffPolicy {
  /** First wait, ms. */
  firstMs: number;
  /** Longest wait, ms. */
  maxMs: number;
  /** Total waiting allowed, ms (Infinity: hard). */
  budgetMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({ firstMs: 100, maxMs: 15_000, budgetMs: Infinity });

/** Sleep `ms`; rejects with RpcInterruptedError when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RpcInterruptedError({}, signal.reason));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new RpcInterruptedError({}, signal!.reason));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One operation's sequence of waits. */
export class Backoff {
  #next: number;
  #waited = 0;

  constructor(readonly policy: BackoffPolicy) {
    this.#next = policy.firstMs;
  }

  /** Milliseconds waited so far. */
  get waited(): number {
    return this.#waited;
  }

  /** Whether another wait fits the budget (the first always does). */
  get canWait(): boolean {
    return this.#waited === 0 || this.#waited + this.#next <= this.policy.budgetMs;
  }

  /** Wait the next delay. */
  async wait(signal?: AbortSignal): Promise<void> {
    const ms = this.#next;
    await sleep(ms, signal);
    this.#waited += ms;
    this.#next = Math.min(ms * 2, this.policy.maxMs);
  }
}
