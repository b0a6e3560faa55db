/*
 * The state every FileHandle of one file shares while the file is open (an nfsnode, in BSD
 * terms): the write-behind, the read cache, the client's idea of the size, and the hidden name
 * the file was given if it was removed while open (silly rename).
 *
 * The size has one owner, this class: the server's (at open, and from READ replies and
 * revalidation while nothing this client wrote is pending), extended by this client's writes
 * (as they are made, and as the server accepts them), set by a truncation. Nothing else sets it.
 *
 * Coherence: the read cache holds data of the file as it was when its attributes were `stamp`.
 * A READ reply showing other attributes (another client changed the file) drops it, unless this
 * client's own WRITEs are in flight (they explain the change). Writing drops it too (the cached
 * blocks may hold the old bytes), and so does close-to-open revalidation finding a change.
 */
import { sameContents } from '../cache/attrcache.js';
import type { fattr3 } from '../nfs3/attr.js';
import { ReadCache } from './read-cache.js';
import type { ReadResult, ReadSink, ReadSource } from './read-cache.js';
import type { OpCtx, Session } from './session.js';
import { WriteBehind } from './write-behind.js';
import type { WriteTarget } from './write-behind.js';

/** A mount's session with its open files' state (the client's, and what holds a FileState). */
export type MountSession = Session<FileState>;

export interface SillyName {
  dir: Buffer;
  dirKey: string;
  name: string;
}

export class FileState implements ReadSource, WriteTarget {
  /** FileHandles open on the file. */
  openCount = 0;
  /** Set when the file was removed while open: the hidden name to remove at the last close. */
  silly: SillyName | null = null;
  readonly writer: WriteBehind;
  readonly reader: ReadCache;
  /* The size as this client sees it (see the top). */
  #size: bigint;
  #stamp: fattr3 | null;

  constructor(
    private readonly s: Session,
    readonly fh: Buffer,
    readonly key: string,
    /** The path it was opened by (for errors of deferred work). */
    readonly path: string,
    attrs: fattr3,
  ) {
    this.writer = new WriteBehind(s, this, s.limits.wsize);
    this.reader = new ReadCache(s, this, s.limits.rsize, s.opts.readahead);
    this.#size = attrs.size;
    this.#stamp = attrs;
  }

  /** The size as this client sees it: the server's, extended by this client's writes. */
  get size(): bigint {
    return this.#size;
  }

  /* Bytes up to `end` exist (written by this client): the size grows to it. */
  #extend(end: bigint): void {
    if (end > this.#size) this.#size = end;
  }

  /**
   * The file was truncated to `size` by this client (SETATTR done, after everything written was
   * committed): that is its size, and cached blocks hold bytes it may no longer have.
   */
  truncated(size: bigint): void {
    this.#size = size;
    this.reader.invalidate();
  }

  /** Session: the server's copy changed behind our back. */
  invalidateData(): void {
    this.reader.invalidate();
    this.#stamp = null;
  }

  /** WriteTarget: the server accepted bytes up to `end`. */
  written(end: bigint): void {
    this.#extend(end);
  }

  /** ReadSource: attributes from a READ reply. */
  serverAttrs(a: fattr3): void {
    this.s.attrs.set(this.key, a);
    const sending = this.writer.sending;
    const st = this.#stamp;
    if (st !== null && !sameContents(st, a) && !sending) this.reader.invalidate();
    this.#stamp = a;
    if (!sending && !this.writer.dirty) this.#size = a.size;
  }

  /**
   * Close-to-open: fresh attributes at open. Cached data of an earlier open is dropped if the
   * file changed (and this client has nothing unwritten that would explain it).
   */
  revalidate(a: fattr3): void {
    const st = this.#stamp;
    if (this.writer.dirty) return;
    if (st === null || !sameContents(st, a)) this.reader.invalidate();
    this.#stamp = a;
    this.#size = a.size;
  }

  /** Read into the sink (ReadCache.read), after sending whatever this client wrote (so the server's copy is current). */
  async read(len: number, pos: bigint, sink: ReadSink, ctx: OpCtx): Promise<ReadResult> {
    if (this.writer.sending) await this.writer.flush();
    return this.reader.read(len, pos, sink, ctx);
  }

  /** writeFilled (see WriteBehind.writeFilled), at most `max` bytes at `pos`; returns the count. */
  async writeFilled(pos: bigint, max: number, fill: (buf: Buffer) => Promise<number>): Promise<number> {
    this.reader.invalidate();
    this.#stamp = null;
    this.s.attrs.setModified(this.key, true);
    const n = await this.writer.writeFilled(pos, max, fill);
    this.#extend(pos + BigInt(n));
    return n;
  }

  /** Write (see WriteBehind.write). Cached blocks are dropped: they may hold the old bytes. */
  async write(data: Buffer, pos: bigint, copy: boolean, last = false): Promise<void> {
    this.reader.invalidate();
    this.#stamp = null;
    this.s.attrs.setModified(this.key, true); /* its attributes age at acregmin while it is written */
    this.#extend(pos + BigInt(data.length));
    await this.writer.write(data, pos, copy, last);
  }
}
