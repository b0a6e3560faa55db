/*
 * Running the CLI in the end-to-end tests: in process (main() with captured streams; afterwards
 * every socket the command opened must be closed again) or as the real executable
 * (node dist/cli/sonfs.js, built by `npm test`'s pretest / `npm run build`).
 */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { main } from '../../../cli/main.js';
import { cliCtx } from '../../../cli/lib/context.js';
import type { Ctx } from '../../../cli/lib/context.js';
import { Mounts } from '../../../cli/lib/mounts.js';
import { sostat } from '../../../sockets/index.js';
import { runTool } from '../../helpers/clients.js';
import type { ToolOptions, ToolResult } from '../../helpers/clients.js';
import { capture } from '../../cli/helpers.js';
import type { Captured } from '../../cli/helpers.js';

export const SONFS_JS = fileURLToPath(new URL('../../../dist/cli/sonfs.js', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `sonfs ARGS` in process. Checks that it left no socket open. */
export async function sonfs(args: string[], options: { input?: string; ttyErr?: boolean } = {}): Promise<Run> {
  const before = sostat.so_live;
  const c = capture(options);
  const code = await main(args, c.io);
  expect(sostat.so_live, `sockets left open by sonfs ${args.join(' ')}`).toBe(before);
  return { code, stdout: c.stdout.text, stderr: c.stderr.text };
}

/** The real executable, as a child process. */
export function sonfsBin(args: string[], options: ToolOptions = {}): Promise<ToolResult> {
  return runTool(process.execPath, [SONFS_JS, ...args], options);
}

/** A command implementation's context with mounts the test can inspect (stats), then close. */
export function testCtx(prog = 'sonfs test', options: { ttyErr?: boolean } = {}): Ctx & { captured: Captured; close(): Promise<void> } {
  const captured = capture(options);
  const mounts = new Mounts();
  const ctx = cliCtx(captured.io, mounts, prog);
  return Object.assign(ctx, { captured, close: () => mounts.closeAll() });
}
