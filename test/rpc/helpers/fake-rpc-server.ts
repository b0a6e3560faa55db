/*
 * A scripted ONC RPC server on 127.0.0.1 for what real servers will not do: drop, delay, reorder
 * and duplicate replies, fragment them, split record marks, send garbage, wrong xids or absurd
 * record lengths, reset connections. Test code, so it uses node:net / node:dgram directly.
 *
 * Every call received is parsed (record marking on TCP, the call header) and handed to the
 * script (`onCall`), which answers with the helpers (reply, replyError, send ...) or not at all.
 * The default script answers SUCCESS with the call's arguments echoed as results.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { encodeReplyHeader } from '../../../rpc/msg/reply.js';
import { decodeCallHeader } from '../../../rpc/msg/call.js';
import type { RpcCallHeader } from '../../../rpc/msg/call.js';
import type { RpcReplyHeader } from '../../../rpc/msg/reply.js';
import { MSG_ACCEPTED, SUCCESS } from '../../../rpc/msg/constants.js';
import { opaqueAuthNone } from '../../../rpc/auth/auth-none.js';
import { XdrReader } from '../../../rpc/xdr/reader.js';
import { XdrWriter } from '../../../rpc/xdr/writer.js';
import { m_tobuf } from '../../../sockets/mbuf.js';

export interface FakeCall {
  header: RpcCallHeader;
  xid: number;
  prog: number;
  vers: number;
  proc: number;
  /** The procedure arguments (bytes after the header). */
  args: Buffer;
  /** TCP: the connection it came on; UDP: null. */
  conn: net.Socket | null;
  /** UDP: where it came from. */
  from: { address: string; port: number } | null;
}

/** A reply header without its xid (filled in from the call). */
export type ReplyHeaderNoXid = RpcReplyHeader extends infer H ? (H extends unknown ? Omit<H, 'xid'> : never) : never;

export type Script = (call: FakeCall, server: FakeRpcServer) => void;

/** An encoded reply message (no record mark). */
export function replyMessage(h: RpcReplyHeader, results: Buffer = Buffer.alloc(0)): Buffer {
  const w = new XdrWriter();
  encodeReplyHeader(w, h);
  w.raw(results);
  return Buffer.from(m_tobuf(w.finish()));
}

/** A successful reply to xid with `results`. */
export function successMessage(xid: number, results: Buffer = Buffer.alloc(0)): Buffer {
  return replyMessage({ xid, reply_stat: MSG_ACCEPTED, verf: opaqueAuthNone, accept_stat: SUCCESS }, results);
}

/** Record-mark `msg` as fragments of at most `frag` bytes (RFC 5531 §11). */
export function frame(msg: Buffer, frag = msg.length || 1): Buffer {
  const parts: Buffer[] = [];
  let off = 0;
  do {
    const n = Math.min(frag, msg.length - off);
    const mark = Buffer.alloc(4);
    mark.writeUInt32BE(((off + n >= msg.length ? 0x80000000 : 0) | n) >>> 0, 0);
    parts.push(mark, msg.subarray(off, off + n));
    off += n;
  } while (off < msg.length);
  return Buffer.concat(parts);
}

export const echo: Script = (call, s) => s.reply(call, call.args);

export class FakeRpcServer {
  readonly proto: 'tcp' | 'udp';
  port = 0;
  script: Script;
  /** Every call received, in order. */
  readonly calls: FakeCall[] = [];
  /** Open TCP connections. */
  readonly connections = new Set<net.Socket>();
  /** TCP connections accepted so far. */
  accepted = 0;
  #tcp: net.Server | null = null;
  #udp: dgram.Socket | null = null;
  #waiters: { n: number; resolve: () => void }[] = [];

  private constructor(proto: 'tcp' | 'udp', script: Script) {
    this.proto = proto;
    this.script = script;
  }

