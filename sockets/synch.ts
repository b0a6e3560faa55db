/*
 * Sleep and wakeup on wait channels (OpenBSD tsleep(9), kern_synch.c).
 *
 * A wait channel is any object: only its identity matters (the kernel uses an address, e.g.
 * &so->so_timeo). tsleep returns a Promise that settles with
 *   0            when wakeup(ident) (or wakeup_one) is called,
 *   EWOULDBLOCK  when `timo` ticks (1/hz s) pass first (timo 0: no timeout),
 *   EINTR        with PCATCH in `priority`, when a signal is posted to the sleeping process
 *   ERESTART     likewise, when that signal has SA_RESTART (see proc.ts).
 * A PCATCH sleep of a process that already has a signal pending returns at once (EINTR or
 * ERESTART) and delivers the signal. The sleeping process is curproc() at the call.
 *
 * tsleep_nsec is the same sleep with its timeout in nanoseconds (INFSLP: none), the kernel's
 * interface since 2019. Two channels are the kernel's own: `lbolt`, woken once a second (the
 * 2009 kernel's "sleep until the next second": tsleep(&lbolt, ...)), and `nowake`, which nothing
 * wakes (today's kernel sleeps on it for a pure delay: tsleep_nsec(&nowake, ..., SEC_TO_NSEC(1))).
 */
import { EINTR, ERESTART, EWOULDBLOCK } from './errno.js';
import { cursig, curproc, sleep_link, sleep_unlink } from './proc.js';
import type { Proc, SleepLink } from './proc.js';
import { nsec_to_ticks } from './time.js';

/**
 * The sleep hooks of a tracer (ktrace.ts's Ktrace extends this). Declared here so that this file
 * needs nothing of the socket layer above it; installed with the rest of the tracer by
 * so_instrument (instrument.ts), which sets `ktr`.
 */
export interface SleepTrace {
  /** A sleep starts on `ident` (`sleep` identifies it until tsleep_end). */
  tsleep(ident: object, priority: number, wmesg: string, timo: number, sleep: object): void;
  /** A sleep ended with `error`. */
  tsleep_end(ident: object, sleep: object, error: number): void;
  /** wakeup / wakeup_one on a channel with sleepers. */
  wakeup(ident: object, one: boolean): void;
}

/* The installed tracer's sleep hooks, or null: one test per sleep and wakeup when off. */
let ktr: SleepTrace | null = null;

/** Install (null: remove) the sleep hooks; only instrument.ts calls this. */
export function synch_trace(t: SleepTrace | null): void {
  ktr = t;
}

/** Clock ticks per second. Timeouts (sb_timeo, tsleep's timo) are in ticks. */
export const hz = 100;
/** Microseconds per tick. */
export const tick = 1000000 / hz;
/** Nanoseconds per tick. */
export const tick_nsec = 1000000000 / hz;

/* Sleep priorities (sys/param.h). Only PCATCH changes behaviour here. */
export const PSWP = 0;
export const PVM = 4;
export const PINOD = 8;
export const PRIBIO = 16;
export const PVFS = 20;
export const PZERO = 22;
export const PSOCK = 24;
export const PWAIT = 32;
export const PLOCK = 36;
export const PPAUSE = 40;
export const PUSER = 50;
export const PRIMASK = 0x0ff;
export const PCATCH = 0x100; /* the sleep may be interrupted by a signal */
export const PNORELOCK = 0x200;

/** Counters, for tests and load tests: tsleep calls and sleeps still waiting. */
export const sleepstat = { tsleep: 0, sleeping: 0 };

/* Longest single setTimeout Node accepts; longer sleeps re-arm. */
const MAX_TIMER_MS = 0x7fffffff;

/*
 * A channel's sleep queue: its sleepers in arrival order, as a circular doubly linked list of
 * Sleeps (no allocation beyond the Sleep itself). The head is kept in the channel's own SLEEPQ
 * slot when it has one — the socket layer's channels (sockbufs, so_timeo, sb_lockchan) are made
 * with it, see wchan() — and otherwise in a WeakMap, so that any object can be a channel
 * without being modified.
 */
