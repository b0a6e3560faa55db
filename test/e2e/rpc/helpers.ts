/* Shared bits of the rpc/ end-to-end tests: the suite server's address and a captured CLI. */
import { Writable } from 'node:stream';
import { main } from '../../../cli/main.js';
import type { CliIo } from '../../../cli/io.js';
import { suiteServer } from '../../helpers/server.js';

export const host = '127.0.0.1';

export function ports(): { nfs: number; mount: number; rpcbind: number } {
  const p = suiteServer().ports;
  return { nfs: p.nfs, mount: p.mount, rpcbind: 111 };
}

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** Run `sonfs ARGS` in process; its exit status and what it wrote. */
export async function sonfs(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const io = { stdout, stderr, stdin: process.stdin } as unknown as CliIo;
  const code = await main(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
