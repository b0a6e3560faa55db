/*
 * Cache coherence with changes made behind the client's back (in the server's container):
 * the attribute cache holds attributes for its timeout, noac not at all, open() revalidates
 * (close-to-open), negative name-cache entries last as long as the directory looks unchanged,
 * and a stale cached handle makes a path-based call re-resolve once.
 *
 * The caches' clock is Date.now. Where a test depends on a timeout, Date alone is faked (the
 * network and the RPC timers run on real time), so how long `docker exec` takes on a loaded
 * machine cannot expire a cache early: the clock moves only when the test moves it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rejection, scratchMount } from './helpers.js';

/* actimeo=n: every attribute cache timeout n seconds */
const ac = (n: number) => ({ acregmin: n, acregmax: n, acdirmin: n, acdirmax: n });

/* Date.now under the test's control (mount after this: the caches take their clock at mount). */
function fakeDate(): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
}
afterEach(() => {
  vi.useRealTimers();
});

describe('attribute cache', () => {
  it('keeps attributes until acregmax, then sees the change', async () => {
    fakeDate();
    const { nfs, dir, p } = await scratchMount('tcp', ac(1));
    await nfs.writeFile(p('f'), '12345');
    expect((await nfs.stat(p('f'))).size).toBe(5);
    await dir.server.exec(['bash', '-c', `echo -n 6789 >> ${dir.path}/f`]);
    vi.advanceTimersByTime(999);
    const calls: string[] = [];
    nfs.raw.nfs.onCall = (name) => calls.push(name);
    expect((await nfs.stat(p('f'))).size).toBe(5); /* cached: 999 ms old, nothing asked */
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect((await nfs.stat(p('f'))).size).toBe(9); /* 1 s old: expired, asked again */
    expect(calls).toContain('GETATTR');
  });

  it('noac sees every change at once', async () => {
    const { nfs, dir, p } = await scratchMount('tcp', { noac: true });
    await nfs.writeFile(p('f'), '12345');
    expect((await nfs.stat(p('f'))).size).toBe(5);
    await dir.server.exec(['bash', '-c', `echo -n 6789 >> ${dir.path}/f`]);
    expect((await nfs.stat(p('f'))).size).toBe(9);
    expect(nfs.stats().attrCache.hits).toBe(0);
  });

  it('close-to-open: the next open sees the new contents at once, whatever the cache timeouts', async () => {
    const { nfs, dir, p } = await scratchMount('tcp', ac(600));
    await nfs.writeFile(p('f'), 'version 1');
    expect(await nfs.readFile(p('f'), 'utf8')).toBe('version 1');
    await dir.server.exec(['bash', '-c', `echo -n 'version 2, longer' > ${dir.path}/f`]);
    expect((await nfs.stat(p('f'))).size).toBe(9); /* stat still answers from the cache */
    expect(await nfs.readFile(p('f'), 'utf8')).toBe('version 2, longer');
    expect((await nfs.stat(p('f'))).size).toBe(17); /* open refreshed the cache */
  });

  it('this client\'s own changes are seen at once (wcc data)', async () => {
    const { nfs, p } = await scratchMount('tcp', ac(600));
    await nfs.writeFile(p('f'), 'abc');
    await nfs.stat(p('f'));
    await nfs.appendFile(p('f'), 'def');
    expect((await nfs.stat(p('f'))).size).toBe(6);
    await nfs.chmod(p('f'), 0o600);
    expect((await nfs.stat(p('f'))).mode & 0o777).toBe(0o600);
    expect((await nfs.readdir(p())).sort()).toEqual(['f']);
  });
});

describe('name cache', () => {
  it('a negative entry lasts while the directory looks unchanged; lookupcache=none asks every time', async () => {
    fakeDate();
    const { nfs, dir, p } = await scratchMount('tcp', ac(1));
    const none = (await scratchMount('tcp', { lookupcache: 'none' })).nfs;
    expect((await rejection(nfs.stat(p('late')))).code).toBe('ENOENT');
    expect((await rejection(none.stat(p('late')))).code).toBe('ENOENT');
    await dir.server.exec(['touch', `${dir.path}/late`]);
    expect((await rejection(nfs.stat(p('late')))).code).toBe('ENOENT'); /* the negative entry */
    expect(nfs.stats().nameCache.negativeHits).toBe(1);
    expect((await none.stat(p('late'))).isFile()).toBe(true);
    vi.advanceTimersByTime(1000); /* the directory's attributes expire: its new mtime retires the entry */
    expect((await nfs.stat(p('late'))).isFile()).toBe(true);
  });

  it('a handle gone stale behind the client\'s back: the path is resolved again once', async () => {
    const { nfs, dir, p } = await scratchMount('tcp', ac(600));
    await dir.server.exec(['bash', '-c', `echo old > ${dir.path}/t`]);
    const before = await nfs.stat(p('t'));
    await dir.server.exec(['bash', '-c', `rm ${dir.path}/t && echo new > ${dir.path}/t`]);
    await nfs.chmod(p('t'), 0o600);
    expect(nfs.stats().staleRetries).toBe(1);
    const after = await nfs.stat(p('t'));
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
    expect(await nfs.readFile(p('t'), 'utf8')).toBe('new\n');
  });
});
