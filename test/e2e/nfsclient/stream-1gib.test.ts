/*
 * A 1 GiB file streamed in and out in bounded memory (TCP): createWriteStream fed by a generator
 * that makes its data on the fly, createReadStream hashed on the fly; the server's own sha256sum
 * of the file must equal both. Peak RSS growth stays under 150 MiB (the write-behind commits
 * every 64 MiB, the read-ahead holds a few rsize blocks).
 */
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { expect, it } from 'vitest';
import { COMMIT_BYTES } from '../../../nfsclient/index.js';
import { scratchMount } from './helpers.js';

const GiB = 1024 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const RSS_BOUND = 150 * 1024 * 1024;

/* 1 GiB of deterministic bytes, made chunk by chunk (never held), hashed as they go. */
function generator(total: number, hash: ReturnType<typeof createHash>): Readable {
  let made = 0;
  let x = 0x12345678;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (made >= total) {
        this.push(null);
        return;
      }
      const b = Buffer.allocUnsafe(Math.min(CHUNK, total - made));
      for (let i = 0; i < b.length; i += 4) {
        x = (x * 1103515245 + 12345) >>> 0;
        b.writeUInt32LE(x, i);
      }
      made += b.length;
      hash.update(b);
      this.push(b);
    },
  });
}

function rssWatch(): { stop(): number } {
  const base = process.memoryUsage.rss();
  let peak = base;
  const t = setInterval(() => {
    const r = process.memoryUsage.rss();
    if (r > peak) peak = r;
  }, 20);
  return {
    stop() {
      clearInterval(t);
      return peak - base;
    },
  };
}

it('streams 1 GiB in and out with bounded memory, byte for byte', async () => {
  const { nfs, dir, p } = await scratchMount('tcp');
  const wrote = createHash('sha256');
  const w = rssWatch();
  const ws = nfs.createWriteStream(p('big'));
  await pipeline(generator(GiB, wrote), ws);
  const writeGrowth = w.stop();
  expect(ws.bytesWritten).toBe(GiB);
  const stats = nfs.stats();
  /* COMMITs along the way (one every COMMIT_BYTES or so), not just the one at close */
  expect(stats.commits).toBeGreaterThan(GiB / COMMIT_BYTES / 2);

  const read = createHash('sha256');
  let n = 0;
  const r = rssWatch();
  await pipeline(nfs.createReadStream(p('big')), new Writable({
    write(chunk: Buffer, _e, cb) {
      n += chunk.length;
      read.update(chunk);
      cb();
    },
  }));
  const readGrowth = r.stop();
  expect(n).toBe(GiB);
  const digest = wrote.digest('hex');
  expect(read.digest('hex')).toBe(digest);
  const server = await dir.server.exec(['sha256sum', `${dir.path}/big`], 120_000);
  expect(server.stdout.split(' ')[0]).toBe(digest);
  expect(writeGrowth, `RSS grew by ${(writeGrowth / 2 ** 20).toFixed(0)} MiB while writing`).toBeLessThan(RSS_BOUND);
  expect(readGrowth, `RSS grew by ${(readGrowth / 2 ** 20).toFixed(0)} MiB while reading`).toBeLessThan(RSS_BOUND);
  console.log(`1 GiB: RSS growth ${(writeGrowth / 2 ** 20).toFixed(0)} MiB writing, ${(readGrowth / 2 ** 20).toFixed(0)} MiB reading; ${stats.commits} COMMITs`);
  await dir.server.exec(['rm', '-f', `${dir.path}/big`]);
}, 300_000);
