/*
 * Which process serves which sonfs mount: `sonfs mount` records its pid under the FUSE
 * connection's number (/run/sonfs/mount-N.json), so that `sonfs umount DIR` can tell a live
 * server (wait for it to finish) from a dead one (clear the dead mount it left).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Served {
  pid: number;
  dir: string;
  url: string;
}

function stateDir(): string {
  return existsSync('/run') ? '/run/sonfs' : join(tmpdir(), 'sonfs-run');
}

function file(connection: number): string {
  return join(stateDir(), `mount-${connection}.json`);
}

export function recordServer(connection: number, s: Served): void {
  try {
    mkdirSync(stateDir(), { recursive: true, mode: 0o755 });
    prune();
    writeFileSync(file(connection), JSON.stringify(s));
  } catch {
    /* without the record, sonfs umount still works: it treats the server as gone */
  }
}

/* Records of servers that are gone (killed with their mount later cleared by other means). */
function prune(): void {
  for (const name of readdirSync(stateDir())) {
    if (!/^mount-\d+\.json$/.test(name)) continue;
    const path = join(stateDir(), name);
    try {
      const { pid } = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown };
      if (typeof pid === 'number' && alive(pid)) continue;
    } catch {
      /* unreadable: gone too */
    }
    rmSync(path, { force: true });
  }
}

export function forgetServer(connection: number): void {
  rmSync(file(connection), { force: true });
}

/** The live process serving connection `connection` at `dir`, if there is one. */
export function liveServer(connection: number, dir: string): Served | undefined {
  let s: Served;
  try {
    s = JSON.parse(readFileSync(file(connection), 'utf8')) as Served;
  } catch {
    return undefined;
  }
  if (s.dir !== dir || !Number.isInteger(s.pid)) return undefined;
  try {
    const cmd = readFileSync(`/proc/${s.pid}/cmdline`, 'utf8');
    if (!cmd.includes('mount') || !alive(s.pid)) return undefined;
  } catch {
    return undefined;
  }
  return s;
}

/**
 * Whether `pid` still runs. A zombie does not (it has exited; its parent — init, for a detached
 * server — reaps it when it gets round to it, which can take seconds).
 */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
