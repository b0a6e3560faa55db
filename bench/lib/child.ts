/*
 * One timed child process: wall time (spawn to exit, as a user waits for it) and peak RSS
 * (GNU time's %M: the child's maximum resident set size, in KiB).
 *
 * stdout goes to /dev/null, is captured (bounded), or is hashed (SHA-256) as it streams: hashing
 * costs this process CPU, so it is for verification runs, not timed ones.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export type StdoutMode = 'null' | 'capture' | 'sha256';

export interface ChildResult {
  seconds: number;
  /** Peak resident set size of the child, KiB. */
  peakRssKiB: number;
  /** Captured stdout (mode 'capture'), or the hex SHA-256 of stdout (mode 'sha256'). */
  stdout: string;
  stderr: string;
}

export interface ChildOptions {
  stdout: StdoutMode;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Most stdout bytes kept in 'capture' mode (more fails the run). */
  maxCapture?: number;
}

/** Fails clearly when GNU time (Debian package `time`) is missing: peak RSS needs it. */
export function requireGnuTime(): void {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time, Debian package 'time') is missing: run 'bash scripts/ensure-client-tools.sh' (npm run bench's prebench does)`);
}

/** Runs argv[0] with argv[1..]; rejects on a non-zero exit status, a signal or the timeout. */
export async function runChild(argv: readonly string[], o: ChildOptions): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sonfs-bench-time-'));
  const timeFile = join(dir, 'rss');
  const devnull = o.stdout === 'null' ? openSync('/dev/null', 'w') : undefined;
  try {
    const t0 = process.hrtime.bigint();
    const child = spawn(GNU_TIME, ['-f', '%M', '-o', timeFile, ...argv], {
      stdio: ['ignore', devnull ?? 'pipe', 'pipe'],
      env: o.env ?? process.env,
    });
    const hash = o.stdout === 'sha256' ? createHash('sha256') : undefined;
    const chunks: Buffer[] = [];
    let captured = 0;
    let overflow = false;
    const max = o.maxCapture ?? 64 * 1024 * 1024;
    child.stdout?.on('data', (d: Buffer) => {
      if (hash) hash.update(d);
      else if ((captured += d.length) <= max) chunks.push(d);
      else overflow = true;
    });
    const errChunks: Buffer[] = [];
    let errBytes = 0;
    child.stderr?.on('data', (d: Buffer) => {
      if ((errBytes += d.length) <= 1 << 20) errChunks.push(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 600_000);
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c, s) => resolve({ code: c, signal: s }));
    }).finally(() => clearTimeout(timer));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const stderr = Buffer.concat(errChunks).toString();
    if (code !== 0 || signal !== null) {
      throw new Error(`${argv.join(' ')}: ${signal !== null ? `killed by ${signal}` : `exit status ${code}`}${stderr ? `\n${stderr.trim().split('\n').slice(-8).join('\n')}` : ''}`);
    }
    if (overflow) throw new Error(`${argv.join(' ')}: more than ${max} bytes on stdout`);
    const rss = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1));
    return {
      seconds,
      peakRssKiB: Number.isFinite(rss) ? rss : NaN,
      stdout: hash ? hash.digest('hex') : Buffer.concat(chunks).toString(),
      stderr,
    };
  } finally {
    if (devnull !== undefined) closeSync(devnull);
    rmSync(dir, { recursive: true, force: true });
  }
}
