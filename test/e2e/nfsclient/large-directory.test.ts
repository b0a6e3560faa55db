/*
 * A directory of 100,000 entries on ganesha: listed completely by READDIR and READDIRPLUS, each
 * name once, in the same set Debian's nfs-ls lists.
 */
import { describe, expect, it } from 'vitest';
import { nfsLs, parseNfsLs } from '../../helpers/clients.js';
import { scratchMount } from './helpers.js';

const N = 100_000;

describe('a directory of 100,000 entries', () => {
  it('is listed completely, each name once, by READDIR and READDIRPLUS, as nfs-ls lists it', async () => {
    const { nfs, dir, p } = await scratchMount('tcp');
    const made = await dir.server.exec(['bash', '-c', `mkdir ${dir.path}/big && cd ${dir.path}/big && seq -f 'e%06g' 0 ${N - 1} | xargs touch`], 120_000);
    expect(made.exitCode, made.output).toBe(0);
    const want = Array.from({ length: N }, (_, i) => `e${String(i).padStart(6, '0')}`);
    const names = await nfs.readdir(p('big'));
    expect(names).toHaveLength(N);
    expect([...names].sort()).toEqual(want);
    const typed = await nfs.readdir(p('big'), { withFileTypes: true });
    expect(typed).toHaveLength(N);
    expect(typed.every((d) => d.isFile())).toBe(true);
    expect(typed.map((d) => d.name).sort()).toEqual(want);
    expect(nfs.stats().readdirLoops).toBe(0);
    const listed = parseNfsLs(await nfsLs(dir.url('big', { version: 3 }), { timeoutMs: 120_000 }))
      .map((e) => e.name).filter((n) => n !== '.' && n !== '..');
    expect(listed.sort()).toEqual(want);
  }, 180_000);
});
