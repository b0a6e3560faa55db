/*
 * A fault-injecting TCP proxy on 127.0.0.1 that understands ONC RPC record marking (RFC 5531
 * §11): it reassembles every record in both directions (calls from the client, replies from the
 * server) and asks a script what to do with each before forwarding it — forward it, swallow it,
 * reset the client's connection instead, forward only its first bytes and then reset, or close
 * the connection in an orderly way (FIN). Test code, so it uses node:net directly.
 *
 * Upstream connections: by default a client connection that the proxy resets takes its
 * connection to the server with it (the server sees the client vanish, and the client's next
 * connection reaches the server from a new port: a new duplicate request cache context for
 * ganesha). With `keepUpstream`, the server connection survives and the client's next connection
 * is spliced onto it, so a retransmission reaches the server on the connection the original came
 * on (its duplicate request cache sees the same xid again). Replies arriving while no client is
 * attached are dropped and counted.
 *
 * Records are forwarded whole, in order, each with the bytes it came with (marks included).
 */
import net from 'node:net';
import { msgType, parseCall, parseReply } from './rpc-wire.js';
import type { WireCall, WireReply } from './rpc-wire.js';

export type Direction = 'call' | 'reply';

/** What to do with a record. */
export type Verdict =
  | 'forward'
  /** Swallow it: the peer never sees it (on TCP the client's timer has to notice). */
  | 'drop'
  /** Do not forward it; reset the client's connection (RST). */
  | 'reset'
  /** Forward it, then reset the client's connection. */
  | 'forward-reset'
  /** Forward half of it (cut inside the record), then reset the client's connection. */
  | 'truncate'
  /** Do not forward it; close the client's connection in an orderly way (FIN). */
  | 'close';

export interface ProxiedRecord {
  dir: Direction;
  /** The message without its record marks. */
  msg: Buffer;
  /** Parsed header: a call for dir 'call', a reply for 'reply' (null: not one). */
  call: WireCall | null;
  reply: WireReply | null;
  link: ProxyLink;
}

export type ProxyScript = (r: ProxiedRecord) => Verdict;

export interface ProxyLink {
  readonly id: number;
  /** The client's source port as the proxy saw it. */
  readonly clientPort: number;
}

export interface FaultCounts {
  forwarded: number;
  dropped: number;
  resets: number;
  truncated: number;
  closes: number;
  /** Replies that arrived from the server while no client was attached (keepUpstream). */
  orphanReplies: number;
}

/* Splits a byte stream into records, keeping each record's raw bytes. */
class RecordSplitter {
  #buf: Buffer = Buffer.alloc(0);
  #frags: Buffer[] = [];
  #rawStart = 0;

