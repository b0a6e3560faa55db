/*
 * The fs/promises-shaped API against ganesha, over TCP and UDP, checked against what the server's
 * own file system says (docker exec stat/cat/ls in the container).
 */
import { constants as fsc } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NfsError, isNfsError } from '../../../nfsclient/index.js';
import { PROTOS, pattern, rejection, scratchMount } from './helpers.js';

describe.each(PROTOS)('files over %s', (proto) => {
  it('writeFile then readFile returns the bytes, and the server holds them', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    const data = pattern(3 * 1024 * 1024 + 17, 1);
    await nfs.writeFile(p('a.bin'), data);
    expect((await nfs.readFile(p('a.bin')) as Buffer).equals(data)).toBe(true);
    const sum = await dir.server.exec(['sha256sum', `${dir.path}/a.bin`]);
    const { createHash } = await import('node:crypto');
    expect(sum.stdout.split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'));
    expect(await nfs.readFile(p('a.bin'), 'latin1')).toBe(data.toString('latin1'));
  });

  it('writeFile accepts strings with an encoding, TypedArrays and (async) iterables', async () => {
    const { nfs, p } = await scratchMount(proto);
    await nfs.writeFile(p('s'), '68656c6c6f', 'hex');
    expect(await nfs.readFile(p('s'), 'utf8')).toBe('hello');
    await nfs.writeFile(p('u'), new Uint16Array([0x6968, 0x0a21]));
    expect(await nfs.readFile(p('u'), 'utf8')).toBe('hi!\n');
    async function* gen(): AsyncGenerator<string> {
      yield 'one ';
      yield 'two';
    }
    await nfs.writeFile(p('g'), gen());
    expect(await nfs.readFile(p('g'), 'utf8')).toBe('one two');
  });

  it('appendFile appends; a new file gets mode 0644 (or the mode given)', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    await nfs.appendFile(p('log'), 'a\n');
    await nfs.appendFile(p('log'), 'b\n');
    expect(await nfs.readFile(p('log'), 'utf8')).toBe('a\nb\n');
    await nfs.writeFile(p('m'), 'x', { mode: 0o600 });
    const st = await dir.server.exec(['stat', '-c', '%a %a', `${dir.path}/log`, `${dir.path}/m`]);
    expect(st.stdout.trim().split('\n')).toEqual(['644 644', '600 600']);
  });

  it('stat and lstat: Node-shaped Stats, type bits, links not followed by lstat, bigint form', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    await nfs.writeFile(p('f'), 'twelve bytes');
    await nfs.symlink('f', p('l'));
    await nfs.mkdir(p('d'));
    const st = await nfs.stat(p('f'));
    expect(st.isFile()).toBe(true);
    expect(st.size).toBe(12);
    expect(st.mode & fsc.S_IFMT).toBe(fsc.S_IFREG);
    expect(st.mode & 0o777).toBe(0o644);
    const server = (await dir.server.exec(['stat', '-c', '%i %Y %h', `${dir.path}/f`])).stdout.trim().split(' ').map(Number);
    expect([st.ino, Math.floor(st.mtimeMs / 1000), st.nlink]).toEqual(server);
    expect(st.mtime).toBeInstanceOf(Date);
    expect((await nfs.stat(p('l'))).isFile()).toBe(true);
    const ls = await nfs.lstat(p('l'));
    expect([ls.isSymbolicLink(), ls.size]).toEqual([true, 1]);
    expect((await nfs.stat(p('d'))).isDirectory()).toBe(true);
    const big = await nfs.stat(p('f'), { bigint: true });
    expect(big.size).toBe(12n);
    expect(big.mtimeNs / 1_000_000n).toBe(big.mtimeMs);
    expect(typeof big.ino).toBe('bigint');
  });

  it('readdir: names, Dirents with types, recursive listings', async () => {
    const { nfs, p } = await scratchMount(proto);
    await nfs.mkdir(p('sub/deeper'), { recursive: true });
    await nfs.writeFile(p('file'), '');
    await nfs.writeFile(p('sub/inner'), '');
    await nfs.symlink('file', p('link'));
    expect((await nfs.readdir(p())).sort()).toEqual(['file', 'link', 'sub']);
    const ents = await nfs.readdir(p(), { withFileTypes: true });
    const kinds = Object.fromEntries(ents.map((e) => [e.name, e.isDirectory() ? 'dir' : e.isSymbolicLink() ? 'link' : e.isFile() ? 'file' : '?']));
    expect(kinds).toEqual({ file: 'file', link: 'link', sub: 'dir' });
    expect(ents[0]!.parentPath).toBe(p());
    expect((await nfs.readdir(p(), { recursive: true })).sort()).toEqual(['file', 'link', 'sub', 'sub/deeper', 'sub/inner']);
    expect(isNfsError(await rejection(nfs.readdir(p('file'))), 'ENOTDIR')).toBe(true);
  });

  it('mkdir (recursive returns the first made), rmdir, rm -r and rm -f', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    expect(await nfs.mkdir(p('a/b/c'), { recursive: true })).toBe(`${p('a')}`);
    expect(await nfs.mkdir(p('a/b/c'), { recursive: true })).toBeUndefined();
    expect((await rejection(nfs.mkdir(p('a')))).code).toBe('EEXIST');
    await nfs.writeFile(p('a/b/c/f'), 'x');
    expect((await rejection(nfs.rmdir(p('a')))).code).toBe('ENOTEMPTY');
    expect((await rejection(nfs.rm(p('a')))).code).toBe('EISDIR');
    await nfs.rm(p('a'), { recursive: true });
    await nfs.rm(p('a'), { force: true });
    expect((await rejection(nfs.rm(p('a')))).code).toBe('ENOENT');
    await nfs.mkdir(p('e'), { mode: 0o700 });
    expect((await dir.server.exec(['stat', '-c', '%a', `${dir.path}/e`])).stdout.trim()).toBe('700');
    await nfs.rmdir(p('e'));
    expect(await nfs.readdir(p())).toEqual([]);
  });

  it('unlink, rename (over an existing file), link, symlink and readlink', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    await nfs.writeFile(p('a'), 'A');
    await nfs.writeFile(p('b'), 'B');
    await nfs.rename(p('a'), p('b'));
    expect(await nfs.readFile(p('b'), 'utf8')).toBe('A');
    expect((await rejection(nfs.stat(p('a')))).code).toBe('ENOENT');
    await nfs.link(p('b'), p('c'));
    expect((await nfs.stat(p('b'))).nlink).toBe(2);
    expect((await dir.server.exec(['stat', '-c', '%h', `${dir.path}/c`])).stdout.trim()).toBe('2');
    await nfs.symlink('../elsewhere/target', p('s'));
    expect(await nfs.readlink(p('s'))).toBe('../elsewhere/target');
    expect((await dir.server.exec(['readlink', `${dir.path}/s`])).stdout.trim()).toBe('../elsewhere/target');
    expect((await rejection(nfs.readlink(p('b')))).code).toBe('EINVAL');
    await nfs.unlink(p('b'));
    await nfs.unlink(p('s'));
    expect((await nfs.readdir(p())).sort()).toEqual(['c']);
    const e = await rejection(nfs.rename(p('missing'), p('x')));
    expect([e.code, e.syscall, e.path, e.dest]).toEqual(['ENOENT', 'rename', p('missing'), p('x')]);
  });

  it('chmod, chown, truncate, utimes and access through the server', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    await nfs.writeFile(p('f'), '0123456789');
    await nfs.chmod(p('f'), 0o640);
    await nfs.chown(p('f'), 1234, 4321);
    await nfs.truncate(p('f'), 4);
    await nfs.utimes(p('f'), 1_000_000, new Date(2_000_000_000));
    const s = (await dir.server.exec(['stat', '-c', '%a %u %g %s %X %Y', `${dir.path}/f`])).stdout.trim();
    expect(s).toBe('640 1234 4321 4 1000000 2000000');
    expect(await nfs.readFile(p('f'), 'utf8')).toBe('0123');
    await nfs.truncate(p('f'), 6);
    expect(await nfs.readFile(p('f'))).toEqual(Buffer.from('0123\0\0'));
    await nfs.access(p('f'));
    await nfs.access(p('f'), fsc.R_OK | fsc.W_OK);
    expect((await rejection(nfs.access(p('f'), fsc.X_OK))).code).toBe('EACCES');
    expect((await rejection(nfs.access(p('nope')))).code).toBe('ENOENT');
  });

  it('statfs reports the export\'s space (FSSTAT)', async () => {
    const { nfs, p } = await scratchMount(proto);
    const s = await nfs.statfs(p());
    expect(s.bsize).toBe(4096);
    expect(s.blocks).toBeGreaterThan(0);
    expect(s.bfree).toBeLessThanOrEqual(s.blocks);
    expect(s.files).toBeGreaterThan(0);
    expect(typeof (await nfs.statfs(p(), { bigint: true })).blocks).toBe('bigint');
  });

  it('mknod makes a FIFO', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    await nfs.mknod(p('fifo'), 'fifo', 0o600);
    expect((await nfs.lstat(p('fifo'))).isFIFO()).toBe(true);
    expect((await dir.server.exec(['stat', '-c', '%F', `${dir.path}/fifo`])).stdout.trim()).toBe('fifo');
  });
});

