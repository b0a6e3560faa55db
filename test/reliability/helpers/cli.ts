/*
 * The real `sonfs` executable (dist/cli/sonfs.js, built by `npm run build`, which `npm test`'s
 * pretest runs) as a child process the test can watch while it runs: an environment of its own,
 * a bound on its life (SIGKILL after timeoutMs: a hang fails the test instead of hanging it),
 * captured output.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SONFS_JS = fileURLToPath(new URL('../../../dist/cli/sonfs.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Milliseconds from spawn to exit. */
  ms: number;
}

export interface CliRun {
  readonly pid: number | undefined;
  /** True once the process has exited. */
  readonly exited: boolean;
  readonly done: Promise<CliResult>;
}

/** Start `sonfs ARGS`. Throws if the CLI has not been built. */
export function startSonfs(args: readonly string[], o: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliRun {
  if (!existsSync(SONFS_JS)) throw new Error(`${SONFS_JS} is missing: run \`npm run build\` first`);
  const t0 = Date.now();
  const child = spawn(process.execPath, [SONFS_JS, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: o.env ?? process.env });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let exited = false;
  child.stdout.on('data', (c: Buffer) => {
    if (stdout.length < 1 << 20) stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 1 << 20) stderr += c.toString();
  });
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, o.timeoutMs ?? 120_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      exited = true;
      resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - t0 });
    });
  });
  return {
    pid: child.pid,
    get exited() {
      return exited;
    },
    done,
  };
}

/** Run `sonfs ARGS` to the end. */
export function runSonfs(args: readonly string[], o: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return startSonfs(args, o).done;
}
