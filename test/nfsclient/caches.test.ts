import { describe, expect, it } from 'vitest';
import { AttrCache, fhKey } from '../../nfsclient/cache/attrcache.js';
import { NameCache } from '../../nfsclient/cache/namecache.js';
import type { fattr3 } from '../../nfsclient/nfs3/attr.js';
import { NF3DIR, NF3REG } from '../../nfsclient/nfs3/constants.js';

function attrs(over: Partial<fattr3> = {}): fattr3 {
  return {
    type: NF3REG, mode: 0o644, nlink: 1, uid: 0, gid: 0, size: 10n, used: 4096n,
    rdev: { specdata1: 0, specdata2: 0 }, fsid: 1n, fileid: 42n,
    atime: { seconds: 1000, nseconds: 0 }, mtime: { seconds: 1000, nseconds: 0 }, ctime: { seconds: 1000, nseconds: 0 },
    ...over,
  };
}

function clock(startMs: number) {
  const c = { t: startMs, now: () => c.t };
  return c;
}

const opts = { acregmin: 3, acregmax: 60, acdirmin: 30, acdirmax: 60, noac: false };

describe('attribute cache', () => {
  it('keeps a recently changed file for acregmin and an old one for acregmax', () => {
    const c = clock(1_000_000); /* "now" is 1000 s; mtime 1000 s: changed just now */
    const ac = new AttrCache({ ...opts, now: c.now });
    ac.set('fresh', attrs());
    ac.set('old', attrs({ mtime: { seconds: 0, nseconds: 0 } })); /* 1000 s old: a tenth is 100 s, clamped to 60 */
    c.t += 2_900;
    expect(ac.get('fresh')).toBeDefined();
    c.t += 200; /* 3.1 s */
    expect(ac.get('fresh')).toBeUndefined();
    c.t += 56_000; /* 59.1 s */
    expect(ac.get('old')).toBeDefined();
    c.t += 1_000; /* 60.1 s */
    expect(ac.get('old')).toBeUndefined();
    expect([ac.hits, ac.misses]).toEqual([2, 2]);
  });

  it('uses the directory bounds for directories', () => {
    const c = clock(1_000_000);
    const ac = new AttrCache({ ...opts, now: c.now });
    ac.set('d', attrs({ type: NF3DIR }));
    c.t += 29_000;
    expect(ac.get('d')).toBeDefined();
    c.t += 2_000;
    expect(ac.get('d')).toBeUndefined();
  });

  it('gives a locally modified file the minimum timeout', () => {
    const c = clock(1_000_000);
    const ac = new AttrCache({ ...opts, now: c.now });
    ac.setModified('f', true);
    ac.set('f', attrs({ mtime: { seconds: 0, nseconds: 0 } }));
    c.t += 2_999;
    expect(ac.get('f')).toBeDefined();
    c.t += 1;
    expect(ac.get('f')).toBeUndefined();
    /* Not modified locally, the same attributes (mtime long ago) get acregmax. */
    ac.set('g', attrs({ mtime: { seconds: 0, nseconds: 0 } }));
    c.t += 3_500;
    expect(ac.get('g')).toBeDefined();
  });

  it('misses every time with noac', () => {
    const ac = new AttrCache({ ...opts, noac: true });
    const on = new AttrCache(opts);
    ac.set('f', attrs());
    on.set('f', attrs());
    expect(on.get('f')).toBeDefined(); /* the same entry, cached without noac */
    expect(ac.get('f')).toBeUndefined();
  });

  it('applies wcc_data: pre-op attributes equal to the cache mean only our change happened', () => {
    const ac = new AttrCache(opts);
    ac.set('f', attrs());
    const after = attrs({ size: 20n, mtime: { seconds: 1001, nseconds: 5 }, ctime: { seconds: 1001, nseconds: 5 } });
    const ours = ac.applyWcc('f', { before: { size: 10n, mtime: { seconds: 1000, nseconds: 0 }, ctime: { seconds: 1000, nseconds: 0 } }, after });
    expect(ours).toBe(true);
    expect(ac.peek('f')).toBe(after);
  });

  it('applies wcc_data: a different pre-op size or time means someone else changed it too', () => {
    const ac = new AttrCache(opts);
    ac.set('f', attrs());
    const after = attrs({ size: 30n });
    expect(ac.applyWcc('f', { before: { size: 11n, mtime: { seconds: 1000, nseconds: 0 }, ctime: { seconds: 1000, nseconds: 0 } }, after })).toBe(false);
    expect(ac.peek('f')).toBe(after);
    expect(ac.applyWcc('f', { before: null, after: null })).toBe(false);
    expect(ac.peek('f')).toBeUndefined();
  });

  it('keys file handles by their bytes', () => {
    expect(fhKey(Buffer.from([0, 255, 7]))).toBe(fhKey(Buffer.from([0, 255, 7])));
    expect(fhKey(Buffer.from([0, 255, 7]))).not.toBe(fhKey(Buffer.from([0, 255, 8])));
  });
});

