/*
 * The life of a sonfs mount: how it ends (signals, sonfs umount, umount(8), fusermount3 -u, a
 * killed server), what a busy mount does, close-to-open between two mounts, files removed while
 * open, interrupted requests, and who may mount.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, readdirSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FSTYPE, mounts } from '../../../fuse/index.js';
import { startGanesha } from '../../../testing/index.js';
import type { StartedGanesha } from '../../../testing/index.js';
import { nfsCat } from '../../helpers/clients.js';
import { scratchDir } from '../../helpers/scratch.js';
import { SONFS_JS } from '../cli/helpers.js';
import {
  checkNoMountsLeft, foregroundMount, fuseMount, fuseUnavailable, gone, leftMounts, localDir, rawUrl, shOk, sonfsRun,
} from './helpers.js';

checkNoMountsLeft();
beforeAll(() => {
  const why = fuseUnavailable();
  if (why !== null) throw new Error(why);
});

function mounted(dir: string): boolean {
  return mounts().some((m) => m.dir === dir && m.fstype === FSTYPE);
}

async function until(what: string, cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('how a sonfs mount ends', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s: written data is committed, the directory unmounted, exit status 0', async (sig) => {
    const scratch = await scratchDir();
    const fg = await foregroundMount(scratch.url());
    writeFileSync(join(fg.dir, 'f.txt'), `before ${sig}\n`);
    fg.child.kill(sig);
    expect(await fg.exit).toBe(0);
    expect(mounted(fg.dir)).toBe(false);
    expect((await nfsCat(rawUrl(scratch, 'f.txt'))).toString()).toBe(`before ${sig}\n`);
  });

  it('umount(8) and fusermount3 -u end the server with status 0', async () => {
    const scratch = await scratchDir();
    for (const cmd of ['umount', 'fusermount3 -u']) {
      const fg = await foregroundMount(scratch.url());
      writeFileSync(join(fg.dir, 'x'), cmd);
      await shOk(`${cmd} '${fg.dir}'`);
      expect(await fg.exit).toBe(0);
      expect(mounted(fg.dir)).toBe(false);
      expect((await nfsCat(rawUrl(scratch, 'x'))).toString()).toBe(cmd);
    }
  });

  it('kill -9 of the server leaves a dead mount; sonfs umount clears it and leaves a plain directory', async () => {
    const scratch = await scratchDir();
    const m = await fuseMount(scratch.url());
    writeFileSync(join(m.dir, 'kept'), 'committed at close\n');
    process.kill(m.pid, 'SIGKILL');
    await until('the server to die', () => gone(m.pid));
    /* "Transport endpoint is not connected" (a request the abort caught in flight: ECONNABORTED) */
    expect(() => statSync(m.dir)).toThrow(/ENOTCONN|ECONNABORTED/);
    const r = await sonfsRun(['umount', m.dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(mounted(m.dir)).toBe(false);
    expect(statSync(m.dir).isDirectory()).toBe(true);
    expect(readdirSync(m.dir)).toEqual([]);
    expect((await nfsCat(rawUrl(scratch, 'kept'))).toString()).toBe('committed at close\n');
  });

  it('a busy mount: sonfs umount refuses (status 1, umount(8)\'s reason); -l detaches it and the server ends when its user goes', async () => {
    const scratch = await scratchDir();
    const m = await fuseMount(scratch.url());
    writeFileSync(join(m.dir, 'held'), 'x');
    const holder = spawn('sleep', ['600'], { cwd: m.dir, stdio: 'ignore' });
    try {
      const r = await sonfsRun(['umount', m.dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/busy/);
      expect(mounted(m.dir)).toBe(true);
      const l = await sonfsRun(['umount', '-l', m.dir]);
      expect(l.code, l.stderr).toBe(0);
      expect(mounted(m.dir)).toBe(false);
      expect(readdirSync(`/proc/${holder.pid}/cwd`)).toEqual(['held']); /* still served to its user */
    } finally {
      holder.kill('SIGKILL');
    }
    await until('the server to finish once its last user left', () => gone(m.pid));
  });

  it('sonfs umount of something that is not a sonfs mount is an error', async () => {
    const d = localDir('plain');
    const r = await sonfsRun(['umount', d]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`sonfs umount: ${d}: not a sonfs mount\n`);
  });
});

