/*
 * sonfs ls against the suite's server, checked against libnfs's nfs-ls and the server's own view.
 */
import { describe, expect, test } from 'vitest';
import { lsMain } from '../../../cli/commands/ls.js';
import { nfsLs, parseNfsLs } from '../../helpers/clients.js';
import { scratchDir } from '../../helpers/scratch.js';
import { suiteServer } from '../../helpers/server.js';
import { sonfs, sonfsBin, testCtx } from './helpers.js';

const ROOT = { uid: 0, gid: 0 };

interface LongEntry { mode: string; nlink: number; uid: number; gid: number; size: number; name: string; target?: string }

/* sonfs ls -l's lines: "mode nlink uid gid size Mon DD HH:MM|YYYY name[ -> target]". */
function parseLong(text: string): LongEntry[] {
  const out: LongEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([-dlcbps][-rwxsStT]{9}) +(\d+) +(\d+) +(\d+) +(\d+) [A-Z][a-z]{2} [ \d]\d (?:\d\d:\d\d| \d{4}) (.+)$/.exec(line);
    if (m === null) continue;
    const [name, target] = m[6]!.split(' -> ');
    out.push({ mode: m[1]!, nlink: Number(m[2]), uid: Number(m[3]), gid: Number(m[4]), size: Number(m[5]), name: name!, ...(target === undefined ? {} : { target }) });
  }
  return out;
}

