/*
 * Reader/writer locks (OpenBSD rwlock(9)): struct rwlock, rw_enter_read, rw_enter_write,
 * rw_exit_read, rw_exit_write, rw_exit, rw_status. The locks under solock (solock.ts).
 *
 * A lock a flow holds across an await keeps every other flow that takes it waiting until it is
 * released: the guard against interleaving across awaits that JavaScript otherwise lacks. Taking
 * it returns a Promise (await it: it may wait). Waiters are served in arrival order, and a
 * waiting writer holds back readers that arrive after it, so neither side starves. Waiting is
 * not interruptible (no RW_INTR). As in the kernel the lock is not recursive: a flow that takes
 * a lock it already holds waits for itself forever (the kernel panics: "locking against myself");
 * releasing a lock not held throws (the kernel's panic). There are no threads to tell apart, so
 * rw_status says how the lock is held (RW_WRITE, RW_READ) or 0, not by whom.
 */

export const RW_WRITE = 0x0001;
export const RW_READ = 0x0002;

interface RwWaiter {
  write: boolean;
  grant: () => void;
}

const GRANTED: Promise<void> = Promise.resolve();

/** struct rwlock. */
export class Rwlock {
  /** Held for writing. */
  rwl_writer = false;
  /** Number of read holds. */
  rwl_readers = 0;
  /** Flows waiting, in arrival order. */
  readonly rwl_waiters: RwWaiter[] = [];
  readonly rwl_name: string;

  constructor(name = 'rwlock') {
    this.rwl_name = name;
  }
}

/** rw_init(9): a new, free lock named `name`. */
export function rw_init(name: string): Rwlock {
  return new Rwlock(name);
}

/** rw_enter_write(9): take the lock exclusively, waiting while anyone holds it. */
export function rw_enter_write(rwl: Rwlock): Promise<void> {
  if (!rwl.rwl_writer && rwl.rwl_readers === 0 && rwl.rwl_waiters.length === 0) {
    rwl.rwl_writer = true;
    return GRANTED;
  }
  return new Promise<void>((grant) => rwl.rwl_waiters.push({ write: true, grant }));
}

/** rw_enter_read(9): take the lock shared, waiting while a writer holds it or waits for it. */
export function rw_enter_read(rwl: Rwlock): Promise<void> {
  if (!rwl.rwl_writer && rwl.rwl_waiters.length === 0) {
    rwl.rwl_readers++;
    return GRANTED;
  }
  return new Promise<void>((grant) => rwl.rwl_waiters.push({ write: false, grant }));
}

/* Hand the lock to the waiters at the head of the queue that can have it now. */
function rw_wakeup(rwl: Rwlock): void {
  const q = rwl.rwl_waiters;
  while (q.length > 0 && !rwl.rwl_writer) {
    const w = q[0]!;
    if (w.write) {
      if (rwl.rwl_readers > 0) return;
      q.shift();
      rwl.rwl_writer = true;
      w.grant();
      return;
    }
    q.shift();
    rwl.rwl_readers++;
    w.grant();
  }
}

/** rw_exit_write(9): release an exclusive hold. Throws if the lock is not held for writing. */
export function rw_exit_write(rwl: Rwlock): void {
  if (!rwl.rwl_writer) throw new Error(`rw_exit_write: ${rwl.rwl_name}: lock not held for writing`);
  rwl.rwl_writer = false;
  rw_wakeup(rwl);
}

/** rw_exit_read(9): release a shared hold. Throws if the lock is not held for reading. */
export function rw_exit_read(rwl: Rwlock): void {
  if (rwl.rwl_readers === 0) throw new Error(`rw_exit_read: ${rwl.rwl_name}: lock not held for reading`);
  rwl.rwl_readers--;
  rw_wakeup(rwl);
}

/** rw_exit(9): release the hold, whichever it is. */
export function rw_exit(rwl: Rwlock): void {
  if (rwl.rwl_writer) rw_exit_write(rwl);
  else rw_exit_read(rwl);
}

/** rw_status(9): RW_WRITE if held exclusively, RW_READ if held shared, else 0. */
export function rw_status(rwl: Rwlock): number {
  return rwl.rwl_writer ? RW_WRITE : rwl.rwl_readers > 0 ? RW_READ : 0;
}
