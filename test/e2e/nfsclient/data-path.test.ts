/*
 * The data path against ganesha, watched through the raw tier's onCall (every call the client
 * sends, with its arguments): what the fake-server tests show, shown on a real server.
 *
 * - write-behind coalesces small sequential writes into UNSTABLE WRITEs of growing blocks up to
 *   wsize, then one COMMIT at close; a file that fits one WRITE goes FILE_SYNC with no COMMIT;
 * - sequential small reads are served by read-ahead (rsize READs, far fewer than reads); a large
 *   read goes straight to the caller in rsize READs; a random read drops read-ahead;
 * - READDIRPLUS primes the caches: stat of a listed name sends nothing;
 * - opening a file for writing that the credential may not write is EACCES at open.
 * Each file's bytes are checked through another client (libnfs's nfs-cat) or on the server.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NfsClient } from '../../../nfsclient/index.js';
import { FILE_SYNC, UNSTABLE } from '../../../nfsclient/nfs3/constants.js';
import { nfsCat } from '../../helpers/clients.js';
import { pattern, rejection, scratchMount } from './helpers.js';

const KiB = 1024;
const MiB = 1024 * KiB;

interface Seen {
  name: string;
  args: Record<string, unknown>;
}

/** Every call `nfs` sends from now on, with its arguments. */
function watch(nfs: NfsClient): Seen[] {
  const seen: Seen[] = [];
  nfs.raw.nfs.onCall = (name, args) => seen.push({ name, args: args as Record<string, unknown> });
  return seen;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('write-behind and COMMIT on ganesha', () => {
  it('coalesces 8 KiB sequential writes into UNSTABLE WRITEs of at most wsize, then one COMMIT at close', async () => {
    const { nfs, dir, p } = await scratchMount();
    const data = pattern(4 * MiB + 100, 11);
    const fh = await nfs.open(p('coalesced.bin'), 'w');
    const seen = watch(nfs);
    for (let at = 0; at < data.length; at += 8 * KiB) await fh.write(data, at, Math.min(8 * KiB, data.length - at), null);
    await fh.close();
    const writes = seen.filter((c) => c.name === 'WRITE');
    const counts = writes.map((c) => c.args['count'] as number);
    expect(writes.every((c) => c.args['stable'] === UNSTABLE)).toBe(true);
    expect(counts.every((n) => n <= nfs.limits.wsize)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(data.length);
    /* 514 writes of 8 KiB became a handful of WRITEs: blocks double from 64 KiB to wsize (1 MiB). */
    expect(writes.length).toBeLessThanOrEqual(Math.ceil(data.length / nfs.limits.wsize) + 5);
    expect(counts.filter((n) => n === nfs.limits.wsize).length).toBeGreaterThanOrEqual(2);
    expect(seen.filter((c) => c.name === 'COMMIT')).toHaveLength(1);
    expect(seen.findIndex((c) => c.name === 'COMMIT')).toBe(seen.length - 1 - [...seen].reverse().findIndex((c) => c.name === 'COMMIT'));
    expect(sha(await nfsCat(dir.url('coalesced.bin', { version: 3 })))).toBe(sha(data));
  });

  it('a file that fits one WRITE is sent FILE_SYNC, with no COMMIT', async () => {
    const { nfs, dir, p } = await scratchMount();
    const seen = watch(nfs);
    await nfs.writeFile(p('small.txt'), 'hello, stable storage');
    const writes = seen.filter((c) => c.name === 'WRITE');
    expect(writes.map((c) => c.args['stable'])).toEqual([FILE_SYNC]);
    expect(seen.some((c) => c.name === 'COMMIT')).toBe(false);
    expect((await dir.server.exec(['cat', `${dir.path}/small.txt`])).stdout).toBe('hello, stable storage');
  });
});

describe('read-ahead and direct reads on ganesha', () => {
  async function fileOf(size: number, seed: number): Promise<{ nfs: NfsClient; path: string; data: Buffer }> {
    const { nfs, p } = await scratchMount();
    const data = pattern(size, seed);
    await nfs.writeFile(p('r.bin'), data);
    return { nfs, path: p('r.bin'), data };
  }

  it('sequential 16 KiB reads are served by read-ahead: rsize READs, far fewer than the reads', async () => {
    const { nfs, path, data } = await fileOf(4 * MiB, 21);
    const fh = await nfs.open(path);
    const seen = watch(nfs);
    const out = Buffer.alloc(data.length);
    let reads = 0;
    for (let at = 0; at < data.length; at += 16 * KiB) {
      expect((await fh.read(out, at, 16 * KiB, null)).bytesRead).toBe(16 * KiB);
      reads++;
    }
    expect((await fh.read(Buffer.alloc(10), 0, 10, null)).bytesRead).toBe(0);
    await fh.close();
    expect(out.equals(data)).toBe(true);
    const counts = seen.filter((c) => c.name === 'READ').map((c) => c.args['count'] as number);
    expect(reads).toBe(256);
    expect(counts.length).toBeLessThanOrEqual(data.length / nfs.limits.rsize + 2);
    expect(counts.slice(0, 4)).toEqual(Array(4).fill(nfs.limits.rsize));
    expect(nfs.stats().readAheadBlocks).toBeGreaterThan(0);
    expect(nfs.stats().readAheadHits).toBeGreaterThanOrEqual(3 * MiB); /* all but the first block */
  });

  it('a large read goes straight into the caller\'s buffer in rsize READs; a random read drops read-ahead', async () => {
    const { nfs, path, data } = await fileOf(3 * MiB + 5, 22);
    const fh = await nfs.open(path);
    const seen = watch(nfs);
    const b = Buffer.alloc(data.length);
    expect((await fh.read(b, 0, b.length, 0)).bytesRead).toBe(data.length);
    expect(b.equals(data)).toBe(true);
    const counts = seen.filter((c) => c.name === 'READ').map((c) => c.args['count'] as number);
    expect(counts).toHaveLength(4); /* one READ per rsize block, the last one's reply short at EOF */
    expect(counts.every((n) => n === nfs.limits.rsize)).toBe(true);
    expect(nfs.stats().readAheadBlocks).toBe(0);
    await fh.close();
    /* A small sequential read from 0 starts read-ahead; a read far away drops it and reads what it asks. */
    const fh2 = await nfs.open(path);
    await fh2.read(Buffer.alloc(4 * KiB), 0, 4 * KiB, 0);
    await fh2.read(Buffer.alloc(4 * KiB), 0, 4 * KiB, null);
    expect(nfs.stats().readAheadBlocks).toBeGreaterThan(0);
    const c = Buffer.alloc(100);
    await fh2.read(c, 0, 100, 2 * MiB + 17);
    expect(c.equals(data.subarray(2 * MiB + 17, 2 * MiB + 117))).toBe(true);
    await fh2.close();
    expect(nfs.stats().readAheadDropped).toBeGreaterThan(0);
  });
});

describe('READDIRPLUS primes the caches on ganesha', () => {
  it('stat of every listed name sends no call at all', async () => {
    const { nfs, dir, p } = await scratchMount();
    const made = await dir.server.exec(['bash', '-c', `cd ${dir.path} && mkdir d && touch f{1..40} && ln -s f1 l`]);
    expect(made.exitCode, made.output).toBe(0);
    const listed = await nfs.readdir(p(), { withFileTypes: true });
    expect(listed.map((d) => d.name).sort()).toEqual(['d', ...Array.from({ length: 40 }, (_, i) => `f${i + 1}`), 'l'].sort());
    const seen = watch(nfs);
    for (const d of listed) {
      const st = await nfs.lstat(p(d.name));
      expect(st.isDirectory()).toBe(d.isDirectory());
      expect(st.isSymbolicLink()).toBe(d.isSymbolicLink());
    }
    expect(seen).toEqual([]);
  });
});

describe('permissions on ganesha', () => {
  it('opening for writing a file the credential may not write is EACCES at open; reading it is allowed', async () => {
    const { dir, p } = await scratchMount();
    const made = await dir.server.exec(['bash', '-c', `echo root-only > ${dir.path}/mine && chmod 0644 ${dir.path}/mine`]);
    expect(made.exitCode, made.output).toBe(0);
    const user = (await scratchMount('tcp', { uid: 4242, gid: 4242 })).nfs;
    const e = await rejection(user.open(p('mine'), 'r+'));
    expect(e).toMatchObject({ code: 'EACCES', syscall: 'open' });
    expect((await rejection(user.writeFile(p('mine'), 'x'))).code).toBe('EACCES');
    expect(await user.readFile(p('mine'), 'utf8')).toBe('root-only\n');
    expect((await dir.server.exec(['cat', `${dir.path}/mine`])).stdout).toBe('root-only\n');
  });
});