export const SLEEPQ: unique symbol = Symbol('sleepq');
type Chan = { [SLEEPQ]?: Sleep | null };
const queues = new WeakMap<object, Sleep>();

/** A new wait channel: an object only its identity matters for, with room for its sleep queue. */
export function wchan(): object {
  return { [SLEEPQ]: null };
}

function qhead(ident: object): Sleep | null {
  const h = (ident as Chan)[SLEEPQ];
  if (h !== undefined) return h;
  return queues.get(ident) ?? null;
}

function qsethead(ident: object, h: Sleep | null): void {
  if ((ident as Chan)[SLEEPQ] !== undefined) (ident as Chan)[SLEEPQ] = h;
  else if (h === null) queues.delete(ident);
  else queues.set(ident, h);
}

function qinsert(ident: object, s: Sleep): void {
  const head = qhead(ident);
  if (head === null) {
    s.q_next = s;
    s.q_prev = s;
    qsethead(ident, s);
    return;
  }
  const tail = head.q_prev!;
  tail.q_next = s;
  s.q_prev = tail;
  s.q_next = head;
  head.q_prev = s;
}

function qremove(s: Sleep): void {
  const next = s.q_next;
  if (next === null) return; /* not queued */
  if (next === s) {
    qsethead(s.ident, null);
  } else {
    const prev = s.q_prev!;
    prev.q_next = next;
    next.q_prev = prev;
    if (qhead(s.ident) === s) qsethead(s.ident, next);
  }
  s.q_next = null;
  s.q_prev = null;
}

/** What a Sleep wakes when it ends: a generator-driven call (coroutine.ts's Co). */
export interface SleepWaiter {
  wake(error: number): void;
}

const NOCHAN: object = {};

/*
 * One sleep: linked on its channel's queue and, for PCATCH sleeps, into its process's list of
 * interruptible sleeps (p_sleephead), both without allocation. It ends once (settle), and then
 * `awaken`s whoever waits: a Promise-based tsleep's resolver, or a generator-driven call
 * (`waiter`). A subclass may be a call that sleeps as itself (soreceive's RecvWait), reused
 * for each of its sleeps: tsleep_co re-arms it.
 */
export class Sleep implements SleepLink {
  ident: object = NOCHAN;
  p: Proc | null = null; /* set for PCATCH sleeps */
  timer: NodeJS.Timeout | null = null;
  remaining = 0;
  /** Set when the sleep is over; `error` is its result. */
  done = true;
  error = 0;
  onresolve: ((error: number) => void) | null = null;
  waiter: SleepWaiter | null = null;
  q_next: Sleep | null = null;
  q_prev: Sleep | null = null;
  s_next: SleepLink | null = null;
  s_prev: SleepLink | null = null;

  /* End the sleep with `error` (once). */
  settle(error: number): void {
    if (this.done) return;
    this.done = true;
    this.error = error;
    if (ktr !== null) ktr.tsleep_end(this.ident, this, error);
    qremove(this);
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.p !== null) sleep_unlink(this.p, this);
    sleepstat.sleeping--;
    this.awaken(error);
  }

  /** The sleep is over (this.done, this.error): tell whoever waits. */
  awaken(error: number): void {
    if (this.waiter !== null) this.waiter.wake(error);
    else if (this.onresolve !== null) this.onresolve(error);
  }

  /* A signal for the sleeping process. */
  interrupt(sig: number): void {
    this.settle(sigerror(this.p!, sig));
  }

  arm(): void {
    const ms = Math.min(this.remaining, MAX_TIMER_MS);
    this.remaining -= ms;
    this.timer = setTimeout(onTimer, ms, this);
  }
}

function onTimer(s: Sleep): void {
  s.timer = null;
  if (s.remaining > 0) s.arm();
  else s.settle(EWOULDBLOCK);
}

function sigerror(p: Proc, sig: number): number {
  return p.ps_sigrestart & (1 << (sig - 1)) ? ERESTART : EINTR;
}

