/*
 * sonfs stat, mkdir, rm, mv, ln and df against the suite's server, each checked against what
 * the server's own file system says (docker exec in its container).
 */
import { describe, expect, test } from 'vitest';
import { scratchDir } from '../../helpers/scratch.js';
import { suiteServer } from '../../helpers/server.js';
import { sonfs } from './helpers.js';

async function sh(dir: { server: { exec(c: string): Promise<{ stdout: string }> } }, cmd: string): Promise<string> {
  return (await dir.server.exec(cmd)).stdout;
}

describe('sonfs stat', () => {
  test("prints what stat(1) in the server's container reports", async () => {
    const s = suiteServer();
    const r = await sonfs(['stat', s.url('/ro/hello.txt')]);
    expect(r.code, r.stderr).toBe(0);
    const [size, blocks, mode, nlink, ino, uid, gid, mtime] = (await s.exec('stat -c "%s %b %a %h %i %u %g %Y" /ro/hello.txt')).stdout.trim().split(' ');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('  File: /ro/hello.txt');
    expect(lines[1]).toMatch(new RegExp(`^  Size: ${size} +\\tBlocks: ${blocks} +IO Block: \\d+ +regular file$`));
    expect(lines[2]).toMatch(new RegExp(`^Device: [0-9a-f]+h/\\d+d\\tInode: ${ino} +Links: ${nlink}$`));
    expect(lines[3]).toBe(`Access: (0${mode}/-rw-r--r--)  Uid: (${uid!.padStart(5)})   Gid: (${gid!.padStart(5)})`);
    const modify = /^Modify: (.*)$/m.exec(r.stdout)![1]!;
    expect(Date.parse(modify.replace(' ', 'T').replace(/\.\d+ /, '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) / 1000).toBe(Number(mtime));
    expect(lines[7]).toBe(' Birth: -');
  });

  test('describes a symbolic link itself, or with -L what it points to', async () => {
    const s = suiteServer();
    const link = await sonfs(['stat', s.url('/ro/link-to-hello')]);
    expect(link.stdout).toMatch(/^ {2}File: \/ro\/link-to-hello -> hello.txt\n {2}Size: 9 .*symbolic link\n/);
    const followed = await sonfs(['stat', '-L', s.url('/ro/link-to-hello')]);
    expect(followed.stdout).toMatch(/Size: 17 .*regular file/);
    const dangling = await sonfs(['stat', '-L', s.url('/ro/dangling-link')]);
    expect(dangling.code).toBe(1);
    expect(dangling.stderr).toBe("sonfs stat: cannot stat '/ro/dangling-link': No such file or directory\n");
  });
});

describe('sonfs mkdir, rm, mv, ln', () => {
  test('mkdir makes one directory, -p a chain, -m sets the mode; an existing one is an error without -p', async () => {
    const dir = await scratchDir();
    expect((await sonfs(['mkdir', dir.url('one')])).code).toBe(0);
    expect((await sonfs(['mkdir', '-p', dir.url('a/b/c')])).code).toBe(0);
    expect((await sonfs(['mkdir', '-m', '700', dir.url('private')])).code).toBe(0);
    expect(await sh(dir, `cd ${dir.path} && find . -type d | sort && stat -c %a private`)).toBe('.\n./a\n./a/b\n./a/b/c\n./one\n./private\n700\n');
    const again = await sonfs(['mkdir', dir.url('one')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`sonfs mkdir: cannot create directory '${dir.path}/one': File exists\n`);
    expect((await sonfs(['mkdir', '-p', dir.url('one')])).code).toBe(0);
  });

  test('rm removes files, refuses directories without -r, removes trees with -r, -f ignores missing names', async () => {
    const dir = await scratchDir();
    await sh(dir, `cd ${dir.path} && : > f && mkdir -p t/u && : > t/u/g && ln -s f l`);
    expect((await sonfs(['rm', dir.url('f'), dir.url('l')])).code).toBe(0);
    const refused = await sonfs(['rm', dir.url('t')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`sonfs rm: cannot remove '${dir.path}/t': Is a directory\n`);
    expect((await sonfs(['rm', '-r', dir.url('t')])).code).toBe(0);
    expect(await sh(dir, `ls -A ${dir.path}`)).toBe('');
    const missing = await sonfs(['rm', dir.url('nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`sonfs rm: cannot remove '${dir.path}/nope': No such file or directory\n`);
    expect(await sonfs(['rm', '-f', dir.url('nope')])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('rm refuses the root of an export', async () => {
    const r = await sonfs(['rm', '-rf', suiteServer().url('/export')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refusing to remove the root of export '/export'");
  });

  test('mv renames within an export (RENAME), into a directory, and replaces a file', async () => {
    const dir = await scratchDir();
    await sh(dir, `cd ${dir.path} && printf a > a && printf b > b && mkdir d`);
    expect((await sonfs(['mv', dir.url('a'), dir.url('a2')])).code).toBe(0);
    expect((await sonfs(['mv', dir.url('a2'), dir.url('d')])).code).toBe(0);
    expect((await sonfs(['mv', dir.url('b'), dir.url('d/a2')])).code).toBe(0);
    expect(await sh(dir, `cd ${dir.path} && find . | sort && cat d/a2`)).toBe('.\n./d\n./d/a2\nb');
    const missing = await sonfs(['mv', dir.url('zz'), dir.url('yy')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot stat '${dir.path}/zz': No such file or directory`);
  });

  test('mv across exports copies, then removes the source; a read-only source cannot be removed, exit 1', async () => {
    const dir = await scratchDir();
    await sh(dir, `printf moved > ${dir.path}/src`);
    /* /export -> /export is one export; /ro -> /export is two: the copy-and-remove path. */
    const r = await sonfs(['mv', suiteServer().url('/ro/hello.txt'), dir.url('hello.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("'/ro/hello.txt'");
    expect(r.stderr).toContain('Read-only file system');
    expect(await sh(dir, `cat ${dir.path}/hello.txt`)).toBe('hello from sonfs\n');
  });

  test('mv across exports moves a file and a tree: copied to the other export, removed from this one', async () => {
    const dir = await scratchDir();
    const s = suiteServer();
    const away = `/squash/${dir.name}`;
    await sh(dir, `cd ${dir.path} && printf moved > src && mkdir -p tree/sub && printf t > tree/sub/f`);
    try {
      expect((await sonfs(['mkdir', s.url(away)])).code).toBe(0);
      const f = await sonfs(['mv', dir.url('src'), s.url(`${away}/dst`)]);
      expect(f.code, f.stderr).toBe(0);
      const t = await sonfs(['mv', dir.url('tree'), s.url(away)]);
      expect(t.code, t.stderr).toBe(0);
      expect(await sh(dir, `ls -A ${dir.path}; cd ${away} && find . | sort && cat dst tree/sub/f`)).toBe('.\n./dst\n./tree\n./tree/sub\n./tree/sub/f\nmovedt');
    } finally {
      await s.exec(['rm', '-rf', '--', away]);
    }
  });

  test('ln -s stores the target as given; ln makes a hard link; -f replaces', async () => {
    const dir = await scratchDir();
    await sh(dir, `printf x > ${dir.path}/f`);
    expect((await sonfs(['ln', '-s', '../elsewhere/f', dir.url('sym')])).code).toBe(0);
    expect((await sonfs(['ln', dir.url('f'), dir.url('hard')])).code).toBe(0);
    expect(await sh(dir, `cd ${dir.path} && readlink sym && stat -c %h f`)).toBe('../elsewhere/f\n2\n');
    const exists = await sonfs(['ln', '-s', 'f', dir.url('sym')]);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toBe(`sonfs ln: cannot create symbolic link '${dir.path}/sym': File exists\n`);
    expect((await sonfs(['ln', '-sf', 'f', dir.url('sym')])).code).toBe(0);
    expect(await sh(dir, `readlink ${dir.path}/sym`)).toBe('f\n');
  });

  test('a hard link across exports is refused with EXDEV', async () => {
    const dir = await scratchDir();
    const r = await sonfs(['ln', suiteServer().url('/ro/hello.txt'), dir.url('h')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Cross-device link');
  });
});

describe('sonfs df', () => {
  test("reports the export's size as df -k in the server's container does", async () => {
    const s = suiteServer();
    const r = await sonfs(['df', s.url('/ro')]);
    expect(r.code, r.stderr).toBe(0);
    const [head, row] = r.stdout.split('\n');
    expect(head).toMatch(/^Filesystem +1K-blocks +Used +Available +Use% +Mounted on$/);
    const theirs = (await s.exec('df -k /ro | tail -1')).stdout.trim().split(/\s+/);
    const ours = row!.trim().split(/\s+/);
    expect(ours[0]).toBe('127.0.0.1:/ro');
    expect(ours.slice(1, 5)).toEqual(theirs.slice(1, 5)); /* /ro does not change: total, used, available, use% */
    expect(ours[5]).toBe('/ro');
  });

  test('-h and -i', async () => {
    const s = suiteServer();
    expect((await sonfs(['df', '-h', s.url('/ro')])).stdout).toMatch(/^Filesystem +Size +Used +Avail +Use% +Mounted on\n127\.0\.0\.1:\/ro +16M +1\.1M +15M +7% +\/ro\n$/);
    expect((await sonfs(['df', '-i', s.url('/export')])).stdout).toMatch(/^Filesystem +Inodes +IUsed +IFree +IUse% +Mounted on\n127\.0\.0\.1:\/export +\d+ +\d+ +\d+ +\d+% +\/export\n$/);
  });
});