  /** A TCP server on 127.0.0.1 (`port` 0: an ephemeral one). */
  static async tcp(script: Script = echo, port = 0): Promise<FakeRpcServer> {
    const s = new FakeRpcServer('tcp', script);
    const server = net.createServer((sock) => s.#onConnection(sock));
    s.#tcp = server;
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    s.port = (server.address() as net.AddressInfo).port;
    return s;
  }

  /** A UDP server on 127.0.0.1 (`port` 0: an ephemeral one). */
  static async udp(script: Script = echo, port = 0): Promise<FakeRpcServer> {
    const s = new FakeRpcServer('udp', script);
    const sock = dgram.createSocket('udp4');
    s.#udp = sock;
    sock.on('message', (msg, rinfo) => s.#onMessage(msg, null, { address: rinfo.address, port: rinfo.port }));
    await new Promise<void>((r) => sock.bind(port, '127.0.0.1', r));
    s.port = sock.address().port;
    return s;
  }

  /** Resolves once `n` calls have been received in all. */
  waitCalls(n: number): Promise<void> {
    if (this.calls.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ n, resolve }));
  }

  #onConnection(sock: net.Socket): void {
    this.accepted++;
    this.connections.add(sock);
    sock.on('close', () => this.connections.delete(sock));
    sock.on('error', () => undefined);
    let pending: Buffer = Buffer.alloc(0);
    let record: Buffer[] = [];
    sock.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (pending.length < 4) return;
        const mark = pending.readUInt32BE(0);
        const len = mark & 0x7fffffff;
        if (pending.length < 4 + len) return;
        record.push(pending.subarray(4, 4 + len));
        pending = pending.subarray(4 + len);
        if (mark & 0x80000000) {
          const msg = Buffer.concat(record);
          record = [];
          this.#onMessage(msg, sock, null);
        }
      }
    });
  }

  #onMessage(msg: Buffer, conn: net.Socket | null, from: FakeCall['from']): void {
    let header: RpcCallHeader;
    let args: Buffer;
    try {
      const r = XdrReader.fromBuffer(msg);
      header = decodeCallHeader(r);
      args = msg.subarray(r.offset);
    } catch {
      return;
    }
    const call: FakeCall = { header, xid: header.xid, prog: header.prog, vers: header.vers, proc: header.proc, args, conn, from };
    this.calls.push(call);
    this.#waiters = this.#waiters.filter((w) => {
      if (this.calls.length >= w.n) {
        w.resolve();
        return false;
      }
      return true;
    });
    this.script(call, this);
  }

  /** Send raw bytes to where `call` came from (TCP: as is, no record mark added). */
  send(call: FakeCall, bytes: Buffer): void {
    if (call.conn !== null) {
      if (!call.conn.destroyed) call.conn.write(bytes);
    } else if (this.#udp !== null && call.from !== null) {
      this.#udp.send(bytes, call.from.port, call.from.address);
    }
  }

  /** Send a message: record-marked (one fragment, or `frag`-byte ones) on TCP, a datagram on UDP. */
  sendMessage(call: FakeCall, msg: Buffer, frag?: number): void {
    this.send(call, call.conn !== null ? frame(msg, frag) : msg);
  }

  /** Answer SUCCESS with `results`. */
  reply(call: FakeCall, results: Buffer = Buffer.alloc(0), frag?: number): void {
    this.sendMessage(call, successMessage(call.xid, results), frag);
  }

  /** Answer with any reply header (errors: PROG_UNAVAIL, RPC_MISMATCH ...); `xid` is filled in. */
  replyWith(call: FakeCall, h: ReplyHeaderNoXid, results?: Buffer): void {
    this.sendMessage(call, replyMessage({ ...h, xid: call.xid } as RpcReplyHeader, results));
  }

  /** Reset every TCP connection (RST). */
  resetConnections(): void {
    for (const c of this.connections) c.resetAndDestroy();
  }

  async close(): Promise<void> {
    for (const w of this.#waiters) w.resolve();
    this.#waiters = [];
    if (this.#tcp !== null) {
      for (const c of this.connections) c.destroy();
      await new Promise<void>((r) => this.#tcp!.close(() => r()));
      this.#tcp = null;
    }
    if (this.#udp !== null) {
      await new Promise<void>((r) => this.#udp!.close(() => r()));
      this.#udp = null;
    }
  }
}
