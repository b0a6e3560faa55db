/*
 * Timeouts (OpenBSD timeout(9)): struct timeout, timeout_set, timeout_add (ticks of hz),
 * timeout_add_sec, timeout_add_msec, timeout_add_nsec, timeout_del, timeout_pending.
 *
 * A timeout calls its function with its argument once, after the delay, from the event loop
 * (the kernel's softclock), never inside the code that scheduled it. Adding a timeout that is
 * already pending reschedules it. The function may be async (return a Promise): it is then not
 * waited for, and a rejection is re-thrown, as an uncaught error, the kernel's panic. A pending
 * timeout keeps the process alive, as any pending sleep with a timeout does; timeout_del it.
 */
import { hz } from './synch.js';
import { INFSLP } from './time.js';

/* Longest single setTimeout Node accepts; longer timeouts re-arm. */
const MAX_TIMER_MS = 0x7fffffff;

/** struct timeout. */
export class Timeout {
  to_func: ((arg: never) => unknown) | null = null;
  to_arg: unknown = null;
  /** The host timer while pending. */
  to_timer: NodeJS.Timeout | null = null;
  /* Milliseconds still to wait after the current host timer (for delays beyond one timer). */
  to_remaining = 0;
}

/** timeout_set(9): set the function `fn` and its argument `arg` of `to` (not pending). */
export function timeout_set<A>(to: Timeout, fn: (arg: A) => unknown, arg: A): void {
  timeout_del(to);
  to.to_func = fn as (arg: never) => unknown;
  to.to_arg = arg;
}

function fire(to: Timeout): void {
  to.to_timer = null;
  if (to.to_remaining > 0) {
    arm(to, to.to_remaining);
    return;
  }
  const fn = to.to_func as ((arg: unknown) => unknown) | null;
  if (fn === null) return;
  const r = fn(to.to_arg);
  if (r instanceof Promise) {
    r.then(undefined, (e: unknown) => {
      setImmediate(() => {
        throw e;
      });
    });
  }
}

function arm(to: Timeout, ms: number): void {
  const now = Math.min(ms, MAX_TIMER_MS);
  to.to_remaining = ms - now;
  to.to_timer = setTimeout(fire, now, to);
}

/* Schedule `to` in `ms` milliseconds: 1 if it was not pending, 0 if it was (rescheduled). */
function add_ms(to: Timeout, ms: number, fn: string): number {
  if (to.to_func === null) throw new Error(`${fn}: timeout not initialized (timeout_set)`);
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) throw new RangeError(`${fn}: ${String(ms)} is not a delay`);
  const was = timeout_del(to);
  arm(to, ms);
  return was ? 0 : 1;
}

/** timeout_add(9): call the function in `ticks` ticks of hz (0 or less: at the next tick). */
export function timeout_add(to: Timeout, ticks: number): number {
  return add_ms(to, (Math.max(ticks, 1) * 1000) / hz, 'timeout_add');
}

/** timeout_add_sec(9). */
export function timeout_add_sec(to: Timeout, secs: number): number {
  return add_ms(to, secs * 1000, 'timeout_add_sec');
}

/** timeout_add_msec(9). */
export function timeout_add_msec(to: Timeout, msecs: number): number {
  return add_ms(to, msecs, 'timeout_add_msec');
}

/** timeout_add_nsec(9). INFSLP is refused (RangeError), as the kernel's assertion does. */
export function timeout_add_nsec(to: Timeout, nsecs: number): number {
  if (nsecs >= INFSLP) throw new RangeError('timeout_add_nsec: INFSLP');
  return add_ms(to, Math.ceil(nsecs / 1e6), 'timeout_add_nsec');
}

/** timeout_del(9): cancel `to`: 1 if it was pending, else 0. */
export function timeout_del(to: Timeout): number {
  if (to.to_timer === null) return 0;
  clearTimeout(to.to_timer);
  to.to_timer = null;
  to.to_remaining = 0;
  return 1;
}

/** timeout_pending(9): non-zero while `to` is scheduled. */
export function timeout_pending(to: Timeout): number {
  return to.to_timer !== null ? 1 : 0;
}
