/*
 * A mixed workload checked against a model: file creation, overwrite, append, read, stat,
 * truncate, rename (over existing names too), unlink, hard and symbolic links, mkdir, rmdir
 * (empty and not), listings, and a few calls that must fail (ENOENT, EEXIST, ENOTEMPTY). Every
 * result is compared with what an in-memory model of the directory says, so "every call
 * completed with the right result" is checked call by call, not just "nothing threw".
 *
 * One workload works inside its own directory (made by the caller) on one mount, one operation
 * at a time; run several on several mounts for concurrency. Operations are drawn from a seeded
 * generator: the same seed replays the same run.
 */
import type { NfsClient } from '../../../nfsclient/index.js';
import { Prng } from './prng.js';

interface Inode {
  data: Buffer;
}

/** The model: names (files: 'f3', 'd1/f2'; directories 'd0'; links 'l1') in one directory tree. */
class Model {
  readonly files = new Map<string, Inode>();
  readonly dirs = new Set<string>();
  readonly links = new Map<string, string>();

  exists(name: string): boolean {
    return this.files.has(name) || this.dirs.has(name) || this.links.has(name);
  }

  /** Names directly in `dir` ('' = the top). */
  list(dir: string): string[] {
    const out: string[] = [];
    const prefix = dir === '' ? '' : `${dir}/`;
    for (const n of [...this.files.keys(), ...this.dirs, ...this.links.keys()]) {
      if (!n.startsWith(prefix)) continue;
      const rest = n.slice(prefix.length);
      if (!rest.includes('/')) out.push(rest);
    }
    return out.sort();
  }
}

export interface WorkloadResult {
  ops: number;
  bytesWritten: number;
  bytesVerified: number;
  /** Operations that failed as the model said they must (ENOENT, EEXIST, ENOTEMPTY). */
  expectedErrors: number;
  /** Count per operation kind. */
  kinds: Record<string, number>;
}

export interface WorkloadOptions {
  ops: number;
  seed: number;
  /** Largest file written, in bytes (default 16 KiB; one write in 50 goes up to 8 times that). */
  maxFile?: number;
}

export class WorkloadMismatch extends Error {
  override name = 'WorkloadMismatch';
}

const DIRS = ['d0', 'd1', 'd2'];
const FILE_NAMES = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'd0/f0', 'd0/f1', 'd1/f0', 'd2/f0'];
const LINK_NAMES = ['l0', 'l1', 'd1/l0'];

function codeOf(e: unknown): string {
  return (e as { code?: unknown } | null)?.code as string ?? String(e);
}

/**
 * Run `o.ops` operations in the directory `base` (mount-relative, existing and empty) of `nfs`.
 * @throws WorkloadMismatch naming the operation, its index and the seed, when a result is wrong;
 *         whatever an operation threw when it should have succeeded.
 */
