/*
 * One open /dev/fuse: requests in (through the reader thread, reader.ts), replies out.
 *
 * - Requests arrive as views of the reader's shared slots; the handler releases each slot as soon
 *   as it has taken what it needs (a WRITE keeps its data until the client has copied it).
 * - Replies are written with writeSync/writevSync from the main thread: the kernel takes a reply
 *   at once (fuse_dev_do_write copies it and wakes the waiter), so this never waits on anything
 *   and keeps the order of the calls. One write(2) per reply, as the device requires; a READ reply
 *   goes out as [header, the client's receive buffers] with writev, no copy of the data.
 * - Notifications (FUSE_NOTIFY_INVAL_*) can wait in the kernel for locks a process holds while it
 *   waits on a request of ours, so they are written from libuv's pool (fs.write), never from the
 *   event loop's thread.
 * - A reply to a request the kernel no longer waits for (interrupted, aborted) fails with ENOENT;
 *   send() returns false then, so a LOOKUP's caller knows the kernel did not take the entry.
 */
import { closeSync, openSync, write, writeSync, writevSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { FuseProtocolError, decodeHeader } from './codec.js';
import type { FuseRequest } from './codec.js';
import { FUSE_OUT_HEADER_SIZE } from './kernel.js';
import { MAX_SLOTS, READER_SOURCE } from './reader.js';
import type { ReaderData } from './reader.js';

export interface DeviceOptions {
  /** The largest WRITE the kernel will send (fuse_init_out.max_write). */
  maxWrite: number;
  /** Requests read ahead of the handlers at most (slots of max_write + one page). */
  slots?: number;
  /** /dev/fuse, or another path for tests. */
  path?: string;
}

export interface DeviceHandlers {
  /** A request (its slot is held until release(req) is called). */
  request(req: FuseRequest): void;
  /** The reader stopped: ENODEV once the file system is unmounted or the connection aborted. */
  end(code: string): void;
  /** A request that cannot be parsed: the device is unusable (a protocol mismatch). */
  error(err: Error): void;
}

const TWO32 = 2 ** 32;

export class FuseDevice {
  readonly fd: number;
  readonly #slotSize: number;
  readonly #slots: number;
  readonly #data: SharedArrayBuffer;
  readonly #ctl: Int32Array;
  readonly #views: Buffer[] = [];
  readonly #slotOf = new WeakMap<Buffer, number>();
  /** A buffer for small replies: encoders write after the header, send() fills the header. */
  readonly scratch: Buffer;
  /* The header of error and READ replies (written synchronously, so one buffer serves all). */
  readonly #hdr = Buffer.alloc(FUSE_OUT_HEADER_SIZE);
  #worker: Worker | null = null;
  #ended = false;
  /** Replies the kernel refused with ENOENT (requests it had given up on). */
  staleReplies = 0;

  constructor(options: DeviceOptions) {
    this.#slots = Math.min(MAX_SLOTS, Math.max(2, options.slots ?? 16));
    /* fuse_dev_do_read: the buffer must hold fuse_in_header + fuse_write_in + max_write. */
    this.#slotSize = options.maxWrite + 4096;
    this.#data = new SharedArrayBuffer(this.#slots * this.#slotSize);
    this.#ctl = new Int32Array(new SharedArrayBuffer(4 * (this.#slots + 2)));
    for (let i = 0; i < this.#slots; i++) {
      const v = Buffer.from(this.#data, i * this.#slotSize, this.#slotSize);
      this.#views.push(v);
      this.#slotOf.set(v, i);
    }
    this.scratch = Buffer.alloc(Math.max(options.maxWrite, 65536) + 4096);
    this.fd = openSync(options.path ?? '/dev/fuse', 'r+');
  }

  /** Start reading requests. */
  start(h: DeviceHandlers): void {
    const data: ReaderData = { fd: this.fd, data: this.#data, ctl: this.#ctl.buffer as SharedArrayBuffer, slots: this.#slots, slotSize: this.#slotSize };
    const w = new Worker(READER_SOURCE, { eval: true, workerData: data, name: 'sonfs /dev/fuse reader' });
    this.#worker = w;
    w.on('message', (m: number | { end: string }) => {
      if (typeof m !== 'number') {
        this.#ended = true;
        h.end(m.end);
        return;
      }
      const slot = m % 64;
      const n = (m - slot) / 64;
      const buf = this.#views[slot]!;
      let req: FuseRequest;
      try {
        req = decodeHeader(buf, n);
      } catch (e) {
        this.#release(slot);
        h.error(e instanceof Error ? e : new FuseProtocolError(String(e)));
        return;
      }
      h.request(req);
    });
    w.on('error', (e) => h.error(e));
    w.on('exit', () => {
      if (!this.#ended) {
        this.#ended = true;
        h.end('EXIT');
      }
    });
  }

  /** Give the request's slot back to the reader. Idempotent per request. */
  release(req: FuseRequest): void {
    const slot = this.#slotOf.get(req.buf);
    if (slot !== undefined) this.#release(slot);
  }

  #release(slot: number): void {
    if (Atomics.compareExchange(this.#ctl, slot, 1, 0) === 1) {
      Atomics.add(this.#ctl, this.#slots, 1);
      Atomics.notify(this.#ctl, this.#slots);
    }
  }

  #header(b: Buffer, len: number, error: number, unique: number): void {
    b.writeUInt32LE(len, 0);
    b.writeInt32LE(error, 4);
    b.writeUInt32LE(unique % TWO32, 8);
    b.writeUInt32LE(Math.floor(unique / TWO32), 12);
  }

  /* The write itself: true if the kernel took it, false if it no longer waited for it (ENOENT). */
  #write(fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT') {
        this.staleReplies++;
        return false;
      }
      if (code === 'ENODEV' || code === 'ECONNABORTED' || code === 'EBADF') return false;
      throw e;
    }
  }

  /**
   * Send the reply in `b[0, len)` (payload from FUSE_OUT_HEADER_SIZE; default the scratch
   * buffer). Returns whether the kernel took it.
   */
  send(unique: number, len: number, b: Buffer = this.scratch): boolean {
    this.#header(b, len, 0, unique);
    return this.#write(() => writeSync(this.fd, b, 0, len));
  }

  /** Send an error reply (errno: Linux's positive value). */
  sendError(unique: number, errno: number): boolean {
    const b = this.#hdr;
    this.#header(b, FUSE_OUT_HEADER_SIZE, -errno, unique);
    return this.#write(() => writeSync(this.fd, b, 0, FUSE_OUT_HEADER_SIZE));
  }

  /** Send a reply whose payload is `views` (READ's data), in one writev. */
  sendViews(unique: number, views: readonly Buffer[], bytes: number): boolean {
    const h = this.#hdr;
    this.#header(h, FUSE_OUT_HEADER_SIZE + bytes, 0, unique);
    if (views.length === 0) return this.#write(() => writeSync(this.fd, h, 0, FUSE_OUT_HEADER_SIZE));
    const iov: Buffer[] = [h];
    for (const v of views) iov.push(v);
    return this.#write(() => writevSync(this.fd, iov));
  }

  /**
   * Send a notification (`code`: FUSE_NOTIFY_*, payload in b[FUSE_OUT_HEADER_SIZE, len)) from
   * libuv's pool. Resolves whether the kernel took it (false: ENOENT, the inode is not cached).
   */
  notify(code: number, b: Buffer, len: number): Promise<boolean> {
    this.#header(b, len, code, 0);
    return new Promise((resolve, reject) => {
      write(this.fd, b, 0, len, null, (err) => {
        if (err === null) resolve(true);
        else if (err.code === 'ENOENT' || err.code === 'ENODEV' || err.code === 'EBADF') resolve(false);
        else reject(err);
      });
    });
  }

  /** True once the reader stopped. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Close the descriptor. The reader thread is left to end: it is blocked in read(2) until the
   * connection goes (unmount or abort), which ends it with ENODEV; terminate() does not interrupt
   * a system call.
   */
  close(): void {
    /* a reader still waiting for the mount stops */
    Atomics.store(this.#ctl, this.#slots + 1, 1);
    Atomics.notify(this.#ctl, this.#slots + 1);
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
    this.#worker?.unref();
  }
}
