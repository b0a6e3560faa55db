/*
 * Read-ahead blocks hold the READ replies' mbufs (read-cache.ts): the bytes reach the caller
 * intact across short replies, and a reply with more data than was asked for is EIO.
 */
import { describe, expect, it } from 'vitest';
import { NF3REG } from '../../nfsclient/nfs3/constants.js';
import { fakeServer, mountFake } from './helpers/fake-mount.js';
import { rejection } from './helpers/rejection.js';

const KB = 1024;

function pattern(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 13 + seed * 7 + (i >> 9)) & 0xff;
  return b;
}

describe('read-ahead blocks kept as the replies\' mbufs', () => {
  it('small sequential reads across short READ replies return the file byte for byte', async () => {
    const fake = await fakeServer();
    const data = pattern(300 * KB, 3);
    fake.add('f', NF3REG, { data });
    fake.on('READ', (c) => {
      const r = c.defaultResult();
      /* Cut every reply short, at an odd size, so a block is made of several chains. */
      if (r.status === 0 && r.resok.data.length > 5000) {
        r.resok.data = r.resok.data.subarray(0, 5000);
        r.resok.count = 5000;
        r.resok.eof = false;
      }
      c.reply(r);
    });
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/f');
    const out = Buffer.alloc(data.length);
    for (let at = 0; at < data.length; at += 3000) {
      const n = Math.min(3000, data.length - at);
      expect((await fh.read(out, at, n, null)).bytesRead).toBe(n);
    }
    await fh.close();
    expect(out.equals(data)).toBe(true);
    expect(nfs.stats().readAheadHits).toBeGreaterThan(100 * KB);
  });

  it('a READ reply with more data than was asked for is EIO, not silently cut', async () => {
    const fake = await fakeServer();
    fake.add('f', NF3REG, { data: pattern(10 * KB, 4) });
    fake.on('READ', (c) => {
      const r = c.defaultResult();
      if (r.status === 0) {
        r.resok.data = Buffer.concat([r.resok.data, Buffer.alloc(c.args.count + 100 - r.resok.data.length)]);
        r.resok.count = r.resok.data.length;
      }
      c.reply(r);
    });
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/f');
    const e = await rejection(fh.read(Buffer.alloc(100), 0, 100, 0));
    expect(e).toMatchObject({ code: 'EIO' });
    await fh.close();
  });
});
