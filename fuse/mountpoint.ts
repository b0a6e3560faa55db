/*
 * The mount itself: mount(8) with the device's descriptor, /proc/self/mountinfo, unmounting,
 * and aborting a connection.
 *
 * mount(2) of a FUSE file system needs CAP_SYS_ADMIN; without it, fusermount3 (setuid) mounts and
 * passes the descriptor back over a Unix socket (SCM_RIGHTS), which Node cannot receive. So this
 * is root only. `mount -i` keeps mount(8) from looking for a helper named after the subtype.
 *
 * Nothing here may block the event loop while the kernel may be waiting on this process:
 * umount(8) stats the mount point, which is a GETATTR only our loop can answer (a spawnSync
 * deadlocks). Child processes are spawned asynchronously; the one synchronous umount (at a
 * crash) comes after the connection was aborted, when the kernel no longer waits on us.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';

/** The file system type and subtype in /proc/self/mountinfo. */
export const FSTYPE = 'fuse.sonfs';
/** Where the kernel's FUSE control file system lives (fusectl). */
export const FUSECTL = '/sys/fs/fuse/connections';

/** One line of /proc/self/mountinfo. */
export interface MountInfo {
  /** The mount point (escapes decoded). */
  dir: string;
  /** major:minor of the file system's device; for FUSE the minor is the connection number. */
  major: number;
  minor: number;
  fstype: string;
  source: string;
  options: string;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo (the kernel's mangle()). */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The mounts this process sees (parse of /proc/self/mountinfo). */
export function mounts(): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    if (line === '') continue;
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const a = line.slice(0, sep).split(' ');
    const b = line.slice(sep + 3).split(' ');
    const [major, minor] = (a[2] ?? '').split(':').map(Number);
    out.push({
      dir: unescape(a[4] ?? ''), major: major ?? -1, minor: minor ?? -1,
      fstype: b[0] ?? '', source: unescape(b[1] ?? ''), options: b[2] ?? '',
    });
  }
  return out;
}

/**
 * An absolute, canonical form of `dir` that never stats `dir` itself (it may be a dead FUSE
 * mount, where stat answers ENOTCONN, or a live one of this very process): the parent is
 * resolved, the last name kept.
 */
export function mountPath(dir: string): string {
  const abs = resolve(dir);
  if (abs === '/') return abs;
  try {
    return resolve(realpathSync(dirname(abs)), basename(abs));
  } catch {
    return abs;
  }
}

/**
 * mountPath() without blocking the event loop: the parent may be on a FUSE mount this very
 * process serves (a mount inside another one), whose LOOKUP only this loop can answer.
 */
export async function mountPathAsync(dir: string): Promise<string> {
  const abs = resolve(dir);
  if (abs === '/') return abs;
  try {
    return resolve(await realpath(dirname(abs)), basename(abs));
  } catch {
    return abs;
  }
}

/** The topmost mount at `dir` (canonical path), if any. */
export function mountAt(dir: string): MountInfo | undefined {
  const all = mounts().filter((m) => m.dir === dir);
  return all[all.length - 1];
}

/** The result of a child process. */
export interface RunResult {
  code: number | null;
  stderr: string;
}

/** Run a command asynchronously (never spawnSync: see above); `fd` becomes the child's fd 3. */
export function run(cmd: string, args: string[], fd?: number, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const stdio: ('ignore' | 'pipe' | number)[] = ['ignore', 'ignore', 'pipe'];
    if (fd !== undefined) stdio.push(fd);
    let stderr = '';
    let child;
    try {
      child = spawn(cmd, args, { stdio });
    } catch (e) {
      resolveRun({ code: null, stderr: (e as Error).message });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr!.on('data', (c: Buffer) => {
      if (stderr.length < 8192) stderr += c.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolveRun({ code: null, stderr: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stderr: stderr.trim() });
    });
  });
}

/** Mount options passed to the kernel (fuse_parse_param): the descriptor and who may use it. */
export function kernelOptions(readonly: boolean): string {
  const o = ['fd=3', 'rootmode=40000', 'user_id=0', 'group_id=0', 'default_permissions', 'allow_other'];
  if (readonly) o.push('ro');
  return o.join(',');
}

/**
 * mount(8) the FUSE file system whose device is `fd` at `dir`, named `source` in the mount
 * table. Resolves once mount(2) returned (the kernel then sends INIT on the device).
 * @throws Error with mount(8)'s message
 */
export async function mountDevice(fd: number, dir: string, source: string, readonly: boolean): Promise<void> {
  const r = await run('mount', ['-i', '-t', FSTYPE, '-o', kernelOptions(readonly), source, dir], fd);
  if (r.code !== 0) {
    throw new Error(r.stderr !== '' ? r.stderr.replace(/^mount: /, '') : `mount(8) failed (status ${r.code})`);
  }
}

/** umount(8) of `dir`; lazy: detach now, finish when the last user goes (MNT_DETACH). */
export function umount(dir: string, lazy: boolean): Promise<RunResult> {
  return run('umount', lazy ? ['-l', dir] : [dir]);
}

/**
 * Make sure fusectl is mounted (it usually is, under systemd; a container may lack it) and
 * return the abort file of connection `minor`, or null if it cannot be found.
 */
function abortFile(minor: number): string | null {
  const f = `${FUSECTL}/${minor}/abort`;
  if (existsSync(f)) return f;
  if (!existsSync(FUSECTL)) return null;
  try {
    if (readdirSync(FUSECTL).length === 0) spawnSync('mount', ['-t', 'fusectl', 'fusectl', FUSECTL], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    return null;
  }
  return existsSync(f) ? f : null;
}

/**
 * Abort FUSE connection `minor` (/sys/fs/fuse/connections/N/abort): every request waiting on it
 * fails at once (ENOTCONN), and its reader gets ENODEV. Safe from any thread: it waits on no one.
 * Returns whether the connection was found.
 */
export function abortConnection(minor: number): boolean {
  const f = abortFile(minor);
  if (f === null) return false;
  try {
    writeFileSync(f, '1');
    return true;
  } catch {
    return false;
  }
}

/**
 * The last resort of a process that is going away (a crash): abort its connection so nothing
 * waits on it, then detach the mount. Synchronous (it runs from 'exit'); safe because the
 * connection is aborted first, so umount(8)'s stat fails at once instead of waiting on us.
 */
export function emergencyUnmount(dir: string, minor: number): void {
  abortConnection(minor);
  const m = mountAt(dir);
  if (m === undefined || m.fstype !== FSTYPE || m.minor !== minor) return;
  spawnSync('umount', ['-l', dir], { stdio: 'ignore', timeout: 10_000 });
}
