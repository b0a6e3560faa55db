/*
 * mount() and umount() against the suite's server, and the read-only and root-squash exports.
 */
import { describe, expect, it } from 'vitest';
import { MountOptionError, listExports, mount, mountUrl } from '../../../nfsclient/index.js';
import { sostat } from '../../../sockets/index.js';
import { RO_ENTRIES, RO_MTIME, roPattern, startGanesha } from '../../../testing/index.js';
import { suiteServer } from '../../helpers/server.js';
import { scratchDir } from '../../helpers/scratch.js';
import { PROTOS, mountExport, rejection, scratchMount } from './helpers.js';

describe('mount', () => {
  it('asks the portmapper for the ports when none are given (a server on ports only its portmapper knows)', async () => {
    /* Free ports picked at random, rpcbind published on another one: nothing but PMAP GETPORT can find them. */
    const server = await startGanesha();
    try {
      expect(server.ports.nfs).not.toBe(2049);
      expect(server.ports.mount).not.toBe(20048);
      const nfs = await mount({
        host: '127.0.0.1', export: '/ro', nfsport: 0, mountport: 0, pmapport: server.ports.rpcbind as number,
      });
      try {
        expect(await nfs.readFile('/hello.txt', 'utf8')).toBe('hello from sonfs\n');
        const s = nfs.stats();
        expect([s.rpc.connects, s.mountRpc.connects]).toEqual([1, 1]);
        expect([nfs.raw.nfs.rpc.options.port, nfs.raw.mount.rpc.options.port]).toEqual([server.ports.nfs, server.ports.mount]);
      } finally {
        await nfs.umount();
      }
      /* Without the portmapper's port, nothing answers there: the lookup is what found them. */
      await expect(mount({ host: '127.0.0.1', export: '/ro', nfsport: 0, mountport: 0, pmapport: server.ports.nfs }))
        .rejects.toMatchObject({ syscall: 'mount' });
    } finally {
      await server.stop();
    }
  });

  it('takes an options object as well as a URL', async () => {
    const server = suiteServer();
    const nfs = await mount({ host: '127.0.0.1', export: '/ro', nfsport: server.ports.nfs, mountport: server.ports.mount });
    expect(await nfs.readFile('/hello.txt', 'utf8')).toBe('hello from sonfs\n');
    await nfs.umount();
  });

  it('negotiates rsize/wsize with ganesha\'s FSINFO, 32 KiB over UDP', async () => {
    const tcp = await mountExport('/export');
    expect([tcp.limits.rsize, tcp.limits.wsize]).toEqual([1024 * 1024, 1024 * 1024]);
    const small = await mountExport('/export', { rsize: 65536, wsize: 100_000 });
    expect([small.limits.rsize, small.limits.wsize]).toEqual([65536, 99840]);
    const pref = await mountExport('/export', { rsize: 0 });
    expect(pref.limits.rsize).toBe(4 * 1024 * 1024); /* ganesha prefers 64 MiB: capped at the client's 4 MiB */
    const udp = await mountExport('/export', { proto: 'udp' });
    expect([udp.limits.rsize, udp.limits.wsize]).toEqual([32768, 32768]);
    expect(tcp.limits.nameMax).toBe(1024);
    expect(tcp.limits.maxfilesize).toBe((1n << 63n) - 1n);
  });

  it('a path that is not exported is a clear error naming it', async () => {
    const e = await rejection(mountExport('/not-exported'));
    expect([e.code, e.syscall, e.path]).toEqual(['EACCES', 'mount', '/not-exported']);
    expect(e.message).toContain('MNT3ERR_ACCES');
    expect(e.message).toContain('/export, /ro, /squash');
  });

  it('no server on the port: ECONNREFUSED, nothing left open', async () => {
    const before = sostat.so_live;
    const e = await rejection(mount(suiteServer().url('/export', { mountport: 1 })));
    expect(e.code).toBe('ECONNREFUSED');
    expect(sostat.so_live).toBe(before);
  });

  it('a malformed URL or option is a MountOptionError', async () => {
    await expect(mount('http://x/y')).rejects.toBeInstanceOf(MountOptionError);
    await expect(mount(suiteServer().url('/export', { acregmaxx: 3 }))).rejects.toThrow(/unknown option 'acregmaxx'/);
  });

  it('umount releases every socket, closes open handles (committing their data) and then refuses calls', async () => {
    const dir = await scratchDir();
    const before = sostat.so_live;
    const nfs = await mount(suiteServer().url('/export'));
    const fh = await nfs.open(`/${dir.name}/f`, 'w');
    await fh.write('written before umount');
    expect(sostat.so_live).toBe(before + 2);
    await nfs.umount();
    expect(sostat.so_live).toBe(before);
    expect(fh.closed).toBe(true);
    expect((await dir.server.exec(['cat', `${dir.path}/f`])).stdout).toBe('written before umount');
    expect((await rejection(nfs.stat('/'))).code).toBe('EBADF');
  });

  it('mountUrl mounts the export a URL points into and gives the path inside it', async () => {
    const server = suiteServer();
    const a = await mountUrl(server.url('/ro/dir/one.txt'));
    try {
      expect([a.export, a.path]).toEqual(['/ro', '/dir/one.txt']);
      expect(await a.client.readFile(a.path, 'utf8')).toBe('one\n');
    } finally {
      await a.client.umount();
    }
    const b = await mountUrl(server.url('/export'));
    expect([b.export, b.path]).toEqual(['/export', '/']);
    await b.client.umount();
  });

  it('listExports lists what showmount -e lists', async () => {
    const list = await listExports('127.0.0.1');
    expect(list.map((e) => e.dir).sort()).toEqual(['/export', '/ro', '/squash']);
  });
});

