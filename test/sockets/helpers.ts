/*
 * Helpers for the sockets/ tests: sockets that are closed after each test, loopback TCP and UDP
 * pairs, waits on so_timeo, and byte helpers. Everything talks to 127.0.0.1 only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, vi } from 'vitest';
import {
  AF_INET, AF_LOCAL, MSG_DONTWAIT, PSOCK, SOCK_DGRAM, SOL_SOCKET, SO_SNDBUF, sooptint, sosetopt, SOCK_STREAM, SS_ISCONNECTING, UIO_READ, UIO_WRITE, m_freem,
  m_tobuf, proc0, sobind, soaccept, soclose, soconnect, socreate, sockaddr_in, sockaddr_parse, sockaddr_un, socketpair,
  solisten, soreceive, sosend, sosockaddr, sostat, tsleep, uio_init,
} from '../../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../../sockets/index.js';

const open = new Set<Socket>();
const dirs: string[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

/** Close every socket the test made (and anything registered with onCleanup). */
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  for (const so of [...open]) {
    while (so.so_count > 0) await soclose(so);
  }
  open.clear();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/* Leak check per test file: every socket freed and every host handle closed at the end. */
afterAll(async () => {
  expect(sostat.so_live).toBe(0);
  expect(await until(() => sostat.host_live === 0, 15_000)).toBe(true);
});

export function onCleanup(fn: () => void | Promise<void>): void {
  cleanups.push(fn);
}

/** Remember a socket for closing after the test. */
export function track<T extends Socket | null>(so: T): T {
  if (so !== null) open.add(so);
  return so;
}

/** socreate that must succeed; the socket is closed after the test. */
export function mkso(dom: number, type: number, proto = 0): Socket {
  const r: Ref<Socket | null> = { value: null };
  const e = socreate(dom, r, type, proto);
  expect(e).toBe(0);
  return track(r.value!);
}

/** A fresh temporary directory removed after the test. */
export function tmpdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sonfs-sock-'));
  dirs.push(d);
  return d;
}

/** The local port of an inet socket. */
export function portof(so: Socket): number {
  const r: Ref<Mbuf | null> = { value: null };
  expect(sosockaddr(so, r)).toBe(0);
  const sa = sockaddr_parse(r.value);
  m_freem(r.value);
  return sa !== null && 'port' in sa ? sa.port : -1;
}

/** A TCP listener on 127.0.0.1 (ephemeral port). */
export async function tcpListener(backlog = 5): Promise<{ so: Socket; port: number }> {
  const so = mkso(AF_INET, SOCK_STREAM);
  expect(await sobind(so, sockaddr_in('127.0.0.1', 0), proc0)).toBe(0);
  expect(await solisten(so, backlog)).toBe(0);
  return { so, port: portof(so) };
}

/** Sleep on so_timeo (2 s steps, at most `limit` ms) until the connect attempt is over. */
export async function waitConnect(so: Socket, limit = 10_000): Promise<void> {
  const t0 = Date.now();
  while (so.so_state & SS_ISCONNECTING && so.so_error === 0 && Date.now() - t0 < limit) {
    await tsleep(so.so_timeo, PSOCK, 'conwait', 200);
  }
}

/** A connected loopback TCP pair: client, accepted server side, and the listener. */
export async function tcpPair(setup?: (client: Socket, listener: Socket) => void): Promise<{ client: Socket; server: Socket; listener: Socket }> {
  const { so: listener, port } = await tcpListener();
  const client = mkso(AF_INET, SOCK_STREAM);
  setup?.(client, listener);
  expect(soconnect(client, sockaddr_in('127.0.0.1', port))).toBe(0);
  await waitConnect(client);
  expect(client.so_error).toBe(0);
  const a: Ref<Socket | null> = { value: null };
  expect(await soaccept(listener, a, null)).toBe(0);
  return { client, server: track(a.value!), listener };
}

/** A bound UDP socket on 127.0.0.1 and its port. */
export async function udpSocket(): Promise<{ so: Socket; port: number }> {
  const so = mkso(AF_INET, SOCK_DGRAM);
  expect(await sobind(so, sockaddr_in('127.0.0.1', 0), proc0)).toBe(0);
  return { so, port: portof(so) };
}

/** An in-process AF_LOCAL pair. */
export function localPair(type: number): [Socket, Socket] {
  const sv: [Socket | null, Socket | null] = [null, null];
  expect(socketpair(AF_LOCAL, type, 0, sv)).toBe(0);
  return [track(sv[0]!), track(sv[1]!)];
}

/** sosend of a string (uio); returns the errno. */
export function sendstr(so: Socket, s: string | Buffer, flags = 0, addr: Mbuf | null = null): Promise<number> {
  const b = typeof s === 'string' ? Buffer.from(s) : s;
  return sosend(so, addr, uio_init(UIO_WRITE, [b]), null, null, flags);
}

