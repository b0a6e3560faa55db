/*
 * Listings against servers that list in a circle (dir-walk.ts): the replies ganesha 4.3 sent when
 * its directory chunk cache was corrupt, replayed byte for byte from test/fixtures/readdir-loop/,
 * and the shapes of loop a real server cannot be made to produce on demand. Every listing ends —
 * with the entries, or ELOOP naming the directory, the cookie and the server — after a bounded
 * number of calls.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_FRUITLESS } from '../../nfsclient/client/dir-walk.js';
import { NF3DIR, NF3REG } from '../../nfsclient/nfs3/constants.js';
import { NFS3ERR_BAD_COOKIE } from '../../nfsclient/nfs3/nfsstat3.js';
import { run } from '../cli/helpers.js';
import { fakeServer, mountFake } from './helpers/fake-mount.js';
import type { FakeNfs } from './helpers/fake-nfs.js';

const fixture = (name: string): Buffer =>
  gunzipSync(readFileSync(new URL(`../fixtures/readdir-loop/${name}.gz`, import.meta.url)));

describe('a listing that loops inside one reply (ganesha 4.3, captured)', () => {
  /*
   * /sonfs-demo after the tour removed two of its four entries: READDIRPLUS from cookie 0 answers
   * ".", "..", then sub (cookie 6), renamed.txt (cookie 5), sub (6), renamed.txt (5) ... until
   * the 64 KiB maxcount is full, eof false; READDIR with a 1 MiB count does the same.
   */
  const plusReply = fixture('in-one-reply.readdirplus');
  const plainReply = fixture('in-one-reply.readdir-1mib');

  it('is ELOOP after one restart from cookie 0, naming the directory, the cookie and the server', async () => {
    const fake = await fakeServer();
    fake.add('sonfs-demo', NF3DIR);
    const calls: string[] = [];
    fake.on('READDIRPLUS', (c) => {
      calls.push(`READDIRPLUS ${c.args.cookie} ${c.args.maxcount}`);
      fake.rpc.reply(c.call, plusReply);
    });
    fake.on('READDIR', (c) => {
      calls.push(`READDIR ${c.args.cookie} ${c.args.count}`);
      fake.rpc.reply(c.call, plainReply);
    });
    const nfs = await mountFake(fake);
    const err = await nfs.readdir('/sonfs-demo', { withFileTypes: true }).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'ELOOP', syscall: 'scandir', path: '/sonfs-demo' });
    const detail = (err as { detail: string }).detail;
    expect(detail).toContain(`127.0.0.1:${fake.rpc.port}`);
    expect(detail).toContain('cookie 6');
    expect(detail).toContain("'/sonfs-demo'");
    /* The first pass with the mount's sizes, then one plain READDIR from 0 with the largest count. */
    expect(calls).toEqual([`READDIRPLUS 0 ${nfs.limits.maxcount}`, `READDIR 0 ${nfs.limits.maxDirCount}`]);
    expect(nfs.stats().readdirLoops).toBe(2);
  });

  it('ends rm({ recursive }) and readdir({ withFileTypes }) with ELOOP too, never a hang', async () => {
    const fake = await fakeServer();
    fake.add('sonfs-demo', NF3DIR);
    fake.on('READDIRPLUS', (c) => fake.rpc.reply(c.call, plusReply));
    fake.on('READDIR', (c) => fake.rpc.reply(c.call, plainReply));
    const nfs = await mountFake(fake);
    await expect(nfs.rm('/sonfs-demo', { recursive: true })).rejects.toMatchObject({ code: 'ELOOP' });
    await expect(nfs.readdir('/sonfs-demo')).rejects.toMatchObject({ code: 'ELOOP' });
    /* rm: READDIRPLUS then READDIR; readdir without types: READDIR twice. */
    expect([fake.count('READDIRPLUS'), fake.count('READDIR')]).toEqual([1, 3]);
  });

  it('sonfs ls and rm -r say it is a readdir loop, not a symbolic link problem', async () => {
    const fake = await fakeServer();
    fake.add('sonfs-demo', NF3DIR);
    fake.on('READDIRPLUS', (c) => fake.rpc.reply(c.call, plusReply));
    fake.on('READDIR', (c) => fake.rpc.reply(c.call, plainReply));
    const url = `nfs://127.0.0.1/x/sonfs-demo?nfsport=${fake.rpc.port}&mountport=${fake.rpc.port}&uid=0&gid=0`;
    for (const [args, what] of [[['ls', '-l', url], 'cannot open directory'], [['rm', '-r', url], 'cannot remove']] as const) {
      const r = await run([...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`sonfs ${args[0]}: ${what} '/x/sonfs-demo': Too many levels of symbolic links ` +
        `(readdir loop: the server 127.0.0.1:${fake.rpc.port} listed the same cookie twice (cookie 6, name "sub"))\n`);
    }
  });
});

