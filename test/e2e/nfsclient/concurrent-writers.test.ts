/*
 * Several writers to one file through one mount, at the same time: eight FileHandles, each
 * writing its own region in small pieces while the others write theirs (their writes interleave
 * in the shared write-behind), then closing. Every byte lands where it was written, read back by
 * another client (nfs-cat); and two handles rewriting the same region one after the other leave
 * the later bytes.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nfsCat } from '../../helpers/clients.js';
import { PROTOS, pattern, scratchMount } from './helpers.js';

const KiB = 1024;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe.each(PROTOS)('concurrent writers to one file through one mount, over %s', (proto) => {
  it('eight handles writing their own regions at once: every byte where it was written', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    const REGION = 1000 * KiB + 7; /* not a multiple of wsize or of the pieces */
    const WRITERS = 8;
    const regions = Array.from({ length: WRITERS }, (_, i) => pattern(REGION, 100 + i));
    await nfs.writeFile(p('shared.bin'), '');
    const handles = await Promise.all(regions.map(() => nfs.open(p('shared.bin'), 'r+')));
    await Promise.all(handles.map(async (fh, i) => {
      const data = regions[i]!;
      const base = i * REGION;
      /* pieces of varying sizes, yielding between them so that the writers interleave */
      for (let at = 0, k = 0; at < data.length; k++) {
        const n = Math.min([3 * KiB, 64 * KiB + 1, 17 * KiB][k % 3]!, data.length - at);
        await fh.write(data, at, n, base + at);
        at += n;
      }
    }));
    await Promise.all(handles.map((fh) => fh.close()));
    const want = Buffer.concat(regions);
    expect((await nfs.stat(p('shared.bin'))).size).toBe(want.length);
    expect(sha(await nfsCat(dir.url('shared.bin', { version: 3 })))).toBe(sha(want));
    expect(sha(await nfs.readFile(p('shared.bin')) as Buffer)).toBe(sha(want));
  });

  it('two handles rewriting one region in turn: the later bytes win', async () => {
    const { nfs, dir, p } = await scratchMount(proto);
    const first = pattern(200 * KiB, 1);
    const second = pattern(200 * KiB, 2);
    const a = await nfs.open(p('f'), 'w+');
    const b = await nfs.open(p('f'), 'r+');
    await a.write(first, 0, first.length, 0);
    await b.write(second, 0, second.length, 0); /* after a's write returned: applied after it */
    await a.close();
    await b.close();
    expect((await nfsCat(dir.url('f', { version: 3 }))).equals(second)).toBe(true);
  });
});