/**
 * tsleep for generator-driven calls (coroutine.ts) and calls that sleep as themselves: the Sleep
 * rather than a Promise — `s` if given (not sleeping), else a new one. It is already `done` when
 * a pending signal ends it at once; otherwise whoever waits sets `waiter` (or relies on the
 * subclass's `awaken`) before anything else runs.
 */
export function tsleep_co(ident: object, priority: number, wmesg: string, timo: number, s: Sleep = new Sleep()): Sleep {
  sleepstat.tsleep++;
  s.ident = ident;
  s.error = 0;
  s.remaining = 0;
  s.waiter = null;
  if (ktr !== null) ktr.tsleep(ident, priority, wmesg, timo, s);
  let p: Proc | null = null;
  if (priority & PCATCH) {
    p = curproc();
    const sig = cursig(p);
    if (sig !== 0) {
      p.p_siglist &= ~(1 << (sig - 1));
      s.p = null;
      s.done = true;
      s.error = sigerror(p, sig);
      if (ktr !== null) ktr.tsleep_end(ident, s, s.error);
      return s;
    }
  }
  s.p = p;
  s.done = false;
  qinsert(ident, s);
  sleepstat.sleeping++;
  if (p !== null) sleep_link(p, s);
  const ticks = Number.isFinite(timo) && timo > 0 ? Math.ceil(timo) : 0;
  if (ticks > 0) {
    s.remaining = (ticks * 1000) / hz;
    s.arm();
  }
  return s;
}

/** A wait channel nothing wakes: sleep on it for a pure delay (with a timeout, or PCATCH). */
export const nowake: object = wchan();

/** A wait channel woken once a second (the kernel's lightning bolt). */
export const lbolt: object = wchan();

let lbolt_timer: NodeJS.Timeout | null = null;

function lbolt_tick(): void {
  lbolt_timer = null;
  wakeup(lbolt);
}

/**
 * tsleep(9): sleep on `ident` until a wakeup, `timo` ticks (0 = forever), or — with PCATCH —
 * a signal. `wmesg` names the sleep (kept for debugging only). A non-integer timo is rounded up;
 * zero, negative or non-finite means no timeout. A sleep on `nowake` without a timeout or
 * PCATCH could never end: it throws, as the kernel's assertion panics. A sleep on `lbolt` ends
 * at the next whole-second tick.
 */
export function tsleep(ident: object, priority: number, wmesg: string, timo: number): Promise<number> {
  if (ident === nowake && !(Number.isFinite(timo) && timo > 0) && (priority & PCATCH) === 0) {
    throw new Error(`tsleep: ${wmesg}: sleeping on nowake without a timeout or PCATCH would never end`);
  }
  const s = tsleep_co(ident, priority, wmesg, timo);
  if (s.done) return Promise.resolve(s.error);
  if (ident === lbolt && lbolt_timer === null) lbolt_timer = setTimeout(lbolt_tick, 1000 - (Date.now() % 1000));
  return new Promise<number>((resolve) => {
    s.onresolve = resolve;
  });
}

/**
 * tsleep_nsec(9): tsleep with the timeout in nanoseconds; INFSLP means none. The timeout is
 * rounded up to whole ticks, at least one. RangeError for a negative or non-number `nsecs`.
 */
export function tsleep_nsec(ident: object, priority: number, wmesg: string, nsecs: number): Promise<number> {
  return tsleep(ident, priority, wmesg, nsec_to_ticks(nsecs, tick_nsec, 'tsleep_nsec'));
}

/** wakeup(9): wake every sleeper on `ident`; each tsleep returns 0. */
export function wakeup(ident: object): void {
  const head = qhead(ident);
  if (head === null) return;
  if (ktr !== null) ktr.wakeup(ident, false);
  qsethead(ident, null);
  let s = head;
  do {
    const next = s.q_next!;
    s.q_next = null;
    s.q_prev = null;
    s.settle(0);
    s = next;
  } while (s !== head);
}

/** wakeup_one(9): wake the longest sleeper on `ident` only. */
export function wakeup_one(ident: object): void {
  const head = qhead(ident);
  if (head === null) return;
  if (ktr !== null) ktr.wakeup(ident, true);
  head.settle(0);
}
