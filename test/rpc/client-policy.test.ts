/*
 * The client's policies against the fake server over TCP: soft timeouts after `retrans`
 * retransmissions (same xid), hard calls that retry until the server answers or comes back
 * (with "not responding" / "responding again"), interruption by AbortSignal (late reply dropped
 * and counted), per-call timeouts, close() with calls pending, maxInFlight / maxQueued.
 */
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { EINTR, ENOBUFS, ESHUTDOWN, ETIMEDOUT } from '../../sockets/index.js';
import {
  RpcClosedError, RpcInterruptedError, RpcQueueFullError, RpcTimeoutError,
} from '../../rpc/index.js';
import { FakeRpcServer } from './helpers/fake-rpc-server.js';
import type { FakeCall } from './helpers/fake-rpc-server.js';
import { client, serve, sleep, u32, until } from './helpers/clients.js';

const silent = (): void => undefined;

describe('soft and hard calls', () => {
  test('a soft call fails with ETIMEDOUT after retrans retransmissions, each with the same xid', async () => {
    const s = serve(await FakeRpcServer.tcp(silent));
    const c = client(s, { hard: false, timeo: 1, retrans: 2, maxTimeout: 300 });
    const e = await c.ping(1, 1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcTimeoutError);
    expect(e).toMatchObject({ errno: ETIMEDOUT, code: 'ERR_RPC_TIMEOUT', retransmits: 2 });
    expect(s.calls.length).toBe(3);
    expect(new Set(s.calls.map((k) => k.xid)).size).toBe(1);
    expect(s.accepted).toBe(1); /* resent on the same connection */
    expect(c.stats).toMatchObject({ retransmits: 2, timeouts: 3, timedOut: 1, inFlight: 0 });
  });

  test('retrans 0: the first timeout fails the call, nothing is resent', async () => {
    const s = serve(await FakeRpcServer.tcp(silent));
    const c = client(s, { hard: false, timeo: 1, retrans: 0 });
    await expect(c.ping(1, 1)).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(s.calls.length).toBe(1);
  });

  test('a hard call retries until answered: "not responding" after retrans retransmissions, then "responding again"', async () => {
    let answer = false;
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      if (answer) srv.reply(call, call.args);
    }));
    const c = client(s, { timeo: 1, retrans: 2, maxTimeout: 200 });
    const events: string[] = [];
    c.on('notResponding', () => events.push('notResponding'));
    c.on('respondingAgain', () => events.push('respondingAgain'));
    const p = c.callCodec(1, 1, 1, u32, 77, u32);
    await until(() => events.length === 1, 10_000, 'not responding');
    answer = true;
    expect(await p).toBe(77);
    expect(events).toEqual(['notResponding', 'respondingAgain']);
    expect(c.stats.retransmits).toBeGreaterThanOrEqual(2);
    expect(new Set(s.calls.map((k) => k.xid)).size).toBe(1);
  });

  test('a hard call survives the server going away: reconnection attempts back off until it is back on its port', async () => {
    const first = await FakeRpcServer.tcp(silent);
    const port = first.port;
    const c = client({ port, proto: 'tcp' }, { timeo: 1, retrans: 1, maxTimeout: 200, maxReconnectDelay: 200 });
    const p = c.callCodec(1, 1, 1, u32, 5, u32);
    await first.waitCalls(1);
    await first.close(); /* connections reset, port closed */
    await until(() => c.stats.connectFailures >= 3, 10_000, 'failed reconnection attempts');
    const back = serve(await FakeRpcServer.tcp(undefined, port));
    expect(await p).toBe(5);
    expect(c.stats.reconnects).toBe(1);
    expect(back.calls.map((k) => k.xid)).toEqual([first.calls[0]!.xid]);
  });
});

