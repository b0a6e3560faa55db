/*
 * Processes and credentials: just enough of struct proc and struct ucred for the socket layer.
 *
 * A Proc is the process on whose behalf kernel code runs. `curproc()` follows the async context
 * (node:async_hooks AsyncLocalStorage): code started by `runas(p, fn)` sees p as curproc across
 * every await; code outside any runas runs as proc0, like a kernel thread.
 *
 * Signals: `psignal(p, sig)` posts a signal. Sleeps of p with PCATCH end at once with EINTR, or
 * ERESTART if the signal's action has SA_RESTART (`sigaction_restart(p, sig, true)`), as tsleep(9)
 * says. A signal posted while p has no interruptible sleep stays pending and interrupts p's next
 * PCATCH sleep. Interrupting a sleep delivers the signal (it is no longer pending).
 *
 * As in the kernel, a signal in p_sigignore (the action SIG_IGN, kept in p_sigacts) is discarded
 * when posted, and a signal in p_sigmask (blocked) stays pending without interrupting anything
 * until it is unblocked; the next PCATCH sleep after that takes it. SIGKILL can be neither
 * ignored nor blocked. Signal sets are bit sets, sigmask(sig) the bit of one signal.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** struct ucred: the credential decisions are made with. */
export interface Ucred {
  cr_uid: number; /* effective user id */
  cr_ruid: number; /* real user id */
  cr_gid: number; /* effective group id */
  cr_rgid: number; /* real group id */
  cr_groups: number[];
}

/* Signal numbers (OpenBSD sys/signal.h), for psignal. */
export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGKILL = 9;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGIO = 23;
export const SIGUSR1 = 30;
export const SIGUSR2 = 31;

/** A PCATCH sleep as its process sees it (synch.ts's Sleeper). */
export interface SleepLink {
  s_next: SleepLink | null;
  s_prev: SleepLink | null;
  interrupt(sig: number): void;
}

/** sigmask(sig): the bit of signal `sig` in a signal set (0 for a number outside 1..31). */
export function sigmask(sig: number): number {
  return sigbit(sig);
}

/** struct sigacts: the signal actions of a process. */
export class Sigacts {
  /** Signals whose action is SIG_IGN: discarded when posted. */
  ps_sigignore = 0;
  /** Signals with a handler. */
  ps_sigcatch = 0;
}

/** struct process: what the threads of a process share (here, one thread: its Proc). */
export interface Process {
  readonly ps_pid: number;
  readonly ps_sigacts: Sigacts;
}

export class Proc {
  readonly p_pid: number;
  p_ucred: Ucred;
  /** Pending signals, as a bit set (bit sig-1). */
  p_siglist = 0;
  /** Blocked signals: they stay pending and interrupt nothing. */
  p_sigmask = 0;
  /** Signal actions (the 2009 kernel's p->p_sigacts; today's p->p_p->ps_sigacts). */
  readonly p_sigacts = new Sigacts();
  /** The process (today's kernel's p->p_p). */
  readonly p_p: Process;
  /** Signals whose action has SA_RESTART: their interruptions return ERESTART, not EINTR. */
  ps_sigrestart = 0;
  /** This proc's current PCATCH sleeps: an intrusive list (maintained by tsleep) and its length. */
  p_sleephead: SleepLink | null = null;
  p_nsleep = 0;

  constructor(pid: number, cred: Ucred) {
    this.p_pid = pid;
    this.p_ucred = cred;
    this.p_p = { ps_pid: pid, ps_sigacts: this.p_sigacts };
  }

  /** Ignored signals: the 2009 kernel's `#define p_sigignore p_sigacts->ps_sigignore`. */
  get p_sigignore(): number {
    return this.p_sigacts.ps_sigignore;
  }

  set p_sigignore(set: number) {
    this.p_sigacts.ps_sigignore = set;
  }
}

/** SIGPENDING(p): the signals pending for p and not blocked. */
export function SIGPENDING(p: Proc): number {
  return p.p_siglist & ~(p.p_sigmask & ~SIGKILL_BIT);
}

let nextpid = 1;

/** A new process with the given credential (real ids equal to the effective ones). */
export function newproc(c: { uid: number; gid: number; groups?: number[] }): Proc {
  const cred: Ucred = {
    cr_uid: c.uid,
    cr_ruid: c.uid,
    cr_gid: c.gid,
    cr_rgid: c.gid,
    cr_groups: c.groups ? [...c.groups] : [c.gid],
  };
  return new Proc(nextpid++, cred);
}