/** soreceive into a buffer of n bytes; returns errno, data, flags and the sender address. */
export async function recvn(so: Socket, n: number, flags = 0): Promise<{ error: number; data: Buffer; flags: number; from: ReturnType<typeof sockaddr_parse> }> {
  const buf = Buffer.alloc(n);
  const uio = uio_init(UIO_READ, [buf]);
  const f: Ref<number> = { value: flags };
  const pa: Ref<Mbuf | null> = { value: null };
  const error = await soreceive(so, pa, uio, null, null, f);
  const from = sockaddr_parse(pa.value);
  m_freem(pa.value);
  return { error, data: buf.subarray(0, n - uio.uio_resid), flags: f.value, from };
}

/** Receive until `n` bytes or EOF/error (blocking reads). */
export async function recvall(so: Socket, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  while (got < n) {
    const r = await recvn(so, n - got);
    if (r.error || r.data.length === 0) break;
    parts.push(r.data);
    got += r.data.length;
  }
  return Buffer.concat(parts);
}

/** Non-blocking drain: everything currently buffered. */
export async function drain(so: Socket): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (;;) {
    const r = await recvn(so, 65536, MSG_DONTWAIT);
    if (r.error || r.data.length === 0) break;
    parts.push(r.data);
  }
  return Buffer.concat(parts);
}

/** Wait (polling every 10 ms, at most `limit` ms) until cond() holds. */
export async function until(cond: () => boolean, limit = 10_000): Promise<boolean> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > limit) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/**
 * Starts `start()` with setTimeout and clearTimeout faked, and checks that what it returns settles
 * when the (fake) clock reaches `ms`: not at `ms - 1`, and at `ms`. What ends a sleep — its timer,
 * not a wakeup or an error — without reading the wall clock, which a loaded machine makes lie.
 * `start` must begin its timed sleep before returning its promise (nothing it waits for first may
 * need a timer).
 */
export async function settlesAtTimer<T>(start: () => Promise<T>, ms: number): Promise<T> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    let settled = false;
    const p = start();
    p.then(() => { settled = true; }, () => { settled = true; });
    await vi.advanceTimersByTimeAsync(ms - 1);
    expect(settled, `settled before its ${ms} ms timer`).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    for (let i = 0; i < 10 && !settled; i++) await Promise.resolve();
    expect(settled, `still pending when its ${ms} ms timer fired`).toBe(true);
    return await p;
  } finally {
    vi.useRealTimers();
  }
}

/** Wait until every host handle opened by sonfs is closed. */
export function hostsClosed(base = 0): Promise<boolean> {
  return until(() => sostat.host_live <= base);
}

/** The bytes of an mbuf chain, as a string. */
export function chainstr(m: Mbuf | null): string {
  return m_tobuf(m).toString();
}

/** An unused-looking path for an AF_LOCAL socket in a temp dir. */
export function sockpath(name = 's.sock'): string {
  return path.join(tmpdir(), name);
}

export { sockaddr_un };

/**
 * A loopback TCP port whose listener never accepts and whose accept queue is full, so a new
 * connect stays pending (the host drops its SYNs). Node always accepts, so the listener is a
 * small python3 process; it and the queue-filling connections are closed after the test.
 */
export async function stuckPort(): Promise<number> {
  const { spawn } = await import('node:child_process');
  const net = await import('node:net');
  const child = spawn('python3', ['-c', [
    'import socket, sys',
    's = socket.socket()',
    "s.bind(('127.0.0.1', 0))",
    's.listen(0)',
    'print(s.getsockname()[1], flush=True)',
    'sys.stdin.read()',
  ].join('\n')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('error', reject);
  });
  const fillers: import('node:net').Socket[] = [];
  onCleanup(() => {
    for (const f of fillers) f.destroy();
    child.stdin.end();
    child.kill();
  });
  /* Fill the accept queue: connections complete until it is full; then SYNs are dropped. */
  for (let i = 0; i < 4; i++) {
    const f = net.connect(port, '127.0.0.1');
    f.on('error', () => undefined);
    fillers.push(f);
    const ok = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 300);
      f.once('connect', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
    if (!ok) break;
  }
  return port;
}

/** A loopback port with nothing listening (bound once, then released). */
export async function closedPort(): Promise<number> {
  const net = await import('node:net');
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as import('node:net').AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * Fill a TCP connection whose peer does not read: first so_snd is made large (256 KiB, so that
 * much stays queued in the host's user-space write queue once the kernel's buffers are full and
 * the window is closed), then MSG_DONTWAIT sends of 64 KiB go until nothing has moved for 1 s.
 * Returns the bytes accepted.
 */
export async function fillUntilBlocked(so: Socket, cap = 256 * 1024 * 1024): Promise<number> {
  expect(sosetopt(so, SOL_SOCKET, SO_SNDBUF, sooptint(256 * 1024))).toBe(0);
  const chunk = Buffer.alloc(64 * 1024, 0x7a);
  let total = 0;
  let stalls = 0;
  while (total < cap) {
    const uio = uio_init(UIO_WRITE, [chunk]);
    const e = await sosend(so, null, uio, null, null, MSG_DONTWAIT);
    const moved = chunk.length - uio.uio_resid;
    total += moved;
    if (e === 0 || moved > 0) {
      stalls = 0;
      continue;
    }
    expect(e).toBe(35 /* EWOULDBLOCK */);
    if (++stalls >= 50) return total;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('fillUntilBlocked: never blocked');
}
