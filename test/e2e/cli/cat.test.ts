/*
 * sonfs cat: bytes exact, several files in order, streaming with backpressure (constant memory),
 * and a reader that goes away.
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { catFile } from '../../../cli/commands/cat.js';
import { roPattern } from '../../../testing/index.js';
import { scratchDir } from '../../helpers/scratch.js';
import { suiteServer } from '../../helpers/server.js';
import { SONFS_JS, sonfs, sonfsBin, testCtx } from './helpers.js';

describe('sonfs cat', () => {
  test('prints files one after another, byte for byte', async () => {
    const s = suiteServer();
    const r = await sonfs(['cat', s.url('/ro/hello.txt'), s.url('/ro/empty'), s.url('/ro/dir/one.txt')]);
    expect(r).toEqual({ code: 0, stdout: 'hello from sonfs\none\n', stderr: '' });
  });

  test('binary data comes out exact through the executable', async () => {
    const r = await sonfsBin(['cat', suiteServer().url('/ro/pattern.bin')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.equals(roPattern())).toBe(true);
  });

  test('a directory or missing file is reported, the other files still printed, exit 1', async () => {
    const s = suiteServer();
    const r = await sonfs(['cat', s.url('/ro/dir'), s.url('/ro/missing'), s.url('/ro/hello.txt')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('hello from sonfs\n');
    expect(r.stderr).toBe("sonfs cat: cannot read '/ro/dir': Is a directory\nsonfs cat: cannot read '/ro/missing': No such file or directory\n");
  });

  test('reading waits for a slow output: what is read ahead of the output stays bounded', async () => {
    const dir = await scratchDir();
    const size = 64 * 1024 * 1024;
    await dir.server.exec(`head -c ${size} /dev/urandom > ${dir.path}/big`);
    const ctx = testCtx('sonfs cat');
    try {
      const loc = await ctx.mounts.locate(dir.url('big'));
      let consumed = 0;
      let maxAhead = 0;
      const slow = new Writable({
        highWaterMark: 1024 * 1024,
        write(chunk: Buffer, _e, cb) {
          consumed += chunk.length;
          maxAhead = Math.max(maxAhead, loc.client.stats().bytesRead - consumed);
          setTimeout(cb, 1);
        },
      });
      await catFile(loc, slow);
      expect(consumed).toBe(size);
      /* One chunk in the stream's buffer, one being written, one read: never the file. */
      expect(maxAhead).toBeLessThanOrEqual(4 * 1024 * 1024);
      expect(loc.client.stats().readAheadHits).toBeGreaterThan(0);
    } finally {
      await ctx.close();
    }
  });

  test('a reader that goes away (| head) ends it quietly, exit 0', async () => {
    const child = spawn(process.execPath, [SONFS_JS, 'cat', suiteServer().url('/ro/pattern.bin')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
