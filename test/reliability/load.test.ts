/*
 * Load: 64 concurrent mounts of the suite's ganesha, each doing 1,000 mixed operations
 * (helpers/workload.ts: every result checked against a model) in a directory of its own. No
 * errors, and no leaked sockets: the socket layer's own accounting (sostat.so_live, sockets not
 * freed; host_live, host handles open) shows two sockets per mount while they run, and is back
 * where it started once every mount is unmounted.
 */
import { expect, it } from 'vitest';
import { mount } from '../../nfsclient/index.js';
import type { NfsClient } from '../../nfsclient/index.js';
import { sostat } from '../../sockets/index.js';
import { scratchDir } from '../helpers/scratch.js';
import { suiteServer } from '../helpers/server.js';
import { sleep } from './helpers/mounts.js';
import { runWorkload, sumResults } from './helpers/workload.js';

const MOUNTS = 64;
const OPS = Number(process.env["SONFS_LOAD_OPS"] ?? 1000);

it(`${MOUNTS} concurrent mounts × ${OPS} mixed operations: no errors, no leaked sockets`, async () => {
  const server = suiteServer();
  const dir = await scratchDir();
  const base = { so: sostat.so_live, host: sostat.host_live };
  const t0 = Date.now();
  const rss0 = process.memoryUsage.rss();
  let peakRss = rss0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const mounts: NfsClient[] = [];
  try {
    for (let i = 0; i < MOUNTS; i++) mounts.push(await mount(server.url('/export', { uid: 0, gid: 0 })));
    expect(sostat.so_live - base.so).toBe(2 * MOUNTS); /* each mount's MOUNT and NFS connections, kept until umount */
    await Promise.all(mounts.map((m, i) => m.mkdir(`/${dir.name}/m${i}`)));
    const results = await Promise.all(mounts.map((m, i) =>
      runWorkload(m, `/${dir.name}/m${i}`, { ops: OPS, seed: 0x10ad + i, maxFile: 8 * 1024 })));
    const total = sumResults(results);
    expect(total.ops).toBe(MOUNTS * OPS);
    const calls = mounts.reduce((n, m) => n + m.stats().rpc.calls, 0);
    const ms = Date.now() - t0;
    console.log(`load: ${MOUNTS} mounts, ${total.ops} operations (${calls} NFS calls) in ${ms} ms, ` +
      `${total.bytesWritten} bytes written, ${total.bytesVerified} verified, ${total.expectedErrors} expected errors, ` +
      `peak RSS ${((peakRss - rss0) / 2 ** 20).toFixed(0)} MiB above the start; ops by kind ${JSON.stringify(total.kinds)}`);
  } finally {
    clearInterval(sampler);
    await Promise.all(mounts.map((m) => m.umount()));
  }
  expect(sostat.so_live).toBe(base.so);
  for (let i = 0; i < 250 && sostat.host_live > base.host; i++) await sleep(20);
  expect(sostat.host_live).toBe(base.host);
}, 600_000);
