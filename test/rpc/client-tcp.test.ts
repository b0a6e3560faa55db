/*
 * RpcClient over TCP against the scripted fake server: many calls on one connection matched by
 * xid, reordering, fragments and marks split at every byte, duplicate/stray/garbage replies,
 * oversized records, resets mid-call (reconnect and resend with the same xids, in order),
 * multi-fragment and over-buffer-size calls, per-call credentials and reserved ports.
 */
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import {
  ECONNREFUSED, newproc, sbconfig, sostat,
} from '../../sockets/index.js';
import { RpcCantConnectError, RpcProgMismatchError, RpcProcUnavailError, RpcAuthError, RpcMismatchError, XdrDecodeError } from '../../rpc/index.js';
import { decodeAuthSysBody, AUTH_SYS, AUTH_NONE, MSG_ACCEPTED, MSG_DENIED, PROG_MISMATCH, PROC_UNAVAIL, RPC_MISMATCH, AUTH_ERROR, AUTH_TOOWEAK, opaqueAuthNone } from '../../rpc/index.js';
import { FakeRpcServer, frame, successMessage } from './helpers/fake-rpc-server.js';
import type { FakeCall } from './helpers/fake-rpc-server.js';
import { client, serve, sleep, u32, until } from './helpers/clients.js';

const word = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0, 0);
  return b;
};

