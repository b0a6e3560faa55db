/*
 * The socket lock of today's OpenBSD (kern/uipc_socket2.c): solock, sounlock, solock_shared,
 * sounlock_shared, soassertlocked, sosleep_nsec, and the network lock under them (NET_LOCK).
 *
 * In the kernel these keep other CPUs out of a socket while code looks at or changes it. Here
 * they are real locks (rwlock.ts) with the kernel's structure, and what they keep out is other
 * flows: a flow holding the lock across an await (a sleep, a sobind) keeps every other flow that
 * takes it waiting — the guard against interleaving across awaits. The structure:
 *
 *   - `netlock`, one reader/writer lock for the whole network stack (NET_LOCK exclusive,
 *     NET_LOCK_SHARED shared), and `so.so_lock`, one per socket;
 *   - solock(so): for AF_INET/AF_INET6 the net lock exclusive (which excludes every other inet
 *     socket's solock and solock_shared); for other families so_lock;
 *   - solock_shared(so): for inet the net lock shared and so_lock, so that flows on different
 *     sockets go on in parallel and flows on one socket take turns; for others so_lock;
 *   - sosleep_nsec(so, ident, ...): sleep on ident (tsleep_nsec) with the socket's locks
 *     released, taking them back, in the same mode, before it returns (rwsleep_nsec);
 *     PNORELOCK leaves them released.
 *
 * Taking them returns a Promise: `await solock(so)`. They are not recursive (a second solock of
 * the same flow waits forever, where the kernel panics); releasing a lock not held, and
 * sosleep_nsec of a socket not locked, throw (the kernel's panic / assertion). The so* functions
 * of this layer do not take these locks (each is atomic between its own sleeps already), so
 * they may be called with or without them: code of 2009, which has none, and code of today,
 * which calls sobind and soconnect inside solock_shared and sosend, soreceive and soclose
 * outside (those take it themselves in the kernel), both run unchanged.
 */
import { AF_INET, AF_INET6 } from './constants.js';
import { RW_READ, RW_WRITE, Rwlock, rw_enter_read, rw_enter_write, rw_exit_read, rw_exit_write, rw_status } from './rwlock.js';
import type { Socket } from './socket.js';
import { PNORELOCK, tsleep_nsec } from './synch.js';

/** The network stack's lock. */
export const netlock = new Rwlock('netlock');

/** NET_LOCK(): take the network lock exclusively. */
export function NET_LOCK(): Promise<void> {
  return rw_enter_write(netlock);
}

/** NET_UNLOCK(): release an exclusive hold of the network lock. */
export function NET_UNLOCK(): void {
  rw_exit_write(netlock);
}

/** NET_LOCK_SHARED(): take the network lock shared. */
export function NET_LOCK_SHARED(): Promise<void> {
  return rw_enter_read(netlock);
}

/** NET_UNLOCK_SHARED(): release a shared hold of the network lock. */
export function NET_UNLOCK_SHARED(): void {
  rw_exit_read(netlock);
}

/** NET_ASSERT_LOCKED(): throws unless the network lock is held (either way). */
export function NET_ASSERT_LOCKED(): void {
  if (rw_status(netlock) === 0) throw new Error('NET_ASSERT_LOCKED: netlock not held');
}

function inet(so: Socket): boolean {
  const family = so.so_proto.pr_domain.dom_family;
  return family === AF_INET || family === AF_INET6;
}

/** solock(9): lock the socket exclusively (inet: the network lock). */
export function solock(so: Socket): Promise<void> {
  return inet(so) ? NET_LOCK() : rw_enter_write(so.so_lock);
}

/** sounlock(9): release solock. */
export function sounlock(so: Socket): void {
  if (inet(so)) NET_UNLOCK();
  else rw_exit_write(so.so_lock);
}

/** solock_shared(9): lock the socket, sharing the network lock with other sockets. */
export async function solock_shared(so: Socket): Promise<void> {
  if (inet(so)) await NET_LOCK_SHARED();
  await rw_enter_write(so.so_lock);
}

/** sounlock_shared(9): release solock_shared. */
export function sounlock_shared(so: Socket): void {
  rw_exit_write(so.so_lock);
  if (inet(so)) NET_UNLOCK_SHARED();
}

/** soassertlocked(9): throws unless the socket is locked (by solock or solock_shared). */
export function soassertlocked(so: Socket): void {
  const held = inet(so)
    ? rw_status(netlock) === RW_WRITE || (rw_status(netlock) === RW_READ && rw_status(so.so_lock) === RW_WRITE)
    : rw_status(so.so_lock) === RW_WRITE;
  if (!held) throw new Error('soassertlocked: socket not locked');
}

/**
 * sosleep_nsec(9): sleep on `ident` (tsleep_nsec: until a wakeup, `nsecs`, or with PCATCH a
 * signal) with the socket's locks released; they are taken back before it returns, unless
 * PNORELOCK. The caller holds solock or solock_shared; returns the sleep's result.
 */
export async function sosleep_nsec(so: Socket, ident: object, prio: number, wmesg: string, nsecs: number): Promise<number> {
  soassertlocked(so);
  const relock = (prio & PNORELOCK) === 0;
  if (inet(so)) {
    const shared = rw_status(netlock) === RW_READ;
    if (shared) {
      rw_exit_write(so.so_lock);
      rw_exit_read(netlock);
    } else {
      rw_exit_write(netlock);
    }
    try {
      return await tsleep_nsec(ident, prio & ~PNORELOCK, wmesg, nsecs);
    } finally {
      if (relock && shared) {
        await rw_enter_read(netlock);
        await rw_enter_write(so.so_lock);
      } else if (relock) {
        await rw_enter_write(netlock);
      }
    }
  }
  rw_exit_write(so.so_lock);
  try {
    return await tsleep_nsec(ident, prio & ~PNORELOCK, wmesg, nsecs);
  } finally {
    if (relock) await rw_enter_write(so.so_lock);
  }
}
