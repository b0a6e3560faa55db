/*
 * sonfs shell: a scripted session through a pipe (the executable), the same commands in
 * process, the completer called directly, and a terminal session (readline in terminal mode on
 * fake TTY streams) using history and the Tab key.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { runShell } from '../../../cli/commands/shell.js';
import type { CliIo } from '../../../cli/io.js';
import { CACHE_MS, Completer } from '../../../cli/shell/completer.js';
import { ShellSession } from '../../../cli/shell/session.js';
import { sostat } from '../../../sockets/index.js';
import { scratchDir } from '../../helpers/scratch.js';
import { suiteServer } from '../../helpers/server.js';
import { Sink, capture } from '../../cli/helpers.js';
import { sonfs, sonfsBin } from './helpers.js';

const local = mkdtempSync(join(tmpdir(), 'sonfs-cli-shell-'));
afterAll(() => rmSync(local, { recursive: true, force: true }));

describe('sonfs shell, scripted through a pipe', () => {
  test('runs every command of the session in order; no prompt, no history file', async () => {
    const dir = await scratchDir();
    const home = join(local, 'home-piped');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(local, 'up.txt'), 'from here\n');
    const script = [
      'pwd',
      'cd ../../ro',
      'pwd',
      'ls dir',
      'cat hello.txt dir/one.txt',
      `get hello.txt ${join(local, 'got.txt')}`,
      `cd ${dir.path}`,
      'mkdir -p sub/deeper',
      'cd sub',
      `put ${join(local, 'up.txt')}`,
      'mv up.txt renamed.txt',
      'ln -s renamed.txt link',
      'ls -l',
      'stat link',
      'cat link',
      'cd ..',
      'rm -r sub',
      'ls',
      'df -h',
      'help',
    ].join('\n') + '\n';
    const r = await sonfsBin(['shell', dir.url()], { input: script, timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    expect(out.startsWith(`${dir.path}\n/ro\nnested\none.txt\nhello from sonfs\none\n`)).toBe(true);
    expect(out).toMatch(/^lrwxrwxrwx 1 0 0 +11 .* link -> renamed\.txt$/m);
    expect(out).toMatch(/^-rw-r--r-- 1 0 0 +10 .* renamed\.txt$/m);
    expect(out).toContain(`  File: ${dir.path}/sub/link -> renamed.txt\n`);
    expect(out).toContain('from here\n');
    expect(out).toMatch(/Filesystem +Size +Used +Avail +Use% +Mounted on\n127\.0\.0\.1:\/export /);
    expect(out).toMatch(/^ {2}get +copy a remote file/m);
    expect(out).not.toContain('sonfs:/');
    expect(readFileSync(join(local, 'got.txt'), 'utf8')).toBe('hello from sonfs\n');
    expect((await dir.server.exec(`ls -A ${dir.path}`)).stdout).toBe('');
    expect(existsSync(join(home, '.sonfs_history'))).toBe(false);
  });

  test('errors are reported and the session goes on; the exit status is the last command\'s, or exit N', async () => {
    const s = suiteServer();
    const failing = await sonfs(['shell', s.url('/ro')], { input: 'cat nope\nbogus\nls -Z\npwd\ncat nope\n' });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toBe('/ro\n');
    expect(failing.stderr).toBe([
      "cat: cannot read '/ro/nope': No such file or directory",
      "sonfs: bogus: unknown command (try 'help')",
      'ls: unknown option -Z',
      'usage: ls [-l] [-a] [-R] [-d] [PATH...]',
      "cat: cannot read '/ro/nope': No such file or directory",
      '',
    ].join('\n'));
    const exited = await sonfs(['shell', s.url('/ro')], { input: 'exit 7\npwd\n' });
    expect(exited).toEqual({ code: 7, stdout: '', stderr: '' });
    const quoted = await sonfs(['shell', s.url('/ro')], { input: `cat 'dir/one.txt' "hello.txt" 'unterminated\n` });
    expect(quoted.stdout).toBe('');
    expect(quoted.stderr).toBe('sonfs: unterminated single quote\n');
  });

  test('without a URL it starts unconnected; cd to a URL connects; a bad start URL is an error', async () => {
    const s = suiteServer();
    const r = await sonfs(['shell'], { input: `ls\ncd ${s.url('/ro/dir')}\npwd\nls\n` });
    expect(r.stderr).toContain('ls: not connected to a server');
    expect(r.stdout).toBe('/ro/dir\nnested\none.txt\n');
    const bad = await sonfs(['shell', s.url('/ro/hello.txt')], { input: 'pwd\n' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("sonfs shell: cannot open '/ro/hello.txt': Not a directory\n");
    const cd = await sonfs(['shell', s.url('/ro')], { input: 'cd hello.txt\ncd nope\npwd\ncd dir/nested\ncd\npwd\n' });
    expect(cd.stderr).toBe("cd: cannot change directory to '/ro/hello.txt': Not a directory\ncd: cannot change directory to '/ro/nope': No such file or directory\n");
    expect(cd.stdout).toBe('/ro\n/ro\n');
  });
});

describe('tab completion', () => {
  const sessions: ShellSession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
  });

  async function session(url: string): Promise<ShellSession> {
    const s = new ShellSession(capture().io);
    sessions.push(s);
    await s.cd(url);
    return s;
  }

  test('the first word completes against the commands', async () => {
    const c = new Completer(await session(suiteServer().url('/ro')));
    expect(await c.complete('ca')).toEqual([['cat '], 'ca']);
    expect((await c.complete(''))[0]).toEqual(expect.arrayContaining(['cd ', 'ls ', 'get ', 'put ', 'exit ']));
  });

  test('a later word completes against its remote directory: directories with /, a single file with a space', async () => {
    const c = new Completer(await session(suiteServer().url('/ro')));
    expect(await c.complete('cat he')).toEqual([['hello.txt '], 'he']);
    expect(await c.complete('ls d')).toEqual([['dangling-link', 'dir/'], 'd']);
    expect(await c.complete('cat dir/')).toEqual([['dir/nested/', 'dir/one.txt'], 'dir/']);
    expect(await c.complete('cat dir/nested/t')).toEqual([['dir/nested/two.txt '], 'dir/nested/t']);
    expect(await c.complete('cat /ro/dir/o')).toEqual([['/ro/dir/one.txt '], '/ro/dir/o']);
    expect(await c.complete('cat zz')).toEqual([[], 'zz']);
    expect(await c.complete('ls -')).toEqual([[], '-']);
  });

  test('a whole nfs:// URL completes too', async () => {
    const c = new Completer(await session(suiteServer().url('/ro')));
    expect(await c.complete('ls nfs://127.0.0.1/ro/di')).toEqual([['nfs://127.0.0.1/ro/dir/'], 'nfs://127.0.0.1/ro/di']);
  });

  test('names with blanks are escaped or quoted; dot files only when asked for', async () => {
    const dir = await scratchDir();
    await dir.server.exec(`cd ${dir.path} && : > 'my file.txt' && : > .secret && : > mine`);
    const c = new Completer(await session(dir.url()));
    expect(await c.complete('cat m')).toEqual([['mine', 'my\\ file.txt'], 'm']);
    expect(await c.complete('cat my\\ ')).toEqual([['my\\ file.txt '], 'my\\ ']);
    expect(await c.complete(`cat 'my f`)).toEqual([[`'my file.txt' `], `'my f`]);
    expect(await c.complete('cat .s')).toEqual([['.secret '], '.s']);
    expect((await c.complete('cat '))[0]).not.toContain('.secret ');
  });

  test('put completes its first operand and get its second against local files', async () => {
    mkdirSync(join(local, 'lc'), { recursive: true });
    writeFileSync(join(local, 'lc', 'local-only.txt'), '');
    const c = new Completer(await session(suiteServer().url('/ro')));
    expect(await c.complete(`put ${join(local, 'lc')}/lo`)).toEqual([[`${join(local, 'lc')}/local-only.txt `], `${join(local, 'lc')}/lo`]);
    expect(await c.complete(`get hello.txt ${join(local, 'lc')}/lo`)).toEqual([[`${join(local, 'lc')}/local-only.txt `], `${join(local, 'lc')}/lo`]);
    expect(await c.complete('get hel')).toEqual([['hello.txt '], 'hel']);
  });

  test('a directory is listed once while its listing is fresh, again after CACHE_MS', async () => {
    let now = 0;
    const c = new Completer(await session(suiteServer().url('/ro')), () => now);
    await c.complete('cat he');
    await c.complete('cat hel');
    await c.complete('ls d');
    expect(c.listings).toBe(1);
    now += CACHE_MS;
    await c.complete('cat he');
    expect(c.listings).toBe(2);
    await c.complete('cat dir/o');
    expect(c.listings).toBe(3);
  });

  test('without a server, or for a missing directory, nothing completes and nothing throws', async () => {
    const unconnected = new Completer(new ShellSession(capture().io));
    expect(await unconnected.complete('cat x')).toEqual([[], 'x']);
    const c = new Completer(await session(suiteServer().url('/ro')));
    expect(await c.complete('cat nope/x')).toEqual([[], 'nope/x']);
  });
});

describe('sonfs shell on a terminal', () => {
  const saved = process.env.SONFS_HISTORY;
  afterEach(() => {
    if (saved === undefined) delete process.env.SONFS_HISTORY;
    else process.env.SONFS_HISTORY = saved;
  });

  async function until(out: Sink, text: string, from: number): Promise<void> {
    for (let i = 0; i < 500 && !out.text.slice(from).includes(text); i++) await new Promise((r) => setTimeout(r, 10));
    expect(out.text.slice(from)).toContain(text);
  }

  test('recalls history with the up arrow, completes with Tab, and saves the history at exit', async () => {
    const history = join(local, 'history');
    writeFileSync(history, 'pwd\n');
    process.env.SONFS_HISTORY = history;
    const stdin = new PassThrough() as PassThrough & { isTTY: boolean };
    stdin.isTTY = true;
    const stdout = new Sink(true, 80);
    const stderr = new Sink();
    const io = { stdin, stdout, stderr } as unknown as CliIo;
    const before = sostat.so_live;
    const done = runShell(io, suiteServer().url('/ro'));
    await until(stdout, 'sonfs:/ro> ', 0);
    let mark = stdout.text.length;
    stdin.write('\x1b[A'); /* up: the last command of the previous session */
    stdin.write('\r');
    await until(stdout, '\n/ro\n', mark);
    mark = stdout.text.length;
    stdin.write('cat hel');
    stdin.write('\t');
    await until(stdout, 'hello.txt', mark);
    stdin.write('\r');
    await until(stdout, 'hello from sonfs', mark);
    stdin.write('exit\r');
    expect(await done).toBe(0);
    expect(stderr.text).toBe('');
    expect(readFileSync(history, 'utf8')).toBe('pwd\ncat hello.txt\nexit\n');
    expect(sostat.so_live).toBe(before);
  });
});
