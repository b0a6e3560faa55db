/*
 * The high tier's pure pieces: open flags, Stats objects from fattr3, statfs, times, argument
 * checks, option validation for code-given options, the bounded-concurrency helper.
 */
import { constants as fsc } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toMode, toPosition } from '../../nfsclient/client/args.js';
import { parseFlags } from '../../nfsclient/client/flags.js';
import { pool } from '../../nfsclient/client/pool.js';
import { NfsBigIntStats, NfsDirent, NfsStats, S_IFDIR, statFs } from '../../nfsclient/client/stats.js';
import { toNfsTime } from '../../nfsclient/client/time.js';
import { MountOptionError, mountOptions } from '../../nfsclient/index.js';
import type { fattr3 } from '../../nfsclient/nfs3/attr.js';
import { NF3CHR, NF3DIR, NF3LNK, NF3REG } from '../../nfsclient/nfs3/constants.js';

const ctx = { syscall: 'test' };

function attrs(over: Partial<fattr3> = {}): fattr3 {
  return {
    type: NF3REG, mode: 0o4755, nlink: 2, uid: 10, gid: 20, size: 5000n, used: 8192n,
    rdev: { specdata1: 0, specdata2: 0 }, fsid: 77n, fileid: 123456n,
    atime: { seconds: 1000, nseconds: 500_000_000 }, mtime: { seconds: 2000, nseconds: 1 }, ctime: { seconds: 3000, nseconds: 0 },
    ...over,
  };
}

describe('open flags', () => {
  it('reads Node\'s strings as their O_* combinations', () => {
    const f = (s: string) => {
      const x = parseFlags(s, ctx);
      return [x.read, x.write, x.create, x.exclusive, x.truncate, x.append].map(Number).join('');
    };
    expect(f('r')).toBe('100000');
    expect(f('r+')).toBe('110000');
    expect(f('w')).toBe('011010');
    expect(f('wx')).toBe('011110');
    expect(f('w+')).toBe('111010');
    expect(f('a')).toBe('011001');
    expect(f('ax')).toBe('011101');
    expect(f('a+')).toBe('111001');
    expect(parseFlags('rs+', ctx).sync).toBe(true);
  });

  it('reads numeric flags made of node:fs constants, and refuses nonsense', () => {
    const x = parseFlags(fsc.O_RDWR | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, ctx);
    expect([x.read, x.write, x.create, x.exclusive, x.noFollow]).toEqual([true, true, true, true, true]);
    expect(() => parseFlags('rw', ctx)).toThrow(/invalid open flags/);
    expect(() => parseFlags(-1, ctx)).toThrow(/invalid open flags/);
  });
});

describe('Stats from fattr3', () => {
  it('adds the type bits to the mode and converts every field', () => {
    const s = new NfsStats(attrs(), 65536);
    expect(s.mode).toBe(fsc.S_IFREG | 0o4755);
    expect([s.isFile(), s.isDirectory(), s.isSymbolicLink()]).toEqual([true, false, false]);
    expect([s.dev, s.ino, s.nlink, s.uid, s.gid, s.size, s.blksize, s.blocks]).toEqual([77, 123456, 2, 10, 20, 5000, 65536, 16]);
    expect([s.atimeMs, s.mtimeMs, s.ctimeMs]).toEqual([1_000_500, 2_000_000.000001, 3_000_000]);
    expect(s.mtime.getTime()).toBe(2_000_000);
    expect(s.birthtimeMs).toBe(0);
    expect(new NfsStats(attrs({ type: NF3DIR, mode: 0o755 }), 1).mode).toBe(S_IFDIR | 0o755);
    expect(new NfsStats(attrs({ type: NF3LNK }), 1).isSymbolicLink()).toBe(true);
  });

  it('encodes device numbers as Linux does', () => {
    const s = new NfsStats(attrs({ type: NF3CHR, rdev: { specdata1: 8, specdata2: 1 } }), 1);
    expect(s.isCharacterDevice()).toBe(true);
    expect(s.rdev).toBe((8 << 8) | 1);
  });

  it('the bigint form keeps 64-bit values exact and adds nanoseconds', () => {
    const big = (1n << 60n) + 1n;
    const s = new NfsBigIntStats(attrs({ size: big, fileid: big }), 4096);
    expect([s.size, s.ino, s.blksize]).toEqual([big, big, 4096n]);
    expect(s.mtimeNs).toBe(2_000_000_000_001n);
    expect(s.mtimeMs).toBe(2_000_000n);
    expect(s.isFile()).toBe(true);
    expect(new NfsStats(attrs({ size: big }), 1).size).toBe(Number(big));
  });

  it('Dirents carry the type and their parent', () => {
    const d = new NfsDirent('x', '/a', S_IFDIR);
    expect([d.isDirectory(), d.isFile(), d.parentPath, d.path]).toEqual([true, false, '/a', '/a']);
  });

  it('statfs counts in 4 KiB blocks', () => {
    const r = { obj_attributes: null, tbytes: 4096n * 100n, fbytes: 4096n * 40n, abytes: 4096n * 30n, tfiles: 9n, ffiles: 8n, afiles: 7n, invarsec: 0 };
    expect(statFs(r, false)).toEqual({ type: 0x6969, bsize: 4096, blocks: 100, bfree: 40, bavail: 30, files: 9, ffree: 8 });
    expect(statFs(r, true).blocks).toBe(100n);
  });
});