/** The swapper, pid 0: root. In-kernel consumers (NFS) bind reserved ports with it. */
export const proc0 = new Proc(0, { cr_uid: 0, cr_ruid: 0, cr_gid: 0, cr_rgid: 0, cr_groups: [0] });

/*
 * The async context curproc() follows. An AsyncLocalStorage in use turns on promise hooks for the
 * whole process (a cost on every Promise), so it is only created by the first runas() that
 * changes the process, and a runas() as the process already current is a plain call: a program
 * that never runs as another process than proc0 pays nothing.
 */
let context: AsyncLocalStorage<Proc> | null = null;

/** The process the current code runs for: the one given to the enclosing runas, else proc0. */
export function curproc(): Proc {
  return context === null ? proc0 : context.getStore() ?? proc0;
}

/** Run fn as process p: curproc() is p inside fn and everything it awaits or schedules. */
export function runas<T>(p: Proc, fn: () => T): T {
  /* Already p here, and so in everything scheduled from here: nothing to change. */
  if (p === curproc()) return fn();
  if (context === null) context = new AsyncLocalStorage<Proc>();
  return context.run(p, fn);
}

/** suser(9): 0 if the credential is the superuser's, else EPERM (callers may return EACCES). */
export function suser_ucred(cred: Ucred): number {
  return cred.cr_uid === 0 ? 0 : 1 /* EPERM */;
}

/** suser(9) on a process. */
export function suser(p: Proc): number {
  return suser_ucred(p.p_ucred);
}

/** Mark signal `sig` of p as having (or not having) SA_RESTART. */
export function sigaction_restart(p: Proc, sig: number, restart: boolean): void {
  const bit = sigbit(sig);
  if (bit === 0) return;
  p.ps_sigrestart = restart ? p.ps_sigrestart | bit : p.ps_sigrestart & ~bit;
}

/**
 * psignal(9): post signal `sig` to p. An ignored signal is discarded; a blocked one stays
 * pending. Otherwise every interruptible (PCATCH) sleep of p ends with EINTR or ERESTART; if
 * there is none the signal stays pending for the next one. Unknown signal numbers (outside
 * 1..31) are ignored.
 */
export function psignal(p: Proc, sig: number): void {
  const bit = sigbit(sig);
  if (bit === 0) return;
  if (bit !== SIGKILL_BIT && p.p_sigacts.ps_sigignore & bit) return;
  if (p.p_sleephead === null || (bit !== SIGKILL_BIT && p.p_sigmask & bit)) {
    p.p_siglist |= bit;
    return;
  }
  const all: SleepLink[] = [];
  for (let s: SleepLink | null = p.p_sleephead; s !== null; s = s.s_next) all.push(s);
  for (const s of all) s.interrupt(sig);
}

/** Link s into p's interruptible sleeps (tsleep). */
export function sleep_link(p: Proc, s: SleepLink): void {
  s.s_prev = null;
  s.s_next = p.p_sleephead;
  if (p.p_sleephead !== null) p.p_sleephead.s_prev = s;
  p.p_sleephead = s;
  p.p_nsleep++;
}

/** Unlink s from p's interruptible sleeps. */
export function sleep_unlink(p: Proc, s: SleepLink): void {
  if (s.s_prev !== null) s.s_prev.s_next = s.s_next;
  else if (p.p_sleephead === s) p.p_sleephead = s.s_next;
  else return; /* not linked */
  if (s.s_next !== null) s.s_next.s_prev = s.s_prev;
  s.s_next = null;
  s.s_prev = null;
  p.p_nsleep--;
}

/** The lowest signal pending for p and not blocked, or 0. */
export function cursig(p: Proc): number {
  const pending = SIGPENDING(p);
  if (pending === 0) return 0;
  for (let sig = 1; sig <= 31; sig++) if (pending & (1 << (sig - 1))) return sig;
  return 0;
}

const SIGKILL_BIT = 1 << (SIGKILL - 1);

function sigbit(sig: number): number {
  return Number.isInteger(sig) && sig >= 1 && sig <= 31 ? 1 << (sig - 1) : 0;
}