describe('sonfs ls', () => {
  test('names one per line, sorted, dot files only with -a', async () => {
    const dir = await scratchDir();
    await dir.server.exec(`cd ${dir.path} && touch b a C .hidden && mkdir d`);
    const plain = await sonfs(['ls', dir.url()]);
    expect(plain).toEqual({ code: 0, stdout: 'C\na\nb\nd\n', stderr: '' });
    const all = await sonfs(['ls', '-a', dir.url()]);
    expect(all.stdout).toBe('.\n..\n.hidden\nC\na\nb\nd\n');
  });

  test('-l lists the same entries, modes, links, owners and sizes as nfs-ls, plus times and link targets', async () => {
    const dir = await scratchDir();
    await dir.server.exec([
      `cd ${dir.path}`,
      'printf 12345 > five && chmod 640 five',
      'head -c 70000 /dev/zero > big && chmod 4755 big',
      'mkdir sub && chmod 1777 sub',
      'ln -s five link && ln five hard',
      'mkfifo pipe',
      'chown 123:456 five',
    ].join(' && '));
    const ours = await sonfs(['ls', '-l', dir.url()]);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout.split('\n')[0]).toMatch(/^total \d+$/);
    const theirs = parseNfsLs(await nfsLs(dir.url('', ROOT)));
    const mine = parseLong(ours.stdout);
    /* nfs-ls prints no setuid/setgid/sticky letters and no type letter for a FIFO (docs/cli.md). */
    const plainBits = (m: string): string => m.replace(/[st]/g, 'x').replace(/[ST]/g, '-');
    const comparable = mine.filter((e) => !e.mode.startsWith('p')).map(({ target: _t, ...e }) => ({ ...e, mode: plainBits(e.mode) }));
    expect(comparable).toEqual([...theirs].sort((a, b) => (a.name < b.name ? -1 : 1)));
    expect(theirs.length).toBe(5);
    expect(mine.find((e) => e.name === 'link')?.target).toBe('five');
    expect(mine.find((e) => e.name === 'five')).toMatchObject({ mode: '-rw-r-----', nlink: 2, uid: 123, gid: 456, size: 5 });
    expect(mine.find((e) => e.name === 'big')?.mode).toBe('-rwsr-xr-x');
    expect(mine.find((e) => e.name === 'sub')?.mode).toBe('drwxrwxrwt');
    expect(mine.find((e) => e.name === 'pipe')?.mode).toBe('prw-r--r--');
  });

  test('the read-only export lists as nfs-ls lists it, and -R descends with "path:" headers', async () => {
    const url = suiteServer().url('/ro');
    const ours = await sonfs(['ls', '-l', url]);
    const theirs = parseNfsLs(await nfsLs(suiteServer().url('/ro', ROOT)));
    expect(parseLong(ours.stdout).map(({ target: _t, ...e }) => e)).toEqual([...theirs].sort((a, b) => (a.name < b.name ? -1 : 1)));
    expect(ours.stdout).toContain(' Jan  1  2020 link-to-hello -> hello.txt\n');
    const rec = await sonfs(['ls', '-R', url]);
    expect(rec.stdout).toBe([
      '/ro:', 'dangling-link', 'dir', 'empty', 'hello.txt', 'link-to-hello', 'pattern.bin', '',
      '/ro/dir:', 'nested', 'one.txt', '',
      '/ro/dir/nested:', 'two.txt', '',
    ].join('\n'));
  });

  test('a file operand is listed itself; -d lists a directory itself', async () => {
    const s = suiteServer();
    expect((await sonfs(['ls', s.url('/ro/hello.txt')])).stdout).toBe('/ro/hello.txt\n');
    expect(await sonfs(['ls', s.url('/ro/dangling-link')])).toEqual({ code: 0, stdout: '/ro/dangling-link\n', stderr: '' });
    const d = await sonfs(['ls', '-ld', s.url('/ro/dir')]);
    expect(parseLong(d.stdout)).toEqual([{ mode: 'drwxr-xr-x', nlink: 3, uid: 0, gid: 0, size: expect.any(Number), name: '/ro/dir' }]);
  });

  test('several operands: files first, then each directory under its header', async () => {
    const s = suiteServer();
    const r = await sonfs(['ls', s.url('/ro/dir/nested'), s.url('/ro/empty')]);
    expect(r.stdout).toBe('/ro/empty\n\n/ro/dir/nested:\ntwo.txt\n');
  });

  test('a missing name or export is reported and the others still listed, exit 1', async () => {
    const s = suiteServer();
    const r = await sonfs(['ls', s.url('/ro/nope'), s.url('/nowhere/x'), s.url('/ro/dir/nested')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('/ro/dir/nested:\ntwo.txt\n');
    expect(r.stderr).toContain("sonfs ls: cannot access '/ro/nope': No such file or directory");
    expect(r.stderr).toMatch(/cannot access 'nfs:\/\/127\.0\.0\.1\/nowhere\/x[^']*': No such file or directory \(no export of 127\.0\.0\.1 contains \/nowhere\/x; the server exports .*\/export.*\)/);
  });

  test('10,000 entries: every name, sorted, from READDIRPLUS alone (no GETATTR or LOOKUP per entry)', async () => {
    const dir = await scratchDir();
    await dir.server.exec(`cd ${dir.path} && for i in $(seq 1 10000); do : > "f$i"; done`, 120_000);
    const ctx = testCtx('sonfs ls');
    try {
      expect(await lsMain(['-l', dir.url()], ctx)).toBe(0);
      const lines = ctx.captured.stdout.text.split('\n').filter((l) => l !== '');
      expect(lines.length).toBe(10_001);
      const names = lines.slice(1).map((l) => l.split(' ').at(-1)!);
      const expected = Array.from({ length: 10_000 }, (_, i) => `f${i + 1}`).sort();
      expect(names).toEqual(expected);
      const [client] = await ctx.mounts.clients();
      const procs = client!.stats().procedures;
      expect(procs.READDIRPLUS!.calls).toBeGreaterThan(1);
      expect(procs.READDIRPLUS!.calls).toBeLessThan(200);
      expect(procs.GETATTR?.calls ?? 0).toBeLessThan(5);
      expect(procs.LOOKUP?.calls ?? 0).toBeLessThan(5);
    } finally {
      await ctx.close();
    }
  });

  test('the executable prints the listing and exits 0', async () => {
    const r = await sonfsBin(['ls', suiteServer().url('/ro/dir')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.toString()).toBe('nested\none.txt\n');
  });
});
