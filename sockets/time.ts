/*
 * Nanosecond timeouts (OpenBSD sys/time.h): the unit of tsleep_nsec, sosleep_nsec and
 * sb_timeo_nsecs in the kernel since 2019–2020, beside the ticks (hz) of the older API.
 *
 * The kernel's nanoseconds are a uint64_t and INFSLP, "no timeout", is UINT64_MAX. Here they are
 * JavaScript numbers, exact up to 2^53 − 1, and INFSLP is that largest exact integer (about 104
 * days): the conversions saturate at INFSLP as the kernel's saturate at UINT64_MAX, and any
 * value ≥ INFSLP means no timeout. A negative or non-number time is a programming error
 * (RangeError): the kernel's type cannot hold one.
 */

/** No timeout. */
export const INFSLP = Number.MAX_SAFE_INTEGER;

function to_nsec(v: number, per: number, fn: string): number {
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new RangeError(`${fn}: ${String(v)} is not a time`);
  const ns = Math.ceil(v * per);
  return ns >= INFSLP ? INFSLP : ns;
}

/** SEC_TO_NSEC(9): seconds to nanoseconds, saturating at INFSLP. */
export function SEC_TO_NSEC(seconds: number): number {
  return to_nsec(seconds, 1e9, 'SEC_TO_NSEC');
}

/** MSEC_TO_NSEC: milliseconds to nanoseconds, saturating at INFSLP. */
export function MSEC_TO_NSEC(milliseconds: number): number {
  return to_nsec(milliseconds, 1e6, 'MSEC_TO_NSEC');
}

/** USEC_TO_NSEC: microseconds to nanoseconds, saturating at INFSLP. */
export function USEC_TO_NSEC(microseconds: number): number {
  return to_nsec(microseconds, 1e3, 'USEC_TO_NSEC');
}

/**
 * Nanoseconds to a tsleep timeout in ticks of 1e9 / tick_nsec per second: INFSLP (or more) is 0,
 * no timeout; anything else is rounded up to whole ticks, at least one (a zero-nanosecond sleep
 * is the kernel's one-tick sleep). RangeError for a negative or non-number value.
 */
export function nsec_to_ticks(nsecs: number, tick_nsec: number, fn: string): number {
  if (typeof nsecs !== 'number' || Number.isNaN(nsecs) || nsecs < 0) throw new RangeError(`${fn}: ${String(nsecs)} is not a time in nanoseconds`);
  if (nsecs >= INFSLP) return 0;
  return Math.max(1, Math.ceil(nsecs / tick_nsec));
}
