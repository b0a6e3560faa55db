/*
 * The library rows, sonfs side, in a process of its own (its peak RSS is its own): what an
 * application sees from a warm mount, timed after the mount and the open.
 *
 *   node dist/bench/workloads/library-child.js read URL PATH [out]   fh.read into one reused 1 MiB buffer
 *   node dist/bench/workloads/library-child.js views URL PATH [out]  fh.readViews of 1 MiB (no copy)
 *   node dist/bench/workloads/library-child.js write URL PATH SIZE   fh.writeFrom of the pattern, then close (COMMIT)
 *   node dist/bench/workloads/library-child.js readdir URL DIR WARMDIR  readdir(DIR, { withFileTypes: true })
 *
 * PATH and DIR are mount-relative. One JSON line on stdout ({"seconds","bytes"} or
 * {"seconds","entries","files"}); with `out`, the data read is written to stdout instead, for
 * checking (untimed). bench/native/libnfs-bench.c does the same on libnfs's async API.
 *
 * "Warm": before the timed part the same work is done once, untimed, on WARM_BYTES of data (the
 * first WARM_BYTES of the file; a scratch file written and removed; another directory's listing), so that
 * what is timed is the steady state of a running application, not V8 compiling the code.
 */
import { mount } from '../../nfsclient/index.js';
import { PATTERN_BYTES, patternBlock } from '../lib/data.js';

const [mode, url, path, extra] = process.argv.slice(2);
if (mode === undefined || url === undefined || path === undefined) {
  console.error('usage: library-child read|views|write|readdir URL PATH [out|SIZE]');
  process.exit(2);
}
const CHUNK = 1024 * 1024;
const WARM_BYTES = 128 * CHUNK;
const out = extra === 'out';

/* stdout as a plain sink that respects backpressure. */
async function emit(b: Buffer): Promise<void> {
  if (!process.stdout.write(b)) await new Promise((r) => process.stdout.once('drain', r));
}

const client = await mount(url);
try {
  if (mode === 'read' || mode === 'views') {
    const buf = Buffer.alloc(CHUNK);
    let sink = 0;
    /* Reads the file from its start, at most `limit` bytes: how many. */
    const readAll = async (limit: number, emitting: boolean): Promise<number> => {
      const fh = await client.open(path, 'r');
      let bytes = 0;
      while (bytes < limit) {
        if (mode === 'read') {
          const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
          if (bytesRead === 0) break;
          bytes += bytesRead;
          if (emitting) await emit(buf.subarray(0, bytesRead));
          else sink ^= buf[0]!;
        } else {
          const { bytesRead, buffers } = await fh.readViews(CHUNK, null);
          if (bytesRead === 0) break;
          bytes += bytesRead;
          for (const v of buffers) {
            if (emitting) await emit(v);
            else sink ^= v[0]!;
          }
        }
      }
      await fh.close();
      return bytes;
    };
    if (out) {
      await readAll(Infinity, true);
    } else {
      await readAll(WARM_BYTES, false);
      const t0 = performance.now();
      const bytes = await readAll(Infinity, false);
      const t1 = performance.now();
      console.log(JSON.stringify({ seconds: (t1 - t0) / 1000, bytes, sink }));
    }
  } else if (mode === 'write') {
    const size = Number(extra);
    if (!(size > 0)) throw new Error('write: SIZE must be a positive number of bytes');
    const block = patternBlock();
    const writeAll = async (file: string, bytes: number): Promise<void> => {
      const fh = await client.open(file, 'w');
      for (let pos = 0; pos < bytes;) {
        const n = Math.min(CHUNK, bytes - pos);
        const at = pos % PATTERN_BYTES;
        pos += await fh.writeFrom(async (b) => block.copy(b, 0, at, at + Math.min(n, b.length)), n, pos);
      }
      await fh.close();
    };
    await writeAll(`${path}.warm`, Math.min(WARM_BYTES, size));
    await client.unlink(`${path}.warm`);
    const t0 = performance.now();
    await writeAll(path, size);
    const t1 = performance.now();
    console.log(JSON.stringify({ seconds: (t1 - t0) / 1000, bytes: size }));
  } else if (mode === 'readdir') {
    if (extra === undefined) throw new Error('readdir: WARMDIR missing');
    await client.readdir(extra, { withFileTypes: true });
    const t0 = performance.now();
    const entries = await client.readdir(path, { withFileTypes: true });
    const t1 = performance.now();
    console.log(JSON.stringify({ seconds: (t1 - t0) / 1000, entries: entries.length, files: entries.filter((e) => e.isFile()).length }));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} finally {
  await client.umount();
}
