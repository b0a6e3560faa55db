/*
 * The sleeping so* functions are written once, as generators that yield each sleep (a Sleep
 * from tsleep_co: sbwait, the sblock wait) and get its errno back. `co_run` drives one to a
 * Promise: when the generator finishes without sleeping (always so with MSG_DONTWAIT / SS_NBIO),
 * all its work happened during the call and the Promise returned is already settled. `co_now`
 * drives one synchronously and returns the errno itself, for callers that must not wait at all
 * (upcalls); it is only used with MSG_DONTWAIT, under which the functions never sleep.
 *
 * A call that does sleep becomes a Co: the Sleep wakes it directly (no Promise per sleep), and
 * it resumes in a microtask of its own — as a Promise continuation would, never inside the
 * wakeup(9) that ended the sleep, whose caller (a host event, a state transition) is still
 * running.
 */
import { EWOULDBLOCK } from './errno.js';
import { Sleep } from './synch.js';
import type { SleepWaiter } from './synch.js';

export type Sleeper = Generator<Sleep, number, number>;

const RESOLVED = Promise.resolve();

/* Already-settled Promises of the small errnos, shared: a call done at once allocates none. */
const SETTLED: Promise<number>[] = [];
for (let e = 0; e < 128; e++) SETTLED.push(Promise.resolve(e));

/** An already-settled Promise of errno e (a shared one for the usual values). */
export function so_settled(e: number): Promise<number> {
  return e >= 0 && e < 128 && e === Math.floor(e) ? SETTLED[e]! : Promise.resolve(e);
}

let capResolve: (value: number) => void = noresolve;
let capReject: (reason: unknown) => void = noresolve;
function capture(resolve: (value: number) => void, reject: (reason: unknown) => void): void {
  capResolve = resolve;
  capReject = reject;
}
function noresolve(): void {}

/*
 * Resuming woken calls. A call whose sleep ended resumes after the code that woke it has run to
 * its end — never inside the wakeup(9) itself, whose caller (a state transition, a send) is still
 * running: as a Promise continuation would, from a microtask that resumes every call woken since
 * (in the order they were woken), with no allocation per call. A host data event is the
 * exception (so_hostevent): the calls it wakes resume at the very end of its handler (upcalls
 * included) rather than one microtask later.
 */
interface Runnable {
  resume(): void;
}
const IDLE: Runnable = { resume: noresolve };
/* Woken calls: runq[0 .. nrunq) for the microtask, hostwoken[0 .. nhostwoken) for the host event
 * being handled. The arrays are reused, never shrunk. */
const runq: Runnable[] = [];
let nrunq = 0;
let runqarmed = false;
let hostevent = 0;
const hostwoken: Runnable[] = [];
let nhostwoken = 0;

function setrunnable(c: Runnable): void {
  if (hostevent > 0) {
    hostwoken[nhostwoken++] = c;
    return;
  }
  runq[nrunq++] = c;
  if (!runqarmed) {
    runqarmed = true;
    /* queueMicrotask would cost an AsyncResource per call. */
    void RESOLVED.then(runq_run);
  }
}

/* Resume c; a throw is a bug, re-thrown outside the loop so that the others still run. */
function resume1(c: Runnable): void {
  try {
    c.resume();
  } catch (e) {
    queueMicrotask(() => {
      throw e;
    });
  }
}

function runq_run(): void {
  for (let i = 0; i < nrunq; i++) {
    const c = runq[i]!;
    runq[i] = IDLE;
    resume1(c);
  }
  nrunq = 0;
  runqarmed = false;
}

/** Run `handler(arg)` (a host event: data arrived) and then the calls it woke. */
export function so_hostevent<T>(handler: (arg: T) => void, arg: T): void {
  hostevent++;
  try {
    handler(arg);
  } finally {
    if (--hostevent === 0) {
      for (let i = 0; i < nhostwoken; i++) {
        const c = hostwoken[i]!;
        hostwoken[i] = IDLE;
        resume1(c);
      }
      nhostwoken = 0;
    }
  }
}

/**
 * A call that sleeps as itself (a Sleep it re-arms with tsleep_co for each sleep), with its
 * Promise and the means to settle it (made without a closure). When a sleep ends (`error` holds
 * its result) the call resumes (`resume`, see setrunnable).
 */
export abstract class SleepingCall extends Sleep implements Runnable {
  readonly promise: Promise<number>;
  readonly resolve: (value: number) => void;
  readonly reject: (reason: unknown) => void;

  constructor() {
    super();
    this.promise = new Promise<number>(capture);
    this.resolve = capResolve;
    this.reject = capReject;
  }

  override awaken(): void {
    setrunnable(this);
  }

  abstract resume(): void;
}

/* A generator-driven call that is sleeping, or runnable after its sleep ended. */
class Co implements SleepWaiter, Runnable {
  v = 0;
  readonly promise: Promise<number>;
  readonly resolve: (value: number) => void;
  readonly reject: (reason: unknown) => void;

  constructor(readonly g: Sleeper) {
    this.promise = new Promise<number>(capture);
    this.resolve = capResolve;
    this.reject = capReject;
  }

  wake(error: number): void {
    this.v = error;
    setrunnable(this);
  }

  resume(): void {
    co_step(this);
  }
}

/* Resume co's generator with its sleep's result, up to its next sleep or its end. */
function co_step(co: Co): void {
  let v = co.v;
  for (;;) {
    let r: IteratorResult<Sleep, number>;
    try {
      r = co.g.next(v);
    } catch (e) {
      co.reject(e);
      return;
    }
    if (r.done) {
      co.resolve(r.value);
      return;
    }
    const s = r.value;
    if (!s.done) {
      s.waiter = co;
      return;
    }
    v = s.error; /* ended at once (a pending signal): go on */
  }
}

export function co_run(g: Sleeper): Promise<number> {
  let r = g.next(0);
  while (!r.done) {
    const s = r.value;
    if (!s.done) {
      const co = new Co(g);
      s.waiter = co;
      return co.promise;
    }
    r = g.next(s.error);
  }
  return so_settled(r.value);
}

export function co_now(g: Sleeper): number {
  const r = g.next(0);
  if (r.done) return r.value;
  /* Cannot happen under MSG_DONTWAIT; end the sleep and the generator rather than leave them. */
  r.value.settle(EWOULDBLOCK);
  g.return(EWOULDBLOCK);
  return EWOULDBLOCK;
}
