/*
 * The client's recovery policies, against the scripted fake server (test/nfsclient/helpers):
 * JUKEBOX, BAD_COOKIE, TOOSMALL, READDIRPLUS NOTSUPP, lost replies of non-idempotent calls,
 * ESTALE. What the write path does with verifiers and odd WRITE replies is in write-path.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { isNfsError } from '../../nfsclient/index.js';
import { NF3DIR, NF3REG } from '../../nfsclient/nfs3/constants.js';
import {
  NFS3ERR_BAD_COOKIE, NFS3ERR_JUKEBOX, NFS3ERR_NOENT, NFS3ERR_NOTSUPP, NFS3ERR_TOOSMALL,
} from '../../nfsclient/nfs3/nfsstat3.js';
import { fakeServer, mountFake } from './helpers/fake-mount.js';
import { rejection } from './helpers/rejection.js';


describe.each(['tcp', 'udp'] as const)('JUKEBOX over %s', (proto) => {
  it('delays and retries the same call until the server is ready: not an error', async () => {
    const fake = await fakeServer(proto);
    fake.add('f', NF3REG);
    fake.on('SETATTR', (c) => (c.count < 2 ? c.reply({ status: NFS3ERR_JUKEBOX, resfail: { obj_wcc: { before: null, after: null } } }) : c.defaultReply()));
    const nfs = await mountFake(fake, { proto });
    await nfs.chmod('/f', 0o600);
    expect(fake.count('SETATTR')).toBe(3);
    expect(fake.nodes.get(2)!.mode).toBe(0o600);
    expect(nfs.stats().jukeboxRetries).toBe(2);
  });
});

describe('JUKEBOX bounds', () => {
  it('a soft mount gives up once the waits exceed its RPC time budget: EAGAIN', async () => {
    const fake = await fakeServer();
    fake.add('f', NF3REG);
    fake.on('SETATTR', (c) => c.reply({ status: NFS3ERR_JUKEBOX, resfail: { obj_wcc: { before: null, after: null } } }));
    const nfs = await mountFake(fake, { soft: true, timeo: 1, retrans: 0 });
    const e = await rejection(nfs.chmod('/f', 0o600));
    expect(e.code).toBe('EAGAIN');
    expect(e.message).toContain('NFS3ERR_JUKEBOX');
    expect(fake.count('SETATTR')).toBe(2);
  });

  it('the wait is cancelled by the operation\'s AbortSignal: EINTR', async () => {
    const fake = await fakeServer();
    fake.on('CREATE', (c) => c.reply({ status: NFS3ERR_JUKEBOX, resfail: { dir_wcc: { before: null, after: null } } }));
    const nfs = await mountFake(fake);
    const e = await rejection(nfs.writeFile('/new', 'x', { signal: AbortSignal.timeout(300) }));
    expect(e.code).toBe('EINTR');
    expect(e.path).toBe('/new');
    expect(fake.count('CREATE')).toBe(1);
  });
});

describe('READDIR paging', () => {
  function populate(fake: Awaited<ReturnType<typeof fakeServer>>, n: number): string[] {
    const names: string[] = [];
    for (let i = 0; i < n; i++) {
      names.push(`n${i}`);
      fake.add(`n${i}`, NF3REG);
    }
    return names;
  }

  it('sends a zero verifier first and echoes the server\'s verifier after', async () => {
    const fake = await fakeServer();
    const names = populate(fake, 8);
    const seen: { cookie: bigint; verf: string }[] = [];
    fake.on('READDIR', (c) => {
      seen.push({ cookie: c.args.cookie, verf: c.args.cookieverf.toString('hex') });
      c.defaultReply();
    });
    const nfs = await mountFake(fake);
    expect(await nfs.readdir('/')).toEqual(names);
    expect(seen.map((s) => s.cookie)).toEqual([0n, 3n, 6n]);
    expect(seen.map((s) => s.verf)).toEqual(['0000000000000000', fake.cookieVerf.toString('hex'), fake.cookieVerf.toString('hex')]);
  });

  it('BAD_COOKIE restarts the listing from cookie 0 and returns each name once', async () => {
    const fake = await fakeServer();
    const names = populate(fake, 8);
    let bad = 1;
    fake.on('READDIR', (c) => {
      if (c.args.cookie === 6n && bad-- > 0) c.reply({ status: NFS3ERR_BAD_COOKIE, resfail: { dir_attributes: null } });
      else c.defaultReply();
    });
    const nfs = await mountFake(fake);
    expect(await nfs.readdir('/')).toEqual(names);
    expect(nfs.stats().badCookieRestarts).toBe(1);
    expect(fake.count('READDIR')).toBe(3 + 3);
  });

  it('a directory that keeps answering BAD_COOKIE is a clear error after a few restarts', async () => {
    const fake = await fakeServer();
    populate(fake, 8);
    fake.on('READDIR', (c) => (c.args.cookie > 0n ? c.reply({ status: NFS3ERR_BAD_COOKIE, resfail: { dir_attributes: null } }) : c.defaultReply()));
    const nfs = await mountFake(fake);
    const e = await rejection(nfs.readdir('/'));
    expect(e.code).toBe('EIO');
    expect(e.syscall).toBe('scandir');
    expect(e.message).toContain('BAD_COOKIE');
  });

  it('TOOSMALL: the same call again with a larger count', async () => {
    const fake = await fakeServer();
    const names = populate(fake, 4);
    const counts: number[] = [];
    fake.on('READDIRPLUS', (c) => {
      counts.push(c.args.maxcount);
      if (c.args.maxcount < 4 * 65536) c.reply({ status: NFS3ERR_TOOSMALL, resfail: { dir_attributes: null } });
      else c.defaultReply();
    });
    const nfs = await mountFake(fake);
    const ents = await nfs.readdir('/', { withFileTypes: true });
    expect(ents.map((e) => e.name)).toEqual(names);
    expect(counts.slice(0, 3)).toEqual([65536, 131072, 262144]);
    expect(nfs.stats().tooSmallRetries).toBe(2);
  });

  it('READDIRPLUS answered NOTSUPP: READDIR for the rest of the mount, types by LOOKUP', async () => {
    const fake = await fakeServer();
    populate(fake, 2);
    fake.add('d', NF3DIR);
    fake.on('READDIRPLUS', (c) => c.reply({ status: NFS3ERR_NOTSUPP, resfail: { dir_attributes: null } }));
    const nfs = await mountFake(fake);
    const ents = await nfs.readdir('/', { withFileTypes: true });
    expect(ents.map((e) => [e.name, e.isDirectory()])).toEqual([['n0', false], ['n1', false], ['d', true]]);
    await nfs.readdir('/', { withFileTypes: true });
    expect(fake.count('READDIRPLUS')).toBe(1);
    expect(fake.count('READDIR')).toBe(2);
    expect(nfs.stats().readdirplus).toBe(false);
  });
});

describe.each(['tcp', 'udp'] as const)('a lost reply to a non-idempotent call (%s)', (proto) => {
  it('REMOVE retransmitted and answered NOENT is the success it was', async () => {
    const fake = await fakeServer(proto);
    fake.add('f', NF3REG);
    fake.on('REMOVE', (c) => {
      if (c.count === 0) c.defaultResult(); /* done, but the reply is lost */
      else c.defaultReply(); /* the retransmission: NOENT */
    });
    const nfs = await mountFake(fake, { proto, timeo: 2 });
    await nfs.unlink('/f');
    expect(fake.count('REMOVE')).toBe(2);
    expect(nfs.stats().retransmitSuccesses).toBe(1);
  });

  it('RENAME retransmitted and answered NOENT is success; LINK answered EXIST likewise', async () => {
    const fake = await fakeServer(proto);
    fake.add('a', NF3REG);
    fake.on('RENAME', (c) => (c.count === 0 ? void c.defaultResult() : c.defaultReply()));
    fake.on('LINK', (c) => (c.count === 0 ? void c.defaultResult() : c.defaultReply()));
    const nfs = await mountFake(fake, { proto, timeo: 2 });
    await nfs.rename('/a', '/b');
    await nfs.link('/b', '/c');
    expect([...fake.nodes.get(1)!.children.keys()]).toEqual(['b', 'c']);
    expect(nfs.stats().retransmitSuccesses).toBe(2);
  });

  it('NOENT without a retransmission is ENOENT', async () => {
    const fake = await fakeServer(proto);
    fake.add('f', NF3REG);
    fake.on('REMOVE', (c) => c.reply({ status: NFS3ERR_NOENT, resfail: { dir_wcc: { before: null, after: null } } }));
    const nfs = await mountFake(fake, { proto });
    const e = await rejection(nfs.unlink('/f'));
    expect(e.code).toBe('ENOENT');
    expect(e.syscall).toBe('unlink');
    expect(nfs.stats().retransmitSuccesses).toBe(0);
  });
});