describe('RpcClient over TCP', () => {
  test('many calls in flight on one connection are matched by xid although answered in reverse order', async () => {
    const held: FakeCall[] = [];
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      held.push(call);
      if (held.length === 20) for (const c of held.reverse()) srv.reply(c, c.args);
    }));
    const c = client(s);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.callCodec(1, 1, 1, u32, i * 7, u32)));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 7));
    expect(s.accepted).toBe(1);
    expect(new Set(s.calls.map((x) => x.xid)).size).toBe(20);
    expect(c.stats).toMatchObject({ calls: 20, replies: 20, sends: 20, retransmits: 0, connects: 1 });
  });

  test('xids start at a random value and increase by one per call', async () => {
    const s = serve(await FakeRpcServer.tcp());
    const c1 = client(s);
    const c2 = client(s);
    for (let i = 0; i < 3; i++) await c1.ping(1, 1);
    await c2.ping(1, 1);
    const x = s.calls.map((k) => k.xid);
    expect((x[1]! - x[0]!) >>> 0).toBe(1);
    expect((x[2]! - x[1]!) >>> 0).toBe(1);
    expect(x[3]).not.toBe(x[0]! + 3); /* another client, another random start (1 in 2^32 to fail) */
  });

  test('the results decoder reads from the position of the results: READ data goes straight into a caller buffer', async () => {
    const payload = Buffer.from('the quick brown fox jumps');
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      const len = word(payload.length);
      srv.reply(call, Buffer.concat([word(7), len, payload, Buffer.alloc(3)]));
    }));
    const target = Buffer.alloc(40, 0x2e);
    const n = await client(s).call(100003, 3, 6, null, (r) => {
      expect(r.uint()).toBe(7);
      return r.opaqueInto(target, 5, 64);
    });
    expect(n).toBe(payload.length);
    expect(target.subarray(5, 5 + n).toString()).toBe(payload.toString());
    expect(target[4]).toBe(0x2e);
  });

  test('a reply in many fragments, written one byte at a time (every mark split at every byte), is reassembled', async () => {
    const results = Buffer.alloc(301);
    for (let i = 0; i < results.length; i++) results[i] = i & 0xff;
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      const bytes = frame(successMessage(call.xid, Buffer.concat([word(results.length), results, Buffer.alloc(3)])), 7);
      let i = 0;
      const drip = (): void => {
        if (i >= bytes.length || call.conn!.destroyed) return;
        call.conn!.write(bytes.subarray(i, i + 1));
        i++;
        setImmediate(drip);
      };
      drip();
    }));
    const got = await client(s).call(1, 1, 1, null, (r) => Buffer.from(r.opaque(1000)));
    expect(got.equals(results)).toBe(true);
  });

  test('zero-length non-final fragments and several records in one segment are fine', async () => {
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      if (call.proc !== 2) return;
      const [a, b] = srv.calls.slice(-2);
      const msgA = successMessage(a!.xid, word(11));
      const empty = Buffer.from([0, 0, 0, 0]);
      srv.send(call, Buffer.concat([empty, empty, frame(msgA, 5), frame(successMessage(b!.xid, word(22)))]));
    }));
    const c = client(s);
    const [x, y] = await Promise.all([c.callCodec(1, 1, 1, u32, 0, u32), c.callCodec(1, 1, 2, u32, 0, u32)]);
    expect([x, y]).toEqual([11, 22]);
  });

  test('duplicate replies, replies with unknown xids and non-replies are counted and dropped', async () => {
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      srv.sendMessage(call, successMessage((call.xid ^ 0x55555555) >>> 0, word(1))); /* an xid never issued */
      srv.reply(call, word(2));
      srv.reply(call, word(3)); /* a duplicate */
    }));
    const c = client(s);
    expect(await c.callCodec(1, 1, 1, u32, 0, u32)).toBe(2);
    await until(() => c.stats.duplicateReplies === 1, 5000, 'the duplicate');
    expect(c.stats).toMatchObject({ strayReplies: 1, duplicateReplies: 1, replies: 1, reconnects: 0 });
  });

  test('a CALL message or garbage on the stream drops the connection; the call is resent on a new one with its xid', async () => {
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      if (srv.accepted === 1) {
        srv.sendMessage(call, Buffer.from([1, 2, 3, 4, 0, 0, 0, 0, 9, 9, 9, 9])); /* mtype CALL */
        return;
      }
      srv.reply(call, word(99));
    }));
    const c = client(s);
    expect(await c.callCodec(1, 1, 1, u32, 0, u32)).toBe(99);
    expect(s.accepted).toBe(2);
    expect(s.calls[0]!.xid).toBe(s.calls[1]!.xid);
    expect(c.stats).toMatchObject({ badReplies: 1, disconnects: 1, reconnects: 1 });
  });

  test('an absurd record length (2^31-1) is refused without allocating it: the connection is dropped and the call resent', async () => {
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      if (srv.accepted === 1) srv.send(call, Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
      else srv.reply(call, word(5));
    }));
    const c = client(s, { maxRecordSize: 1 << 20 });
    const heap = process.memoryUsage().arrayBuffers;
    expect(await c.callCodec(1, 1, 1, u32, 0, u32)).toBe(5);
    expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(64 << 20);
    expect(c.stats.reconnects).toBe(1);
    expect(c.stats.disconnects).toBe(1);
  });

  test('a record just over maxRecordSize made of many small fragments is refused too', async () => {
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      if (srv.accepted === 1) srv.send(call, frame(successMessage(call.xid, Buffer.alloc(2000)), 100));
      else srv.reply(call, word(6));
    }));
    const c = client(s, { maxRecordSize: 1024 });
    expect(await c.callCodec(1, 1, 1, u32, 0, u32)).toBe(6);
    expect(c.stats.reconnects).toBe(1);
  });

  test('a reset mid-call: the client reconnects and resends every outstanding call with the same xids, in order', async () => {
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      if (srv.accepted === 1) {
        if (srv.calls.length === 5) srv.resetConnections();
        return;
      }
      srv.reply(call, call.args);
    }));
    const c = client(s);
    const reconnected = new Promise((r) => c.once('reconnect', r));
    const p = Promise.all(Array.from({ length: 5 }, (_, i) => c.callCodec(1, 1, 1, u32, i, u32)));
    await reconnected;
    expect(await p).toEqual([0, 1, 2, 3, 4]);
    const first = s.calls.slice(0, 5).map((k) => k.xid);
    const again = s.calls.slice(5).map((k) => k.xid);
    expect(again).toEqual(first);
    expect(c.stats).toMatchObject({ reconnects: 1, disconnects: 1, connects: 2, retransmits: 0 });
  });

  test('a call tracker counts the call\'s own resends: after a reset, after a timer retransmission, never otherwise', async () => {
    let dropFirst = true;
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      const v = call.args.readUInt32BE(0);
      if (v === 1 && srv.accepted === 1) {
        srv.resetConnections(); /* the first transmission is lost with its connection */
        return;
      }
      if (v === 2 && dropFirst) {
        dropFirst = false; /* no reply: the timer retransmits on the same connection */
        return;
      }
      srv.reply(call, call.args);
    }));
    const c = client(s, { timeo: 2, retrans: 5 });
    const untouched = { resends: 0 };
    expect(await c.callCodec(1, 1, 1, u32, 0, u32, { tracker: untouched })).toBe(0);
    expect(untouched.resends).toBe(0);
    const reset = { resends: 0 };
    expect(await c.callCodec(1, 1, 1, u32, 1, u32, { tracker: reset })).toBe(1);
    expect(reset.resends).toBe(1);
    const timed = { resends: 0 };
    expect(await c.callCodec(1, 1, 1, u32, 2, u32, { tracker: timed })).toBe(2);
    expect(timed.resends).toBe(1);
    expect(c.stats.retransmits).toBe(1);
  });

  test('the server closing the connection (EOF) between calls: the next call reconnects', async () => {
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      srv.reply(call, call.args);
      call.conn!.end();
    }));
    const c = client(s);
    expect(await c.callCodec(1, 1, 1, u32, 1, u32)).toBe(1);
    await until(() => !c.connected, 5000, 'the EOF');
    expect(await c.callCodec(1, 1, 1, u32, 2, u32)).toBe(2);
    expect(s.accepted).toBe(2);
    expect(c.stats.reconnects).toBe(0); /* nothing was outstanding: a plain new connection */
  });

  test('calls larger than the socket buffer go out whole, in pieces, and in order with small ones', async () => {
    const big = Buffer.alloc(3 * sbconfig.sb_max + 123, 0x61);
    const s = serve(await FakeRpcServer.tcp((call, srv) => srv.reply(call, word(call.args.length))));
    const c = client(s);
    const [n1, n2, n3] = await Promise.all([
      c.call(1, 1, 1, (w) => w.opaqueRef(big, big.length), (r) => r.uint()),
      c.call(1, 1, 2, (w) => w.uint(9), (r) => r.uint()),
      c.call(1, 1, 3, (w) => w.opaqueRef(big, big.length), (r) => r.uint()),
    ]);
    const padded = 4 + big.length + (-big.length & 3);
    expect([n1, n2, n3]).toEqual([padded, 4, padded]);
    expect(s.calls.map((k) => k.proc)).toEqual([1, 2, 3]);
    expect(s.calls[0]!.args.subarray(4, 4 + big.length).equals(big)).toBe(true);
  });

  test('maxFragmentSize sends a call as several record fragments', async () => {
    const marks: number[] = [];
    const srv = net.createServer((sock) => {
      let buf = Buffer.alloc(0);
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 4) {
          const mark = buf.readUInt32BE(0);
          const len = mark & 0x7fffffff;
          if (buf.length < 4 + len) return;
          if (!marks.includes(0x80000004)) marks.push(mark);
          buf = buf.subarray(4 + len);
        }
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const c = client({ port, proto: 'tcp' }, { maxFragmentSize: 16, hard: false, timeo: 1, retrans: 0 });
      await c.call(1, 1, 1, (w) => w.opaque(Buffer.alloc(40), 100), null).catch(() => undefined);
      await until(() => marks.length >= 6, 5000, 'the fragments');
      /* 40 bytes of header + 44 of arguments = 84 bytes: 5 fragments of 16, one of 4, the last flagged. */
      expect(marks.map((m) => m & 0x7fffffff)).toEqual([16, 16, 16, 16, 16, 4]);
      expect(marks.map((m) => m >>> 31)).toEqual([0, 0, 0, 0, 0, 1]);
      await c.close();
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  test('accepted and denied error replies become typed errors', async () => {
    const s = serve(await FakeRpcServer.tcp((call, srv) => {
      switch (call.proc) {
        case 1: return srv.replyWith(call, { reply_stat: MSG_ACCEPTED, verf: opaqueAuthNone, accept_stat: PROG_MISMATCH, mismatch_info: { low: 2, high: 4 } });
        case 2: return srv.replyWith(call, { reply_stat: MSG_ACCEPTED, verf: opaqueAuthNone, accept_stat: PROC_UNAVAIL });
        case 3: return srv.replyWith(call, { reply_stat: MSG_DENIED, reject_stat: RPC_MISMATCH, mismatch_info: { low: 2, high: 2 } });
        case 4: return srv.replyWith(call, { reply_stat: MSG_DENIED, reject_stat: AUTH_ERROR, auth_stat: AUTH_TOOWEAK });
        default: return srv.reply(call, Buffer.from([0, 0])); /* results too short for the decoder */
      }
    }));
    const c = client(s);
    await expect(c.call(1, 9, 1, null, null)).rejects.toMatchObject({ constructor: RpcProgMismatchError, low: 2, high: 4 });
    await expect(c.call(1, 1, 2, null, null)).rejects.toBeInstanceOf(RpcProcUnavailError);
    await expect(c.call(1, 1, 3, null, null)).rejects.toMatchObject({ constructor: RpcMismatchError, low: 2, high: 2 });
    await expect(c.call(1, 1, 4, null, null)).rejects.toMatchObject({ constructor: RpcAuthError, auth_stat: AUTH_TOOWEAK });
    await expect(c.call(1, 1, 5, null, (r) => r.uint())).rejects.toBeInstanceOf(XdrDecodeError);
    expect(c.stats.errorReplies).toBe(5);
    expect(c.procStats().find((p) => p.proc === 2)).toMatchObject({ calls: 1, replies: 1, errors: 1 });
  });

  test('per-call credentials: AUTH_SYS of a process (encoded once per credential), AUTH_NONE by default', async () => {
    const s = serve(await FakeRpcServer.tcp());
    const c = client(s);
    const alice = newproc({ uid: 1001, gid: 100, groups: [100, 4, 24] });
    await c.ping(1, 1);
    await c.ping(1, 1, { cred: alice });
    await c.ping(1, 1, { cred: alice });
    expect(s.calls[0]!.header.cred.flavor).toBe(AUTH_NONE);
    expect(s.calls[1]!.header.cred.flavor).toBe(AUTH_SYS);
    expect(decodeAuthSysBody(s.calls[1]!.header.cred.body)).toMatchObject({ uid: 1001, gid: 100, gids: [100, 4, 24] });
    expect(s.calls[2]!.header.cred.body.equals(s.calls[1]!.header.cred.body)).toBe(true);
    const sysClient = client(s, { auth: 'sys', proc: newproc({ uid: 7, gid: 8 }) });
    await sysClient.ping(1, 1);
    expect(decodeAuthSysBody(s.calls[3]!.header.cred.body)).toMatchObject({ uid: 7, gid: 8 });
  });

  test('a root client binds a reserved source port; resvport: false or a non-root process does not', async () => {
    const ports: number[] = [];
    const srv = net.createServer((sock) => {
      ports.push(sock.remotePort!);
      sock.destroy();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const root = client({ port, proto: 'tcp' });
      await root.connect();
      const plain = client({ port, proto: 'tcp' }, { resvport: false });
      await plain.connect();
      const user = client({ port, proto: 'tcp' }, { proc: newproc({ uid: 1000, gid: 1000 }) });
      await user.connect();
      await until(() => ports.length === 3, 5000, 'three connections');
      if (process.getuid?.() === 0) {
        expect(ports[0]).toBeLessThan(1024);
        expect(ports[0]).toBeGreaterThanOrEqual(600);
        expect(root.stats.reservedPorts).toBe(1);
      } else {
        /* The host refuses reserved ports to a non-root process: an ephemeral one instead. */
        expect(ports[0]).toBeGreaterThanOrEqual(1024);
        expect(root.stats.reservedPortFallbacks).toBe(1);
      }
      expect(ports[1]).toBeGreaterThanOrEqual(1024);
      expect(ports[2]).toBeGreaterThanOrEqual(1024);
      await Promise.all([root.close(), plain.close(), user.close()]);
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  test('softConnect: a refused connection fails the call at once with ECONNREFUSED; connect() says the same', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const c = client({ port, proto: 'tcp' });
    await expect(c.ping(1, 1, { softConnect: true })).rejects.toMatchObject({ constructor: RpcCantConnectError, errno: ECONNREFUSED });
    await expect(c.connect()).rejects.toMatchObject({ constructor: RpcCantConnectError, errno: ECONNREFUSED });
    expect(c.stats.connectFailures).toBe(2);
  });

  test('statistics: bytes, sends, per-procedure calls and round-trip times', async () => {
    const s = serve(await FakeRpcServer.tcp((call, srv) => setTimeout(() => srv.reply(call, call.args), 5)));
    const c = client(s);
    for (let i = 0; i < 3; i++) await c.callCodec(100003, 3, 1, u32, i, u32);
    await c.ping(100003, 3);
    const st = c.procStats();
    const getattr = st.find((p) => p.proc === 1)!;
    expect(getattr).toMatchObject({ prog: 100003, vers: 3, calls: 3, replies: 3, errors: 0, rttSamples: 3 });
    expect(getattr.rttMin).toBeGreaterThan(0);
    expect(getattr.rttMax).toBeGreaterThanOrEqual(getattr.rttMin);
    expect(st.find((p) => p.proc === 0)).toMatchObject({ calls: 1, replies: 1 });
    /* Each call: 4-byte mark + 40-byte header (+4 of arguments); each reply: 4 + 24 (+4). */
    expect(c.stats.bytesSent).toBe(3 * 48 + 44);
    expect(c.stats.bytesReceived).toBe(3 * 32 + 28);
    expect(c.stats).toMatchObject({ calls: 4, replies: 4, sends: 4, inFlight: 0, queued: 0 });
    expect(sostat.so_live).toBeGreaterThan(0);
  });

  test('a slow reply inside the timeout is not retransmitted', async () => {
    const s = serve(await FakeRpcServer.tcp((call, srv) => setTimeout(() => srv.reply(call, call.args), 150)));
    const c = client(s, { timeo: 20 });
    expect(await c.callCodec(1, 1, 1, u32, 3, u32)).toBe(3);
    expect(s.calls.length).toBe(1);
    expect(c.stats.retransmits).toBe(0);
    await sleep(0);
  });
});