describe('sonfs mount refuses what it cannot do', () => {
  it('only root may mount, and the error says why', async () => {
    const scratch = await scratchDir();
    const d = localDir('nonroot');
    const child = spawn(process.execPath, [SONFS_JS, 'mount', '--background', scratch.url(), d], {
      uid: 65534, gid: 65534, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/^sonfs mount: must be run as root: mounting FUSE without fusermount3 needs CAP_SYS_ADMIN/);
    expect(leftMounts()).toEqual([]);
  });

  it('a missing directory, a file, and a directory already mounted are refused', async () => {
    const scratch = await scratchDir();
    const d = localDir('target');
    writeFileSync(join(d, 'file'), '');
    const missing = await sonfsRun(['mount', scratch.url(), join(d, 'missing')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file or directory/i);
    const file = await sonfsRun(['mount', scratch.url(), join(d, 'file')]);
    expect(file.code).toBe(1);
    expect(file.stderr).toMatch(/not a directory/);
    const m = await fuseMount(scratch.url());
    try {
      const again = await sonfsRun(['mount', scratch.url(), m.dir]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already a sonfs mount/);
    } finally {
      await m.unmount();
    }
  });
});

describe('consistency', () => {
  it('two mounts of one export: a file written and closed in one is what the other sees at its next open', async () => {
    const scratch = await scratchDir();
    const a = await fuseMount(scratch.url());
    const b = await fuseMount(scratch.url());
    try {
      writeFileSync(join(a.dir, 'f'), 'first\n');
      expect(readFileSync(join(b.dir, 'f'), 'utf8')).toBe('first\n'); /* b caches it now */
      writeFileSync(join(a.dir, 'f'), 'second, and longer\n');
      expect(readFileSync(join(b.dir, 'f'), 'utf8')).toBe('second, and longer\n');
      expect(statSync(join(b.dir, 'f')).size).toBe(19);
      writeFileSync(join(a.dir, 'f'), 'short\n');
      expect(readFileSync(join(b.dir, 'f'), 'utf8')).toBe('short\n');
      const big = Buffer.alloc(3 << 20, 7);
      writeFileSync(join(a.dir, 'f'), big);
      expect(readFileSync(join(b.dir, 'f')).equals(big)).toBe(true);
      unlinkSync(join(a.dir, 'f'));
      expect(() => readFileSync(join(b.dir, 'f'))).toThrow(/ENOENT/);
    } finally {
      await a.unmount();
      await b.unmount();
    }
  });

  it('a file removed while open stays readable and writable through its descriptor; its hidden name goes at close', async () => {
    const scratch = await scratchDir();
    const m = await fuseMount(scratch.url());
    try {
      const p = join(m.dir, 'doomed');
      writeFileSync(p, 'still here\n');
      const fd = openSync(p, 'r+');
      unlinkSync(p);
      expect(existsSync(p)).toBe(false);
      writeSync(fd, 'STILL', 0);
      const buf = Buffer.alloc(64);
      const n = readSync(fd, buf, 0, 64, 0);
      expect(buf.toString('utf8', 0, n)).toBe('STILL here\n');
      expect(fstatSync(fd).size).toBe(11);
      expect(readdirSync(m.dir).filter((x) => x.startsWith('.nfs')).length).toBe(1); /* silly rename */
      closeSync(fd);
      await until('the hidden name to go', () => readdirSync(m.dir).length === 0, 10_000);
      const onServer = await scratch.server.exec(`ls -A ${scratch.path} | wc -l`);
      expect(onServer.output.trim()).toBe('0');
    } finally {
      await m.unmount();
    }
  });
});

describe('a server that stops answering (a ganesha of its own, stopped with SIGSTOP)', () => {
  let server: StartedGanesha;
  beforeAll(async () => {
    server = await startGanesha({ name: `sonfs-fuse-stop-${process.pid}` });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  const stopServer = (): Promise<unknown> => server.exec('kill -STOP $(pidof ganesha.nfsd)');
  const contServer = (): Promise<unknown> => server.exec('kill -CONT $(pidof ganesha.nfsd)');

  it('a request waiting on it is interrupted by a signal (INTERRUPT), and the mount still ends cleanly', async () => {
    const m = await fuseMount(server.url('/export'));
    try {
      writeFileSync(join(m.dir, 'f'), 'data\n');
      await stopServer();
      /* cat's OPEN waits on the stopped server (close-to-open asks it); SIGINT interrupts it */
      const cat = spawn('cat', [join(m.dir, 'f')], { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => cat.once('close', (_c, sig) => resolve(sig)));
      /* its request is with the server process (the kernel waits in request_wait_answer): once
       * there, only the server's answer ends the wait, even for SIGKILL — here, EINTR */
      await until('cat to wait on the mount', () => {
        try {
          return readFileSync(`/proc/${cat.pid}/wchan`, 'utf8') === 'request_wait_answer';
        } catch {
          return false;
        }
      });
      await new Promise((r) => setTimeout(r, 200));
      cat.kill('SIGINT');
      expect(await exited).toBe('SIGINT');
      await contServer();
      expect(readFileSync(join(m.dir, 'f'), 'utf8')).toBe('data\n');
    } finally {
      await contServer();
      await m.unmount();
    }
  });

  it('a second SIGTERM gives up the commit the first one waits for: the mount goes, exit status 1', async () => {
    const fg = await foregroundMount(server.url('/export'));
    /* a writer that keeps its file open: its data waits in the write-behind, uncommitted */
    const writer = spawn('bash', ['-c', `exec 3>'${join(fg.dir, 'w')}'; echo pending >&3; sleep 600`], { stdio: 'ignore' });
    try {
      await until('the write to reach the server process', () => existsSync(join(fg.dir, 'w')));
      await new Promise((r) => setTimeout(r, 300));
      await stopServer();
      fg.child.kill('SIGTERM'); /* commits first: waits on the stopped server */
      await new Promise((r) => setTimeout(r, 500));
      expect(mounted(fg.dir)).toBe(true);
      fg.child.kill('SIGTERM');
      expect(await fg.exit).toBe(1);
      expect(mounted(fg.dir)).toBe(false);
    } finally {
      writer.kill('SIGKILL');
      await contServer();
    }
  });
});
