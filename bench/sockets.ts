/*
 * sockets/ against raw node:net over loopback TCP, side by side in one process:
 *
 *   bulk-64k   bulk transfer, 64 KiB writes (sosend of a one-mbuf `top`; soreceive with mp0)
 *   bulk-1m    bulk transfer, 1 MiB writes
 *   rr-10      10-byte request / response round trips (TCP_NODELAY on both sides): the client
 *              sosend + blocking soreceive(MSG_WAITALL), the server a loop of the same
 *   rr-10-up   the same client; the server echoes from an SO_RCV upcall with soreceive_nowait /
 *              sosend_nowait, as an in-kernel server (nfsrv_rcv) does — compared with the same
 *              raw node:net pair
 *
 * Each repetition opens fresh connections for both sides, then runs the workload (128 MiB, or
 * 20000 round trips, per side) in SLICES slices, alternating raw and sonfs slice by slice (which
 * goes first alternates too): both sides see the same machine load, which on a shared machine
 * drifts far more over a second than the difference being measured. A repetition's rate per side
 * is its total units over its total time; its ratio is sonfs / raw. Prints, per case, the median
 * and min–max of the rates and of the per-repetition ratios; writes bench/results/sockets.json.
 *
 *   npm run build && node dist/bench/sockets.js [--reps N] [--only NAME]
 *   node --cpu-prof dist/bench/sockets.js --only rr-10 --side sonfs    (one side only, to profile)
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  AF_INET, IPPROTO_TCP, MSG_WAITALL, PSOCK, SO_RCVBUF, SO_SNDBUF, SOCK_STREAM, SOL_SOCKET, SS_ISCONNECTING, TCP_NODELAY,
  UIO_READ, UIO_WRITE, m_freem, m_length, m_wrap, proc0, sbconfig, sobind, soaccept, soclose, soconnect, socreate,
  sockaddr_in, sockaddr_parse, solisten, sooptint, soreceive, sosend, sosetopt, sosockaddr, tsleep, uio_init,
  SO_RCV, SU_OK, soreceive_nowait, sosend_nowait, soupcall_set,
} from '../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../sockets/index.js';
import { median, summarize } from './lib/stats.js';
import type { Summary } from './lib/stats.js';

const args = process.argv.slice(2);
const repsArg = args.indexOf('--reps');
const REPS = repsArg >= 0 ? Number(args[repsArg + 1]) : 9;
const BULK_BYTES = 128 * 1024 * 1024;
const RR_COUNT = 20000;
/* Slices per side and repetition: 16 MiB or 2000 round trips each. */
const SLICES = 8;
/* --only NAME runs one case; --side raw|sonfs runs one side of it (for node --cpu-prof). */
const onlyArg = args.indexOf('--only');
const ONLY = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
const sideArg = args.indexOf('--side');
const SIDE = sideArg >= 0 ? args[sideArg + 1] : undefined;

/** One side of a case on open connections: `slice(n)` moves n units (bytes, round trips). */
interface Runner {
  slice(n: number): Promise<void>;
  close(): Promise<void>;
}

/* ---------------- raw node:net ---------------- */

