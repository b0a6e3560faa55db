/*
 * bench/native/libnfs-bench.c, compiled on first use against the machine's libnfs (Debian's
 * libnfs-dev; scripts/ensure-client-tools.sh installs it with a C compiler). The binary goes
 * beside the compiled bench (dist/bench/native/) and is rebuilt when the source is newer.
 * Without a compiler or the headers, the libnfs side of the in-process workloads is reported as
 * unavailable (with the compiler's message) rather than failing the whole run.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { packageRoot } from '../../testing/package-root.js';

const run = promisify(execFile);

export type LibnfsHelper = { path: string } | { unavailable: string };

export async function libnfsHelper(): Promise<LibnfsHelper> {
  const source = join(packageRoot(), 'bench', 'native', 'libnfs-bench.c');
  const binary = join(dirname(fileURLToPath(import.meta.url)), '..', 'native', 'libnfs-bench');
  if (!existsSync(source)) return { unavailable: `${source} is missing` };
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return { path: binary };
  mkdirSync(dirname(binary), { recursive: true });
  try {
    await run('cc', ['-O2', '-Wall', '-o', binary, source, '-lnfs'], { timeout: 60_000 });
    return { path: binary };
  } catch (e) {
    const msg = (e as { stderr?: string }).stderr?.trim().split('\n').slice(0, 3).join(' ') || String(e);
    return { unavailable: `could not compile ${source} (needs cc and libnfs-dev): ${msg}` };
  }
}
