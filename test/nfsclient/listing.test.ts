/*
 * The listing the CLI's ls uses (NfsClient[readdirAttrs]: readdir withFileTypes with each entry's
 * attributes) and readDirectory's duplicate rule, against the scripted fake server.
 */
import { describe, expect, it } from 'vitest';
import { readdirAttrs } from '../../nfsclient/client/dirs.js';
import { NfsStats, statNumbers, S_IFDIR, S_IFLNK, S_IFREG } from '../../nfsclient/client/stats.js';
import type { fattr3 } from '../../nfsclient/nfs3/attr.js';
import { NF3DIR, NF3LNK, NF3REG } from '../../nfsclient/nfs3/constants.js';
import { NFS3ERR_BAD_COOKIE } from '../../nfsclient/nfs3/nfsstat3.js';
import { fakeServer, mountFake } from './helpers/fake-mount.js';

describe('NfsClient[readdirAttrs] (the listing of ls)', () => {
  it('gives each entry its READDIRPLUS attributes and type, with no GETATTR or LOOKUP', async () => {
    const fake = await fakeServer();
    fake.add('f', NF3REG, { data: Buffer.alloc(700), mode: 0o640 });
    fake.add('d', NF3DIR);
    fake.add('l', NF3LNK, { target: 'f' });
    const nfs = await mountFake(fake);
    const before = { getattr: fake.count('GETATTR'), lookup: fake.count('LOOKUP') };
    const listed = await nfs[readdirAttrs]('/');
    expect(listed.map((e) => [e.name, e.type])).toEqual([['f', S_IFREG], ['d', S_IFDIR], ['l', S_IFLNK]]);
    expect(fake.count('GETATTR')).toBe(before.getattr);
    expect(fake.count('LOOKUP')).toBe(before.lookup);
    for (const e of listed) {
      const st = await nfs.lstat(`/${e.name}`);
      expect(statNumbers(e.attrs!)).toEqual({
        mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid, rdev: st.rdev, size: st.size, blocks: st.blocks, mtimeMs: st.mtimeMs,
      });
    }
  });

  it('primes the caches with subdirectories only: a file is looked up again, a subdirectory is not', async () => {
    const fake = await fakeServer();
    fake.add('f', NF3REG);
    fake.add('d', NF3DIR);
    const nfs = await mountFake(fake);
    await nfs[readdirAttrs]('/');
    const lookups = fake.count('LOOKUP');
    await nfs.lstat('/d');
    expect(fake.count('LOOKUP')).toBe(lookups);
    await nfs.lstat('/f');
    expect(fake.count('LOOKUP')).toBe(lookups + 1);
    /* The public readdir still primes every entry. */
    await nfs.readdir('/', { withFileTypes: true });
    const after = fake.count('LOOKUP');
    await nfs.lstat('/f');
    expect(fake.count('LOOKUP')).toBe(after);
  });

  it('an entry READDIRPLUS sent no attributes for gets those of the LOOKUP that types it', async () => {
    const fake = await fakeServer();
    fake.add('a', NF3REG);
    const d = fake.add('b', NF3DIR);
    fake.on('READDIRPLUS', (c) => {
      const res = c.defaultResult();
      if (res.status === 0) for (const e of res.resok.reply.entries) if (e.name === 'b') e.name_attributes = null;
      c.reply(res);
    });
    const nfs = await mountFake(fake);
    const listed = await nfs[readdirAttrs]('/');
    const b = listed.find((e) => e.name === 'b')!;
    expect(b.type).toBe(S_IFDIR);
    expect(b.attrs?.fileid).toBe(BigInt(d.id));
    expect(fake.count('LOOKUP')).toBe(1);
  });

  it('is ENOTDIR for a file, as readdir is', async () => {
    const fake = await fakeServer();
    fake.add('f', NF3REG);
    const nfs = await mountFake(fake);
    await expect(nfs[readdirAttrs]('/f')).rejects.toMatchObject({ code: 'ENOTDIR', syscall: 'scandir' });
  });
});

describe('statNumbers', () => {
  it('equals the numbers of NfsStats, for block counts below and above 2^53', () => {
    const t = { seconds: 1_700_000_000, nseconds: 123_456_789 };
    for (const used of [0n, 1n, 511n, 512n, 513n, (1n << 53n) - 1n, 1n << 53n, (1n << 64n) - 1n]) {
      const a: fattr3 = {
        type: NF3REG, mode: 0o104755, nlink: 3, uid: 7, gid: 8, size: 12345n, used, rdev: { specdata1: 8, specdata2: 1 },
        fsid: 1n, fileid: 99n, atime: t, mtime: t, ctime: t,
      };
      const st = new NfsStats(a, 65536);
      expect(statNumbers(a)).toEqual({
        mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid, rdev: st.rdev, size: st.size, blocks: st.blocks, mtimeMs: st.mtimeMs,
      });
      expect(st.blocks).toBe(Number((used + 511n) / 512n));
    }
  });
});

describe('readDirectory after BAD_COOKIE', () => {
  it('drops entries already returned (same name and fileid) but keeps a name that now names another file', async () => {
    const fake = await fakeServer();
    for (let i = 0; i < 5; i++) fake.add(`n${i}`, NF3REG);
    const root = fake.nodes.get(1)!;
    let bad = 1;
    fake.on('READDIRPLUS', (c) => {
      if (c.args.cookie === 3n && bad-- > 0) {
        /* n1 is replaced by a new file (new fileid) before the listing restarts */
        root.children.delete('n1');
        fake.add('n1', NF3REG);
        c.reply({ status: NFS3ERR_BAD_COOKIE, resfail: { dir_attributes: null } });
      } else {
        c.defaultReply();
      }
    });
    const nfs = await mountFake(fake);
    const listed = await nfs[readdirAttrs]('/');
    expect(listed.map((e) => `${e.name}:${e.attrs!.fileid}`)).toEqual(['n0:2', 'n1:3', 'n2:4', 'n3:5', 'n4:6', 'n1:7']);
    expect(nfs.stats().badCookieRestarts).toBe(1);
  });
});
