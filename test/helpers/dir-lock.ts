import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs `fn` while holding an inter-process lock: the directory `dir`, created atomically by
 * mkdir. A lock whose owner process is gone (or that has no owner after 30 s) is broken. Waits at
 * most `timeoutMs` for the lock, then throws naming the holder. Meant for short critical sections
 * (seconds); two processes breaking the same stale lock at the same instant is not guarded against.
 */
export async function withDirLock<T>(dir: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'owner'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(dir);
    if (holder === 'stale') {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for the lock ${dir}, held by pid ${holder}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The holder's pid, or 'stale' if it is dead (or never recorded itself within 30 s). */
function readHolder(dir: string): number | 'stale' | 'unknown' {
  try {
    const pid = Number(readFileSync(join(dir, 'owner'), 'utf8'));
    return pidAlive(pid) ? pid : 'stale';
  } catch {
    try {
      return Date.now() - statSync(dir).mtimeMs > 30_000 ? 'stale' : 'unknown';
    } catch {
      return 'unknown'; // released meanwhile: the next mkdir will tell
    }
  }
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