describe('loops the fake server plays', () => {
  /* A directory of `n` files whose READDIRPLUS pages cycle (after `from`, back to `to`), never eof. */
  async function cycling(n: number, from: number, to: number): Promise<FakeNfs> {
    const fake = await fakeServer();
    for (let i = 0; i < n; i++) fake.add(`f${i}`, NF3REG);
    fake.pageSize = 2;
    fake.on('READDIRPLUS', (c) => {
      if (c.args.cookie === BigInt(from)) c.args.cookie = BigInt(to);
      c.defaultReply();
    });
    return fake;
  }

  it('a cycle across replies: the restart with READDIR and the largest count gets the whole directory', async () => {
    const fake = await cycling(9, 6, 2);
    const nfs = await mountFake(fake);
    const names = (await nfs.readdir('/', { withFileTypes: true })).map((d) => d.name);
    expect(names).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8']);
    expect(nfs.stats().readdirLoops).toBe(1);
    /* READDIR answered with the default pages: 2 entries each, 5 calls from cookie 0. */
    expect(fake.count('READDIR')).toBe(5);
  });

  it('a cycle that READDIR has too is ELOOP, after a bounded number of calls', async () => {
    const fake = await cycling(9, 6, 2);
    fake.on('READDIR', (c) => {
      if (c.args.cookie === 6n) c.args.cookie = 2n;
      c.defaultReply();
    });
    const nfs = await mountFake(fake);
    await expect(nfs.readdir('/', { withFileTypes: true })).rejects
      .toMatchObject({ code: 'ELOOP', detail: expect.stringContaining('same cookie twice') });
    expect(fake.count('READDIRPLUS')).toBe(4);
    expect(fake.count('READDIR')).toBe(4);
  });

  it('fresh cookies for names already listed: ELOOP once calls bring nothing new, not a spin', async () => {
    const fake = await fakeServer();
    fake.add('a', NF3REG);
    fake.add('b', NF3REG);
    let next = 100n;
    const serve = (c: { args: { cookie: bigint }; defaultResult(): unknown; reply(r: never): void }): void => {
      c.args.cookie = 0n;
      const res = c.defaultResult() as { status: number; resok: { reply: { entries: { cookie: bigint }[]; eof: boolean } } };
      for (const e of res.resok.reply.entries) e.cookie = next++;
      res.resok.reply.eof = false;
      c.reply(res as never);
    };
    fake.on('READDIRPLUS', serve);
    fake.on('READDIR', serve);
    const nfs = await mountFake(fake);
    await expect(nfs.readdir('/', { withFileTypes: true })).rejects
      .toMatchObject({ code: 'ELOOP', detail: expect.stringContaining('already listed') });
    /* Pass 1: one call with the two names, then MAX_FRUITLESS + 2 bringing nothing new (one
       fruitful call allows MAX_FRUITLESS + 1). Pass 2 (READDIR): every call brings nothing new. */
    expect(fake.count('READDIRPLUS')).toBe(MAX_FRUITLESS + 3);
    expect(fake.count('READDIR')).toBe(MAX_FRUITLESS + 2);
  });

  it('a restart after BAD_COOKIE that re-reads what was listed is not taken for a loop', async () => {
    const fake = await fakeServer();
    for (let i = 0; i < 40; i++) fake.add(`n${i}`, NF3REG);
    fake.pageSize = 2;
    let bad = 2;
    fake.on('READDIRPLUS', (c) => {
      if (c.args.cookie === 36n && bad-- > 0) c.reply({ status: NFS3ERR_BAD_COOKIE, resfail: { dir_attributes: null } });
      else c.defaultReply();
    });
    const nfs = await mountFake(fake);
    expect(await nfs.readdir('/', { withFileTypes: true })).toHaveLength(40);
    expect(nfs.stats()).toMatchObject({ badCookieRestarts: 2, readdirLoops: 0 });
  });
});

