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
 */
import { EINTR, ERESTART, EWOULDBLOCK } from './errno.js';
import { cursig, curproc, sleep_link, sleep_unlink } from './proc.js';
import type { Proc, SleepLink } from './proc.js';

/** Clock ticks per second. Timeouts (sb_timeo, tsleep's timo) are in ticks. */
export const hz = 100;
/** Microseconds per tick. */
export const tick = 1000000 / hz;

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

/* The sleepers of a channel live on the channel object itself (a symbol-keyed array), or in
 * `channels` for objects that cannot take a property (frozen). */
const SLEEPERS = Symbol('sleepers');
type Channel = { [SLEEPERS]?: Sleeper[] | null };
const channels = new Map<object, Sleeper[]>();

function chanlist(ident: object): Sleeper[] | undefined {
  const l = (ident as Channel)[SLEEPERS];
  if (l !== undefined && l !== null) return l;
  return Object.isExtensible(ident) ? undefined : channels.get(ident);
}

function chanclear(ident: object): void {
  if (Object.isExtensible(ident)) (ident as Channel)[SLEEPERS] = null;
  else channels.delete(ident);
}

function chanadd(ident: object, s: Sleeper): void {
  const l = chanlist(ident);
  if (l !== undefined) l.push(s);
  else if (Object.isExtensible(ident)) (ident as Channel)[SLEEPERS] = [s];
  else channels.set(ident, [s]);
}

/* One sleeping call. A class, linked into its process's list of interruptible sleeps
 * (p_sleephead) without allocation, so that a sleep costs little. */
class Sleeper implements SleepLink {
  timer: NodeJS.Timeout | null = null;
  remaining = 0;
  resolve: (error: number) => void = noop;
  s_next: SleepLink | null = null;
  s_prev: SleepLink | null = null;
  constructor(
    readonly ident: object,
    readonly p: Proc | null, /* set for PCATCH sleeps */
  ) {}

  /* End the sleep with `error` (once). `listed`: still on its channel's list. */
  settle(error: number, listed: boolean): void {
    if (this.resolve === noop) return;
    if (listed) {
      const list = chanlist(this.ident);
      if (list !== undefined) {
        const i = list.indexOf(this);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) chanclear(this.ident);
      }
    }
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.p !== null) sleep_unlink(this.p, this);
    sleepstat.sleeping--;
    const resolve = this.resolve;
    this.resolve = noop;
    resolve(error);
  }

  /* A signal for the sleeping process. */
  interrupt(sig: number): void {
    this.settle(sigerror(this.p!, sig), true);
  }

  arm(): void {
    const ms = Math.min(this.remaining, MAX_TIMER_MS);
    this.remaining -= ms;
    this.timer = setTimeout(onTimer, ms, this);
  }
}

function noop(): void {}

function onTimer(s: Sleeper): void {
  if (s.remaining > 0) s.arm();
  else s.settle(EWOULDBLOCK, true);
}

function sigerror(p: Proc, sig: number): number {
  return p.ps_sigrestart & (1 << (sig - 1)) ? ERESTART : EINTR;
}

/**
 * tsleep(9): sleep on `ident` until a wakeup, `timo` ticks (0 = forever), or — with PCATCH —
 * a signal. `wmesg` names the sleep (kept for debugging only). A non-integer timo is rounded up;
 * zero, negative or non-finite means no timeout.
 */
export function tsleep(ident: object, priority: number, wmesg: string, timo: number): Promise<number> {
  sleepstat.tsleep++;
  let p: Proc | null = null;
  if (priority & PCATCH) {
    p = curproc();
    const sig = cursig(p);
    if (sig !== 0) {
      p.p_siglist &= ~(1 << (sig - 1));
      return Promise.resolve(sigerror(p, sig));
    }
  }
  const s = new Sleeper(ident, p);
  const promise = new Promise<number>((resolve) => {
    s.resolve = resolve;
  });
  chanadd(ident, s);
  sleepstat.sleeping++;
  if (p !== null) sleep_link(p, s);
  const ticks = Number.isFinite(timo) && timo > 0 ? Math.ceil(timo) : 0;
  if (ticks > 0) {
    s.remaining = (ticks * 1000) / hz;
    s.arm();
  }
  return promise;
}

/** wakeup(9): wake every sleeper on `ident`; each tsleep returns 0. */
export function wakeup(ident: object): void {
  const list = chanlist(ident);
  if (list === undefined) return;
  chanclear(ident);
  for (let i = 0; i < list.length; i++) list[i]!.settle(0, false);
}

/** wakeup_one(9): wake the longest sleeper on `ident` only. */
export function wakeup_one(ident: object): void {
  const list = chanlist(ident);
  if (list === undefined || list.length === 0) return;
  list[0]!.settle(0, true);
}
