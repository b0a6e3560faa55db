/*
 * fs.ReadStream / fs.WriteStream over NFS. Both open lazily (_construct), use one FileHandle,
 * and close it at the end (autoClose, the default) — for a write stream that close is what
 * commits the data: 'finish' is emitted only once everything is on the server's stable storage.
 *
 * Memory stays bounded whatever the file size: a read stream holds at most its highWaterMark of
 * chunks plus the handle's read-ahead (readahead + 2 blocks of rsize); a write stream's writes
 * wait while the write-behind window is full (backpressure), and the write-behind commits every
 * COMMIT_BYTES, so uncommitted data (kept for a resend after a server restart) is bounded too.
 */
import { Readable, Writable } from 'node:stream';
import { toPosition } from './args.js';

/**
 * What a stream needs of the file handle it reads or writes (NfsFileHandle is one; typed apart
 * so that the handle can make streams of itself without the two files importing each other).
 */
export interface StreamFile {
  readonly fd: number;
  readonly closed: boolean;
  readViews(length: number, position: bigint): Promise<{ bytesRead: number; buffers: Buffer[] }>;
  write(buffer: Buffer, offset: number, length: number, position: bigint | null): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface ReadStreamOptions {
  /** Open flags (default 'r'). */
  flags?: string | number;
  /** First byte (default 0) and last byte, inclusive (default: to the end). */
  start?: number | bigint;
  end?: number | bigint;
  /** Bytes per chunk (default 64 KiB, as fs.createReadStream). */
  highWaterMark?: number;
  encoding?: BufferEncoding;
  /** Close the handle at the end or on error (default true). */
  autoClose?: boolean;
  emitClose?: boolean;
  signal?: AbortSignal;
}

export interface WriteStreamOptions {
  /** Open flags (default 'w'). */
  flags?: string | number;
  /** Mode of a file created (default 0o644). */
  mode?: number;
  /** Position of the first byte written (default 0; the end of the file with 'a'). */
  start?: number | bigint;
  highWaterMark?: number;
  encoding?: BufferEncoding;
  autoClose?: boolean;
  emitClose?: boolean;
  signal?: AbortSignal;
}

const READ_HWM = 64 * 1024;

/** A Readable of a file; `H`, the handle's type (NfsFileHandle for the client's streams). */
export class NfsReadStream<H extends StreamFile = StreamFile> extends Readable {
  readonly path: string;
  bytesRead = 0;
  pending = true;
  #handle: H | null = null;
  readonly #open: () => Promise<H>;
  readonly #autoClose: boolean;
  #pos: bigint;
  readonly #end: bigint | null;

  constructor(path: string, open: () => Promise<H>, options: ReadStreamOptions = {}) {
    const hwm = options.highWaterMark ?? READ_HWM;
    super({
      highWaterMark: hwm, emitClose: options.emitClose ?? true, autoDestroy: true,
      ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    this.path = path;
    this.#open = open;
    this.#autoClose = options.autoClose ?? true;
    this.#pos = toPosition(options.start ?? 0) ?? 0n;
    this.#end = options.end === undefined || options.end === Infinity ? null : toPosition(options.end);
    if (this.#end !== null && this.#end < this.#pos) {
      const e = new RangeError(`The value of "start" (${this.#pos}) must be <= "end" (${this.#end})`);
      (e as RangeError & { code: string }).code = 'ERR_OUT_OF_RANGE';
      throw e;
    }
  }

  /** The handle, once open. */
  get handle(): H | null {
    return this.#handle;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    this.#open().then((h) => {
      this.#handle = h;
      this.pending = false;
      this.emit('open', h.fd);
      this.emit('ready');
      callback();
    }, (e: Error) => callback(e));
  }

  override _read(size: number): void {
    const h = this.#handle!;
    let want = Math.max(1, size);
    if (this.#end !== null) {
      const left = this.#end - this.#pos + 1n;
      if (left <= 0n) {
        this.push(null);
        return;
      }
      if (left < BigInt(want)) want = Number(left);
    }
    /* The replies' data itself, no copy (StreamFile.readViews). */
    h.readViews(want, this.#pos).then(({ bytesRead, buffers }) => {
      if (bytesRead === 0) {
        this.push(null);
        return;
      }
      this.#pos += BigInt(bytesRead);
      this.bytesRead += bytesRead;
      for (const b of buffers) this.push(b);
    }, (e: Error) => this.destroy(e));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const h = this.#handle;
    if (h === null || !this.#autoClose || h.closed) {
      callback(error);
      return;
    }
    h.close().then(() => callback(error), (e: Error) => callback(error ?? e));
  }
}

/** A Writable to a file; `H`, the handle's type (NfsFileHandle for the client's streams). */
export class NfsWriteStream<H extends StreamFile = StreamFile> extends Writable {
  readonly path: string;
  bytesWritten = 0;
  pending = true;
  #handle: H | null = null;
  readonly #open: () => Promise<H>;
  readonly #autoClose: boolean;
  #pos: bigint | null;

  constructor(path: string, open: () => Promise<H>, options: WriteStreamOptions = {}) {
    super({
      emitClose: options.emitClose ?? true, autoDestroy: true, decodeStrings: true,
      ...(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark }),
      ...(options.encoding === undefined ? {} : { defaultEncoding: options.encoding }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    this.path = path;
    this.#open = open;
    this.#autoClose = options.autoClose ?? true;
    this.#pos = options.start === undefined ? null : toPosition(options.start);
  }

  get handle(): H | null {
    return this.#handle;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    this.#open().then((h) => {
      this.#handle = h;
      this.pending = false;
      this.emit('open', h.fd);
      this.emit('ready');
      callback();
    }, (e: Error) => callback(e));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#handle!.write(chunk, 0, chunk.length, this.#pos).then(({ bytesWritten }) => {
      if (this.#pos !== null) this.#pos += BigInt(bytesWritten);
      this.bytesWritten += bytesWritten;
      callback();
    }, (e: Error) => callback(e));
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    (async () => {
      for (const { chunk } of chunks) {
        const { bytesWritten } = await this.#handle!.write(chunk, 0, chunk.length, this.#pos);
        if (this.#pos !== null) this.#pos += BigInt(bytesWritten);
        this.bytesWritten += bytesWritten;
      }
    })().then(() => callback(), (e: Error) => callback(e));
  }

  /* 'finish' waits for this: the data committed (close), or at least sent and committed (sync). */
  override _final(callback: (error?: Error | null) => void): void {
    const h = this.#handle!;
    (this.#autoClose ? h.close() : h.sync()).then(() => callback(), (e: Error) => callback(e));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const h = this.#handle;
    if (h === null || !this.#autoClose || h.closed) {
      callback(error);
      return;
    }
    h.close().then(() => callback(error), (e: Error) => callback(error ?? e));
  }
}
