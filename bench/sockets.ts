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
 * Each repetition runs raw then sonfs, or sonfs then raw (alternating), on fresh connections.
 * Prints median, min–max and the sonfs/raw ratio of the medians; writes
 * bench/results/sockets.json. Run: npm run build && node dist/bench/sockets.js [--reps N]
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
/* --only NAME runs one case; --side raw|sonfs runs one side of it (for node --cpu-prof). */
const onlyArg = args.indexOf('--only');
const ONLY = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
const sideArg = args.indexOf('--side');
const SIDE = sideArg >= 0 ? args[sideArg + 1] : undefined;

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

async function rawBulk(write: number): Promise<number> {
  const { client, server, close } = await rawPair();
  const buf = Buffer.alloc(write, 0x61);
  const t0 = process.hrtime.bigint();
  const done = new Promise<void>((resolve) => {
    let got = 0;
    server.on('data', (chunk: Buffer) => {
      got += chunk.length;
      if (got >= BULK_BYTES) resolve();
    });
  });
  let sent = 0;
  while (sent < BULK_BYTES) {
    sent += write;
    if (!client.write(buf)) await new Promise<void>((r) => client.once('drain', r));
  }
  await done;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await close();
  return BULK_BYTES / secs / (1024 * 1024);
}

async function rawRR(): Promise<number> {
  const { client, server, close } = await rawPair();
  client.setNoDelay(true);
  server.setNoDelay(true);
  server.on('data', (d: Buffer) => server.write(d));
  const req = Buffer.alloc(10, 0x62);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < RR_COUNT; i++) {
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
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await close();
  return RR_COUNT / secs;
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

async function soBulk(write: number): Promise<number> {
  const { client, server, close } = await soPair(Math.max(2 * write, 256 * 1024), 256 * 1024, false);
  const buf = Buffer.alloc(write, 0x61);
  const t0 = process.hrtime.bigint();
  const receiver = (async () => {
    let got = 0;
    const mp: Ref<Mbuf | null> = { value: null };
    while (got < BULK_BYTES) {
      const uio = uio_init(UIO_READ, []);
      uio.uio_resid = 1 << 20;
      const e = await soreceive(server, null, uio, mp, null, null);
      if (e) throw new Error(`soreceive ${e}`);
      got += m_length(mp.value);
      m_freem(mp.value);
      mp.value = null;
    }
  })();
  let sent = 0;
  while (sent < BULK_BYTES) {
    const e = await sosend(client, null, null, m_wrap(buf), null, 0);
    if (e) throw new Error(`sosend ${e}`);
    sent += write;
  }
  await receiver;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await close();
  return BULK_BYTES / secs / (1024 * 1024);
}

async function soRR(upcall = false): Promise<number> {
  const { client, server, close } = await soPair(64 * 1024, 64 * 1024, true);
  let stop = false;
  const echo = upcall ? upcallEcho(server) : (async () => {
    const b = Buffer.alloc(10);
    while (!stop) {
      const uio = uio_init(UIO_READ, [b]);
      const e = await soreceive(server, null, uio, null, null, { value: MSG_WAITALL });
      if (e || uio.uio_resid !== 0) return;
      const e2 = await sosend(server, null, uio_init(UIO_WRITE, [b]), null, null, 0);
      if (e2) return;
    }
  })();
  const req = Buffer.alloc(10, 0x62);
  const resp = Buffer.alloc(10);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < RR_COUNT; i++) {
    let e = await sosend(client, null, uio_init(UIO_WRITE, [req]), null, null, 0);
    if (e) throw new Error(`sosend ${e}`);
    const uio = uio_init(UIO_READ, [resp]);
    e = await soreceive(client, null, uio, null, null, { value: MSG_WAITALL });
    if (e || uio.uio_resid !== 0) throw new Error(`soreceive ${e}`);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  stop = true;
  await close();
  await echo;
  return RR_COUNT / secs;
}

/* An echo server driven by the receive upcall: no promise and no sleep per message. */
async function upcallEcho(so: Socket): Promise<void> {
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
  raw: () => Promise<number>;
  so: () => Promise<number>;
  target: number;
}

const cases: Case[] = [
  { name: 'bulk-64k', unit: 'MiB/s', raw: () => rawBulk(64 * 1024), so: () => soBulk(64 * 1024), target: 0.9 },
  { name: 'bulk-1m', unit: 'MiB/s', raw: () => rawBulk(1024 * 1024), so: () => soBulk(1024 * 1024), target: 0.9 },
  { name: 'rr-10', unit: 'ops/s', raw: rawRR, so: () => soRR(false), target: 0.8 },
  { name: 'rr-10-up', unit: 'ops/s', raw: rawRR, so: () => soRR(true), target: 0.8 },
];

interface Result {
  name: string;
  unit: string;
  raw: Summary;
  sonfs: Summary;
  ratio: number;
  target: number;
  met: boolean;
}

async function main(): Promise<void> {
  sbconfig.sb_max = 4 * 1024 * 1024; /* kern.maxsockbuf: room for 1 MiB atomic `top` sends */
  const results: Result[] = [];
  if (SIDE !== undefined) {
    for (const c of cases.filter((x) => x.name === ONLY)) {
      for (let i = 0; i < REPS; i++) console.log(c.name, SIDE, (await (SIDE === 'raw' ? c.raw() : c.so())).toFixed(1), c.unit);
    }
    return;
  }
  for (const c of cases.filter((x) => ONLY === undefined || x.name === ONLY)) {
    const raw: number[] = [];
    const so: number[] = [];
    for (let w = 0; w < 2; w++) {
      /* warm-up (JIT), not counted */
      await c.raw();
      await c.so();
    }
    for (let i = 0; i < REPS; i++) {
      if (i % 2 === 0) {
        raw.push(await c.raw());
        so.push(await c.so());
      } else {
        so.push(await c.so());
        raw.push(await c.raw());
      }
    }
    const ratio = median(so) / median(raw);
    results.push({ name: c.name, unit: c.unit, raw: summarize(raw), sonfs: summarize(so), ratio, target: c.target, met: ratio >= c.target });
  }
  const fmt = (x: number): string => (x >= 1000 ? x.toFixed(0) : x.toFixed(1));
  console.log(`node ${process.version}, ${REPS} repetitions each, bulk ${BULK_BYTES / (1024 * 1024)} MiB, rr ${RR_COUNT} round trips`);
  console.log('case       unit    raw median (min–max)          sonfs median (min–max)        ratio  target');
  for (const r of results) {
    const rawCol = `${fmt(r.raw.median)} (${fmt(r.raw.min)}–${fmt(r.raw.max)})`;
    const soCol = `${fmt(r.sonfs.median)} (${fmt(r.sonfs.min)}–${fmt(r.sonfs.max)})`;
    console.log(`${r.name.padEnd(10)} ${r.unit.padEnd(7)} ${rawCol.padEnd(29)} ${soCol.padEnd(29)} ${r.ratio.toFixed(2).padStart(5)}  ≥${r.target} ${r.met ? 'met' : 'MISSED'}`);
  }
  const out = path.resolve(process.cwd(), 'bench/results/sockets.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ node: process.version, date: new Date().toISOString(), reps: REPS, results }, null, 2));
  console.log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
