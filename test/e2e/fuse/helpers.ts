/*
 * FUSE mounts for the end-to-end tests: `sonfs mount --background` (the real executable, a
 * process of its own: a FUSE server must never share its event loop with a program using its
 * mount) of a scratch directory of the suite's server, at a fresh local directory.
 *
 * Root and /dev/fuse are required: without them the tests fail saying so (they never skip).
 * Every test must leave no mount behind: afterEach checks /proc/self/mountinfo, clears what it
 * finds (sonfs umount) and fails the test.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, expect } from 'vitest';
import { FSTYPE, mounts } from '../../../fuse/index.js';
import { nfsCat, runTool } from '../../helpers/clients.js';
import type { ToolOptions, ToolResult } from '../../helpers/clients.js';
import type { ScratchDir } from '../../helpers/scratch.js';
import { SONFS_JS } from '../cli/helpers.js';

/** Why FUSE tests cannot run here, or null. */
export function fuseUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'the FUSE tests mount file systems: run them as root';
  if (!existsSync('/dev/fuse')) return '/dev/fuse is missing (modprobe fuse)';
  return null;
}

/** Local directories of this test file (mount points and local trees), removed at the end. */
export const base = mkdtempSync(join(tmpdir(), 'sonfs-fuse-test-'));
let counter = 0;

/** Mounts of sonfs under `base` that are still there. */
export function leftMounts(): string[] {
  return mounts().filter((m) => m.fstype === FSTYPE && m.dir.startsWith(`${base}/`)).map((m) => m.dir);
}

/** Registers the no-mount-left check (afterEach) and the cleanup of `base` (afterAll). */
export function checkNoMountsLeft(): void {
  afterEach(async () => {
    const left = leftMounts();
    for (const d of left) {
      /* A test that failed midway: its server may be stuck on a request (a stopped server). Kill
       * it, then clear the dead mount: no mount and no process stays behind. */
      try {
        process.kill(serverPid(d), 'SIGKILL');
      } catch {
        /* gone already */
      }
      await sonfsRun(['umount', d]);
    }
    expect(left, 'mounts left behind by the test').toEqual([]);
  });
  afterAll(() => {
    if (leftMounts().length === 0) rmSync(base, { recursive: true, force: true });
  });
}

/** A fresh local directory under `base`. */
export function localDir(label: string): string {
  const d = join(base, `${label}-${++counter}`);
  mkdirSync(d);
  return d;
}

/** `node dist/cli/sonfs.js ARGS`. */
export function sonfsRun(args: string[], options: ToolOptions & { uid?: number } = {}): Promise<ToolResult> {
  return runTool(process.execPath, [SONFS_JS, ...args], { timeoutMs: 120_000, ...options });
}

/** A shell command (bash -c), with a timeout. */
export function sh(command: string, options: ToolOptions = {}): Promise<ToolResult> {
  return runTool('bash', ['-c', command], { timeoutMs: 120_000, ...options });
}

/** As sh(), and the test fails unless it exits 0. */
export async function shOk(command: string, options: ToolOptions = {}): Promise<string> {
  const r = await sh(command, options);
  expect(r.code, `${command}\n${r.stderr}\n${r.stdout.toString().slice(-2000)}`).toBe(0);
  return r.stdout.toString();
}

export interface Mounted {
  dir: string;
  /** The serving process. */
  pid: number;
  unmount(): Promise<void>;
}

/** The pid sonfs mount recorded for the mount at `dir`. */
export function serverPid(dir: string): number {
  const m = mounts().find((x) => x.dir === dir && x.fstype === FSTYPE);
  if (m === undefined) throw new Error(`${dir} is not mounted`);
  return (JSON.parse(readFileSync(`/run/sonfs/mount-${m.minor}.json`, 'utf8')) as { pid: number }).pid;
}

/** `sonfs mount --background URL DIR` at a fresh directory; unmount() is `sonfs umount DIR`. */
export async function fuseMount(url: string, extra: string[] = []): Promise<Mounted> {
  const dir = localDir('mnt');
  const r = await sonfsRun(['mount', '--background', ...extra, url, dir]);
  expect(r.code, `sonfs mount: ${r.stderr}`).toBe(0);
  const pid = serverPid(dir);
  return {
    dir, pid,
    async unmount() {
      const u = await sonfsRun(['umount', dir]);
      expect(u.code, `sonfs umount: ${u.stderr}`).toBe(0);
      expect(leftMounts()).not.toContain(dir);
    },
  };
}

/** A foreground `sonfs mount URL DIR` (its process is the server); resolves once DIR is mounted. */
export async function foregroundMount(url: string): Promise<{ dir: string; child: ReturnType<typeof spawn>; exit: Promise<number | null> }> {
  const dir = localDir('fg');
  const child = spawn(process.execPath, [SONFS_JS, 'mount', url, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const end = Date.now() + 60_000;
  while (!mounts().some((m) => m.dir === dir && m.fstype === FSTYPE)) {
    if (child.exitCode !== null || Date.now() > end) throw new Error(`sonfs mount did not mount ${dir}: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  /* mounted, but INIT may still be in flight: wait for the announcement, printed after it */
  while (!err.includes('serving')) {
    if (child.exitCode !== null || Date.now() > end) throw new Error(`sonfs mount did not start serving ${dir}: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { dir, child, exit };
}

/** Whether process `pid` has ended (a zombie has: init reaps detached servers when it gets round to it). */
export function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] === 'Z';
  } catch {
    return true;
  }
}

/** Every regular file below `root` (paths relative to it). */
export function filesBelow(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

/**
 * The nfs:// URL of `rel` in the scratch directory as libnfs takes it: names as they are (libnfs
 * does not decode %-escapes), as root.
 */
export function rawUrl(scratch: ScratchDir, rel: string): string {
  const { host, ports } = scratch.server;
  return `nfs://${host}${scratch.path}/${rel}?nfsport=${ports.nfs}&mountport=${ports.mount}&version=3&uid=0&gid=0`;
}

/**
 * The witness: every regular file below `mountRoot/rel` read from the server with libnfs's
 * nfs-cat and compared with `expected(path)` (by default what a local read of the mount gives).
 */
export async function crossCheck(scratch: ScratchDir, mountRoot: string, rel = '',
  expected: (path: string) => Buffer = (p) => readFileSync(join(mountRoot, p))): Promise<number> {
  const files = filesBelow(join(mountRoot, rel)).map((f) => (rel === '' ? f : join(rel, f)));
  for (const f of files) {
    const want = expected(f);
    const got = await nfsCat(rawUrl(scratch, f));
    expect(got.length, `${f}: size on the server`).toBe(want.length);
    expect(got.equals(want), `${f}: bytes on the server`).toBe(true);
  }
  return files.length;
}

/**
 * Type, mode, size, mtime (to the nanosecond) and link target of everything below `root`, one
 * line each, for comparing trees.
 */
export function treeSummary(root: string, withTimes = true): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p, { bigint: true });
      const what = st.isSymbolicLink() ? `-> ${readlinkSync(p)}` : st.isDirectory() ? 'dir' : `${st.size}`;
      const mtime = withTimes && !st.isSymbolicLink() ? ` ${st.mtimeNs}` : '';
      out.push(`${relative(root, p)} ${(st.mode & 0o7777n).toString(8)} ${what}${mtime}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}
