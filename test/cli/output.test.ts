import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputClosedError, write } from '../../cli/lib/output.js';

/* A stream that holds each chunk until `finish()` lets it go (as a slow pipe does). */
function heldStream(highWaterMark: number): { out: Writable; written: Buffer[]; finish: () => void } {
  const pending: (() => void)[] = [];
  const written: Buffer[] = [];
  const out = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, cb) {
      pending.push(() => {
        written.push(Buffer.from(chunk));
        cb();
      });
    },
  });
  return { out, written, finish: () => { while (pending.length > 0) pending.shift()!(); } };
}

describe('write() to the command output', () => {
  it('reports a chunk released only once the stream has written it, exactly once', async () => {
    const { out, written, finish } = heldStream(1 << 20);
    let released = 0;
    const chunk = Buffer.from('abc');
    await write(out, chunk, () => released++);
    expect(released).toBe(0); /* accepted but still held by the stream */
    finish();
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(1);
    expect(Buffer.concat(written).toString()).toBe('abc');
  });

  it('releases the chunk and rejects with EPIPE when the output is already closed', async () => {
    const { out } = heldStream(16);
    out.destroy();
    let released = 0;
    await expect(write(out, Buffer.from('x'), () => released++)).rejects.toBeInstanceOf(OutputClosedError);
    expect(released).toBe(1);
  });

  it('waits for drain when the stream is full', async () => {
    const { out, finish } = heldStream(4);
    let done = false;
    const p = write(out, Buffer.alloc(8)).then(() => { done = true; });
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    finish();
    await p;
    expect(done).toBe(true);
  });
});