describe('ESTALE', () => {
  it('a path-based call re-resolves once after purging its caches', async () => {
    const fake = await fakeServer();
    const old = fake.add('a', NF3REG);
    const nfs = await mountFake(fake);
    await nfs.stat('/a'); /* caches the name and the attributes */
    /* The server forgets the file and has a new one under the name; the directory looks unchanged. */
    fake.nodes.delete(old.id);
    const fresh = fake.add('a', NF3REG);
    fake.nodes.get(1)!.version--;
    await nfs.chmod('/a', 0o600);
    expect(fresh.mode).toBe(0o600);
    expect(nfs.stats().staleRetries).toBe(1);
    expect(fake.log.filter((p) => p === 'SETATTR')).toHaveLength(2);
  });

  it('an open FileHandle gets ESTALE', async () => {
    const fake = await fakeServer();
    const f = fake.add('a', NF3REG, { data: Buffer.from('data') });
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/a');
    fake.nodes.delete(f.id);
    const e = await rejection(fh.read(Buffer.alloc(4), 0, 4, 0));
    expect(e.code).toBe('ESTALE');
    expect(e.syscall).toBe('read');
    await fh.close();
  });
});

describe('mount', () => {
  it('negotiates rsize/wsize with FSINFO: the request within rtmax, rtpref for 0, dtpref for READDIR', async () => {
    const fake = await fakeServer();
    const a = await mountFake(fake);
    expect([a.limits.rsize, a.limits.wsize, a.limits.dircount, a.limits.maxfilesize]).toEqual([65536, 65536, 8192, 1n << 40n]);
    const b = await mountFake(fake, { rsize: 0, wsize: 10000 });
    expect([b.limits.rsize, b.limits.wsize]).toEqual([32768, 8192]);
  });

  it('refuses an export the server does not have, naming it and what is exported', async () => {
    const fake = await fakeServer();
    const e = await rejection(mountFake(fake, { export: '/nope' }));
    expect(e.code).toBe('ENOENT');
    expect(e.syscall).toBe('mount');
    expect(e.path).toBe('/nope');
    expect(e.message).toContain('MNT3ERR_NOENT');
    expect(e.message).toContain('the server exports /x');
  });

  it('refuses a server that does not accept AUTH_SYS', async () => {
    const fake = await fakeServer();
    fake.flavors = [6];
    const e = await rejection(mountFake(fake));
    expect(e.code).toBe('EACCES');
    expect(e.message).toContain('AUTH_SYS');
  });

  it('a file written over a closed mount is EBADF, and umount is idempotent', async () => {
    const fake = await fakeServer();
    const nfs = await mountFake(fake);
    await nfs.umount();
    await nfs.umount();
    const e = await rejection(nfs.writeFile('/a', 'x'));
    expect(e.code).toBe('EBADF');
  });
});

