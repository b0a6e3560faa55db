/*
 * Programs nobody here wrote, on a sonfs mount: coreutils (cp -a, mv, ln -s, chmod, touch -d,
 * truncate, find, du), tar and git. What they write through the mount is read back from the
 * server with libnfs's nfs-cat, and compared with the source; attributes are compared with the
 * server's own view (stat in its container) where the mount could flatter itself.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RO_ENTRIES, RO_MTIME, roPattern } from '../../../testing/index.js';
import { scratchDir } from '../../helpers/scratch.js';
import { suiteServer } from '../../helpers/server.js';
import {
  checkNoMountsLeft, crossCheck, fuseMount, fuseUnavailable, localDir, sh, shOk, treeSummary,
} from './helpers.js';

checkNoMountsLeft();
beforeAll(() => {
  const why = fuseUnavailable();
  if (why !== null) throw new Error(why);
});

/* A tree with what trips file systems up: empty and odd-sized files, holes, modes, a symbolic
 * link, a hard link, nanosecond times, spaces and UTF-8 in names, nesting. */
async function makeTree(root: string): Promise<void> {
  mkdirSync(join(root, 'sub/deeper/deepest'), { recursive: true });
  mkdirSync(join(root, 'dir with spaces'));
  writeFileSync(join(root, 'empty'), '');
  writeFileSync(join(root, 'one'), 'x');
  writeFileSync(join(root, 'page-1'), randomBytes(4095));
  writeFileSync(join(root, 'page'), randomBytes(4096));
  writeFileSync(join(root, 'sub/odd.bin'), randomBytes(65537));
  writeFileSync(join(root, 'sub/deeper/big.bin'), randomBytes(3 * 1024 * 1024 + 7));
  writeFileSync(join(root, 'sub/deeper/deepest/ünïcödé.txt'), 'héllo\n');
  writeFileSync(join(root, 'dir with spaces/a file'), 'spaces\n');
  writeFileSync(join(root, 'secret'), 'mode 600\n', { mode: 0o600 });
  writeFileSync(join(root, 'script.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
  symlinkSync('sub/odd.bin', join(root, 'link-to-odd'));
  linkSync(join(root, 'one'), join(root, 'one-hardlink'));
  await shOk(`truncate -s 2000000 '${join(root, 'sparse')}' && printf tail >> '${join(root, 'sparse')}'`);
  await shOk(`touch -h -d '2001-02-03 04:05:06.123456789' '${join(root, 'page')}' '${join(root, 'link-to-odd')}'`);
  await shOk(`touch -d '1999-12-31 23:59:59.000000001' '${join(root, 'sub/deeper')}'`);
}

describe('coreutils on a sonfs mount', () => {
  it('cp -a copies a tree exactly: bytes (read back with nfs-cat), modes, times to the ns, links', async () => {
    const scratch = await scratchDir();
    const src = localDir('src');
    await makeTree(src);
    const m = await fuseMount(scratch.url());
    try {
      await shOk(`cp -a '${src}/.' '${m.dir}/copy'`);
      expect(treeSummary(join(m.dir, 'copy'))).toEqual(treeSummary(src));
      const a = lstatSync(join(m.dir, 'copy/one'));
      const b = lstatSync(join(m.dir, 'copy/one-hardlink'));
      expect(b.ino).toBe(a.ino); /* cp -a keeps hard links: one file, two names */
      expect(a.nlink).toBe(2);
      const n = await crossCheck(scratch, m.dir, 'copy', (p) => readFileSync(join(src, p.slice('copy/'.length))));
      expect(n).toBe(12);
      /* The server's own view of what came through the mount. */
      const onServer = await scratch.server.exec(`stat -c '%a %s %y' ${scratch.path}/copy/secret ${scratch.path}/copy/page ${scratch.path}/copy/sparse`);
      expect(onServer.output.trim().split('\n')).toEqual([
        `600 9 ${(await shOk(`date -r '${src}/secret' '+%Y-%m-%d %H:%M:%S.%N %z'`)).trim()}`,
        `644 4096 2001-02-03 04:05:06.123456789 +0000`,
        `644 2000004 ${(await shOk(`date -r '${src}/sparse' '+%Y-%m-%d %H:%M:%S.%N %z'`)).trim()}`,
      ]);
    } finally {
      await m.unmount();
    }
  });

  it('mv, ln -s, chmod, touch -d and truncate change what find, du and the server see', async () => {
    const scratch = await scratchDir();
    const m = await fuseMount(scratch.url());
    const d = m.dir;
    try {
      await shOk(`cd '${d}' && mkdir -p a/b && printf 0123456789abcdef > a/f && head -c 100000 /dev/urandom > a/b/r`);
      await shOk(`cd '${d}' && mv a/f a/g && mv a/b c && mv a/g c/ && ln -s c/g lnk && chmod 640 c/g && chmod 700 c`);
      await shOk(`cd '${d}' && touch -d '2010-06-07 08:09:10.5' c/g && truncate -s 10 c/g && truncate -s 300000 c/r`);
      await shOk(`cd '${d}' && touch -m -d '2011-01-01 00:00:00' c/r`);
      const found = await shOk(`cd '${d}' && find . -printf '%p %y %m %s\\n' | sort`);
      expect(found.trim().split('\n')).toEqual([
        '. d 777 ' + lstatSync(d).size,
        './a d 755 ' + lstatSync(join(d, 'a')).size,
        './c d 700 ' + lstatSync(join(d, 'c')).size,
        './c/g f 640 10',
        './c/r f 644 300000',
        './lnk l 777 3',
      ]);
      /* truncate moved g's mtime after touch -d; touch -m of r set it and left atime alone */
      expect(lstatSync(join(d, 'c/r')).mtime.toISOString()).toBe('2011-01-01T00:00:00.000Z');
      expect(Number((await shOk(`du -b --apparent-size -s '${d}/c/g' '${d}/c/r'`)).split(/\s+/)[0])).toBe(10);
      expect((await shOk(`cat '${d}/lnk'`))).toBe('0123456789');
      expect(await crossCheck(scratch, d)).toBe(2);
      const r = readFileSync(join(d, 'c/r'));
      expect(r.subarray(100000).equals(Buffer.alloc(200000))).toBe(true); /* the hole reads as zeros */
      const onServer = await scratch.server.exec(`cd ${scratch.path} && stat -c '%n %a %s %Y' c/g c/r && readlink lnk && ls -A a | wc -l && ls c | tr '\\n' ' '`);
      const lines = onServer.output.trim().split('\n');
      expect(lines[0]).toMatch(/^c\/g 640 10 \d+$/);
      expect(lines[1]).toBe(`c/r 644 300000 ${Date.parse('2011-01-01T00:00:00Z') / 1000}`);
      expect(lines[2]).toBe('c/g');
      expect(lines.slice(3).map((l) => l.trim())).toEqual(['0', 'g r']);
    } finally {
      await m.unmount();
    }
  });

  it('tar c / tar x round trips through the mount keep every byte, mode and time', async () => {
    const scratch = await scratchDir();
    const src = localDir('tarsrc');
    await makeTree(src);
    const back = localDir('tarback');
    const m = await fuseMount(scratch.url());
    try {
      await shOk(`mkdir '${m.dir}/t' && tar c --format=posix -C '${src}' . | tar x --format=posix -C '${m.dir}/t'`);
      await shOk(`tar c --format=posix -C '${m.dir}/t' . | tar x --format=posix -C '${back}'`);
      const want = treeSummary(src);
      expect(treeSummary(join(m.dir, 't'))).toEqual(want);
      expect(treeSummary(back)).toEqual(want);
      await crossCheck(scratch, m.dir, 't', (p) => readFileSync(join(src, p.slice('t/'.length))));
      /* tar's own comparison of the archive with the mount */
      await shOk(`tar c --format=posix -C '${src}' . | tar d --format=posix -C '${m.dir}/t'`);
    } finally {
      await m.unmount();
    }
  });

  it('git init, add, commit and log; the repository is whole (fsck, a clone, nfs-cat)', async () => {
    const scratch = await scratchDir();
    const m = await fuseMount(scratch.url());
    const git = 'git -c user.name=sonfs -c user.email=sonfs@example.org -c init.defaultBranch=main';
    try {
      const repo = join(m.dir, 'repo');
      await shOk(`${git} init -q '${repo}' && cd '${repo}' && mkdir src && for i in $(seq 1 30); do echo "line $i" > src/f$i.txt; done`);
      await shOk(`cd '${repo}' && head -c 300000 /dev/urandom > blob.bin && ${git} add . && ${git} commit -qm first`);
      await shOk(`cd '${repo}' && echo changed >> src/f1.txt && git mv src/f2.txt src/moved.txt && ${git} commit -qam second`);
      const log = await shOk(`cd '${repo}' && git log --format=%s`);
      expect(log).toBe('second\nfirst\n');
      expect(await shOk(`cd '${repo}' && git status --porcelain`)).toBe('');
      await shOk(`cd '${repo}' && git fsck --full --strict`);
      const clone = localDir('clone');
      await shOk(`git clone -q '${repo}' '${clone}/c' && cd '${clone}/c' && git fsck --full && git log --format=%s | tr '\\n' ' '`);
      expect(readFileSync(join(clone, 'c/src/f1.txt'), 'utf8')).toBe('line 1\nchanged\n');
      await crossCheck(scratch, m.dir, 'repo');
    } finally {
      await m.unmount();
    }
  });

  it('the read-only export, and a mount made with -o ro: everything reads as the server has it, writes are EROFS', async () => {
    const ro = await fuseMount(suiteServer().url('/ro'));
    const scratch = await scratchDir();
    const rw = await fuseMount(scratch.url(), ['-o', 'ro,actimeo=1']);
    try {
      for (const e of RO_ENTRIES) {
        const p = join(ro.dir, e.path);
        const st = lstatSync(p);
        if (e.type === 'file') {
          expect(readFileSync(p).equals(e.content !== undefined ? Buffer.from(e.content) : roPattern()), e.path).toBe(true);
          expect(st.mtime.getTime(), e.path).toBe(RO_MTIME.getTime());
        } else if (e.type === 'symlink') {
          expect(readlinkSync(p)).toBe(e.target);
        } else {
          expect(st.isDirectory()).toBe(true);
        }
      }
      const listing = (await shOk(`cd '${ro.dir}' && find . | sort`)).trim().split('\n');
      expect(listing).toEqual(['.', ...RO_ENTRIES.map((e) => `./${e.path}`)].sort());
      for (const [dir, cmd] of [[ro.dir, 'touch new'], [rw.dir, 'touch new'], [rw.dir, 'mkdir d']] as const) {
        const r = await sh(`cd '${dir}' && ${cmd}`);
        expect(r.code, cmd).not.toBe(0);
        expect(r.stderr, cmd).toMatch(/Read-only file system/);
      }
      expect(readdirSync(rw.dir)).toEqual([]);
    } finally {
      await ro.unmount();
      await rw.unmount();
    }
  });

  it('names that are not UTF-8 are bytes end to end: made, listed, renamed and removed through the mount as the server has them', async () => {
    const scratch = await scratchDir();
    const m = await fuseMount(scratch.url());
    try {
      /* "café" in Latin-1 (0xe9 is not UTF-8 alone), and a name with a stray 0xff */
      await shOk(`cd '${m.dir}' && printf latin1 > $'caf\\xe9' && mkdir $'d\\xff' && printf x > $'d\\xff/f'`);
      const names = readdirSync(m.dir, { encoding: 'buffer' }).map((b) => b.toString('hex')).sort();
      expect(names).toEqual([Buffer.from('caf\xe9', 'latin1').toString('hex'), Buffer.from('d\xff', 'latin1').toString('hex')].sort());
      const onServer = await scratch.server.exec(`cd ${scratch.path} && ls | od -An -tx1 | tr -d ' \\n'`);
      expect(onServer.output.trim()).toBe('636166e90a64ff0a'); /* caf\xe9 \n d\xff \n */
      expect(await shOk(`cat '${m.dir}/'$'caf\\xe9'`)).toBe('latin1');
      await shOk(`cd '${m.dir}' && mv $'caf\\xe9' $'d\\xff/caf\\xe9' && ls $'d\\xff' | od -An -c | tr -s ' '`);
      await shOk(`cd '${m.dir}' && rm -r $'d\\xff'`);
      expect(readdirSync(m.dir)).toEqual([]);
    } finally {
      await m.unmount();
    }
  });

  it('errors come back as the file system would give them', async () => {
    const scratch = await scratchDir();
    const m = await fuseMount(scratch.url());
    try {
      await shOk(`cd '${m.dir}' && mkdir d && touch d/f f`);
      const cases: [string, RegExp][] = [
        ['rmdir d', /Directory not empty/],
        ['mkdir d', /File exists/],
        ['cat nothing', /No such file or directory/],
        ['cd f', /Not a directory/],
        ['ln f d/f', /File exists/],
      ];
      for (const [cmd, want] of cases as [string, RegExp][]) {
        const r = await sh(`cd '${m.dir}' && ${cmd}`);
        expect(r.code, cmd).not.toBe(0);
        expect(r.stderr, cmd).toMatch(want);
      }
    } finally {
      await m.unmount();
    }
  });
});
