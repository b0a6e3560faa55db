/*
 * A datagram proxy on 127.0.0.1 that loses, duplicates and reorders traffic in both directions,
 * from a seeded schedule. Each client address gets its own upstream socket connected to the
 * server, so the server sees one peer per client (as behind a NAT). Test code: node:dgram.
 *
 * Reordering holds a datagram back and sends it after the next one in the same direction (or
 * after `holdMs` if no other comes). Duplicates are sent twice in a row.
 */
import dgram from 'node:dgram';
import { Prng } from './prng.js';

export interface UdpFaultRates {
  /** Probability that a datagram is lost. */
  loss: number;
  /** Probability that a datagram is sent twice. */
  duplicate: number;
  /** Probability that a datagram is held back and sent after the next one. */
  reorder: number;
}

export interface UdpFaultCounts {
  forwarded: number;
  lost: number;
  duplicated: number;
  reordered: number;
}

interface Direction {
  send: (b: Buffer) => void;
  held: Buffer | null;
  timer: NodeJS.Timeout | null;
}

interface Peer {
  up: dgram.Socket;
  toServer: Direction;
  toClient: Direction;
}

export class UdpFaultProxy {
  port = 0;
  /** Rates applied from now on (both directions); all 0 forwards everything. */
  rates: UdpFaultRates = { loss: 0, duplicate: 0, reorder: 0 };
  readonly counts: UdpFaultCounts = { forwarded: 0, lost: 0, duplicated: 0, reordered: 0 };
  holdMs = 30;
  /** Source ports of the clients seen, in order of their first datagram. */
  readonly clientPorts: number[] = [];
  readonly #sock: dgram.Socket;
  readonly #peers = new Map<string, Peer>();
  readonly #rnd: Prng;

  private constructor(readonly target: { host: string; port: number }, seed: number) {
    this.#rnd = new Prng(seed);
    this.#sock = dgram.createSocket('udp4');
    this.#sock.on('error', () => undefined);
    this.#sock.on('message', (msg, rinfo) => this.#fromClient(msg, rinfo));
  }

  static async start(target: { host?: string; port: number }, seed = 1): Promise<UdpFaultProxy> {
    const p = new UdpFaultProxy({ host: target.host ?? '127.0.0.1', port: target.port }, seed);
    await new Promise<void>((resolve) => p.#sock.bind(0, '127.0.0.1', resolve));
    p.port = p.#sock.address().port;
    return p;
  }

  get injected(): number {
    return this.counts.lost + this.counts.duplicated + this.counts.reordered;
  }

  #fromClient(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const key = `${rinfo.address}:${rinfo.port}`;
    let peer = this.#peers.get(key);
    if (peer === undefined) {
      this.clientPorts.push(rinfo.port);
      const up = dgram.createSocket('udp4');
      up.on('error', () => undefined);
      /* Node refuses to send on a socket whose connect has not completed: queue until it has. */
      let early: Buffer[] | null = [];
      up.connect(this.target.port, this.target.host, () => {
        const q = early!;
        early = null;
        for (const b of q) up.send(b);
      });
      const p: Peer = {
        up,
        toServer: { send: (b) => (early !== null ? void early.push(b) : up.send(b)), held: null, timer: null },
        toClient: { send: (b) => this.#sock.send(b, rinfo.port, rinfo.address), held: null, timer: null },
      };
      up.on('message', (m) => this.#pass(p.toClient, m));
      this.#peers.set(key, p);
      peer = p;
    }
    this.#pass(peer.toServer, msg);
  }

  #pass(d: Direction, msg: Buffer): void {
    const r = this.rates;
    const rnd = this.#rnd;
    if (rnd.chance(r.loss)) {
      this.counts.lost++;
      this.#release(d);
      return;
    }
    if (d.held === null && rnd.chance(r.reorder)) {
      this.counts.reordered++;
      d.held = msg;
      d.timer = setTimeout(() => this.#release(d), this.holdMs);
      return;
    }
    this.#send(d, msg);
    if (rnd.chance(r.duplicate)) {
      this.counts.duplicated++;
      d.send(msg);
    }
    this.#release(d);
  }

  #send(d: Direction, msg: Buffer): void {
    this.counts.forwarded++;
    try {
      d.send(msg);
    } catch {
      /* closed meanwhile */
    }
  }

  /* Send the datagram held back, if any (after the one that overtook it). */
  #release(d: Direction): void {
    if (d.timer !== null) clearTimeout(d.timer);
    d.timer = null;
    const h = d.held;
    d.held = null;
    if (h !== null) this.#send(d, h);
  }

  async close(): Promise<void> {
    for (const p of this.#peers.values()) {
      for (const d of [p.toServer, p.toClient]) {
        if (d.timer !== null) clearTimeout(d.timer);
        d.held = null;
      }
      await new Promise<void>((resolve) => p.up.close(() => resolve()));
    }
    this.#peers.clear();
    await new Promise<void>((resolve) => this.#sock.close(() => resolve()));
  }
}
