/*
 * Copying files between places (local or NFS, in any combination), as cp(1) does.
 *
 * copyFile streams with two buffers of CHUNK bytes: the next piece is being read while the
 * current one is written, so memory is constant whatever the size. NFS reads are sequential, so
 * the client's read-ahead runs ahead of them; NFS writes return once the data is in the client's
 * write-behind (copied, so the buffer is reused at once) and are sent UNSTABLE in the background.
 * To an NFS destination the source is read straight into the write-behind's own buffers instead
 * (writeFrom), which the WRITEs are sent from: no copy on the way.
 * The destination's close() — COMMIT for NFS — is awaited: when copyFile resolves, the data is
 * on the server's stable storage.
 *
 * The destination is truncated if it exists (unlike libnfs's nfs-cp, which refuses); with
 * noClobber it must not exist (created with O_EXCL).
 */
import type { Place, PlaceStat, Sink, Source } from './places.js';
import {
  basename, child, display, isWithin, listPlace, mkdirPlace, newMode, openSink, openSource, readlinkPlace,
  removePlace, statPlace, symlinkPlace,
} from './places.js';
import { readTarget } from '../../nfsclient/internal.js';
import { reason } from './errors.js';
import { Progress } from './progress.js';
import type { TtyStream } from './progress.js';

/** Bytes read and written at once (two such buffers per copy). */
export const CHUNK = 1024 * 1024;

export interface CopyOptions {
  /** Refuse to replace an existing destination (EEXIST). */
  noClobber?: boolean;
  /** Where to draw a progress bar (only if it is a terminal). */
  progress?: TtyStream;
  /** Clock for the progress bar. */
  now?: () => number;
  /** Reports a problem with one entry of a tree copy (the copy goes on). */
  warn?: (message: string) => void;
}

/** An error whose message says what could not be done to which place. */
export class CopyError extends Error {
  override name = 'CopyError';
  constructor(readonly what: string, readonly place: string, override readonly cause: unknown) {
    super(`${what} '${place}'`);
  }
}

async function wrap<T>(what: string, p: Place, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CopyError) throw e;
    throw new CopyError(what, display(p), e);
  }
}

/*
 * Read everything from `src` into buffers `dst` lends (NfsFileHandle.writeFrom); returns the bytes
 * copied. The WRITEs go out in the background, so reading the next piece overlaps them.
 */
async function pumpInto(src: Source, dst: Sink, srcPlace: Place, dstPlace: Place, onBytes: (n: number) => void): Promise<number> {
  let pos = 0;
  const fill = (buf: Buffer): Promise<number> => wrap('read', srcPlace, () => src.read(buf, buf.length, pos));
  for (;;) {
    const n = await wrap('write', dstPlace, () => dst.writeFrom!(fill, CHUNK, pos));
    if (n === 0) return pos;
    pos += n;
    onBytes(pos);
  }
}

/* Read everything from `src` into `dst`, one piece read ahead; returns the bytes copied. */
async function pump(src: Source, dst: Sink, srcPlace: Place, dstPlace: Place, onBytes: (n: number) => void): Promise<number> {
  const bufs = [readTarget(CHUNK), readTarget(CHUNK)] as const;
  let i = 0;
  let pos = 0;
  const read = (b: Buffer, at: number): Promise<number> => wrap('read', srcPlace, () => src.read(b, CHUNK, at));
  let pending = read(bufs[0], 0);
  try {
    for (;;) {
      const n = await pending;
      if (n === 0) return pos;
      const cur = bufs[i]!;
      i ^= 1;
      pending = read(bufs[i]!, pos + n);
      await wrap('write', dstPlace, () => dst.write(cur, n, pos));
      pos += n;
      onBytes(pos);
    }
  } finally {
    /* A failed write leaves the read ahead in flight: let it settle before the source is closed. */
    await pending.catch(() => undefined);
  }
}

/**
 * Copy the file `src` to `dst` (created, or truncated). `srcStat` is the source's, if known.
 * @returns bytes copied. @throws CopyError naming the place and the step that failed.
 */
export async function copyFile(src: Place, dst: Place, o: CopyOptions = {}, srcStat?: PlaceStat): Promise<number> {
  const st = srcStat ?? await wrap('stat', src, async () => {
    const s = await statPlace(src, true);
    if (s === null) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return s;
  });
  const source = await wrap('open', src, () => openSource(src));
  let sink: Sink | null = null;
  const bar = o.progress === undefined ? null : new Progress(o.progress, display(dst), st.size, o.now);
  try {
    sink = await wrap('create regular file', dst, () => openSink(dst, newMode(st.mode), o.noClobber === true));
    const n = await (sink.writeFrom !== undefined ? pumpInto : pump)(source, sink, src, dst, (done) => bar?.update(done));
    const s = sink;
    sink = null;
    await wrap('write', dst, () => s.close());
    bar?.finish(n);
    return n;
  } catch (e) {
    bar?.clear();
    throw e;
  } finally {
    await sink?.close().catch(() => undefined);
    await source.close().catch(() => undefined);
  }
}

/**
 * Copy the directory tree `src` to `dst` (made if missing): files copied, symbolic links
 * recreated with the same target, subdirectories recursed into; other types (FIFOs, devices,
 * sockets) skipped with a warning. Failures of single entries are warned about and the copy goes
 * on. @returns the number of entries that failed.
 */
export async function copyTree(src: Place, dst: Place, o: CopyOptions = {}): Promise<number> {
  if (isWithin(dst, src)) {
    throw new CopyError('copy a directory into itself:', display(src), new Error(`'${display(dst)}' is inside it`));
  }
  const warn = o.warn ?? (() => undefined);
  const srcSt = await wrap('stat', src, () => statPlace(src, false));
  const dstSt = await wrap('stat', dst, () => statPlace(dst, true));
  if (dstSt === null) await wrap('create directory', dst, () => mkdirPlace(dst, newMode(srcSt?.mode ?? 0o755) | 0o700));
  else if (dstSt.type !== 'dir') throw new CopyError('overwrite non-directory', display(dst), new Error('with a directory'));
  let failures = 0;
  const entries = await wrap('open directory', src, () => listPlace(src));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const s = child(src, e.name);
    const d = child(dst, e.name);
    try {
      if (e.type === 'dir') {
        failures += await copyTree(s, d, o);
      } else if (e.type === 'file') {
        await copyFile(s, d, o);
      } else if (e.type === 'link') {
        const target = await wrap('read link', s, () => readlinkPlace(s));
        const existing = await wrap('stat', d, () => statPlace(d, false));
        if (existing !== null) await wrap('remove', d, () => removePlace(d, false));
        await wrap('create symbolic link', d, () => symlinkPlace(target, d));
      } else {
        warn(`skipping special file '${display(s)}'`);
      }
    } catch (err) {
      warn(err instanceof CopyError ? copyErrorText(err) : String(err));
      failures++;
    }
  }
  return failures;
}

/** The text of a CopyError: "cannot read '/export/a': Input/output error". */
export function copyErrorText(e: CopyError): string {
  return `cannot ${e.what} '${e.place}': ${reason(e.cause)}`;
}

export { basename, child };
