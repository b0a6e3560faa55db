/*
 * Every NFS3ERR status ganesha can be made to return, through the high tier (and the raw tier
 * where only it can provoke the status), each mapped to its Node error code.
 */
import { describe, expect, it } from 'vitest';
import { NfsError } from '../../../nfsclient/index.js';
import {
  NFS3ERR_BADHANDLE, NFS3ERR_EXIST, NFS3ERR_FBIG, NFS3ERR_INVAL, NFS3ERR_ISDIR, NFS3ERR_NOT_SYNC, NFS3ERR_NOTDIR,
  NFS3ERR_NOTEMPTY, NFS3ERR_STALE, NFS3ERR_XDEV, NFS3_OK, nfsstat3Errno,
} from '../../../nfsclient/nfs3/nfsstat3.js';
import { UNSTABLE } from '../../../nfsclient/nfs3/constants.js';
import { sattr3Of } from '../../../nfsclient/nfs3/sattr.js';
import { mountExport, rejection, scratchMount } from './helpers.js';

describe('NFS3ERR statuses from ganesha, as Node error codes', () => {
  it('NOENT, EXIST, NOTDIR, ISDIR, NOTEMPTY', async () => {
    const { nfs, p } = await scratchMount();
    await nfs.writeFile(p('f'), 'x');
    await nfs.mkdir(p('d'));
    await nfs.writeFile(p('d/inner'), 'x');
    /* One at a time: each is started only when the previous one has been checked. */
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => nfs.stat(p('nope')), 'ENOENT', 'stat'],
      [() => nfs.mkdir(p('f')), 'EEXIST', 'mkdir'],
      [() => nfs.readdir(p('f')), 'ENOTDIR', 'scandir'],
      [() => nfs.writeFile(p('f/x'), 'y'), 'ENOTDIR', 'open'],
      [() => nfs.unlink(p('d')), 'EISDIR', 'unlink'],
      [() => nfs.rmdir(p('f')), 'ENOTDIR', 'rmdir'],
      [() => nfs.rmdir(p('d')), 'ENOTEMPTY', 'rmdir'],
      [() => nfs.symlink('x', p('f')), 'EEXIST', 'symlink'],
      [() => nfs.link(p('f'), p('d/inner')), 'EEXIST', 'link'],
    ];
    for (const [call, code, syscall] of cases) {
      const e = await rejection(call());
      expect([e.code, e.syscall], e.message).toEqual([code, syscall]);
      expect(e).toBeInstanceOf(NfsError);
    }
  });

  it('INVAL: a rename to "." is refused locally, and by the server through the raw tier', async () => {
    const { nfs, p } = await scratchMount();
    await nfs.mkdir(p('d'));
    await nfs.writeFile(p('a'), 'x');
    expect((await rejection(nfs.rename(p('a'), p('d/.')))).code).toBe('EINVAL');
    const dir = await nfs.raw.nfs.lookup({ what: { dir: nfs.rootHandle, name: p().slice(1) } });
    if (dir.status !== NFS3_OK) throw new Error('lookup');
    const r = await nfs.raw.nfs.rename({ from: { dir: dir.resok.object, name: 'a' }, to: { dir: dir.resok.object, name: '.' } });
    expect(r.status).toBe(NFS3ERR_INVAL);
    expect(nfsstat3Errno(r.status).code).toBe('EINVAL');
  });

  it('ACCES: a non-owner reading a 0600 file; PERM: a non-owner changing its owner', async () => {
    const { nfs, p } = await scratchMount();
    await nfs.writeFile(p('secret'), 'root only', { mode: 0o600 });
    const user = await mountExport('/export', { uid: 1000, gid: 1000 });
    const e = await rejection(user.readFile(p('secret')));
    expect([e.code, e.syscall, e.path]).toEqual(['EACCES', 'open', p('secret')]);
    const perm = await rejection(user.chown(p('secret'), 1000, 1000));
    expect([perm.code, perm.syscall, perm.nfsstat3]).toEqual(['EPERM', 'chown', 1]);
  });

  it('ROFS: writes to the read-only export', async () => {
    const ro = await mountExport('/ro');
    const e = await rejection(ro.writeFile('/new.txt', 'x'));
    expect([e.code, e.syscall, e.nfsstat3]).toEqual(['EROFS', 'open', 30]);
    expect((await rejection(ro.chmod('/hello.txt', 0o600))).code).toBe('EROFS');
    expect((await rejection(ro.unlink('/hello.txt'))).code).toBe('EROFS');
  });

  it('NAMETOOLONG: from the server (a name the exported file system cannot hold) and locally past name_max', async () => {
    const { nfs, p } = await scratchMount();
    const server = await rejection(nfs.writeFile(p('n'.repeat(300)), 'x'));
    expect([server.code, server.nfsstat3]).toEqual(['ENAMETOOLONG', 63]);
    const local = await rejection(nfs.writeFile(p('n'.repeat(nfs.limits.nameMax + 1)), 'x'));
    expect([local.code, local.nfsstat3]).toEqual(['ENAMETOOLONG', undefined]);
  });

  /* ganesha keeps a file it has an open fd for (one we read or wrote) alive after its removal, as a
   * local file system does: these files were made in the container and only looked up by us. */
  it('STALE: the handle of a file removed on the server', async () => {
    const { nfs, dir, p } = await scratchMount();
    await dir.server.exec(['touch', `${dir.path}/gone`]);
    const st = await nfs.lstat(p('gone'));
    const d = await nfs.raw.nfs.lookup({ what: { dir: nfs.rootHandle, name: p().slice(1) } });
    if (d.status !== NFS3_OK) throw new Error('lookup');
    const f = await nfs.raw.nfs.lookup({ what: { dir: d.resok.object, name: 'gone' } });
    if (f.status !== NFS3_OK) throw new Error('lookup');
    expect(f.resok.obj_attributes?.fileid).toBe(BigInt(st.ino));
    await dir.server.exec(['rm', `${dir.path}/gone`]);
    const r = await nfs.raw.nfs.getattr({ object: f.resok.object });
    expect(r.status).toBe(NFS3ERR_STALE);
    expect(nfsstat3Errno(r.status).code).toBe('ESTALE');
  });

  it('STALE: an open FileHandle of a file removed behind the client\'s back gets ESTALE', async () => {
    const { nfs, dir, p } = await scratchMount();
    await dir.server.exec(['bash', '-c', `echo data > ${dir.path}/f`]);
    const fh = await nfs.open(p('f'));
    await dir.server.exec(['rm', `${dir.path}/f`]);
    const e = await rejection(fh.read(Buffer.alloc(4), 0, 4, 0));
    expect([e.code, e.syscall, e.nfsstat3]).toEqual(['ESTALE', 'read', 70]);
    await fh.close();
  });

  it('NOT_SYNC: SETATTR whose guard ctime no longer matches', async () => {
    const { nfs, p } = await scratchMount();
    await nfs.writeFile(p('f'), 'x');
    const fh = await nfs.open(p('f'));
    const r = await nfs.raw.nfs.setattr({ object: fh.handle, new_attributes: sattr3Of({ mode: 0o600 }), guard: { seconds: 1, nseconds: 0 } });
    await fh.close();
    expect(r.status).toBe(NFS3ERR_NOT_SYNC);
    expect(nfsstat3Errno(r.status).code).toBe('EIO');
  });

  it('BADHANDLE: a handle the server cannot parse', async () => {
    const nfs = await mountExport('/export');
    const r = await nfs.raw.nfs.getattr({ object: Buffer.from('not a handle at all') });
    expect(r.status).toBe(NFS3ERR_BADHANDLE);
  });

  it('XDEV: RENAME and LINK between two exports', async () => {
    const { nfs, p } = await scratchMount();
    await nfs.writeFile(p('f'), 'x');
    const squash = await mountExport('/squash');
    const d = await nfs.raw.nfs.lookup({ what: { dir: nfs.rootHandle, name: p().slice(1) } });
    if (d.status !== NFS3_OK) throw new Error('lookup');
    const r = await nfs.raw.nfs.rename({ from: { dir: d.resok.object, name: 'f' }, to: { dir: squash.rootHandle, name: `xdev-${process.pid}` } });
    expect(r.status).toBe(NFS3ERR_XDEV);
    expect(nfsstat3Errno(r.status).code).toBe('EXDEV');
  });

  it('FBIG: a write past the server\'s maxfilesize (raw), and locally before sending (high tier)', async () => {
    const { nfs, p } = await scratchMount();
    await nfs.writeFile(p('f'), 'x');
    const fh = await nfs.open(p('f'), 'r+');
    const r = await nfs.raw.nfs.write({ file: fh.handle, offset: nfs.limits.maxfilesize, count: 1, stable: UNSTABLE, data: Buffer.from('x') });
    expect([NFS3ERR_FBIG, NFS3ERR_INVAL]).toContain(r.status);
    const e = await rejection(fh.write(Buffer.from('x'), 0, 1, nfs.limits.maxfilesize));
    expect([e.code, e.syscall]).toEqual(['EFBIG', 'write']);
    await fh.close();
  });

  it('ISDIR and EXIST from the raw tier have their statuses', async () => {
    const { nfs, p } = await scratchMount();
    await nfs.mkdir(p('d'));
    const d = await nfs.raw.nfs.lookup({ what: { dir: nfs.rootHandle, name: p().slice(1) } });
    if (d.status !== NFS3_OK) throw new Error('lookup');
    expect((await nfs.raw.nfs.remove({ object: { dir: d.resok.object, name: 'd' } })).status).toBe(NFS3ERR_ISDIR);
    expect((await nfs.raw.nfs.mkdir({ where: { dir: d.resok.object, name: 'd' }, attributes: sattr3Of() })).status).toBe(NFS3ERR_EXIST);
    expect((await nfs.raw.nfs.rmdir({ object: { dir: nfs.rootHandle, name: p().slice(1) } })).status).toBe(NFS3ERR_NOTEMPTY);
    expect((await nfs.raw.nfs.readdir({ dir: d.resok.object, cookie: 0n, cookieverf: Buffer.alloc(8), count: 4096 })).status).toBe(NFS3_OK);
    const f = await nfs.raw.nfs.lookup({ what: { dir: d.resok.object, name: 'nope' } });
    expect(f.status).toBe(2);
    const notdir = await nfs.raw.nfs.lookup({ what: { dir: d.resok.object, name: '.' } });
    expect([NFS3_OK, NFS3ERR_NOTDIR]).toContain(notdir.status);
  });
});
