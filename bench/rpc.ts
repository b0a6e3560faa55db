/*
 * NULL calls per second to nfs-ganesha (program 100003 version 3, procedure 0) with RpcClient:
 *
 *   tcp-1    TCP, one call in flight
 *   tcp-32   TCP, 32 calls in flight
 *   udp-1    UDP, one call in flight
 *   udp-32   UDP, 32 calls in flight (the congestion window allows up to 32)
 *   raw-32   baseline: the same NULL calls over node:net by hand (record marks, xid matching), 32 in flight
 *
 * Each case runs --reps times (default 5) on a fresh client, after a warm-up; prints median and
 * min–max of calls per second, and of this process's CPU time per call (user + system, µs: what
 * the client costs, which matters when the server is the bottleneck), writes
 * bench/results/rpc.json. By default it starts a ganesha in host network mode
 * (sonfs/testing) and stops it at the end; --host H --port P uses a running server instead.
 *
 *   npm run build && node dist/bench/rpc.js [--reps N] [--calls N] [--only NAME] [--host H --port P]
 *   node --cpu-prof dist/bench/rpc.js --only tcp-32 --reps 1       (profile one case)
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { RpcProto } from '../rpc/index.js';
import { startGanesha } from '../testing/index.js';
import type { StartedGanesha } from '../testing/index.js';
import { NFS_PROGRAM, measureCalls as measure, nullCalls } from './lib/null-calls.js';
import type { NullSample as Sample } from './lib/null-calls.js';
import { summarize } from './lib/stats.js';
import type { Summary } from './lib/stats.js';

const args = process.argv.slice(2);
function arg(name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
const REPS = Number(arg('--reps') ?? 5);
const CALLS = Number(arg('--calls') ?? 20000);
const ONLY = arg('--only');

async function runClient(host: string, port: number, proto: RpcProto, inflight: number, calls: number): Promise<Sample> {
  return nullCalls(host, port, proto, inflight, calls);
}

/* The same calls by hand over node:net: a floor for what the socket layer and client add. */
async function runRaw(host: string, port: number, inflight: number, calls: number): Promise<Sample> {
  const sock = net.connect({ host, port });
  sock.setNoDelay(true);
  await new Promise<void>((r, j) => {
    sock.once('connect', r);
    sock.once('error', j);
  });
  const waiting = new Map<number, () => void>();
  let pending: Buffer = Buffer.alloc(0);
  sock.on('data', (d: Buffer) => {
    pending = pending.length === 0 ? d : Buffer.concat([pending, d]);
    while (pending.length >= 4) {
      const len = pending.readUInt32BE(0) & 0x7fffffff;
      if (pending.length < 4 + len) break;
      const xid = pending.readUInt32BE(4);
      pending = pending.subarray(4 + len);
      const w = waiting.get(xid);
      waiting.delete(xid);
      w?.();
    }
  });
  let xid = 1;
  const call = (): Promise<void> => new Promise((resolve) => {
    const b = Buffer.alloc(44);
    b.writeUInt32BE((0x80000000 | 40) >>> 0, 0);
    b.writeUInt32BE(xid, 4);
    b.writeUInt32BE(2, 12);
    b.writeUInt32BE(NFS_PROGRAM, 16);
    b.writeUInt32BE(3, 20);
    waiting.set(xid++, resolve);
    sock.write(b);
  });
  const run = async (n: number): Promise<void> => {
    let started = 0;
    await Promise.all(Array.from({ length: inflight }, async () => {
      while (started < n) {
        started++;
        await call();
      }
    }));
  };
  try {
    await run(Math.min(1000, calls / 10));
    return await measure(calls, () => run(calls));
  } finally {
    sock.destroy();
  }
}

interface Case {
  name: string;
  run: (host: string, ports: { tcp: number; udp: number }) => Promise<Sample>;
}

const cases: Case[] = [
  { name: 'tcp-1', run: (h, p) => runClient(h, p.tcp, 'tcp', 1, CALLS / 4) },
  { name: 'tcp-32', run: (h, p) => runClient(h, p.tcp, 'tcp', 32, CALLS) },
  { name: 'udp-1', run: (h, p) => runClient(h, p.udp, 'udp', 1, CALLS / 4) },
  { name: 'udp-32', run: (h, p) => runClient(h, p.udp, 'udp', 32, CALLS) },
  { name: 'raw-32', run: (h, p) => runRaw(h, p.tcp, 32, CALLS) },
];

async function main(): Promise<void> {
  let server: StartedGanesha | undefined;
  let host = arg('--host');
  let tcp = Number(arg('--port') ?? 0);
  let udp = Number(arg('--udp-port') ?? tcp);
  if (host === undefined) {
    server = await startGanesha({ network: 'host' });
    host = server.host;
    tcp = udp = server.ports.nfs;
    console.log(`ganesha (host network) on ${host}:${tcp}`);
  }
  const results: { name: string; unit: string; result: Summary; cpuPerCallUs: Summary }[] = [];
  try {
    for (const c of cases) {
      if (ONLY !== undefined && c.name !== ONLY) continue;
      const samples: Sample[] = [];
      for (let i = 0; i < REPS; i++) samples.push(await c.run(host, { tcp, udp }));
      const s = summarize(samples.map((x) => x.rate));
      const cpu = summarize(samples.map((x) => x.cpuUs));
      results.push({ name: c.name, unit: 'calls/s', result: s, cpuPerCallUs: cpu });
      console.log(`${c.name.padEnd(8)} ${s.median.toFixed(0).padStart(8)} calls/s  (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)}, ${REPS} runs)` +
        `   client CPU ${cpu.median.toFixed(1)} µs/call (${cpu.min.toFixed(1)}–${cpu.max.toFixed(1)})`);
    }
  } finally {
    await server?.stop();
  }
  if (ONLY === undefined) {
    const out = path.join(process.cwd(), 'bench', 'results', 'rpc.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ node: process.version, date: new Date().toISOString(), reps: REPS, calls: CALLS, results }, null, 2) + '\n');
    console.log(`wrote ${out}`);
  }
}

await main();
