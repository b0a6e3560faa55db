/* Captured streams for running CLI code in process. */
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../cli/main.js';
import type { CliIo } from '../../cli/io.js';

/** A Writable that keeps what is written; `isTTY`/`columns` make it look like a terminal. */
export class Sink extends Writable {
  text = '';
  isTTY: boolean;
  columns: number | undefined;
  constructor(tty = false, columns?: number) {
    super();
    this.isTTY = tty;
    this.columns = columns;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export interface Captured {
  io: CliIo;
  stdout: Sink;
  stderr: Sink;
  stdin: PassThrough & { isTTY?: boolean };
}

/** Streams for one in-process run; stdin is empty and ended unless `input` is given. */
export function capture(options: { input?: string; ttyErr?: boolean } = {}): Captured {
  const stdout = new Sink();
  const stderr = new Sink(options.ttyErr === true, 100);
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.end(options.input ?? '');
  return { io: { stdout, stderr, stdin } as unknown as CliIo, stdout, stderr, stdin };
}

/** Run `sonfs ARGS` in process: its exit status and what it wrote. */
export async function run(args: string[], options: { input?: string; ttyErr?: boolean } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = capture(options);
  const code = await main(args, c.io);
  return { code, stdout: c.stdout.text, stderr: c.stderr.text };
}