export async function runWorkload(nfs: NfsClient, base: string, o: WorkloadOptions): Promise<WorkloadResult> {
  const rnd = new Prng(o.seed);
  const m = new Model();
  const maxFile = o.maxFile ?? 16 * 1024;
  const p = (name: string): string => `${base}/${name}`;
  const res: WorkloadResult = { ops: 0, bytesWritten: 0, bytesVerified: 0, expectedErrors: 0, kinds: {} };
  let step = 0;
  let what = '';
  const fail = (msg: string): never => {
    throw new WorkloadMismatch(`workload seed ${o.seed}, op ${step} (${what}): ${msg}`);
  };
  const mustFail = async (code: string, fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      if (codeOf(e) !== code) fail(`expected ${code}, got ${codeOf(e)}: ${(e as Error).message}`);
      res.expectedErrors++;
      return;
    }
    fail(`expected ${code}, but it succeeded`);
  };
  const parentOk = (name: string): boolean => !name.includes('/') || m.dirs.has(name.slice(0, name.indexOf('/')));
  const data = (): Buffer => {
    const n = rnd.chance(0.02) ? rnd.int(0, maxFile * 8) : rnd.int(0, maxFile);
    /* 1 KiB of fresh random bytes repeated, with the step number every 1 KiB: cheap, and never
     * equal to an earlier write's data. */
    const head = rnd.bytes(1024);
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 1024) {
      head.copy(b, i, 0, Math.min(1024, n - i));
      if (i + 4 <= n) b.writeUInt32BE(step, i);
    }
    return b;
  };
  const verify = (name: string, got: Buffer): void => {
    const want = m.files.get(name)!.data;
    if (!got.equals(want)) fail(`${name}: read ${got.length} bytes that differ from the ${want.length} written`);
    res.bytesVerified += got.length;
  };

  for (step = 0; res.ops < o.ops; step++) {
    const kind = rnd.pick([
      'write', 'write', 'append', 'read', 'read', 'stat', 'truncate', 'rename', 'unlink', 'link', 'symlink',
      'mkdir', 'rmdir', 'readdir', 'missing',
    ] as const);
    /* Set by every case that does something: an operation whose preconditions do not hold now
     * (nothing to read yet ...) is drawn again and not counted. */
    let ran = true;
    what = kind;
    switch (kind) {
      case 'write': {
        const name = rnd.pick(FILE_NAMES);
        if (!parentOk(name) || m.dirs.has(name) || m.links.has(name)) {
          ran = false;
          break;
        }
        const d = data();
        what = `writeFile ${name} (${d.length} bytes)`;
        await nfs.writeFile(p(name), d);
        const ino = m.files.get(name);
        if (ino !== undefined) ino.data = d; /* same inode: hard links see it */
        else m.files.set(name, { data: d });
        res.bytesWritten += d.length;
        break;
      }
      case 'append': {
        const name = rnd.pick([...m.files.keys(), 'f0']);
        if (!parentOk(name) || !m.files.has(name) && m.exists(name)) {
          ran = false;
          break;
        }
        const d = rnd.bytes(rnd.int(1, 2048));
        what = `appendFile ${name}`;
        await nfs.appendFile(p(name), d);
        const ino = m.files.get(name);
        if (ino !== undefined) ino.data = Buffer.concat([ino.data, d]);
        else m.files.set(name, { data: d });
        res.bytesWritten += d.length;
        break;
      }
      case 'read': {
        if (m.files.size === 0) {
          ran = false;
          break;
        }
        const name = rnd.pick([...m.files.keys()]);
        what = `readFile ${name}`;
        verify(name, await nfs.readFile(p(name)) as Buffer);
        break;
      }
      case 'stat': {
        if (m.files.size === 0) {
          ran = false;
          break;
        }
        const name = rnd.pick([...m.files.keys()]);
        what = `stat ${name}`;
        const st = await nfs.stat(p(name));
        if (!st.isFile() || st.size !== m.files.get(name)!.data.length) fail(`size ${st.size}, want ${m.files.get(name)!.data.length}`);
        break;
      }
      case 'truncate': {
        if (m.files.size === 0) {
          ran = false;
          break;
        }
        const name = rnd.pick([...m.files.keys()]);
        const ino = m.files.get(name)!;
        const len = rnd.int(0, ino.data.length + 100);
        what = `truncate ${name} to ${len}`;
        await nfs.truncate(p(name), len);
        const d = Buffer.alloc(len);
        ino.data.copy(d, 0, 0, Math.min(len, ino.data.length));
        ino.data = d;
        break;
      }
      case 'rename': {
        if (m.files.size === 0) {
          ran = false;
          break;
        }
        const from = rnd.pick([...m.files.keys()]);
        const to = rnd.pick(FILE_NAMES);
        if (from === to || !parentOk(to) || m.dirs.has(to) || m.links.has(to)) {
          ran = false;
          break;
        }
        if (m.files.get(to) !== undefined && m.files.get(to) === m.files.get(from)) {
          ran = false;
          break;
        } /* two links to one file: a no-op for rename(2) */
        what = `rename ${from} ${to}`;
        await nfs.rename(p(from), p(to));
        m.files.set(to, m.files.get(from)!);
        m.files.delete(from);
        break;
      }
      case 'unlink': {
        const names = [...m.files.keys(), ...m.links.keys()];
        if (names.length === 0) {
          ran = false;
          break;
        }
        const name = rnd.pick(names);
        what = `unlink ${name}`;
        await nfs.unlink(p(name));
        m.files.delete(name);
        m.links.delete(name);
        break;
      }
      case 'link': {
        if (m.files.size === 0) {
          ran = false;
          break;
        }
        const from = rnd.pick([...m.files.keys()]);
        const to = rnd.pick(FILE_NAMES);
        if (!parentOk(to)) {
          ran = false;
          break;
        }
        what = `link ${from} ${to}`;
        if (m.exists(to)) {
          await mustFail('EEXIST', () => nfs.link(p(from), p(to)));
          break;
        }
        await nfs.link(p(from), p(to));
        m.files.set(to, m.files.get(from)!);
        break;
      }
      case 'symlink': {
        const name = rnd.pick(LINK_NAMES);
        if (!parentOk(name)) {
          ran = false;
          break;
        }
        const target = `target-${rnd.int(0, 99)}`;
        what = `symlink ${name} -> ${target}`;
        if (m.exists(name)) {
          await mustFail('EEXIST', () => nfs.symlink(target, p(name)));
          break;
        }
        await nfs.symlink(target, p(name));
        m.links.set(name, target);
        const back = await nfs.readlink(p(name));
        if (back !== target) fail(`readlink gave ${back}`);
        break;
      }
      case 'mkdir': {
        const name = rnd.pick(DIRS);
        what = `mkdir ${name}`;
        if (m.exists(name)) {
          await mustFail('EEXIST', () => nfs.mkdir(p(name)));
          break;
        }
        await nfs.mkdir(p(name));
        m.dirs.add(name);
        break;
      }
      case 'rmdir': {
        const name = rnd.pick(DIRS);
        if (!m.dirs.has(name)) {
          ran = false;
          break;
        }
        what = `rmdir ${name}`;
        if (m.list(name).length > 0) {
          await mustFail('ENOTEMPTY', () => nfs.rmdir(p(name)));
          break;
        }
        await nfs.rmdir(p(name));
        m.dirs.delete(name);
        break;
      }
      case 'readdir': {
        const dir = rnd.pick(['', ...m.dirs]);
        what = `readdir ${dir || '.'}`;
        const got = (await nfs.readdir(dir === '' ? base : p(dir))).sort();
        const want = m.list(dir);
        if (got.join('\n') !== want.join('\n')) fail(`listed [${got.join(' ')}], want [${want.join(' ')}]`);
        break;
      }
      case 'missing': {
        const name = `absent-${rnd.int(0, 9)}`;
        what = `readFile ${name}`;
        await mustFail('ENOENT', () => nfs.readFile(p(name)));
        break;
      }
    }
    if (ran) {
      res.kinds[kind] = (res.kinds[kind] ?? 0) + 1;
      res.ops++;
    }
  }
  /* Everything the model holds is on the server, byte for byte. */
  what = 'final check';
  for (const [name, ino] of m.files) {
    const got = await nfs.readFile(p(name)) as Buffer;
    if (!got.equals(ino.data)) fail(`${name}: final contents differ`);
    res.bytesVerified += got.length;
  }
  return res;
}

/** Sum of several workload results. */
export function sumResults(rs: readonly WorkloadResult[]): WorkloadResult {
  const out: WorkloadResult = { ops: 0, bytesWritten: 0, bytesVerified: 0, expectedErrors: 0, kinds: {} };
  for (const r of rs) {
    out.ops += r.ops;
    out.bytesWritten += r.bytesWritten;
    out.bytesVerified += r.bytesVerified;
    out.expectedErrors += r.expectedErrors;
    for (const [k, v] of Object.entries(r.kinds)) out.kinds[k] = (out.kinds[k] ?? 0) + v;
  }
  return out;
}
