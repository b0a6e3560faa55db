/*
 * Silly rename against ganesha, and listing a directory of 10,000 entries over TCP and UDP.
 */
import { describe, expect, it } from 'vitest';
import { PROTOS, pattern, scratchMount } from './helpers.js';

describe('silly rename', () => {
  it('an open file unlinked is renamed to a hidden .nfs name, stays readable, and goes at the last close', async () => {
    const { nfs, dir, p } = await scratchMount();
    const data = pattern(200_000, 3);
    await nfs.writeFile(p('open.bin'), data);
    const fh = await nfs.open(p('open.bin'));
    const other = await nfs.open(p('open.bin'));
    await nfs.unlink(p('open.bin'));
    const names = await nfs.readdir(p());
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^\.nfs[0-9a-f]{16}$/);
    expect((await dir.server.exec(['ls', '-A', dir.path])).stdout.trim()).toBe(names[0]);
    expect((await fh.readFile() as Buffer).equals(data)).toBe(true);
    await fh.close();
    expect(await nfs.readdir(p())).toHaveLength(1); /* another handle is still open */
    await other.close();
    expect(await nfs.readdir(p())).toEqual([]);
    expect((await dir.server.exec(['ls', '-A', dir.path])).stdout.trim()).toBe('');
  });

  it('renaming over an open file keeps it alive the same way', async () => {
    const { nfs, p } = await scratchMount();
    await nfs.writeFile(p('target'), 'old contents');
    await nfs.writeFile(p('source'), 'new contents');
    const fh = await nfs.open(p('target'));
    await nfs.rename(p('source'), p('target'));
    expect(await nfs.readFile(p('target'), 'utf8')).toBe('new contents');
    expect((await fh.readFile()).toString()).toBe('old contents');
    expect((await nfs.readdir(p())).filter((n) => n.startsWith('.nfs'))).toHaveLength(1);
    await fh.close();
    expect(await nfs.readdir(p())).toEqual(['target']);
  });

  it('umount removes the hidden names of files still open', async () => {
    const { nfs, dir, p } = await scratchMount();
    await nfs.writeFile(p('f'), 'x');
    await nfs.open(p('f'));
    await nfs.unlink(p('f'));
    expect((await dir.server.exec(['ls', '-A', dir.path])).stdout.trim()).toMatch(/^\.nfs/);
    await nfs.umount();
    expect((await dir.server.exec(['ls', '-A', dir.path])).stdout.trim()).toBe('');
  });
});

describe.each(PROTOS)('a directory of 10,000 entries over %s', (proto) => {
  it('is listed completely, each name exactly once, with types', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    const made = await dir.server.exec(['bash', '-c', `cd ${dir.path} && mkdir big && cd big && touch f{00000..09999}`]);
    expect(made.exitCode, made.output).toBe(0);
    const names = await nfs.readdir(p('big'));
    expect(names).toHaveLength(10_000);
    expect(new Set(names).size).toBe(10_000);
    const want = Array.from({ length: 10_000 }, (_, i) => `f${String(i).padStart(5, '0')}`);
    expect([...names].sort()).toEqual(want);
    const ents = await nfs.readdir(p('big'), { withFileTypes: true });
    expect(ents).toHaveLength(10_000);
    expect(ents.every((e) => e.isFile())).toBe(true);
    expect(new Set(ents.map((e) => e.name)).size).toBe(10_000);
    /* READDIRPLUS primed the caches: stat of every entry is answered without a call */
    const calls = nfs.stats().rpc.calls;
    for (const n of want.slice(0, 500)) await nfs.stat(p(`big/${n}`));
    expect(nfs.stats().rpc.calls).toBe(calls);
  });
});
