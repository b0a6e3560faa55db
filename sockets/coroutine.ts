/*
 * The sleeping so* functions are written once, as generators that yield the Promise of each
 * sleep (tsleep, sbwait, sblock) and get its errno back. `co_run` drives one to a Promise: when
 * the generator finishes without sleeping (always so with MSG_DONTWAIT / SS_NBIO), all its work
 * happened during the call and the Promise returned is already settled. `co_now` drives one
 * synchronously and returns the errno itself, for callers that must not wait at all (upcalls);
 * it is only used with MSG_DONTWAIT, under which the functions never sleep.
 */
import { EWOULDBLOCK } from './errno.js';

export type Sleeper = Generator<Promise<number>, number, number>;

export function co_run(g: Sleeper): Promise<number> {
  const first = g.next();
  if (first.done) return Promise.resolve(first.value);
  return new Promise<number>((resolve, reject) => {
    const step = (v: number): void => {
      let r: IteratorResult<Promise<number>, number>;
      try {
        r = g.next(v);
      } catch (e) {
        reject(e);
        return;
      }
      if (r.done) resolve(r.value);
      else r.value.then(step, reject);
    };
    first.value.then(step, reject);
  });
}

export function co_now(g: Sleeper): number {
  const r = g.next();
  if (r.done) return r.value;
  /* Cannot happen under MSG_DONTWAIT; end the generator rather than leave it suspended. */
  g.return(EWOULDBLOCK);
  return EWOULDBLOCK;
}
