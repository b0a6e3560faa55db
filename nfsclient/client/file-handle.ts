/*
 * NfsFileHandle: fs/promises' FileHandle over an open NFS file.
 *
 * Every handle of one file shares its FileState (write-behind, read cache, size). A handle has
 * its own position (reads and writes without a position use and advance it) and its open mode:
 * reading a write-only handle or writing a read-only one is EBADF, as with a descriptor.
 *
 * Writes return once the data is copied into the write-behind (or, with O_SYNC, once it is
 * committed); close(), sync() and datasync() return only when everything written is on the
 * server's stable storage (COMMIT with a matching verifier) — close-to-open. Errors of WRITEs
 * sent in the background surface at the next write, sync or close.
 *
 * O_APPEND: each write goes to the end of the file as this client knows it (its size at open,
 * extended by its own writes). NFSv3 has no atomic append: another client appending at the same
 * time can interleave or overwrite (see docs/nfsclient.md).
 */
import { EBADF, EFBIG, EISDIR } from '../../sockets/index.js';
import { NfsError } from '../errors.js';
import { NF3DIR, SET_TO_CLIENT_TIME } from '../nfs3/constants.js';
import { asBuffer, invalidArgType, isView, outOfRange, toLength, toMode, toPosition } from './args.js';
import type { FileState } from './file-state.js';
import type { ReadSink } from './read-cache.js';
import type { OpenFlags } from './flags.js';
import { removeName, setattr } from './ops.js';
import type { Core } from './ops.js';
import type { Node } from './resolve.js';
import type { OpCtx } from './session.js';
import { NfsBigIntStats, NfsStats } from './stats.js';
import { toNfsTime } from './time.js';
import type { TimeLike } from './time.js';
import { NfsReadStream, NfsWriteStream } from './streams.js';
import type { ReadStreamOptions, WriteStreamOptions } from './streams.js';

/** Node's limit for readFile (kIoMaxLength): larger files are ERR_FS_FILE_TOO_LARGE. */
const IO_MAX_LENGTH = 2 ** 31 - 1;

let nextFd = 3;

export interface ReadOptions<T extends ArrayBufferView = Buffer> {
  buffer?: T;
  offset?: number;
  length?: number;
  position?: number | bigint | null;
}

export interface FileReadResult<T> {
  bytesRead: number;
  buffer: T;
}

export interface FileWriteResult<T> {
  bytesWritten: number;
  buffer: T;
}

/** Data writeFile/appendFile accept. */
export type WriteData =
  | string | ArrayBufferView | Iterable<string | ArrayBufferView> | AsyncIterable<string | ArrayBufferView>;

export interface ReadFileOptions {
  encoding?: BufferEncoding | null;
  signal?: AbortSignal;
}

export interface WriteFileOptions {
  encoding?: BufferEncoding | null;
  signal?: AbortSignal;
}

/** Internal: how the handle was opened. */
export interface HandleInit {
  core: Core;
  state: FileState;
  flags: OpenFlags;
  path: string;
  node: Node;
  /**
   * The handle belongs to a client call (writeFile/appendFile) that keeps its data unchanged
   * until it returns: that data is sent by reference instead of copied.
   */
  ownsData?: boolean;
}

function fileTooLarge(size: bigint): RangeError {
  const e = new RangeError(`File size (${size}) is greater than 2 GiB`);
  (e as RangeError & { code: string }).code = 'ERR_FS_FILE_TOO_LARGE';
  return e;
}

export class NfsFileHandle {
  /** A number naming the handle (not a host descriptor). */
  readonly fd: number;
  /** The mount-relative path it was opened by. */
  readonly path: string;
  readonly #core: Core;
  readonly #state: FileState;
  readonly #flags: OpenFlags;
  readonly #node: Node;
  readonly #ownsData: boolean;
  #pos = 0n;
  #closing: Promise<void> | null = null;

  /** Made by NfsClient.open(). */
  constructor(init: HandleInit) {
    this.fd = nextFd++;
    this.#core = init.core;
    this.#state = init.state;
    this.#flags = init.flags;
    this.path = init.path;
    this.#node = init.node;
    this.#ownsData = init.ownsData ?? false;
    init.core.s.handles.add(this);
  }

  /** True once close() was called. */
  get closed(): boolean {
    return this.#closing !== null;
  }

