/*
 * The /dev/fuse reader: a worker thread of its own doing blocking reads, so that no read holds a
 * thread of libuv's pool (whose 4 threads other fs work needs) and the main thread's event loop
 * never blocks on the device.
 *
 * Each read(2) of /dev/fuse returns exactly one request (fuse_dev_do_read), into a buffer that
 * must hold a whole WRITE (max_write + 80 bytes) or the kernel answers EINVAL. The reader reads
 * into the slots of one SharedArrayBuffer, one request per slot, and posts `length * 64 + slot`
 * to the main thread, which releases the slot when it has done with the request's bytes. With
 * every slot in use the reader waits (Atomics.wait) for one; the kernel keeps the requests
 * queued meanwhile. Read errors: EINTR, EAGAIN and ENOENT (a request interrupted while it was
 * being copied) are retried; EPERM means the descriptor is not mounted yet (fuse_dev_read before
 * mount(2) attached it to a connection): the reader tries again every few milliseconds until it
 * is, or until told to stop. Anything else (ENODEV: the file system was unmounted or the
 * connection aborted) is posted as `{ end: code }` and the reader stops.
 *
 * The body runs from a string (new Worker(src, { eval: true })): it must be self-contained, its
 * modules taken from the `require` it is given. Shared state: Int32Array `ctl`, ctl[i] = 1 while
 * slot i is in use; ctl[slots] counts releases (what the reader waits on); ctl[slots + 1] is set
 * to 1 to stop a reader that waits for the mount.
 */

/** What the reader needs, passed as workerData. */
export interface ReaderData {
  fd: number;
  data: SharedArrayBuffer;
  ctl: SharedArrayBuffer;
  slots: number;
  slotSize: number;
}

/** Slots at most (the slot number is the low 6 bits of a message). */
export const MAX_SLOTS = 64;

/* The worker's body. Self-contained: see above. */
function readerMain(req: (id: string) => unknown): void {
  const fs = req('node:fs') as typeof import('node:fs');
  const wt = req('node:worker_threads') as typeof import('node:worker_threads');
  const d = wt.workerData as ReaderData;
  const port = wt.parentPort!;
  const ctl = new Int32Array(d.ctl);
  const views: Buffer[] = [];
  for (let i = 0; i < d.slots; i++) views.push(Buffer.from(d.data, i * d.slotSize, d.slotSize));
  let next = 0;
  const free = (): number => {
    for (let k = 0; k < d.slots; k++) {
      const i = (next + k) % d.slots;
      if (Atomics.load(ctl, i) === 0) return i;
    }
    return -1;
  };
  for (;;) {
    const seq = Atomics.load(ctl, d.slots);
    const slot = free();
    if (slot < 0) {
      Atomics.wait(ctl, d.slots, seq, 1000);
      continue;
    }
    Atomics.store(ctl, slot, 1);
    let n: number;
    try {
      n = fs.readSync(d.fd, views[slot]!, 0, d.slotSize, null);
    } catch (e) {
      Atomics.store(ctl, slot, 0);
      const code = (e as { code?: string }).code ?? 'EIO';
      if (code === 'EINTR' || code === 'EAGAIN' || code === 'ENOENT') continue;
      if (code === 'EPERM' && Atomics.load(ctl, d.slots + 1) === 0) {
        Atomics.wait(ctl, d.slots + 1, 0, 5);
        continue;
      }
      port.postMessage({ end: code });
      return;
    }
    next = slot + 1;
    port.postMessage(n * 64 + slot);
  }
}

/** The source the worker evaluates (CommonJS eval mode: `require` is defined there). */
export const READER_SOURCE = `(${readerMain.toString()})(require);`;