describe('name space', () => {
  it('CREATE without a post-op handle: the client LOOKUPs the new name', async () => {
    const fake = await fakeServer();
    fake.on('CREATE', (c) => {
      const r = c.defaultResult();
      if (r.status === 0) r.resok.obj = null;
      c.reply(r);
    });
    const nfs = await mountFake(fake);
    await nfs.writeFile('/n', 'new');
    expect((await nfs.readFile('/n')).toString()).toBe('new');
    const i = fake.log.indexOf('CREATE');
    expect(fake.log.slice(i, i + 2)).toEqual(['CREATE', 'LOOKUP']);
  });

  it("'wx' creates EXCLUSIVE with a verifier then sets the mode and times, and finds an existing file", async () => {
    const fake = await fakeServer();
    const hows: number[] = [];
    fake.on('CREATE', (c) => {
      hows.push(c.args.how.mode);
      c.defaultReply();
    });
    const nfs = await mountFake(fake);
    await nfs.writeFile('/e', 'x', { flag: 'wx', mode: 0o640 });
    expect(hows).toEqual([2]);
    const i = fake.log.indexOf('CREATE');
    expect(fake.log[i + 1]).toBe('SETATTR');
    expect(fake.nodes.get(2)!.mode).toBe(0o640);
    const e = await rejection(nfs.writeFile('/e', 'y', { flag: 'wx' }));
    expect(e.code).toBe('EEXIST');
  });

  it('removing a file open here renames it to a hidden .nfs name, removed at the last close', async () => {
    const fake = await fakeServer();
    fake.add('f', NF3REG, { data: Buffer.from('still here') });
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/f');
    await nfs.unlink('/f');
    const names = [...fake.nodes.get(1)!.children.keys()];
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^\.nfs[0-9a-f]{16}$/);
    expect((await fh.readFile()).toString()).toBe('still here');
    await fh.close();
    expect([...fake.nodes.get(1)!.children.keys()]).toEqual([]);
    expect(nfs.stats().sillyRenames).toBe(1);
    expect(isNfsError(await rejection(nfs.stat('/f')), 'ENOENT')).toBe(true);
  });
});
