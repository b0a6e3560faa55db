/*
 * Cross-checks with an independent client, libnfs's tools: what sonfs writes nfs-cat reads back
 * byte for byte; what nfs-cp writes sonfs reads back; sonfs's listings equal nfs-ls's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nfsCat, nfsCp, nfsLs, parseNfsLs } from '../../helpers/clients.js';
import { PROTOS, pattern, scratchMount } from './helpers.js';

const local = mkdtempSync(join(tmpdir(), 'sonfs-interop-'));
afterAll(() => rmSync(local, { recursive: true, force: true }));

/* libnfs sends the caller's uid unless told: claim root, as the files are root's. */
const ROOT = { uid: 0, gid: 0 };

describe.each(PROTOS)('with libnfs, sonfs over %s', (proto) => {
  it('files written by sonfs read back byte for byte with nfs-cat', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    const files: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['small.txt', Buffer.from('hello, libnfs\n')],
      ['odd.bin', pattern(3 * 1024 * 1024 + 12345, 7)],
    ];
    for (const [name, data] of files) await nfs.writeFile(p(name), data);
    const fh = await nfs.open(p('streamed.bin'), 'w');
    const chunk = pattern(100_003, 9);
    for (let i = 0; i < 30; i++) await fh.write(chunk);
    await fh.close();
    files.push(['streamed.bin', Buffer.concat(Array(30).fill(chunk) as Buffer[])]);
    for (const [name, data] of files) {
      const back = await nfsCat(dir.url(name, ROOT));
      expect(back.length, name).toBe(data.length);
      expect(back.equals(data), name).toBe(true);
    }
  });

  it('files written by nfs-cp read back byte for byte with sonfs', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    const data = pattern(2 * 1024 * 1024 + 77, 11);
    writeFileSync(join(local, `cp-${proto}.bin`), data);
    const r = await nfsCp(join(local, `cp-${proto}.bin`), dir.url('copied.bin', ROOT));
    expect(r.code, r.stderr).toBe(0);
    expect((await nfs.readFile(p('copied.bin')) as Buffer).equals(data)).toBe(true);
    const partial = Buffer.alloc(1000);
    const fh = await nfs.open(p('copied.bin'));
    await fh.read(partial, 0, 1000, 1_500_000);
    await fh.close();
    expect(partial.equals(data.subarray(1_500_000, 1_501_000))).toBe(true);
  });

  it('directory listings equal nfs-ls\'s: names, types, modes, sizes', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    await nfs.mkdir(p('sub'));
    await nfs.writeFile(p('a.txt'), 'aaa');
    await nfs.writeFile(p('b.bin'), pattern(5000), { mode: 0o600 });
    await nfs.symlink('a.txt', p('link'));
    for (let i = 0; i < 40; i++) await nfs.writeFile(p(`many-${i}`), String(i));
    const theirs = parseNfsLs(await nfsLs(dir.url('', ROOT))).filter((e) => e.name !== '.' && e.name !== '..');
    const ours = await nfs.readdir(p(), { withFileTypes: true });
    expect(ours.map((e) => e.name).sort()).toEqual(theirs.map((e) => e.name).sort());
    for (const t of theirs) {
      const st = await nfs.lstat(p(t.name));
      const kind = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : '-';
      expect([kind, st.nlink, st.uid, st.gid], t.name).toEqual([t.mode[0], t.nlink, t.uid, t.gid]);
      if (!st.isDirectory()) expect(st.size, t.name).toBe(t.size);
      const perm = t.mode.slice(1).split('').map((c, i) => (c === '-' ? 0 : 1 << (8 - i))).reduce((a, b) => a + b, 0);
      expect(st.mode & 0o777, t.name).toBe(perm);
    }
  });
});
