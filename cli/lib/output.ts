/*
 * Writing to the command's stdout with backpressure: write() resolves once the stream accepts
 * more (at once, or at 'drain'), so a command that produces a lot (cat of a large file) holds
 * at most the stream's highWaterMark plus one chunk. A reader that went away (EPIPE: `sonfs cat
 * big | head`) rejects with an error whose code is 'EPIPE'; commands stop quietly on it.
 */

export interface OutStream {
  write(chunk: Buffer | string, cb?: (err?: Error | null) => void): boolean;
  once(event: string, fn: (...args: unknown[]) => void): unknown;
  removeListener(event: string, fn: (...args: unknown[]) => void): unknown;
  readonly destroyed?: boolean;
}

export class OutputClosedError extends Error {
  readonly code = 'EPIPE';
  override name = 'OutputClosedError';
}

/**
 * Write `chunk`; resolves when the stream can take more. The chunk must not change until then —
 * nor, when `released` is given, until `released` is called: the stream has finished with the
 * chunk (written it, or failed), so its buffer may be reused. `released` is called exactly once.
 */
export function write(out: OutStream, chunk: Buffer | string, onReleased?: () => void): Promise<void> {
  let released: (() => void) | undefined = onReleased && ((): void => {
    const f = onReleased;
    released = undefined;
    f();
  });
  if (out.destroyed === true) {
    released?.();
    return Promise.reject(new OutputClosedError('output closed'));
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      out.removeListener('drain', onDrain);
      out.removeListener('error', onError);
      out.removeListener('close', onClose);
      if (err === undefined || err === null) resolve();
      else reject(isClosedOutput(err) ? new OutputClosedError('output closed') : err);
    };
    const onDrain = (): void => done();
    const onError = (e: unknown): void => done(e);
    const onClose = (): void => done(new OutputClosedError('output closed'));
    out.once('error', onError);
    out.once('close', onClose);
    let ok: boolean;
    try {
      ok = out.write(chunk, (err) => {
        released?.();
        if (err) done(err);
      });
    } catch (e) {
      released?.();
      done(e);
      return;
    }
    if (ok) done();
    else out.once('drain', onDrain);
  });
}

/** True for the error write() gives when the reader went away. */
export function isClosedOutput(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof OutputClosedError || code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}