describe('readonly mounts', () => {
  it('every modifying call fails locally with EROFS and nothing is sent', async () => {
    const { p } = await scratchMount();
    const ro = await mountExport('/export', { readonly: true });
    const attempts: [string, Promise<unknown>][] = [
      ['open', ro.writeFile(p('a'), 'x')],
      ['open', ro.appendFile(p('a'), 'x')],
      ['open', ro.open(p('a'), 'r+')],
      ['mkdir', ro.mkdir(p('d'))],
      ['rmdir', ro.rmdir(p('d'))],
      ['rm', ro.rm(p('d'), { recursive: true })],
      ['unlink', ro.unlink(p('a'))],
      ['rename', ro.rename(p('a'), p('b'))],
      ['symlink', ro.symlink('a', p('s'))],
      ['link', ro.link(p('a'), p('b'))],
      ['chmod', ro.chmod(p(), 0o700)],
      ['chown', ro.chown(p(), 0, 0)],
      ['truncate', ro.truncate(p('a'))],
      ['utime', ro.utimes(p(), 0, 0)],
      ['mknod', ro.mknod(p('f'), 'fifo')],
    ];
    for (const [syscall, promise] of attempts) {
      const e = await rejection(promise);
      expect([e.code, e.syscall]).toEqual(['EROFS', syscall]);
    }
    const procs = Object.keys(ro.stats().procedures);
    for (const modifying of ['CREATE', 'SETATTR', 'MKDIR', 'REMOVE', 'RMDIR', 'RENAME', 'LINK', 'SYMLINK', 'MKNOD', 'WRITE']) {
      expect(procs).not.toContain(modifying);
    }
    expect(await ro.readdir(p())).toEqual([]);
  });
});

describe.each(PROTOS)('the read-only export /ro over %s', (proto) => {
  it('holds the seeded tree, byte for byte', async () => {
    const ro = await mountExport('/ro', { proto });
    const all = await ro.readdir('/', { recursive: true });
    expect(all.sort()).toEqual(RO_ENTRIES.map((e) => e.path).sort());
    for (const e of RO_ENTRIES) {
      const st = await ro.lstat(e.path);
      expect(st.mtime.getTime()).toBe(RO_MTIME.getTime());
      if (e.type === 'file') {
        expect(st.size).toBe(e.size);
        if (e.content !== undefined) expect(await ro.readFile(e.path, 'utf8')).toBe(e.content);
      } else if (e.type === 'symlink') {
        expect(await ro.readlink(e.path)).toBe(e.target);
      } else {
        expect(st.isDirectory()).toBe(true);
      }
    }
    expect((await ro.readFile('/pattern.bin') as Buffer).equals(roPattern())).toBe(true);
    expect(await ro.readFile('/link-to-hello', 'utf8')).toBe('hello from sonfs\n');
    expect((await rejection(ro.stat('/dangling-link'))).code).toBe('ENOENT');
  });
});

describe('the root-squash export /squash', () => {
  it('files created as root belong to 65534; other users stay themselves; a squashed root cannot chown', async () => {
    const name = `sq-${process.pid}-${Date.now()}`;
    const server = suiteServer();
    const root = await mountExport('/squash', { uid: 0, gid: 0 });
    try {
      await root.mkdir(`/${name}`, { mode: 0o777 });
      await root.writeFile(`/${name}/by-root`, 'x');
      const st = await root.stat(`/${name}/by-root`);
      expect([st.uid, st.gid]).toEqual([65534, 65534]);
      const user = await mountExport('/squash', { uid: 1234, gid: 4321 });
      await user.writeFile(`/${name}/by-user`, 'y');
      expect((await server.exec(['stat', '-c', '%u:%g', `/squash/${name}/by-root`, `/squash/${name}/by-user`])).stdout.trim().split('\n'))
        .toEqual(['65534:65534', '1234:4321']);
      expect((await rejection(root.chown(`/${name}/by-user`, 0, 0))).code).toBe('EPERM');
    } finally {
      await server.exec(['rm', '-rf', `/squash/${name}`]);
    }
  });
});
