/*
 * Workload 5, sonfs side, in its own process (so its peak RSS is its own): COUNT files of SIZE
 * bytes created with writeFile() one after another, then each read back with readFile() and
 * compared. Prints one JSON line {"createPerSec","readPerSec"}.
 *
 *   node dist/bench/workloads/small-files-child.js URL DIR COUNT SIZE [noac]
 *
 * URL is the export's URL; DIR a new directory (mount-relative) made first, not timed.
 * Timing starts after the mount and the mkdir, as the libnfs helper's does.
 */
import { mount } from '../../nfsclient/index.js';
import { smallFileContent } from '../lib/data.js';

const [url, dir, countArg, sizeArg, mode] = process.argv.slice(2);
const count = Number(countArg);
const size = Number(sizeArg);
if (url === undefined || dir === undefined || !(count > 0) || !(size > 0)) {
  console.error('usage: small-files-child URL DIR COUNT SIZE [noac]');
  process.exit(2);
}

const client = await mount(url, mode === 'noac' ? { noac: true } : {});
try {
  await client.mkdir(dir);
  const name = (i: number): string => `${dir}/f${String(i).padStart(5, '0')}`;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await client.writeFile(name(i), smallFileContent(i, size));
  const t1 = performance.now();
  for (let i = 0; i < count; i++) {
    const b = await client.readFile(name(i));
    if (!Buffer.isBuffer(b) || !b.equals(smallFileContent(i, size))) throw new Error(`${name(i)}: content differs`);
  }
  const t2 = performance.now();
  console.log(JSON.stringify({ createPerSec: (count * 1000) / (t1 - t0), readPerSec: (count * 1000) / (t2 - t1) }));
} finally {
  await client.umount();
}