describe('name cache', () => {
  const dir = attrs({ type: NF3DIR });
  const changedDir = attrs({ type: NF3DIR, mtime: { seconds: 1001, nseconds: 0 } });

  it('answers while the directory is unchanged and forgets when it changes', () => {
    const nc = new NameCache({ mode: 'all' });
    const fh = Buffer.from('child');
    nc.enter('D', dir, 'a', fh);
    expect(nc.lookup('D', dir, 'a')?.fh).toBe(fh);
    expect(nc.lookup('D', changedDir, 'a')).toBeUndefined();
    expect(nc.lookup('D', dir, 'a')).toBeUndefined(); /* the stale entry is gone */
  });

  it('keeps negative entries only with lookupcache=all, and only for negativeTtl', () => {
    const c = clock(0);
    const all = new NameCache({ mode: 'all', negativeTtl: 1000, now: c.now });
    const pos = new NameCache({ mode: 'pos' });
    all.enter('D', dir, 'missing', null);
    pos.enter('D', dir, 'missing', null);
    expect(all.lookup('D', dir, 'missing')).toEqual({ fh: null, dirMtime: dir.mtime, dirCtime: dir.ctime, stamp: 0 });
    expect(pos.lookup('D', dir, 'missing')).toBeUndefined();
    c.t = 1500;
    expect(all.lookup('D', dir, 'missing')).toBeUndefined();
  });

  it('caches nothing with lookupcache=none', () => {
    const nc = new NameCache({ mode: 'none' });
    const pos = new NameCache({ mode: 'pos' });
    nc.enter('D', dir, 'a', Buffer.from('x'));
    pos.enter('D', dir, 'a', Buffer.from('x'));
    expect(pos.lookup('D', dir, 'a')?.fh).toEqual(Buffer.from('x')); /* the same entry, kept by 'pos' */
    expect(nc.lookup('D', dir, 'a')).toBeUndefined();
  });

  it('purges a stale handle and everything under it', () => {
    const nc = new NameCache({ mode: 'all' });
    const sub = Buffer.from('sub');
    nc.enter('D', dir, 'sub', sub);
    nc.enter(sub.toString('latin1'), dir, 'x', Buffer.from('x'));
    nc.enter('D', dir, 'other', Buffer.from('o'));
    expect(nc.lookup('D', dir, 'sub')?.fh).toEqual(sub);
    expect(nc.lookup(sub.toString('latin1'), dir, 'x')?.fh).toEqual(Buffer.from('x'));
    nc.purgeHandle(sub.toString('latin1'));
    expect(nc.lookup('D', dir, 'other')?.fh).toEqual(Buffer.from('o')); /* unrelated entries stay */
    expect(nc.lookup('D', dir, 'sub')).toBeUndefined();
    expect(nc.lookup(sub.toString('latin1'), dir, 'x')).toBeUndefined();
  });
});

describe('cache bounds', () => {
  it('the attribute cache keeps at most `max` entries, dropping the least recently used', () => {
    const ac = new AttrCache({ ...opts, max: 3, now: () => 1_000_000 });
    for (const k of ['a', 'b', 'c']) ac.set(k, attrs());
    expect(ac.get('a')).toBeDefined(); /* 'a' is now the most recently used */
    ac.set('d', attrs());
    expect(ac.size).toBe(3);
    expect(ac.peek('b')).toBeUndefined();
    for (const k of ['a', 'c', 'd']) expect(ac.peek(k), k).toBeDefined();
    ac.set('a', attrs({ size: 11n })); /* replacing an entry does not grow the cache */
    expect(ac.size).toBe(3);
    expect(ac.peek('a')?.size).toBe(11n);
  });

  it('the name cache keeps at most `max` entries, dropping the least recently used', () => {
    const nc = new NameCache({ mode: 'all', max: 2 });
    const dir = attrs({ type: NF3DIR });
    nc.enter('D', dir, 'a', Buffer.from('a'));
    nc.enter('D', dir, 'b', Buffer.from('b'));
    expect(nc.lookup('D', dir, 'a')).toBeDefined();
    nc.enter('D', dir, 'c', Buffer.from('c'));
    expect(nc.size).toBe(2);
    expect(nc.peek('D', 'b')).toBeUndefined();
    expect(nc.peek('D', 'a')?.toString()).toBe('a');
    expect(nc.peek('D', 'c')?.toString()).toBe('c');
  });
});