async function rawPair(): Promise<{ client: net.Socket; server: net.Socket; close: () => Promise<void> }> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
  const client = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => client.once('connect', r));
  const server = await accepted;
  return {
    client,
    server,
    close: async () => {
      client.destroy();
      server.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
}

async function rawBulk(write: number): Promise<Runner> {
  const { client, server, close } = await rawPair();
  const buf = Buffer.alloc(write, 0x61);
  let got = 0;
  let want = 0;
  let done: (() => void) | null = null;
  server.on('data', (chunk: Buffer) => {
    got += chunk.length;
    if (got >= want && done !== null) done();
  });
  return {
    async slice(n) {
      want = got + n;
      const arrived = new Promise<void>((r) => (done = r));
      for (let sent = 0; sent < n; sent += write) {
        if (!client.write(buf)) await new Promise<void>((r) => client.once('drain', r));
      }
      await arrived;
      done = null;
    },
    close,
  };
}

async function rawRR(): Promise<Runner> {
  const { client, server, close } = await rawPair();
  client.setNoDelay(true);
  server.setNoDelay(true);
  server.on('data', (d: Buffer) => server.write(d));
  const req = Buffer.alloc(10, 0x62);
  return {
    async slice(n) {
      for (let i = 0; i < n; i++) {
        let got = 0;
        await new Promise<void>((resolve) => {
          const onData = (d: Buffer): void => {
            got += d.length;
            if (got >= 10) {
              client.removeListener('data', onData);
              resolve();
            }
          };
          client.on('data', onData);
          client.write(req);
        });
      }
    },
    close,
  };
}

/* ---------------- sonfs sockets ---------------- */

function setint(so: Socket, level: number, name: number, v: number): void {
  const e = sosetopt(so, level, name, sooptint(v));
  if (e) throw new Error(`sosetopt ${name}: ${e}`);
}

async function soPair(sndbuf: number, rcvbuf: number, nodelay: boolean): Promise<{ client: Socket; server: Socket; close: () => Promise<void> }> {
  const l: Ref<Socket | null> = { value: null };
  const c: Ref<Socket | null> = { value: null };
  const a: Ref<Socket | null> = { value: null };
  if (socreate(AF_INET, l, SOCK_STREAM, 0) || socreate(AF_INET, c, SOCK_STREAM, 0)) throw new Error('socreate');
  for (const so of [l.value!, c.value!]) {
    setint(so, SOL_SOCKET, SO_SNDBUF, sndbuf);
    setint(so, SOL_SOCKET, SO_RCVBUF, rcvbuf);
    if (nodelay) setint(so, IPPROTO_TCP, TCP_NODELAY, 1);
  }
  if (await sobind(l.value!, sockaddr_in('127.0.0.1', 0), proc0)) throw new Error('sobind');
  if (await solisten(l.value!, 5)) throw new Error('solisten');
  const nam: Ref<Mbuf | null> = { value: null };
  sosockaddr(l.value!, nam);
  const sa = sockaddr_parse(nam.value);
  m_freem(nam.value);
  const port = sa !== null && 'port' in sa ? sa.port : 0;
  if (soconnect(c.value!, sockaddr_in('127.0.0.1', port))) throw new Error('soconnect');
  while (c.value!.so_state & SS_ISCONNECTING && c.value!.so_error === 0) await tsleep(c.value!.so_timeo, PSOCK, 'conn', 0);
  if (c.value!.so_error) throw new Error(`connect: ${c.value!.so_error}`);
  if (await soaccept(l.value!, a, null)) throw new Error('soaccept');
  return {
    client: c.value!,
    server: a.value!,
    close: async () => {
      await soclose(c.value!);
      await soclose(a.value!);
      await soclose(l.value!);
    },
  };
}

async function soBulk(write: number): Promise<Runner> {
  const { client, server, close } = await soPair(Math.max(2 * write, 256 * 1024), 256 * 1024, false);
  const buf = Buffer.alloc(write, 0x61);
  const mp: Ref<Mbuf | null> = { value: null };
  return {
    async slice(n) {
      const receiver = (async () => {
        let got = 0;
        while (got < n) {
          const uio = uio_init(UIO_READ, []);
          uio.uio_resid = Math.min(1 << 20, n - got);
          const e = await soreceive(server, null, uio, mp, null, null);
          if (e) throw new Error(`soreceive ${e}`);
          got += m_length(mp.value);
          m_freem(mp.value);
          mp.value = null;
        }
      })();
      for (let sent = 0; sent < n; sent += write) {
        const e = await sosend(client, null, null, m_wrap(buf), null, 0);
        if (e) throw new Error(`sosend ${e}`);
      }
      await receiver;
    },
    close,
  };
}

async function soRR(upcall: boolean): Promise<Runner> {
  const { client, server, close } = await soPair(64 * 1024, 64 * 1024, true);
  let echo: Promise<void>;
  if (upcall) {
    upcallEcho(server);
    echo = Promise.resolve();
  } else {
    echo = (async () => {
      const b = Buffer.alloc(10);
      for (;;) {
        const uio = uio_init(UIO_READ, [b]);
        const e = await soreceive(server, null, uio, null, null, { value: MSG_WAITALL });
        if (e || uio.uio_resid !== 0) return;
        const e2 = await sosend(server, null, uio_init(UIO_WRITE, [b]), null, null, 0);
        if (e2) return;
      }
    })();
  }
  const req = Buffer.alloc(10, 0x62);
  const resp = Buffer.alloc(10);
  return {
    async slice(n) {
      for (let i = 0; i < n; i++) {
        let e = await sosend(client, null, uio_init(UIO_WRITE, [req]), null, null, 0);
        if (e) throw new Error(`sosend ${e}`);
        const uio = uio_init(UIO_READ, [resp]);
        e = await soreceive(client, null, uio, null, null, { value: MSG_WAITALL });
        if (e || uio.uio_resid !== 0) throw new Error(`soreceive ${e}`);
      }
    },
    async close() {
      await close(); /* the echo loop ends: its soreceive returns EBADF or EOF */
      await echo;
    },
  };
}

/* An echo server driven by the receive upcall: no promise and no sleep per message. */
function upcallEcho(so: Socket): void {
  const b = Buffer.alloc(10);
  soupcall_set(so, SO_RCV, (s: Socket) => {
    for (;;) {
      const uio = uio_init(UIO_READ, [b]);
      if (soreceive_nowait(s, null, uio, null, null, { value: MSG_WAITALL }) || uio.uio_resid !== 0) return SU_OK;
      if (sosend_nowait(s, null, uio_init(UIO_WRITE, [b]), null, null, 0)) return SU_OK;
    }
  }, null);
}

/* ---------------- driver ---------------- */

interface Case {
  name: string;
  unit: string;
  /** Units per side and repetition, and how a unit counts in the rate (bytes → MiB). */
  units: number;
  scale: number;
  raw: () => Promise<Runner>;
  so: () => Promise<Runner>;
  target: number;
}

const MiB = 1024 * 1024;
const cases: Case[] = [
  { name: 'bulk-64k', unit: 'MiB/s', units: BULK_BYTES, scale: 1 / MiB, raw: () => rawBulk(64 * 1024), so: () => soBulk(64 * 1024), target: 0.9 },
  { name: 'bulk-1m', unit: 'MiB/s', units: BULK_BYTES, scale: 1 / MiB, raw: () => rawBulk(MiB), so: () => soBulk(MiB), target: 0.9 },
  { name: 'rr-10', unit: 'ops/s', units: RR_COUNT, scale: 1, raw: rawRR, so: () => soRR(false), target: 0.8 },
  { name: 'rr-10-up', unit: 'ops/s', units: RR_COUNT, scale: 1, raw: rawRR, so: () => soRR(true), target: 0.8 },
];

async function timed(r: Runner, n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  await r.slice(n);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/* One repetition: [raw rate, sonfs rate] (either side may be skipped: NaN). */
async function rep(c: Case, first: 'raw' | 'sonfs', sides: ReadonlySet<string>): Promise<[number, number]> {
  const raw = sides.has('raw') ? await c.raw() : null;
  const so = sides.has('sonfs') ? await c.so() : null;
  const n = c.units / SLICES;
  let traw = 0;
  let tso = 0;
  for (let i = 0; i < SLICES; i++) {
    const rawFirst = (i % 2 === 0) === (first === 'raw');
    if (rawFirst && raw !== null) traw += await timed(raw, n);
    if (so !== null) tso += await timed(so, n);
    if (!rawFirst && raw !== null) traw += await timed(raw, n);
  }
  await raw?.close();
  await so?.close();
  return [(c.units * c.scale) / traw, (c.units * c.scale) / tso];
}

interface Result {
  name: string;
  unit: string;
  raw: Summary;
  sonfs: Summary;
  /** sonfs / raw of each repetition. */
  ratios: Summary;
  /** The ratio of the median rates (the figure compared with the target, as before). */
  ratio: number;
  target: number;
  met: boolean;
}

async function main(): Promise<void> {
  sbconfig.sb_max = 4 * 1024 * 1024; /* kern.maxsockbuf: room for 1 MiB atomic `top` sends */
  const selected = cases.filter((x) => ONLY === undefined || x.name === ONLY);
  if (SIDE !== undefined) {
    for (const c of selected) {
      for (let i = 0; i < REPS; i++) {
        const [r, s] = await rep(c, 'raw', new Set([SIDE]));
        console.log(c.name, SIDE, (SIDE === 'raw' ? r : s).toFixed(1), c.unit);
      }
    }
    return;
  }
  const both = new Set(['raw', 'sonfs']);
  const results: Result[] = [];
  for (const c of selected) {
    const raw: number[] = [];
    const so: number[] = [];
    const ratios: number[] = [];
    await rep(c, 'raw', both); /* warm-up (JIT), not counted */
    for (let i = 0; i < REPS; i++) {
      const [r, s] = await rep(c, i % 2 === 0 ? 'raw' : 'sonfs', both);
      raw.push(r);
      so.push(s);
      ratios.push(s / r);
    }
    const ratio = median(so) / median(raw);
    results.push({
      name: c.name, unit: c.unit, raw: summarize(raw), sonfs: summarize(so), ratios: summarize(ratios), ratio, target: c.target,
      met: ratio >= c.target,
    });
  }
  const fmt = (x: number): string => (x >= 1000 ? x.toFixed(0) : x.toFixed(1));
  const span = (s: Summary): string => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
  console.log(`node ${process.version}, ${REPS} repetitions each, bulk ${BULK_BYTES / MiB} MiB, rr ${RR_COUNT} round trips, ${SLICES} interleaved slices per side`);
  console.log('case       unit    raw median (min–max)          sonfs median (min–max)        ratio  per-rep ratio (min–max)  target');
  for (const r of results) {
    const per = `${r.ratios.median.toFixed(2)} (${r.ratios.min.toFixed(2)}–${r.ratios.max.toFixed(2)})`;
    console.log(`${r.name.padEnd(10)} ${r.unit.padEnd(7)} ${span(r.raw).padEnd(29)} ${span(r.sonfs).padEnd(29)} ${r.ratio.toFixed(2).padStart(5)}  ${per.padEnd(23)}  ≥${r.target} ${r.met ? 'met' : 'MISSED'}`);
  }
  const out = path.resolve(process.cwd(), 'bench/results/sockets.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ node: process.version, date: new Date().toISOString(), reps: REPS, slices: SLICES, results }, null, 2));
  console.log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
