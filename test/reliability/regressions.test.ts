/*
 * Regression tests, against the scripted fake server, for the client bugs the reliability tests
 * found (each names the test that found it):
 *
 * - the rule that a non-idempotent call answered NOENT/EXIST after a retransmission was done by
 *   its first transmission (RFC 1813 §4.5; nfsclient/client/ops.ts lostReplyDidIt), found by the
 *   TCP fault workload (tcp-faults.test.ts): a LINK onto an existing name, retransmitted before
 *   the server ever executed it, came back EXIST and was reported as success — a genuine error
 *   must stand when the directory shows no change since before the call; and MKDIR and SYMLINK
 *   whose first reply was lost were reported as EEXIST;
 * - umount() waited out UMNT's whole timeout on a server that refuses connections (the soft
 *   restart-mid-copy test, server-restart.test.ts);
 * - open() for writing on a read-only export was EACCES, not EROFS (security.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { NF3DIR, NF3REG } from '../../nfsclient/nfs3/constants.js';
import { NFS3ERR_PERM, NFS3ERR_ROFS } from '../../nfsclient/nfs3/nfsstat3.js';
import { fakeServer, mountFake } from '../nfsclient/helpers/fake-mount.js';
import { rejection } from '../nfsclient/helpers/rejection.js';

describe('a retransmitted call answered NOENT or EXIST', () => {
  it('LINK onto an existing name whose first transmission was lost unexecuted is still EEXIST', async () => {
    const fake = await fakeServer();
    fake.add('a', NF3REG);
    fake.add('b', NF3REG);
    /* The first transmission never reaches the file system (lost on the way); the retransmission does. */
    fake.on('LINK', (c) => (c.count === 0 ? undefined : c.defaultReply()));
    const nfs = await mountFake(fake, { timeo: 2 });
    await nfs.stat('/'); /* the directory's attributes are known before the call */
    const e = await rejection(nfs.link('/a', '/b'));
    expect(e.code).toBe('EEXIST');
    expect(fake.count('LINK')).toBe(2);
    expect(nfs.stats().retransmitSuccesses).toBe(0);
  });

  it('REMOVE of a missing name, retransmitted, is still ENOENT; RENAME likewise', async () => {
    const fake = await fakeServer();
    fake.on('REMOVE', (c) => (c.count === 0 ? undefined : c.defaultReply()));
    fake.on('RENAME', (c) => (c.count === 0 ? undefined : c.defaultReply()));
    const nfs = await mountFake(fake, { timeo: 2, lookupcache: 'none' });
    await nfs.stat('/');
    expect((await rejection(nfs.unlink('/nothing'))).code).toBe('ENOENT');
    expect((await rejection(nfs.rename('/nothing', '/else'))).code).toBe('ENOENT');
    expect(fake.count('REMOVE')).toBe(2);
    expect(fake.count('RENAME')).toBe(2);
    expect(nfs.stats().retransmitSuccesses).toBe(0);
  });

  it('MKDIR whose reply was lost, answered EXIST on retransmission, is the directory it made', async () => {
    const fake = await fakeServer();
    fake.on('MKDIR', (c) => (c.count === 0 ? void c.defaultResult() : c.defaultReply()));
    const nfs = await mountFake(fake, { timeo: 2 });
    await nfs.mkdir('/d');
    expect(fake.count('MKDIR')).toBe(2);
    expect((await nfs.stat('/d')).isDirectory()).toBe(true);
    expect(nfs.stats().retransmitSuccesses).toBe(1);
  });

  it('MKDIR retransmitted onto a name that already was a directory is still EEXIST', async () => {
    const fake = await fakeServer();
    fake.add('d', NF3DIR);
    fake.on('MKDIR', (c) => (c.count === 0 ? undefined : c.defaultReply()));
    const nfs = await mountFake(fake, { timeo: 2 });
    await nfs.stat('/');
    expect((await rejection(nfs.mkdir('/d'))).code).toBe('EEXIST');
    expect(nfs.stats().retransmitSuccesses).toBe(0);
  });

  it('SYMLINK whose reply was lost is the link it made; onto a file of that name it is EEXIST', async () => {
    const fake = await fakeServer();
    fake.add('f', NF3REG);
    fake.on('SYMLINK', (c) => (c.count % 2 === 0 ? void c.defaultResult() : c.defaultReply()));
    const nfs = await mountFake(fake, { timeo: 2 });
    await nfs.symlink('t', '/l');
    expect(await nfs.readlink('/l')).toBe('t');
    expect(nfs.stats().retransmitSuccesses).toBe(1);
    /* The name holds a regular file: whatever the directory did, that is no link of ours. */
    expect((await rejection(nfs.symlink('t', '/f'))).code).toBe('EEXIST');
    expect(nfs.stats().retransmitSuccesses).toBe(1);
  });
});

describe('umount of a mount whose server is gone', () => {
  it('does not wait on UMNT: one refused connection and it goes on (regression: cp on a soft mount)', async () => {
    const fake = await fakeServer();
    const nfs = await mountFake(fake, { soft: true });
    const before = nfs.stats().mountRpc.connectFailures;
    await fake.close(); /* connections are refused from now on */
    await nfs.umount();
    expect(nfs.stats().mountRpc.connectFailures - before).toBe(1);
  });
});

describe('open() for writing where ACCESS denies it', () => {
  it('is EROFS when the file system is read-only (SETATTR says ROFS), EACCES otherwise', async () => {
    const fake = await fakeServer();
    fake.add('f', NF3REG, { data: Buffer.from('x') });
    fake.on('ACCESS', (c) => {
      const r = c.defaultResult();
      if (r.status === 0) r.resok.access &= 1; /* READ only */
      c.reply(r);
    });
    let ro = true;
    fake.on('SETATTR', (c) => c.reply({ status: ro ? NFS3ERR_ROFS : NFS3ERR_PERM, resfail: { obj_wcc: { before: null, after: null } } }));
    const nfs = await mountFake(fake);
    for (const flag of ['w', 'r+', 'a']) expect((await rejection(nfs.open('/f', flag))).code, flag).toBe('EROFS');
    ro = false;
    expect((await rejection(nfs.open('/f', 'r+'))).code).toBe('EACCES');
    expect((await nfs.readFile('/f', 'utf8'))).toBe('x');
    expect(fake.nodes.get(2)!.data.toString()).toBe('x');
  });
});