  /** The file's NFS handle (for the raw tier). */
  get handle(): Buffer {
    return this.#state.fh;
  }

  #ctx(syscall: string, signal?: AbortSignal): OpCtx {
    return signal === undefined ? { syscall, path: this.path } : { syscall, path: this.path, signal };
  }

  #check(ctx: OpCtx, need?: 'read' | 'write'): void {
    if (this.#closing !== null) throw new NfsError(EBADF, { ...ctx, detail: 'the file handle is closed' });
    this.#core.s.checkOpen(ctx);
    if (need === 'read' && !this.#flags.read) throw new NfsError(EBADF, { ...ctx, detail: 'not opened for reading' });
    if (need === 'write' && !this.#flags.write) throw new NfsError(EBADF, { ...ctx, detail: 'not opened for writing' });
  }

  /**
   * Read into `buffer[offset, offset + length)` from `position` (null/-1: the handle's position,
   * which then advances). Also read(buffer, options) and read(options).
   * @returns bytesRead (0 at end of file) and the buffer.
   */
  read<T extends ArrayBufferView>(buffer: T, offset?: number | null, length?: number | null, position?: number | bigint | null): Promise<FileReadResult<T>>;
  read<T extends ArrayBufferView>(buffer: T, options?: ReadOptions<T>): Promise<FileReadResult<T>>;
  read<T extends ArrayBufferView = Buffer>(options?: ReadOptions<T>): Promise<FileReadResult<T>>;
  async read<T extends ArrayBufferView = Buffer>(
    buffer?: T | ReadOptions<T>, offset?: number | ReadOptions<T> | null, length?: number | null,
    position?: number | bigint | null,
  ): Promise<FileReadResult<T>> {
    let buf: T;
    let off: number | undefined;
    let len: number | undefined;
    let pos: unknown = position;
    if (buffer === undefined || !isView(buffer)) {
      const o = (buffer ?? {}) as ReadOptions<T>;
      buf = o.buffer ?? (Buffer.alloc(16384) as unknown as T);
      off = o.offset;
      len = o.length;
      pos = o.position;
    } else {
      buf = buffer;
      if (offset !== null && typeof offset === 'object') {
        off = offset.offset;
        len = offset.length;
        pos = offset.position;
      } else {
        off = offset ?? undefined;
        len = length ?? undefined;
      }
    }
    const ctx = this.#ctx('read');
    this.#check(ctx, 'read');
    const target = asBuffer(buf);
    const o = off ?? 0;
    if (!Number.isInteger(o) || o < 0 || o > target.length) throw outOfRange('offset', `>= 0 && <= ${target.length}`, o);
    const n = len ?? target.length - o;
    if (!Number.isInteger(n) || n < 0 || o + n > target.length) throw outOfRange('length', `>= 0 && <= ${target.length - o}`, n);
    const bytesRead = await this.#readAt(n, toPosition(pos), { target, at: o }, ctx);
    return { bytesRead, buffer: buf };
  }

  /* The read of read() and readViews(): `len` bytes at `at` (null: the position, which then
   * advances) into the sink; the count. The caller checked the handle and its arguments. */
  async #readAt(len: number, at: bigint | null, sink: ReadSink, ctx: OpCtx): Promise<number> {
    if (len === 0) return 0;
    if (this.#node.attrs.type === NF3DIR) throw new NfsError(EISDIR, ctx);
    const r = await this.#state.read(len, at ?? this.#pos, sink, ctx);
    if (at === null) this.#pos += BigInt(r.bytes);
    this.#core.s.counters.bytesRead += r.bytes;
    return r.bytes;
  }

  /**
   * Read up to `length` bytes from `position` (null/-1: the handle's position, which then
   * advances) without copying them: `buffers` are views of the READ replies' data, in order,
   * `bytesRead` bytes in all (0 at end of file). The buffers are the caller's to keep and never
   * change afterwards; they share memory with other data received on the mount's connection, so
   * a caller that keeps a few bytes for long should copy them. Not in Node's FileHandle: this is
   * what `sonfs cat` and read streams use to pass data on with no copy in between.
   */
  async readViews(length: number, position?: number | bigint | null): Promise<{ bytesRead: number; buffers: Buffer[] }> {
    const ctx = this.#ctx('read');
    this.#check(ctx, 'read');
    if (!Number.isInteger(length) || length < 0 || length > 0x7fffffff) throw outOfRange('length', '>= 0 && <= 2147483647', length);
    const buffers: Buffer[] = [];
    const bytesRead = await this.#readAt(length, toPosition(position), { views: buffers }, ctx);
    return { bytesRead, buffers };
  }

  /**
   * Write `buffer[offset, offset + length)` at `position` (null/-1: the handle's position, which
   * then advances; ignored with O_APPEND), or write(string, position, encoding).
   * @returns bytesWritten (always all of it) and what was written.
   */
  async write<T extends ArrayBufferView | string>(
    buffer: T, offset?: number | null | { offset?: number; length?: number; position?: number | bigint | null },
    length?: number | BufferEncoding | null, position?: number | bigint | null,
  ): Promise<FileWriteResult<T>> {
    const ctx = this.#ctx('write');
    this.#check(ctx, 'write');
    let data: Buffer;
    let pos: unknown;
    if (typeof buffer === 'string') {
      pos = offset;
      data = Buffer.from(buffer, (typeof length === 'string' ? length : 'utf8'));
    } else if (isView(buffer)) {
      const b = asBuffer(buffer);
      let o: number | undefined;
      let n: number | undefined;
      if (offset !== null && typeof offset === 'object') {
        o = offset.offset;
        n = offset.length;
        pos = offset.position;
      } else {
        o = offset ?? undefined;
        n = typeof length === 'number' ? length : undefined;
        pos = position;
      }
      const start = o ?? 0;
      if (!Number.isInteger(start) || start < 0 || start > b.length) throw outOfRange('offset', `>= 0 && <= ${b.length}`, start);
      const count = n ?? b.length - start;
      if (!Number.isInteger(count) || count < 0 || start + count > b.length) throw outOfRange('length', `>= 0 && <= ${b.length - start}`, count);
      data = start === 0 && count === b.length ? b : b.subarray(start, start + count);
    } else {
      throw invalidArgType('buffer', 'a string, Buffer, TypedArray or DataView', buffer);
    }
    const at = toPosition(pos);
    await this.#writeAt(data, at, true, ctx);
    return { bytesWritten: data.length, buffer };
  }

  /**
   * Write without a copy what `fill` puts in a buffer the client lends: fill(buf) gets a buffer
   * of min(length, wsize) bytes, puts the data at its start and resolves with how many bytes it
   * put (0 writes nothing); they go to the server from that buffer, at `position` (null/-1: the
   * handle's position, which then advances; ignored with O_APPEND). fill must not keep the
   * buffer. Returns the count. Not in Node's FileHandle: it is how `sonfs cp` sends a local file,
   * read straight into the WRITEs' buffers.
   * @throws what fill threw, or RangeError for a count beyond the buffer (nothing written);
   *   NfsError (EBADF, EFBIG, deferred WRITE errors ...)
   */
  async writeFrom(fill: (buf: Buffer) => Promise<number>, length: number, position?: number | bigint | null): Promise<number> {
    const ctx = this.#ctx('write');
    this.#check(ctx, 'write');
    if (typeof fill !== 'function') throw invalidArgType('fill', 'a function', fill);
    if (!Number.isInteger(length) || length < 0 || length > 0x7fffffff) throw outOfRange('length', '>= 0 && <= 2147483647', length);
    const at = toPosition(position);
    const st = this.#state;
    const s = this.#core.s;
    const pos = this.#flags.append ? st.size : at ?? this.#pos;
    const want = Math.min(length, s.limits.wsize);
    if (pos + BigInt(want) > s.limits.maxfilesize || pos + BigInt(want) >= 1n << 64n) {
      throw new NfsError(EFBIG, { ...ctx, detail: `the server's files end at ${s.limits.maxfilesize} bytes` });
    }
    const n = want === 0 ? 0 : await st.writeFilled(pos, want, fill);
    if (n > 0 && this.#flags.sync) await st.writer.commit(ctx);
    if (at === null || this.#flags.append) this.#pos = pos + BigInt(n);
    s.counters.bytesWritten += n;
    return n;
  }

  /* Write all of `data` at `at` (null: the position; O_APPEND: the end). `last`: see WriteBehind.write. */
  async #writeAt(data: Buffer, at: bigint | null, copy: boolean, ctx: OpCtx, last = false): Promise<void> {
    const st = this.#state;
    const s = this.#core.s;
    const pos = this.#flags.append ? st.size : at ?? this.#pos;
    const end = pos + BigInt(data.length);
    if (end > s.limits.maxfilesize || end >= 1n << 64n) {
      throw new NfsError(EFBIG, { ...ctx, detail: `the server's files end at ${s.limits.maxfilesize} bytes` });
    }
    if (data.length > 0) {
      await st.write(data, pos, copy, last);
      if (this.#flags.sync) await st.writer.commit(ctx);
    }
    if (at === null || this.#flags.append) this.#pos = end;
    s.counters.bytesWritten += data.length;
  }

  /**
   * The rest of the file from the handle's position (a Buffer, or a string with an encoding).
   * @throws RangeError ERR_FS_FILE_TOO_LARGE beyond 2 GiB; NfsError
   */
  async readFile(options?: ReadFileOptions | BufferEncoding | null): Promise<Buffer | string> {
    const o: ReadFileOptions = typeof options === 'string' ? { encoding: options } : options ?? {};
    const ctx = this.#ctx('read', o.signal);
    this.#check(ctx, 'read');
    if (this.#node.attrs.type === NF3DIR) throw new NfsError(EISDIR, ctx);
    const st = this.#state;
    if (st.writer.sending) await st.writer.flush();
    const size = st.size;
    const start = this.#pos;
    const left = size > start ? size - start : 0n;
    if (left > BigInt(IO_MAX_LENGTH)) throw fileTooLarge(size);
    let buf = Buffer.allocUnsafe(left > 0n ? Number(left) : 8192);
    let got = 0;
    for (;;) {
      if (got === buf.length) {
        if (buf.length >= IO_MAX_LENGTH) throw fileTooLarge(start + BigInt(got));
        const nb = Buffer.allocUnsafe(Math.min(IO_MAX_LENGTH, buf.length * 2));
        buf.copy(nb, 0, 0, got);
        buf = nb;
      }
      o.signal?.throwIfAborted();
      const r = await st.read(buf.length - got, start + BigInt(got), { target: buf, at: got }, ctx);
      got += r.bytes;
      if (r.eof || r.bytes === 0) break;
    }
    this.#pos = start + BigInt(got);
    this.#core.s.counters.bytesRead += got;
    const out = got === buf.length ? buf : buf.subarray(0, got);
    return o.encoding ? out.toString(o.encoding) : out;
  }

  /** Write `data` from the handle's position (strings in `encoding`, default UTF-8). */
  async writeFile(data: WriteData, options?: WriteFileOptions | BufferEncoding | null): Promise<void> {
    const o: WriteFileOptions = typeof options === 'string' ? { encoding: options } : options ?? {};
    const ctx = this.#ctx('write', o.signal);
    this.#check(ctx, 'write');
    const enc = o.encoding ?? 'utf8';
    const one = async (chunk: string | ArrayBufferView, last: boolean): Promise<void> => {
      o.signal?.throwIfAborted();
      /* A string's bytes are ours (made here); a caller's buffer is referenced only when the
       * handle belongs to a writeFile() that keeps it unchanged until it returns. */
      const own = typeof chunk === 'string' || this.#ownsData;
      const b = typeof chunk === 'string' ? Buffer.from(chunk, enc) : asBuffer(chunk);
      await this.#writeAt(b, null, !own, ctx, last && own);
    };
    if (typeof data === 'string' || isView(data)) {
      await one(data, this.#ownsData);
    } else if (data !== null && typeof data === 'object' && (Symbol.asyncIterator in data || Symbol.iterator in data)) {
      for await (const chunk of data as AsyncIterable<string | ArrayBufferView>) {
        if (typeof chunk !== 'string' && !isView(chunk)) throw invalidArgType('data', 'a string, Buffer or TypedArray', chunk);
        await one(chunk, false);
      }
    } else {
      throw invalidArgType('data', 'a string, Buffer, TypedArray, DataView, or an (async) iterable of them', data);
    }
  }

  /** Append: writeFile at the end of the file (the handle must be open for writing). */
  async appendFile(data: WriteData, options?: WriteFileOptions | BufferEncoding | null): Promise<void> {
    this.#pos = this.#state.size;
    await this.writeFile(data, options);
  }

  /** The file's attributes (after sending what this client wrote, so size and times are the server's). */
  async stat(options?: { bigint?: boolean }): Promise<NfsStats | NfsBigIntStats> {
    const ctx = this.#ctx('fstat');
    this.#check(ctx);
    const s = this.#core.s;
    const st = this.#state;
    const fresh = st.writer.sending;
    if (fresh) await st.writer.settle();
    const a = await s.getattr(st.fh, ctx, fresh, st.key);
    return options?.bigint ? new NfsBigIntStats(a, s.limits.wsize) : new NfsStats(a, s.limits.wsize);
  }

  /** Set the size (default 0): everything written is committed first. */
  async truncate(len: number | bigint = 0): Promise<void> {
    const ctx = this.#ctx('ftruncate');
    this.#check(ctx, 'write');
    const size = toLength(len, 'len');
    const s = this.#core.s;
    if (size > s.limits.maxfilesize) throw new NfsError(EFBIG, ctx);
    const st = this.#state;
    await st.writer.commit(ctx);
    await setattr(this.#core, this.#node, { size }, ctx);
    st.truncated(size);
  }

  /** Everything written through any handle of the file, on stable storage (COMMIT). */
  async sync(): Promise<void> {
    const ctx = this.#ctx('fsync');
    this.#check(ctx);
    await this.#state.writer.commit(ctx);
  }

  /** As sync(): NFSv3's COMMIT covers data and metadata alike. */
  async datasync(): Promise<void> {
    const ctx = this.#ctx('fdatasync');
    this.#check(ctx);
    await this.#state.writer.commit(ctx);
  }

  async chmod(mode: number | string): Promise<void> {
    const ctx = this.#ctx('fchmod');
    this.#check(ctx);
    this.#core.s.checkWritable(ctx);
    await setattr(this.#core, this.#node, { mode: toMode(mode, 0, ctx) }, ctx);
  }

  async chown(uid: number, gid: number): Promise<void> {
    const ctx = this.#ctx('fchown');
    this.#check(ctx);
    this.#core.s.checkWritable(ctx);
    await setattr(this.#core, this.#node, { uid: uid < 0 ? null : uid, gid: gid < 0 ? null : gid }, ctx);
  }

  async utimes(atime: TimeLike, mtime: TimeLike): Promise<void> {
    const ctx = this.#ctx('futime');
    this.#check(ctx);
    this.#core.s.checkWritable(ctx);
    if (this.#state.writer.sending) await this.#state.writer.settle(); /* later WRITEs would move mtime again */
    await setattr(this.#core, this.#node, {
      atime: { set_it: SET_TO_CLIENT_TIME, atime: toNfsTime(atime, ctx) }, mtime: { set_it: SET_TO_CLIENT_TIME, mtime: toNfsTime(mtime, ctx) },
    }, ctx);
  }

  /** A Readable of the file (see NfsClient.createReadStream); it does not close this handle unless autoClose. */
  createReadStream(options: Omit<ReadStreamOptions, 'flags'> = {}): NfsReadStream<NfsFileHandle> {
    return new NfsReadStream(this.path, () => Promise.resolve(this), { autoClose: false, ...options });
  }

  /** A Writable to the file (see NfsClient.createWriteStream); it does not close this handle unless autoClose. */
  createWriteStream(options: Omit<WriteStreamOptions, 'flags' | 'mode'> = {}): NfsWriteStream<NfsFileHandle> {
    return new NfsWriteStream(this.path, () => Promise.resolve(this), { autoClose: false, ...options });
  }

  /**
   * Close: everything written is committed (errors are thrown, the handle is closed anyway); the
   * last handle of a file removed while open removes its hidden name. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing === null) this.#closing = this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const ctx = this.#ctx('close');
    const core = this.#core;
    const st = this.#state;
    let error: unknown = null;
    try {
      if (st.writer.dirty && !core.s.closed) await st.writer.commit(ctx);
    } catch (e) {
      error = e;
    }
    core.s.handles.delete(this);
    if (--st.openCount === 0) {
      core.s.files.delete(st.key);
      core.s.attrs.setModified(st.key, false);
      const silly = st.silly;
      if (silly !== null && !core.s.closed) {
        try {
          await removeName(core, { fh: silly.dir, key: silly.dirKey }, silly.name, ctx);
        } catch (e) {
          if (!(e instanceof NfsError && e.code === 'ENOENT')) error ??= e;
        }
      }
    }
    if (error !== null) throw error;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
