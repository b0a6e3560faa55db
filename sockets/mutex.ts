/*
 * Kernel mutexes (OpenBSD mutex(9)): struct mutex, mtx_init, mtx_enter, mtx_leave.
 *
 * A kernel mutex is a spin lock around a short critical section that never sleeps: its holder
 * runs to mtx_leave without giving up the CPU. JavaScript code that does not await runs the same
 * way, to the end, with nothing else in between, so a mutex can never be contended here; what it
 * can be is misused, and that is what these check, as the kernel's DIAGNOSTIC checks do: taking
 * a mutex one already holds (or that a flow left held across an await — the kernel's "sleeping
 * with a mutex held") and leaving one not held both throw, with the kernel's panic messages. The
 * sockbufs' sb_mtx is one: `mtx_enter(so.so_rcv.sb_mtx)` ... `mtx_leave(so.so_rcv.sb_mtx)`.
 */
import { IPL_NONE } from './spl.js';

/** struct mutex. */
export class Mutex {
  /** Held: mtx_enter'ed and not yet left. */
  mtx_owner = false;
  /** The interrupt priority level it was initialised with (mtx_init); kept for fidelity. */
  mtx_wantipl: number;
  readonly mtx_name: string;

  constructor(ipl: number = IPL_NONE, name = 'mutex') {
    this.mtx_wantipl = ipl;
    this.mtx_name = name;
  }
}

/** mtx_init(9): initialise `mtx` (not held) at interrupt level `ipl`. */
export function mtx_init(mtx: Mutex, ipl: number): void {
  mtx.mtx_owner = false;
  mtx.mtx_wantipl = ipl;
}

/** mtx_enter(9): take the mutex. Throws if it is already held (locking against oneself). */
export function mtx_enter(mtx: Mutex): void {
  if (mtx.mtx_owner) throw new Error(`mtx_enter: ${mtx.mtx_name}: locking against myself (or held across a sleep)`);
  mtx.mtx_owner = true;
}

/** mtx_enter_try(9): take the mutex if it is free: 1, else 0. */
export function mtx_enter_try(mtx: Mutex): number {
  if (mtx.mtx_owner) return 0;
  mtx.mtx_owner = true;
  return 1;
}

/** mtx_leave(9): release the mutex. Throws if it is not held. */
export function mtx_leave(mtx: Mutex): void {
  if (!mtx.mtx_owner) throw new Error(`mtx_leave: ${mtx.mtx_name}: lock not held`);
  mtx.mtx_owner = false;
}

/** MUTEX_ASSERT_LOCKED(9): throws unless the mutex is held. */
export function MUTEX_ASSERT_LOCKED(mtx: Mutex): void {
  if (!mtx.mtx_owner) throw new Error(`mutex ${mtx.mtx_name} not held`);
}

/** MUTEX_ASSERT_UNLOCKED(9): throws if the mutex is held. */
export function MUTEX_ASSERT_UNLOCKED(mtx: Mutex): void {
  if (mtx.mtx_owner) throw new Error(`mutex ${mtx.mtx_name} held`);
}