  /** Append bytes; returns the records completed, each as [message, raw bytes]. */
  push(chunk: Buffer): [Buffer, Buffer][] {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const out: [Buffer, Buffer][] = [];
    let at = this.#rawStart;
    for (;;) {
      if (this.#buf.length - at < 4) break;
      const mark = this.#buf.readUInt32BE(at);
      const len = mark & 0x7fffffff;
      if (this.#buf.length - at - 4 < len) break;
      this.#frags.push(this.#buf.subarray(at + 4, at + 4 + len));
      at += 4 + len;
      if (mark & 0x80000000) {
        const msg = this.#frags.length === 1 ? this.#frags[0]! : Buffer.concat(this.#frags);
        out.push([msg, this.#buf.subarray(0, at)]);
        this.#frags = [];
        this.#buf = this.#buf.subarray(at);
        at = 0;
      }
    }
    this.#rawStart = at;
    return out;
  }
}

interface Upstream {
  sock: net.Socket;
  splitter: RecordSplitter;
  /** The client connection attached now, if any. */
  client: Link | null;
}

class Link implements ProxyLink {
  readonly splitter = new RecordSplitter();
  dead = false;
  constructor(readonly id: number, readonly clientPort: number, readonly client: net.Socket, public up: Upstream) {}
}

export interface TcpFaultProxyOptions {
  /** Keep the server connection across client resets (see the file comment). */
  keepUpstream?: boolean;
}

export class TcpFaultProxy {
  port = 0;
  script: ProxyScript = () => 'forward';
  readonly counts: FaultCounts = { forwarded: 0, dropped: 0, resets: 0, truncated: 0, closes: 0, orphanReplies: 0 };
  /** Client source ports, one per connection accepted. */
  readonly clientPorts: number[] = [];
  /** Every call seen (parsed), in order. */
  readonly calls: WireCall[] = [];
  readonly #server: net.Server;
  readonly #links = new Set<Link>();
  readonly #upstreams = new Set<Upstream>();
  #parked: Upstream | null = null;
  #nextId = 1;

  private constructor(readonly target: { host: string; port: number }, readonly options: TcpFaultProxyOptions) {
    this.#server = net.createServer((c) => this.#accept(c));
  }

  /** A proxy on 127.0.0.1 (ephemeral port) to `target`. */
  static async start(target: { host?: string; port: number }, options: TcpFaultProxyOptions = {}): Promise<TcpFaultProxy> {
    const p = new TcpFaultProxy({ host: target.host ?? '127.0.0.1', port: target.port }, options);
    await new Promise<void>((resolve) => p.#server.listen(0, '127.0.0.1', resolve));
    p.port = (p.#server.address() as net.AddressInfo).port;
    return p;
  }

  /** Client connections accepted so far. */
  get accepted(): number {
    return this.clientPorts.length;
  }

  #newUpstream(): Upstream {
    const sock = net.connect(this.target.port, this.target.host);
    sock.setNoDelay(true);
    const up: Upstream = { sock, splitter: new RecordSplitter(), client: null };
    this.#upstreams.add(up);
    sock.on('error', () => undefined);
    sock.on('data', (chunk: Buffer) => {
      for (const [msg, raw] of up.splitter.push(chunk)) this.#onRecord(up.client, 'reply', msg, raw, up);
    });
    sock.on('close', () => {
      this.#upstreams.delete(up);
      if (this.#parked === up) this.#parked = null;
      const l = up.client;
      if (l !== null && !l.dead) this.#kill(l, 'close');
    });
    return up;
  }

  #accept(client: net.Socket): void {
    client.setNoDelay(true);
    const port = client.remotePort ?? 0;
    this.clientPorts.push(port);
    let up = this.#parked;
    this.#parked = null;
    if (up === null || up.sock.destroyed) up = this.#newUpstream();
    const link = new Link(this.#nextId++, port, client, up);
    up.client = link;
    this.#links.add(link);
    client.on('error', () => undefined);
    client.on('data', (chunk: Buffer) => {
      if (link.dead) return;
      for (const [msg, raw] of link.splitter.push(chunk)) {
        if (link.dead) return;
        this.#onRecord(link, 'call', msg, raw, link.up);
      }
    });
    client.on('close', () => {
      if (!link.dead) this.#kill(link, 'gone');
    });
  }

  #onRecord(link: Link | null, dir: Direction, msg: Buffer, raw: Buffer, up: Upstream): void {
    if (link === null || link.dead) {
      if (dir === 'reply') this.counts.orphanReplies++;
      return;
    }
    const isCall = msgType(msg) === 0;
    const call = dir === 'call' && isCall ? parseCall(msg) : null;
    const reply = dir === 'reply' ? parseReply(msg) : null;
    if (call !== null) this.calls.push(call);
    const verdict = this.script({ dir, msg, call, reply, link });
    const out = dir === 'call' ? up.sock : link.client;
    switch (verdict) {
      case 'forward':
        this.counts.forwarded++;
        out.write(raw);
        return;
      case 'drop':
        this.counts.dropped++;
        return;
      case 'reset':
        this.counts.resets++;
        this.#kill(link, 'reset');
        return;
      case 'forward-reset':
        this.counts.forwarded++;
        this.counts.resets++;
        this.#killAfter(link, out, raw);
        return;
      case 'truncate':
        this.counts.truncated++;
        this.#killAfter(link, out, raw.subarray(0, Math.max(1, raw.length >> 1)));
        return;
      case 'close':
        this.counts.closes++;
        this.#kill(link, 'close');
        return;
    }
  }

  /*
   * Write `bytes` to `out`, then reset the client's connection. Nothing else is forwarded on the
   * link meanwhile: a stream that lost bytes in its middle and went on is not a fault TCP can have.
   */
  #killAfter(link: Link, out: net.Socket, bytes: Buffer): void {
    link.dead = true;
    this.#links.delete(link);
    out.write(bytes, () => {
      link.dead = false;
      this.#kill(link, 'reset');
    });
  }

  /* End a client connection: RST ('reset'), FIN ('close'), or it went away by itself ('gone'). */
  #kill(link: Link, how: 'reset' | 'close' | 'gone'): void {
    if (link.dead) return;
    link.dead = true;
    this.#links.delete(link);
    if (how === 'reset') link.client.resetAndDestroy();
    else if (how === 'close') link.client.end();
    const up = link.up;
    if (up.client === link) up.client = null;
    if (this.options.keepUpstream && how === 'reset' && !up.sock.destroyed) {
      this.#parked = up;
      return;
    }
    if (how === 'reset') up.sock.resetAndDestroy();
    else up.sock.end();
  }

  /** Reset every client connection now (and their server connections, unless keepUpstream). */
  resetAll(): void {
    for (const l of [...this.#links]) this.#kill(l, 'reset');
  }

  /** Open client connections. */
  get connections(): number {
    return this.#links.size;
  }

  async close(): Promise<void> {
    for (const l of [...this.#links]) {
      l.dead = true;
      l.client.destroy();
    }
    this.#links.clear();
    for (const u of [...this.#upstreams]) u.sock.destroy();
    this.#upstreams.clear();
    this.#parked = null;
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