describe('interruption, timeouts, close', () => {
  test('an AbortSignal interrupts a call (EINTR); its late reply is dropped and counted', async () => {
    const held: FakeCall[] = [];
    const s = serve(await FakeRpcServer.tcp((call) => held.push(call)));
    const c = client(s);
    const ac = new AbortController();
    const p = c.callCodec(1, 1, 1, u32, 1, u32, { signal: ac.signal });
    await s.waitCalls(1);
    ac.abort();
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcInterruptedError);
    expect((e as RpcInterruptedError).errno).toBe(EINTR);
    s.reply(held[0]!, held[0]!.args);
    await until(() => c.stats.lateReplies === 1, 5000, 'the late reply');
    expect(c.stats).toMatchObject({ interrupted: 1, inFlight: 0, replies: 0 });
    /* The connection is still good. */
    const q = c.callCodec(1, 1, 1, u32, 2, u32);
    await s.waitCalls(2);
    s.reply(held[1]!, held[1]!.args);
    expect(await q).toBe(2);
  });

  test('an already aborted signal rejects at once, sending nothing', async () => {
    const s = serve(await FakeRpcServer.tcp());
    const c = client(s);
    await expect(c.ping(1, 1, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(RpcInterruptedError);
    expect(s.calls.length).toBe(0);
  });

  test('a per-call timeout ends even a hard call with ETIMEDOUT', async () => {
    const s = serve(await FakeRpcServer.tcp(silent));
    const c = client(s);
    const e = await c.ping(1, 1, { timeout: 300 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcTimeoutError);
    expect((e as RpcTimeoutError).errno).toBe(ETIMEDOUT);
    expect(c.stats.timedOut).toBe(1);
  });

  test('close() fails pending and waiting calls with ESHUTDOWN and closes every socket; later calls fail too', async () => {
    const s = serve(await FakeRpcServer.tcp(silent));
    const c = client(s, { maxInFlight: 2 });
    const pending = Array.from({ length: 5 }, () => c.ping(1, 1).catch((x: unknown) => x));
    await s.waitCalls(2);
    await c.close();
    for (const e of await Promise.all(pending)) {
      expect(e).toBeInstanceOf(RpcClosedError);
      expect((e as RpcClosedError).errno).toBe(ESHUTDOWN);
    }
    await expect(c.ping(1, 1)).rejects.toBeInstanceOf(RpcClosedError);
    expect(c.closed).toBe(true);
    expect(c.stats).toMatchObject({ inFlight: 0, queued: 0 });
    await c.close(); /* idempotent */
  });

  test('close() during reconnection attempts stops them and leaves no socket', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const c = client({ port, proto: 'tcp' });
    const p = c.ping(1, 1).catch((x: unknown) => x);
    await until(() => c.stats.connectFailures >= 2, 10_000, 'connect failures');
    await c.close();
    expect(await p).toBeInstanceOf(RpcClosedError);
    const failures = c.stats.connectFailures;
    await sleep(300);
    expect(c.stats.connectFailures).toBe(failures);
  });
});

describe('bounded concurrency', () => {
  test('maxInFlight: calls beyond it wait, in order, and go out as replies free slots', async () => {
    const held: FakeCall[] = [];
    const s = serve(await FakeRpcServer.tcp((call) => held.push(call)));
    const c = client(s, { maxInFlight: 3 });
    const all = Promise.all(Array.from({ length: 8 }, (_, i) => c.callCodec(1, 1, 1, u32, i, u32)));
    await s.waitCalls(3);
    await sleep(50);
    expect(s.calls.length).toBe(3);
    expect(c.stats).toMatchObject({ inFlight: 3, queued: 5 });
    while (held.length > 0 || s.calls.length < 8) {
      const k = held.shift();
      if (k) s.reply(k, k.args);
      else await sleep(5);
    }
    expect(await all).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(s.calls.map((k) => k.args.readUInt32BE(0))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('maxQueued: a call beyond the queue fails with ENOBUFS', async () => {
    const s = serve(await FakeRpcServer.tcp(silent));
    const c = client(s, { maxInFlight: 1, maxQueued: 2 });
    const ps = [c.ping(1, 1), c.ping(1, 1), c.ping(1, 1)].map((p) => p.catch((x: unknown) => x));
    const e = await c.ping(1, 1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcQueueFullError);
    expect((e as RpcQueueFullError).errno).toBe(ENOBUFS);
    await c.close();
    await Promise.all(ps);
  });

  test('a waiting call can be interrupted before it is ever sent', async () => {
    const held: FakeCall[] = [];
    const s = serve(await FakeRpcServer.tcp((call) => held.push(call)));
    const c = client(s, { maxInFlight: 1 });
    const first = c.callCodec(1, 1, 1, u32, 1, u32);
    const ac = new AbortController();
    const second = c.callCodec(1, 1, 1, u32, 2, u32, { signal: ac.signal });
    const third = c.callCodec(1, 1, 1, u32, 3, u32);
    await s.waitCalls(1);
    ac.abort();
    await expect(second).rejects.toBeInstanceOf(RpcInterruptedError);
    s.reply(held[0]!, held[0]!.args);
    expect(await first).toBe(1);
    await s.waitCalls(2);
    s.reply(held[1]!, held[1]!.args);
    expect(await third).toBe(3);
    expect(s.calls.map((k) => k.args.readUInt32BE(0))).toEqual([1, 3]);
  });
});
