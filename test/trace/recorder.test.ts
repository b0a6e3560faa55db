/*
 * The recorder on real loopback sockets: what each hook writes (calls, arguments, results, bytes,
 * upcalls, sleeps, wakeups, connection state), RPC headers found in a stream cut anywhere, what a
 * headers-only trace keeps, and that nothing is recorded once tracing stops.
 */
import { statSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import {
  AF_INET, SOCK_DGRAM, SO_RCV, SU_OK, proc0, sobind, sockaddr_in, soupcall_set,
} from '../../sockets/index.js';
import { so_instrumentation } from '../../sockets/internal.js';
import { readTrace } from '../../trace/reader.js';
import { CallTable, RpcStreamDecoder } from '../../trace/rpc-decode.js';
import { Op } from '../../trace/schema.js';
import type { TraceEvent, TraceRpcHeader } from '../../trace/schema.js';
import { startTrace } from '../../trace/session.js';
import type { TraceHandle } from '../../trace/session.js';
import { mkso, portof, recvall, recvn, sendstr, tcpPair, udpSocket } from '../sockets/helpers.js';
import { scratch } from './helpers.js';

const tmp = scratch();
let handle: TraceHandle | null = null;
afterEach(() => {
  handle?.stop();
  handle = null;
});

/* An RPC call record (record marked): xid, CALL, rpcvers 2, prog, vers, proc, AUTH_SYS-like cred, AUTH_NONE verf, args. */
function rpcCall(xid: number, prog: number, vers: number, proc: number, args = Buffer.alloc(8, 0xaa)): Buffer {
  const cred = Buffer.from('secret-machine-name'); /* 19 bytes → padded to 20 */
  const body = Buffer.alloc(24 + 8 + 20 + 8 + args.length);
  body.writeUInt32BE(xid, 0);
  body.writeUInt32BE(0, 4);
  body.writeUInt32BE(2, 8);
  body.writeUInt32BE(prog, 12);
  body.writeUInt32BE(vers, 16);
  body.writeUInt32BE(proc, 20);
  body.writeUInt32BE(1, 24);
  body.writeUInt32BE(cred.length, 28);
  cred.copy(body, 32);
  args.copy(body, 60);
  return mark(body);
}

/* An accepted reply with a status word and data. */
function rpcReply(xid: number, status: number, data = Buffer.alloc(16, 0xbb)): Buffer {
  const body = Buffer.alloc(24 + 4 + data.length);
  body.writeUInt32BE(xid, 0);
  body.writeUInt32BE(1, 4);
  body.writeUInt32BE(status, 24);
  data.copy(body, 28);
  return mark(body);
}

function mark(body: Buffer): Buffer {
  const m = Buffer.alloc(4);
  m.writeUInt32BE(0x80000000 + body.length, 0);
  return Buffer.concat([m, body]);
}

const of = (events: TraceEvent[], op: number, so?: number): TraceEvent[] => events.filter((e) => e.op === op && (so === undefined || e.so === so));

describe('recording socket calls', () => {
  test('a TCP exchange is recorded call by call, with results, bytes, RPC headers, upcalls and sleeps', async () => {
    const file = tmp.file('tcp.pb');
    handle = startTrace(file, { payloads: true });
    const { client, server } = await tcpPair();
    let upcalls = 0;
    soupcall_set(server, SO_RCV, () => {
      upcalls++;
      return SU_OK;
    }, null);
    const call = rpcCall(0x01020304, 100003, 3, 6);
    /* The record goes out in three pieces, the mark itself split. */
    expect(await sendstr(client, call.subarray(0, 2))).toBe(0);
    expect(await sendstr(client, call.subarray(2, 30))).toBe(0);
    expect(await sendstr(client, call.subarray(30))).toBe(0);
    expect((await recvall(server, call.length)).equals(call)).toBe(true);
    const reply = rpcReply(0x01020304, 2);
    expect(await sendstr(server, reply)).toBe(0);
    expect((await recvall(client, reply.length)).equals(reply)).toBe(true);
    handle.stop();
    handle = null;

    const t = readTrace(file);
    expect(t.truncated).toBeNull();
    expect(t.header).toMatchObject({ magic: 'sonfs-trace', version: 1, payloads: true });
    const ev = t.events;
    expect(ev.map((e) => e.seq)).toEqual(ev.map((_, i) => i + 1));
    const creates = of(ev, Op.SOCREATE);
    expect(creates.length).toBeGreaterThanOrEqual(2);
    expect(creates.every((e) => e.domain === AF_INET && e.error === 0)).toBe(true);
    const clientId = of(ev, Op.SOCONNECT)[0]!.so;
    expect(of(ev, Op.SOCONNECT)[0]!.addr).toMatchObject({ family: AF_INET, address: '127.0.0.1', port: expect.any(Number) });
    expect(of(ev, Op.SOBIND)[0]!.local).toMatchObject({ address: '127.0.0.1' });
    expect(of(ev, Op.SOACCEPT)[0]!.peer).toBeGreaterThan(0);
    expect(of(ev, Op.SOISCONNECTED, clientId)).toHaveLength(1);
    const sends = of(ev, Op.SOSEND, clientId);
    expect(sends.map((e) => e.len)).toEqual([2, 28, call.length - 30]);
    expect(Buffer.concat(sends.map((e) => e.data!)).equals(call)).toBe(true);
    /* The header is reported where the message ends: the third send. */
    expect(sends[0]!.rpc).toEqual([]);
    expect(sends[2]!.rpc).toEqual([expect.objectContaining({ xid: 0x01020304, msgType: 0, prog: 100003, vers: 3, proc: 6, length: call.length - 4 })]);
    const replies = of(ev, Op.SORECEIVE, clientId).flatMap((e) => e.rpc ?? []);
    expect(replies).toEqual([expect.objectContaining({
      xid: 0x01020304, msgType: 1, matched: true, prog: 100003, vers: 3, proc: 6, replyStat: 0, acceptStat: 0, status: 2,
    })]);
    const serverRpc = of(ev, Op.SORECEIVE).filter((e) => e.so !== clientId).flatMap((e) => e.rpc ?? []);
    expect(serverRpc).toEqual([expect.objectContaining({ xid: 0x01020304, msgType: 0, proc: 6 })]);
    expect(of(ev, Op.UPCALL).length).toBe(upcalls);
    expect(upcalls).toBeGreaterThan(0);
    const sleeps = of(ev, Op.TSLEEP);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(of(ev, Op.TSLEEP_END).length).toBeGreaterThan(0);
    expect(of(ev, Op.WAKEUP).length).toBeGreaterThan(0);
    expect(sleeps.every((e) => e.chan! > 0 && e.wmesg !== '')).toBe(true);
  });

  test('a reply matched to its call on the same socket carries the procedure and its status', async () => {
    const file = tmp.file('match.pb');
    handle = startTrace(file, { payloads: false });
    const { client, server } = await tcpPair();
    const call = rpcCall(77, 100003, 3, 1);
    expect(await sendstr(client, call)).toBe(0);
    await recvall(server, call.length);
    const reply = rpcReply(77, 70);
    expect(await sendstr(server, reply)).toBe(0);
    await recvall(client, reply.length);
    handle.stop();
    handle = null;
    const ev = readTrace(file).events;
    const clientId = of(ev, Op.SOCONNECT)[0]!.so;
    const r = of(ev, Op.SORECEIVE, clientId).flatMap((e) => e.rpc ?? []);
    expect(r).toEqual([expect.objectContaining({ xid: 77, msgType: 1, matched: true, prog: 100003, vers: 3, proc: 1, status: 70 })]);
  });

  test('a headers-only trace keeps the record mark and the header words before the credential, nothing more', async () => {
    const file = tmp.file('headers.pb');
    handle = startTrace(file);
    const { client, server } = await tcpPair();
    const call = rpcCall(5, 100003, 3, 6, Buffer.from('FILEDATAFILEDATA'));
    expect(await sendstr(client, call)).toBe(0);
    const got = await recvall(server, call.length);
    expect(got.equals(call)).toBe(true);
    handle.stop();
    handle = null;
    const t = readTrace(file);
    expect(t.header!.payloads).toBe(false);
    const clientId = of(t.events, Op.SOCONNECT)[0]!.so;
    const send = of(t.events, Op.SOSEND, clientId)[0]!;
    expect(send.len).toBe(call.length);
    expect(send.data!.equals(call.subarray(0, 28))).toBe(true);
    const all = Buffer.concat(t.events.map((e) => e.data ?? Buffer.alloc(0)));
    expect(all.includes(Buffer.from('secret-machine'))).toBe(false);
    expect(all.includes(Buffer.from('FILEDATA'))).toBe(false);
  });

  test('datagrams: each one is a message; the sender address is recorded', async () => {
    const file = tmp.file('udp.pb');
    handle = startTrace(file, { payloads: true });
    const { so: a, port } = await udpSocket();
    const b = mkso(AF_INET, SOCK_DGRAM);
    expect(await sobind(b, sockaddr_in('127.0.0.1', 0), proc0)).toBe(0);
    const body = rpcCall(9, 100000, 2, 3).subarray(4);
    expect(await sendstr(b, body, 0, sockaddr_in('127.0.0.1', port))).toBe(0);
    const r = await recvn(a, 1000);
    expect(r.error).toBe(0);
    handle.stop();
    handle = null;
    const ev = readTrace(file).events;
    const send = of(ev, Op.SOSEND)[0]!;
    expect(send.addr).toMatchObject({ address: '127.0.0.1', port });
    expect(send.rpc).toEqual([expect.objectContaining({ xid: 9, prog: 100000, vers: 2, proc: 3 })]);
    const recv = of(ev, Op.SORECEIVE).find((e) => e.len! > 0)!;
    expect(recv.addr).toMatchObject({ address: '127.0.0.1', port: portof(b) });
    expect(recv.data!.equals(body)).toBe(true);
  });

  test('once tracing stops, socket calls write nothing and the hooks are off', async () => {
    const file = tmp.file('off.pb');
    handle = startTrace(file);
    handle.stop();
    handle = null;
    const size = statSync(file).size;
    expect(so_instrumentation()).toBeNull();
    const { client, server } = await tcpPair();
    expect(await sendstr(client, 'hello')).toBe(0);
    expect((await recvall(server, 5)).toString()).toBe('hello');
    expect(statSync(file).size).toBe(size);
  });

  test('two traces at once are refused; the same file is shared', () => {
    handle = startTrace(tmp.file('one.pb'));
    expect(() => startTrace(tmp.file('two.pb'))).toThrow(/already tracing/);
    const again = startTrace(tmp.file('one.pb'));
    expect(again.recorder).toBe(handle.recorder);
    again.stop();
  });
});

describe('RPC headers in a stream cut anywhere', () => {
  const stream = Buffer.concat([
    rpcCall(1, 100003, 3, 6), rpcCall(2, 100005, 3, 1, Buffer.alloc(300, 1)), rpcReply(1, 0), rpcReply(2, 13),
  ]);

  function decode(chunks: Buffer[]): TraceRpcHeader[] {
    const d = new RpcStreamDecoder();
    const calls = new CallTable();
    const out: TraceRpcHeader[] = [];
    for (const c of chunks) d.feed(c, calls, out);
    return out;
  }

  const whole = decode([stream]);

  test('in one piece: every call and reply, replies matched with their status', () => {
    expect(whole.map((h) => [h.xid, h.msgType, h.matched, h.status])).toEqual([[1, 0, false, undefined], [2, 0, false, undefined], [1, 1, true, 0], [2, 1, true, 13]]);
  });

  test('split at every point, or byte by byte, the same headers', () => {
    for (let i = 0; i <= stream.length; i++) expect(decode([stream.subarray(0, i), stream.subarray(i)])).toEqual(whole);
    expect(decode([...stream].map((b) => Buffer.from([b])))).toEqual(whole);
  });

  test('bytes that are not RPC stop the decoder for good (nothing invented)', () => {
    expect(decode([Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), stream])).toEqual([]);
  });
});