describe.each(PROTOS)('open and FileHandle over %s', (proto) => {
  it("'wx' fails with EEXIST on an existing file; 'w' truncates; 'r+' writes in place", async () => {
    const { nfs, p } = await scratchMount(proto);
    await nfs.writeFile(p('f'), 'original');
    const e = await rejection(nfs.open(p('f'), 'wx'));
    expect([e.code, e.syscall, e.path]).toEqual(['EEXIST', 'open', p('f')]);
    const rw = await nfs.open(p('f'), 'r+');
    await rw.write('ORI', 0);
    await rw.close();
    expect(await nfs.readFile(p('f'), 'utf8')).toBe('ORIginal');
    await (await nfs.open(p('f'), 'w')).close();
    expect((await nfs.stat(p('f'))).size).toBe(0);
    const x = await nfs.open(p('new'), fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o600);
    await x.write('excl');
    await x.close();
    expect(await nfs.readFile(p('new'), 'utf8')).toBe('excl');
    expect((await nfs.stat(p('new'))).mode & 0o777).toBe(0o600);
  });

  it("'a' appends whatever the position; 'a+' reads too", async () => {
    const { nfs, p } = await scratchMount(proto);
    await nfs.writeFile(p('f'), 'start.');
    const fh = await nfs.open(p('f'), 'a+');
    await fh.write('one.', 0);
    await fh.write(Buffer.from('two.'));
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(64), 0, 64, 0);
    expect(buffer.subarray(0, bytesRead).toString()).toBe('start.one.two.');
    await fh.close();
  });

  it('reads and writes at positions (numbers or bigints), with and without the handle position', async () => {
    const { nfs, p } = await scratchMount(proto);
    const fh = await nfs.open(p('f'), 'w+');
    await fh.write(Buffer.from('abcdef'));
    await fh.write(Buffer.from('XY'), 0, 2, 2n);
    await fh.write(Buffer.from('gh'));
    expect((await fh.readFile()).toString()).toBe('');
    const b = Buffer.alloc(8);
    expect((await fh.read(b, 0, 8, 0)).bytesRead).toBe(8);
    expect(b.toString()).toBe('abXYefgh');
    const r = await fh.read({ buffer: Buffer.alloc(3), position: 5 });
    expect(r.buffer.toString()).toBe('fgh');
    expect((await fh.stat()).size).toBe(8);
    await fh.truncate(3);
    expect((await fh.read(Buffer.alloc(8), 0, 8, 0)).bytesRead).toBe(3);
    await fh.sync();
    await fh.close();
    expect((await rejection(fh.read(Buffer.alloc(1), 0, 1, 0))).code).toBe('EBADF');
  });

  it('readViews returns the bytes without a copy: in order, at positions, 0 at EOF, and views kept stay unchanged as reading goes on', async () => {
    const { nfs, p } = await scratchMount(proto);
    const data = pattern(3 * 1024 * 1024 + 777, 9);
    await nfs.writeFile(p('v'), data);
    const fh = await nfs.open(p('v'), 'r');
    const kept: Buffer[] = [];
    const copies: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffers } = await fh.readViews(300_000);
      expect(buffers.reduce((n, b) => n + b.length, 0)).toBe(bytesRead);
      if (bytesRead === 0) break;
      kept.push(...buffers);
      copies.push(...buffers.map((b) => Buffer.from(b)));
      total += bytesRead;
    }
    expect(total).toBe(data.length);
    expect(Buffer.concat(kept).equals(data)).toBe(true);
    /* After the whole file went through (blocks dropped, more data received), nothing kept changed. */
    expect(kept.every((b, i) => b.equals(copies[i]!))).toBe(true);
    const at = await fh.readViews(10, 2 * 1024 * 1024 - 3);
    expect(Buffer.concat(at.buffers).equals(data.subarray(2 * 1024 * 1024 - 3, 2 * 1024 * 1024 + 7))).toBe(true);
    expect((await fh.readViews(10, data.length)).bytesRead).toBe(0);
    expect((await fh.readViews(0, 0)).buffers).toEqual([]);
    expect((await rejection(fh.readViews(-1))).code).toBe('ERR_OUT_OF_RANGE');
    await fh.close();
    expect((await rejection(fh.readViews(1))).code).toBe('EBADF');
  });

  it('writeFrom sends what the fill puts in the lent buffer: pieces land at their positions, 0 writes nothing, a failing or overclaiming fill writes nothing', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    const data = pattern(2 * 1024 * 1024 + 4321, 5);
    const fh = await nfs.open(p('w'), 'w');
    let at = 0;
    const sizes: number[] = [];
    while (at < data.length) {
      const n = await fh.writeFrom(async (buf) => {
        sizes.push(buf.length);
        return data.copy(buf, 0, at, Math.min(data.length, at + buf.length));
      }, 700_000);
      at += n;
    }
    expect(sizes.every((n) => n > 0 && n <= 700_000)).toBe(true);
    expect(await fh.writeFrom(async () => 0, 10)).toBe(0);
    expect(await fh.writeFrom(async () => 99, 0)).toBe(0); /* length 0: fill never called, nothing written */
    const boom = new Error('source failed');
    await expect(fh.writeFrom(async () => { throw boom; }, 10)).rejects.toBe(boom);
    await expect(fh.writeFrom(async (buf) => buf.length + 1, 10)).rejects.toThrow(RangeError);
    /* at an explicit position, the handle's position unchanged */
    expect(await fh.writeFrom(async (buf) => buf.write('XYZ'), 3, 10)).toBe(3);
    await fh.close();
    expect((await rejection(fh.writeFrom(async () => 1, 1))).code).toBe('EBADF');
    const want = Buffer.from(data);
    want.write('XYZ', 10);
    const sum = await dir.server.exec(['sha256sum', `${dir.path}/w`]);
    const { createHash } = await import('node:crypto');
    expect(sum.stdout.split(' ')[0]).toBe(createHash('sha256').update(want).digest('hex'));
  });

  it('a read-only handle refuses writes and a write-only one reads (EBADF); a directory is EISDIR', async () => {
    const { nfs, p } = await scratchMount(proto);
    await nfs.writeFile(p('f'), 'x');
    const r = await nfs.open(p('f'), 'r');
    expect((await rejection(r.write('y'))).code).toBe('EBADF');
    await r.close();
    const w = await nfs.open(p('f'), 'w');
    expect((await rejection(w.read(Buffer.alloc(1), 0, 1, 0))).code).toBe('EBADF');
    await w.close();
    expect((await rejection(nfs.open(p(), 'w'))).code).toBe('EISDIR');
    expect((await rejection(nfs.readFile(p()))).code).toBe('EISDIR');
  });

  it('streams: createWriteStream then createReadStream with start/end', async () => {
    const { nfs, p } = await scratchMount(proto);
    const data = pattern(2 * 1024 * 1024 + 5, 4);
    const ws = nfs.createWriteStream(p('s'));
    const { pipeline } = await import('node:stream/promises');
    const { Readable } = await import('node:stream');
    await pipeline(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), ws);
    expect(ws.bytesWritten).toBe(data.length);
    const chunks: Buffer[] = [];
    for await (const c of nfs.createReadStream(p('s'))) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    const part: Buffer[] = [];
    for await (const c of nfs.createReadStream(p('s'), { start: 10, end: 19 })) part.push(c as Buffer);
    expect(Buffer.concat(part).equals(data.subarray(10, 20))).toBe(true);
    const err = await rejection((async () => {
      for await (const _ of nfs.createReadStream(p('missing'))) void _;
    })());
    expect(err.code).toBe('ENOENT');
  });
});

describe('errors look like Node\'s', () => {
  it('code, errno, syscall, path and a message in Node\'s form', async () => {
    const { nfs, p } = await scratchMount();
    const e = await rejection(nfs.readFile(p('absent.txt')));
    expect(e).toBeInstanceOf(NfsError);
    expect(e.code).toBe('ENOENT');
    expect(e.syscall).toBe('open');
    expect(e.path).toBe(p('absent.txt'));
    expect(e.message.startsWith(`ENOENT: no such file or directory, open '${p('absent.txt')}'`)).toBe(true);
    expect((e as unknown as NfsError).errno).toBe(2);
  });
});
