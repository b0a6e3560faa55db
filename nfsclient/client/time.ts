/* Times given to utimes()/futimes() (Node's forms) as nfstime3. */
import { EINVAL } from '../../sockets/index.js';
import { NfsError } from '../errors.js';
import type { nfstime3 } from '../nfs3/basic.js';
import type { OpCtx } from './session.js';

/**
 * A time as Node's utimes takes it: seconds (number or numeric string), a Date, or bigint seconds.
 * A decimal string ("1700000000.123456789") is taken exactly, to the nanosecond; a number only to
 * a double's precision (about 0.2 µs for today's dates).
 */
export type TimeLike = number | string | Date | bigint;

/** nfstime3 of a TimeLike. @throws NfsError EINVAL for NaN, negative times or times past 2106. */
export function toNfsTime(t: TimeLike, ctx: OpCtx): nfstime3 {
  let seconds: number;
  let nseconds: number;
  if (t instanceof Date) {
    const ms = t.getTime();
    seconds = Math.floor(ms / 1000);
    nseconds = Math.round((ms - seconds * 1000) * 1e6);
  } else if (typeof t === 'bigint') {
    seconds = Number(t);
    nseconds = 0;
  } else if (typeof t === 'string' && /^\s*\d+(\.\d*)?\s*$/.test(t)) {
    const [whole, frac = ''] = t.trim().split('.');
    seconds = Number(whole);
    nseconds = Number(frac.slice(0, 9).padEnd(9, '0'));
  } else {
    const v = typeof t === 'string' ? Number(t) : t;
    seconds = Math.floor(v);
    nseconds = Math.round((v - seconds) * 1e9);
  }
  if (nseconds >= 1e9) {
    seconds += 1;
    nseconds -= 1e9;
  }
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 0xffffffff) {
    throw new NfsError(EINVAL, { ...ctx, detail: `time ${String(t)} is outside what NFSv3 can store (1970 to 2106)` });
  }
  return { seconds, nseconds };
}
