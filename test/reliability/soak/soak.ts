/*
 * The soak (`npm run soak`, test/reliability/soak/vitest.config.ts): SONFS_SOAK_MINUTES (default
 * 10; SONFS_SOAK_SECONDS for finer control) of everything at once against a ganesha of its own,
 * checking that memory stays bounded:
 *
 * - 8 mounts over TCP through the fault proxy (resets, truncated replies, closes, lost calls at a
 *   low rate) and 4 over UDP through the datagram proxy (loss, duplication, reordering), each
 *   looping the model-checked mixed workload in a fresh directory;
 * - one mount streaming 64 MiB files in and out and checking their digests;
 * - the server killed and restarted every SONFS_SOAK_RESTART_SECONDS (default a quarter of the run,
 *   at most 150 s: three restarts): the hard mounts ride it out.
 *
 * Memory: RSS and, after a forced garbage collection, the heap are sampled every 5 s. Bounded means
 * that after the warm-up (the first fifth of the run) neither keeps growing: the heap after GC at
 * the end is within 48 MiB of its value at the end of the warm-up, and the RSS peak of the last
 * third within 128 MiB of the peak of the warm-up. At the end every mount is unmounted and the
 * socket layer's accounting must be back at zero. The figures are printed.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NfsClient } from '../../../nfsclient/index.js';
import { mount } from '../../../nfsclient/index.js';
import { sostat } from '../../../sockets/index.js';
import { streamBytes } from '../helpers/data.js';
import { startOwnGanesha } from '../helpers/ganesha.js';
import type { OwnServer } from '../helpers/ganesha.js';
import { Prng } from '../helpers/prng.js';
import { TcpFaultProxy } from '../helpers/tcp-fault-proxy.js';
import { UdpFaultProxy } from '../helpers/udp-fault-proxy.js';
import { runWorkload } from '../helpers/workload.js';

const SECONDS = Number(process.env['SONFS_SOAK_SECONDS'] ?? 60 * Number(process.env['SONFS_SOAK_MINUTES'] ?? 10));
const RESTART_SECONDS = Number(process.env['SONFS_SOAK_RESTART_SECONDS'] ?? Math.min(150, SECONDS / 4));
if (!(SECONDS > 0) || !(RESTART_SECONDS > 0)) throw new RangeError('SONFS_SOAK_MINUTES / SONFS_SOAK_SECONDS / SONFS_SOAK_RESTART_SECONDS must be positive numbers');
const MiB = 1024 * 1024;

let own: OwnServer;
let tcp: TcpFaultProxy;
let udp: UdpFaultProxy;

beforeAll(async () => {
  own = await startOwnGanesha();
  tcp = await TcpFaultProxy.start({ port: own.server.ports.nfs });
  udp = await UdpFaultProxy.start({ port: own.server.ports.nfs }, 0x50a4);
}, 180_000);

afterAll(async () => {
  await tcp?.close();
  await udp?.close();
  await own?.stop();
});

interface Sample { t: number; rss: number; heap: number }

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

it(`soak: ${SECONDS} s of faults, restarts, workloads and streams in bounded memory`, async () => {
  expect(typeof (globalThis as { gc?: unknown }).gc, 'heap samples need a GC first: run through `npm run soak` (--expose-gc)').toBe('function');
  const t0 = Date.now();
  const deadline = t0 + SECONDS * 1000;
  const base = { so: sostat.so_live, host: sostat.host_live };
  const rnd = new Prng(0xc0ffee);
  tcp.script = (r) => {
    const x = rnd.next();
    if (r.dir === 'call') return x < 0.004 ? 'reset' : x < 0.006 ? 'truncate' : x < 0.007 ? 'close' : x < 0.008 ? 'drop' : 'forward';
    return x < 0.004 ? 'reset' : x < 0.006 ? 'truncate' : 'forward';
  };
  udp.rates = { loss: 0.01, duplicate: 0.01, reorder: 0.02 };
  const url = (p: Record<string, string | number>): string => own.server.url('/export', { uid: 0, gid: 0, ...p });
  const mounts: NfsClient[] = [];
  const samples: Sample[] = [];
  let ops = 0;
  let bytesVerified = 0;
  let rounds = 0;
  let restarts = 0;
  let streamed = 0;
  const sampler = setInterval(() => {
    gc();
    const m = process.memoryUsage();
    samples.push({ t: Date.now() - t0, rss: m.rss, heap: m.heapUsed });
  }, 5000);
  try {
    for (let i = 0; i < 8; i++) mounts.push(await mount(url({ nfsport: tcp.port, timeo: 5 })));
    for (let i = 0; i < 4; i++) mounts.push(await mount(url({ nfsport: udp.port, proto: 'udp', mountproto: 'tcp', timeo: 5 })));
    const streamer = await mount(url({}));
    mounts.push(streamer);

    const worker = async (nfs: NfsClient, w: number): Promise<void> => {
      for (let round = 0; Date.now() < deadline; round++) {
        const dir = `/w${w}-r${round}`;
        await nfs.mkdir(dir);
        const r = await runWorkload(nfs, dir, { ops: 150, seed: w * 100_000 + round, maxFile: 32 * 1024 });
        ops += r.ops;
        bytesVerified += r.bytesVerified;
        rounds++;
        await nfs.rm(dir, { recursive: true });
      }
    };
    const streams = async (): Promise<void> => {
      for (let n = 0; Date.now() < deadline; n++) {
        const size = 64 * MiB;
        const want = createHash('sha256');
        const fh = await streamer.open(`/stream-${n % 2}`, 'w');
        for (let at = 0; at < size; at += 4 * MiB) {
          const b = streamBytes(n, at, 4 * MiB);
          want.update(b);
          await fh.write(b, 0, b.length, at);
        }
        await fh.close();
        const got = createHash('sha256');
        for await (const chunk of streamer.createReadStream(`/stream-${n % 2}`)) got.update(chunk as Buffer);
        expect(got.digest('hex')).toBe(want.digest('hex'));
        streamed += size;
        bytesVerified += size;
      }
    };
    const restarter = async (): Promise<void> => {
      while (Date.now() + RESTART_SECONDS * 1000 < deadline) {
        await new Promise((r) => setTimeout(r, RESTART_SECONDS * 1000));
        await own.server.restart();
        restarts++;
      }
    };
    await Promise.all([...mounts.slice(0, 12).map((m, i) => worker(m, i)), streams(), restarter()]);
  } finally {
    clearInterval(sampler);
    await Promise.all(mounts.map((m) => m.umount().catch(() => undefined)));
  }
  gc();
  const end = process.memoryUsage();
  samples.push({ t: Date.now() - t0, rss: end.rss, heap: end.heapUsed });
  const total = Date.now() - t0;
  const warm = samples.filter((s) => s.t <= total / 5);
  const last = samples.filter((s) => s.t >= (2 * total) / 3);
  const peak = (ss: Sample[]): number => Math.max(...ss.map((s) => s.rss));
  const warmHeap = warm.at(-1)?.heap ?? samples[0]!.heap;
  const faults = tcp.counts.resets + tcp.counts.truncated + tcp.counts.closes + tcp.counts.dropped + udp.injected;
  console.log(`soak: ${(total / 1000).toFixed(0)} s, ${ops} workload operations in ${rounds} rounds, ${(streamed / MiB).toFixed(0)} MiB streamed, ` +
    `${(bytesVerified / MiB).toFixed(0)} MiB verified, ${faults} faults injected (TCP ${JSON.stringify(tcp.counts)}, UDP ${JSON.stringify(udp.counts)}), ` +
    `${restarts} server restarts; RSS peak ${(peak(samples) / MiB).toFixed(0)} MiB (warm-up ${(peak(warm) / MiB).toFixed(0)}, ` +
    `last third ${(peak(last) / MiB).toFixed(0)}), heap after GC ${(warmHeap / MiB).toFixed(0)} -> ${(end.heapUsed / MiB).toFixed(0)} MiB`);
  expect(ops).toBeGreaterThan(0);
  expect(end.heapUsed - warmHeap, 'heap growth after warm-up').toBeLessThan(48 * MiB);
  expect(peak(last) - peak(warm), 'RSS growth after warm-up').toBeLessThan(128 * MiB);
  expect(sostat.so_live).toBe(base.so);
  for (let i = 0; i < 250 && sostat.host_live > base.host; i++) await new Promise((r) => setTimeout(r, 20));
  expect(sostat.host_live).toBe(base.host);
}, (SECONDS + 600) * 1000);
