/*
 * Path resolution: ".." never leaves the mount (the server is never sent ".."), symbolic links
 * are followed with a limit (ELOOP), lstat/readlink/unlink do not follow the last one, names with
 * NUL are EINVAL before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { MAXSYMLINKS } from '../../../nfsclient/index.js';
import type { Nfs3Args } from '../../../nfsclient/index.js';
import { rejection, scratchMount } from './helpers.js';

describe('path resolution', () => {
  it('"../../.." never escapes the mount root, and ".." is never sent to the server', async () => {
    const { nfs, p, dir } = await scratchMount();
    await nfs.writeFile(p('f'), 'inside');
    const lookups: Nfs3Args<'LOOKUP'>[] = [];
    nfs.raw.nfs.onCall = (name, args) => {
      if (name === 'LOOKUP') lookups.push(args as Nfs3Args<'LOOKUP'>);
    };
    expect(await nfs.readFile(`../../../../${dir.name}/f`, 'utf8')).toBe('inside');
    expect(await nfs.readFile(`${p()}/../../../${dir.name}/./f`, 'utf8')).toBe('inside');
    const e = await rejection(nfs.readFile('/../../../../etc/passwd'));
    expect(e.code).toBe('ENOENT');
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.map((l) => l.what.name)).not.toContain('..');
    /* "etc" was looked up in the export's root: the walk stayed inside */
    const etc = lookups.find((l) => l.what.name === 'etc')!;
    expect(etc.what.dir.equals(nfs.rootHandle)).toBe(true);
    nfs.raw.nfs.onCall = null;
  });

  it('symbolic links: relative and absolute targets resolve inside the mount', async () => {
    const { nfs, p } = await scratchMount();
    await nfs.mkdir(p('d/e'), { recursive: true });
    await nfs.writeFile(p('d/e/f'), 'target');
    await nfs.symlink('e/f', p('d/rel'));
    await nfs.symlink(`${p('d/e')}`, p('abs'));
    await nfs.symlink('../../../../../..', p('d/e/up'));
    expect(await nfs.readFile(p('d/rel'), 'utf8')).toBe('target');
    expect(await nfs.readFile(p('abs/f'), 'utf8')).toBe('target');
    expect((await nfs.stat(p('d/e/up'))).ino).toBe((await nfs.stat('/')).ino);
    expect(await nfs.realpath(p('abs/f'))).toBe(p('d/e/f'));
    expect(await nfs.realpath(p('d/e/up'))).toBe('/');
    expect((await nfs.lstat(p('d/rel'))).isSymbolicLink()).toBe(true);
    await nfs.unlink(p('d/rel'));
    expect(await nfs.readFile(p('d/e/f'), 'utf8')).toBe('target');
  });

  it('symbolic link loops are ELOOP; a chain within the limit resolves', async () => {
    const { nfs, p } = await scratchMount();
    await nfs.symlink('b', p('a'));
    await nfs.symlink('a', p('b'));
    await nfs.symlink('self', p('self'));
    for (const path of [p('a'), p('self'), p('a/x')]) {
      const e = await rejection(nfs.stat(path));
      expect([e.code, e.syscall, e.path]).toEqual(['ELOOP', 'stat', path]);
    }
    expect((await nfs.lstat(p('a'))).isSymbolicLink()).toBe(true);
    await nfs.writeFile(p('end'), 'end');
    let prev = 'end';
    for (let i = 0; i < MAXSYMLINKS + 1; i++) {
      await nfs.symlink(prev, p(`l${i}`));
      prev = `l${i}`;
    }
    expect(await nfs.readFile(p(`l${MAXSYMLINKS - 1}`), 'utf8')).toBe('end');
    expect((await rejection(nfs.readFile(p(`l${MAXSYMLINKS}`)))).code).toBe('ELOOP');
  });

  it('names with NUL are EINVAL, before anything is sent', async () => {
    const { nfs, p } = await scratchMount();
    const before = nfs.stats().rpc.calls;
    for (const op of [nfs.stat(p('a\0b')), nfs.writeFile(p('x\0'), 'y'), nfs.mkdir(`${p()}/\0`), nfs.symlink('t\0', p('s'))]) {
      expect((await rejection(op)).code).toBe('EINVAL');
    }
    expect(nfs.stats().rpc.calls).toBe(before);
  });

  it('a trailing slash needs a directory; a path through a file is ENOTDIR', async () => {
    const { nfs, p } = await scratchMount();
    await nfs.writeFile(p('f'), 'x');
    await nfs.mkdir(p('d'));
    expect((await rejection(nfs.stat(`${p('f')}/`))).code).toBe('ENOTDIR');
    expect((await nfs.stat(`${p('d')}/`)).isDirectory()).toBe(true);
    expect((await rejection(nfs.stat(p('f/g')))).code).toBe('ENOTDIR');
  });
});
