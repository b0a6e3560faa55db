/*
 * sonfs cp: local -> nfs -> local round trips checked with libnfs's nfs-cat, nfs -> nfs through
 * one mount, directory trees, overwriting and -n, the same-file guard, and the progress bar.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cpMain } from '../../../cli/commands/cp.js';
import { nfsCat } from '../../helpers/clients.js';
import { scratchDir } from '../../helpers/scratch.js';
import { suiteServer } from '../../helpers/server.js';
import { sonfs, sonfsBin, testCtx } from './helpers.js';

const ROOT = { uid: 0, gid: 0 };
const local = mkdtempSync(join(tmpdir(), 'sonfs-cli-cp-'));
afterAll(() => rmSync(local, { recursive: true, force: true }));

describe('sonfs cp', () => {
  test('local -> nfs -> local round trip; nfs-cat reads what cp wrote, once cp has exited', async () => {
    const dir = await scratchDir();
    const data = randomBytes(5 * 1024 * 1024 + 4321);
    const src = join(local, 'src.bin');
    writeFileSync(src, data);
    const up = await sonfsBin(['cp', src, dir.url('up.bin')]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toBe(''); /* not a terminal: no progress bar */
    expect((await nfsCat(dir.url('up.bin', ROOT))).equals(data)).toBe(true);
    const back = join(local, 'back.bin');
    const down = await sonfsBin(['cp', dir.url('up.bin'), back]);
    expect(down.code, down.stderr).toBe(0);
    expect(readFileSync(back).equals(data)).toBe(true);
  });

  test('nfs -> nfs within one export uses one mount, and the copy is exact', async () => {
    const dir = await scratchDir();
    const data = randomBytes(3 * 1024 * 1024 + 1);
    writeFileSync(join(local, 'n2n.bin'), data);
    expect((await sonfs(['cp', join(local, 'n2n.bin'), dir.url('a.bin')])).code).toBe(0);
    const ctx = testCtx('sonfs cp');
    try {
      expect(await cpMain([dir.url('a.bin'), dir.url('b.bin')], ctx)).toBe(0);
      expect((await ctx.mounts.clients()).length).toBe(1);
    } finally {
      await ctx.close();
    }
    expect((await nfsCat(dir.url('b.bin', ROOT))).equals(data)).toBe(true);
  });

  test('nfs -> nfs across exports: from the read-only export into /export', async () => {
    const dir = await scratchDir();
    const r = await sonfs(['cp', suiteServer().url('/ro/hello.txt'), dir.url()]);
    expect(r.code, r.stderr).toBe(0);
    expect((await nfsCat(dir.url('hello.txt', ROOT))).toString()).toBe('hello from sonfs\n');
  });

  test('an existing file is replaced (truncated); -n refuses and leaves it alone', async () => {
    const dir = await scratchDir();
    await dir.server.exec(`head -c 100000 /dev/zero > ${dir.path}/old`);
    writeFileSync(join(local, 'short'), 'short\n');
    expect((await sonfs(['cp', join(local, 'short'), dir.url('old')])).code).toBe(0);
    expect((await nfsCat(dir.url('old', ROOT))).toString()).toBe('short\n');
    writeFileSync(join(local, 'other'), 'other\n');
    const refused = await sonfs(['cp', '-n', join(local, 'other'), dir.url('old')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`sonfs cp: cannot create regular file '${dir.path}/old': File exists\n`);
    expect((await nfsCat(dir.url('old', ROOT))).toString()).toBe('short\n');
  });

  test('a file onto itself is refused, and its data survives', async () => {
    const dir = await scratchDir();
    await dir.server.exec(`printf keep > ${dir.path}/f`);
    const r = await sonfs(['cp', dir.url('f'), dir.url('./f')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('are the same file');
    expect((await nfsCat(dir.url('f', ROOT))).toString()).toBe('keep');
  });

  test('several sources into a directory; a non-directory target for several is refused', async () => {
    const dir = await scratchDir();
    writeFileSync(join(local, 'one'), '1');
    writeFileSync(join(local, 'two'), '22');
    expect((await sonfs(['cp', join(local, 'one'), join(local, 'two'), dir.url()])).code).toBe(0);
    expect((await dir.server.exec(`cat ${dir.path}/one ${dir.path}/two`)).stdout).toBe('122');
    const bad = await sonfs(['cp', join(local, 'one'), join(local, 'two'), dir.url('one')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`target '${dir.path}/one' is not a directory`);
  });

  test('-r copies a tree both ways: files, subdirectories, symbolic links; without -r a directory is skipped', async () => {
    const dir = await scratchDir();
    const tree = join(local, 'tree');
    mkdirSync(join(tree, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(tree, 'a.txt'), 'a');
    writeFileSync(join(tree, 'sub', 'b.bin'), randomBytes(200_000));
    writeFileSync(join(tree, 'sub', 'deeper', 'c'), '');
    symlinkSync('../a.txt', join(tree, 'sub', 'link'));
    const no = await sonfs(['cp', tree, dir.url()]);
    expect(no.code).toBe(1);
    expect(no.stderr).toContain(`-r not specified; omitting directory '${tree}'`);
    const up = await sonfs(['cp', '-r', tree, dir.url()]);
    expect(up.code, up.stderr).toBe(0);
    const listing = await dir.server.exec(`cd ${dir.path}/tree && find . | sort && readlink sub/link`);
    expect(listing.stdout).toBe(['.', './a.txt', './sub', './sub/b.bin', './sub/deeper', './sub/deeper/c', './sub/link', '../a.txt', ''].join('\n'));
    const back = join(local, 'back-tree');
    const down = await sonfs(['cp', '-r', dir.url('tree'), back]);
    expect(down.code, down.stderr).toBe(0);
    expect(readdirSync(back).sort()).toEqual(['a.txt', 'sub']);
    expect(readFileSync(join(back, 'sub', 'b.bin')).equals(readFileSync(join(tree, 'sub', 'b.bin')))).toBe(true);
    expect(readlinkSync(join(back, 'sub', 'link'))).toBe('../a.txt');
    expect(statSync(join(back, 'sub', 'deeper', 'c')).size).toBe(0);
  });

  test('a directory is not copied into itself', async () => {
    const dir = await scratchDir();
    await dir.server.exec(`mkdir ${dir.path}/d && : > ${dir.path}/d/f`);
    const r = await sonfs(['cp', '-r', dir.url('d'), dir.url('d/inner')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('into itself');
  });

  test('on a terminal, stderr shows a progress bar ending at 100 %; the file is exact', async () => {
    const dir = await scratchDir();
    const data = randomBytes(8 * 1024 * 1024);
    writeFileSync(join(local, 'bar.bin'), data);
    const r = await sonfs(['cp', join(local, 'bar.bin'), dir.url('bar.bin')], { ttyErr: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\r.*bar\.bin +\[#+\] 100% +8\.0 MiB +[\d.]+ [KMG]?i?B\/s +\d+:\d\d/);
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect((await nfsCat(dir.url('bar.bin', ROOT))).equals(data)).toBe(true);
  });

  test('a missing source or an unmountable destination is reported, exit 1', async () => {
    const dir = await scratchDir();
    const r = await sonfs(['cp', join(local, 'does-not-exist'), dir.url('x')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot stat '${join(local, 'does-not-exist')}': No such file or directory`);
    writeFileSync(join(local, 'ok'), 'ok');
    const ro = await sonfs(['cp', join(local, 'ok'), suiteServer().url('/ro/ok')]);
    expect(ro.code).toBe(1);
    expect(ro.stderr).toBe("sonfs cp: cannot create regular file '/ro/ok': Read-only file system\n");
  });
});
