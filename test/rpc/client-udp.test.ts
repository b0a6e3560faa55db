/*
 * RpcClient over connected UDP against the fake server: loss (retransmission with the same xid),
 * duplication, the congestion window (start at 16, halve on timeouts, grow on replies), ICMP port
 * unreachable (counted and ignored; softConnect fails), garbage and oversize datagrams.
 */
import dgram from 'node:dgram';
import { describe, expect, test } from 'vitest';
import { ECONNREFUSED, EMSGSIZE } from '../../sockets/index.js';
import { RpcCantConnectError, RpcCantSendError, RpcTimeoutError } from '../../rpc/index.js';
import { FakeRpcServer, successMessage } from './helpers/fake-rpc-server.js';
import type { FakeCall } from './helpers/fake-rpc-server.js';
import { client, serve, sleep, u32, until } from './helpers/clients.js';

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('RpcClient over UDP', () => {
  test('a lost datagram is retransmitted with the same xid after timeo; the window halves', async () => {
    const seen = new Set<number>();
    const s = serve(await FakeRpcServer.udp((call, srv) => {
      if (!seen.has(call.xid)) {
        seen.add(call.xid); /* drop the first transmission */
        return;
      }
      srv.reply(call, call.args);
    }));
    const c = client(s, { timeo: 1 });
    expect(await c.callCodec(1, 1, 1, u32, 42, u32)).toBe(42);
    expect(s.calls.length).toBe(2);
    expect(s.calls[0]!.xid).toBe(s.calls[1]!.xid);
    expect(c.stats.retransmits).toBe(1);
    expect(c.procStats()[0]).toMatchObject({ retransmits: 1, rttSamples: 0 }); /* Karn: not timed */
  });

  test('duplicated replies are dropped after the first and counted', async () => {
    const s = serve(await FakeRpcServer.udp((call, srv) => {
      srv.reply(call, call.args);
      srv.reply(call, call.args);
      srv.reply(call, call.args);
    }));
    const c = client(s);
    expect(await c.callCodec(1, 1, 1, u32, 3, u32)).toBe(3);
    await until(() => c.stats.duplicateReplies === 2, 5000, 'duplicates');
    expect(c.stats.replies).toBe(1);
  });

  test('garbage datagrams and replies with unknown xids are counted and dropped; the call still completes', async () => {
    const s = serve(await FakeRpcServer.udp((call, srv) => {
      srv.send(call, Buffer.from([1, 2, 3]));
      srv.send(call, Buffer.from([0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 0]));
      srv.sendMessage(call, successMessage((call.xid + 1000) >>> 0));
      const bad = successMessage(call.xid);
      srv.send(call, bad.subarray(0, 14)); /* right xid, truncated header */
      srv.reply(call, call.args);
    }));
    const c = client(s);
    expect(await c.callCodec(1, 1, 1, u32, 8, u32)).toBe(8);
    await until(() => c.stats.badReplies === 3, 5000, 'bad replies');
    expect(c.stats.strayReplies).toBe(1);
    expect(c.stats.reconnects).toBe(0);
  });

  test('the congestion window lets 16 calls out at first; the rest wait until replies open it', async () => {
    const held: FakeCall[] = [];
    const s = serve(await FakeRpcServer.udp((call) => held.push(call)));
    const c = client(s, { timeo: 100 });
    const all = Promise.all(Array.from({ length: 40 }, (_, i) => c.callCodec(1, 1, 1, u32, i, u32)));
    await s.waitCalls(16);
    await sleep(100);
    expect(s.calls.length).toBe(16);
    expect(c.stats).toMatchObject({ cwnd: 16, inFlight: 16, queued: 24 });
    while (s.calls.length < 40 || held.length > 0) {
      const k = held.shift();
      if (k) s.reply(k, k.args);
      else await sleep(5);
    }
    expect(await all).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(c.stats.cwnd).toBeGreaterThan(16); /* additive increase while the window was full */
    expect(c.stats.cwnd).toBeLessThanOrEqual(32);
  });

  test('timeouts halve the window down to one call; replies grow it again', async () => {
    let answer = false;
    const s = serve(await FakeRpcServer.udp((call, srv) => {
      if (answer) srv.reply(call, call.args);
    }));
    const c = client(s, { timeo: 1, maxTimeout: 300 });
    const p = Promise.all(Array.from({ length: 8 }, (_, i) => c.callCodec(1, 1, 1, u32, i, u32)));
    await until(() => c.stats.timeouts >= 8, 10_000, 'timeouts');
    expect(c.stats.cwnd).toBeLessThan(16);
    const low = c.stats.cwnd;
    answer = true;
    expect(await p).toHaveLength(8);
    await Promise.all(Array.from({ length: 64 }, (_, i) => c.callCodec(1, 1, 1, u32, i, u32)));
    expect(c.stats.cwnd).toBeGreaterThan(low);
  });

  test('ICMP port unreachable is counted and ignored: a hard call waits until a server appears on the port', async () => {
    const port = await freeUdpPort();
    const c = client({ port, proto: 'udp' }, { timeo: 1, maxTimeout: 200 });
    const p = c.callCodec(1, 1, 1, u32, 11, u32);
    await until(() => c.stats.softErrors >= 1, 10_000, 'an ICMP error');
    serve(await FakeRpcServer.udp(undefined, port));
    expect(await p).toBe(11);
    expect(c.stats.softErrors).toBeGreaterThanOrEqual(1);
  });

  test('softConnect over UDP: port unreachable fails the call with ECONNREFUSED', async () => {
    const port = await freeUdpPort();
    const c = client({ port, proto: 'udp' }, { timeo: 1 });
    const e = await c.ping(1, 1, { softConnect: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcCantConnectError);
    expect((e as RpcCantConnectError).errno).toBe(ECONNREFUSED);
  });

  test('a soft UDP call fails after retrans retransmissions', async () => {
    const s = serve(await FakeRpcServer.udp(() => undefined));
    const c = client(s, { hard: false, timeo: 1, retrans: 3, maxTimeout: 200 });
    await expect(c.ping(1, 1)).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(s.calls.length).toBe(4);
    expect(new Set(s.calls.map((k) => k.xid)).size).toBe(1);
  });

  test('a call too large for a datagram fails with EMSGSIZE without being sent', async () => {
    const s = serve(await FakeRpcServer.udp());
    const c = client(s);
    const e = await c.call(1, 1, 1, (w) => w.opaque(Buffer.alloc(70000), 100000), null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcCantSendError);
    expect((e as RpcCantSendError).errno).toBe(EMSGSIZE);
    expect(await c.callCodec(1, 1, 1, u32, 1, u32)).toBe(1);
    expect(s.calls.length).toBe(1);
  });

  test('large replies (60 KiB) arrive whole in one datagram', async () => {
    const s = serve(await FakeRpcServer.udp((call, srv) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(60000, 0);
      srv.reply(call, Buffer.concat([len, Buffer.alloc(60000, 0x5a)]));
    }));
    const c = client(s);
    const got = await c.call(1, 1, 1, null, (r) => r.opaque(65536));
    expect(got.length).toBe(60000);
    expect(got.every((b) => b === 0x5a)).toBe(true);
  });
});