describe('arguments', () => {
  it('times: seconds, fractions, strings and Dates; outside NFSv3\'s range is EINVAL', () => {
    expect(toNfsTime(1.25, ctx)).toEqual({ seconds: 1, nseconds: 250_000_000 });
    expect(toNfsTime('10', ctx)).toEqual({ seconds: 10, nseconds: 0 });
    /* Decimal strings are exact to the nanosecond (a double is not: 1700000000.123456789 is not one). */
    expect(toNfsTime('1700000000.123456789', ctx)).toEqual({ seconds: 1700000000, nseconds: 123456789 });
    expect(toNfsTime('1700000000.5', ctx)).toEqual({ seconds: 1700000000, nseconds: 500_000_000 });
    expect(toNfsTime('7.', ctx)).toEqual({ seconds: 7, nseconds: 0 });
    expect(toNfsTime('1.1234567899', ctx)).toEqual({ seconds: 1, nseconds: 123456789 }); /* beyond ns: cut */
    expect(() => toNfsTime('-1.5', ctx)).toThrow(/EINVAL/);
    expect(() => toNfsTime('4294967296.5', ctx)).toThrow(/EINVAL/);
    expect(toNfsTime(new Date(1500), ctx)).toEqual({ seconds: 1, nseconds: 500_000_000 });
    expect(() => toNfsTime(-1, ctx)).toThrow(/EINVAL/);
    expect(() => toNfsTime(NaN, ctx)).toThrow(/EINVAL/);
    expect(() => toNfsTime(2 ** 33, ctx)).toThrow(/EINVAL/);
  });

  it('positions: null/-1 for the current one, else 0 .. 2^64-1', () => {
    expect(toPosition(null)).toBeNull();
    expect(toPosition(-1)).toBeNull();
    expect(toPosition(7)).toBe(7n);
    expect(toPosition((1n << 64n) - 1n)).toBe((1n << 64n) - 1n);
    expect(() => toPosition(1n << 64n)).toThrow(RangeError);
    expect(() => toPosition(1.5)).toThrow(RangeError);
  });

  it('modes: numbers or octal strings', () => {
    expect(toMode('644', 0, ctx)).toBe(0o644);
    expect(toMode(undefined, 0o755, ctx)).toBe(0o755);
    expect(() => toMode('rwx', 0, ctx)).toThrow(/EINVAL/);
  });

  it('code-given mount options: unknown names are an error, not ignored', () => {
    expect(() => mountOptions({ host: 'h', export: '/x', actimeo: 3 } as never)).toThrow(MountOptionError);
    expect(mountOptions({ export: '/x', acregmax: 5 }).acregmax).toBe(5);
  });
});

describe('pool', () => {
  it('keeps at most `limit` running, results in order, first failure rejects', async () => {
    let running = 0;
    let peak = 0;
    const out = await pool([5, 1, 4, 2, 3], 2, async (v) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, v));
      running--;
      return v * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
    await expect(pool([1, 2], 4, async (v) => {
      if (v === 2) throw new Error('two');
      return v;
    })).rejects.toThrow('two');
  });
});
