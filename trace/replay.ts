/*
 * Replaying a recorded session: the ReplayScript behind the replay pseudo-protocol
 * (sockets/proto/replay.ts), built from a trace recorded with payloads.
 *
 * Matching. Live sockets are matched to recorded ones in order of creation (inet stream and
 * datagram sockets whose socreate succeeded), each must have the recorded family and type. On each
 * socket: sobind gets the recorded result and local address (reserved and ephemeral ports are
 * the recorded ones); soconnect must name the recorded address and gets the recorded outcome;
 * each send must be the recorded next send of that socket; what the recording received is
 * delivered in recorded order, each piece once every send recorded before it has been made.
 * RPC clients get the recorded first xids, in order of creation (rpc/client/xid.ts), so the
 * calls carry the recorded xids and the recorded replies match them.
 *
 * Comparing sends. An RPC call is compared field by field — xid, program, version, procedure,
 * then the arguments byte for byte — but not its credential and verifier (the AUTH_SYS stamp,
 * machine name and ids may differ from the recording machine's). Other bytes are compared
 * exactly. Sleeps, wakeups, upcalls and socket options are not compared: they are how the
 * client waits, not what it asks.
 *
 * Divergence. The first difference — a send that is not the recorded one, a socket or RPC client
 * the recording does not have, or at the end recorded sends never made — becomes a
 * ReplayDivergence naming the first recorded event that differs. From then on every RPC call
 * (the diverging one included) is answered at once with SYSTEM_ERR (RFC 5531 accept_stat 5), which
 * no RPC client retries, so the command stops whatever it was doing instead of waiting; other
 * bytes get ECONNRESET.
 */
import {
  AF_INET, AF_INET6, ECONNREFUSED, ECONNRESET, EWOULDBLOCK, EINTR, ERESTART, SOCK_DGRAM, SOCK_STREAM,
} from '../sockets/index.js';
import type { Socket } from '../sockets/index.js';
import type { SockaddrParsed } from '../sockets/index.js';
import { replay_hook } from '../sockets/internal.js';
import type { ReplayAddr, ReplayDelivery, ReplayScript } from '../sockets/internal.js';
import { instrument, uninstrument, xid_random } from '../rpc/internal.js';
import type { Instrumentation } from '../rpc/internal.js';
import { addrText, describeEvent, familyName, rpcCallName, typeName } from './names.js';
import type { TraceFile } from './reader.js';
import { Op } from './schema.js';
import type { TraceEvent } from './schema.js';

/** The replay and the recording differ; `event` is the first recorded event that differs. */
export class ReplayDivergence extends Error {
  override name = 'ReplayDivergence';
  constructor(message: string, readonly event: TraceEvent | null) {
    super(message);
  }
}

/** Refusal to replay a trace (no payloads, not a trace ...). */
export class ReplayError extends Error {
  override name = 'ReplayError';
}

interface RecSocket {
  id: number;
  family: number;
  type: number;
  create: TraceEvent;
  /* The events that matter, in order: SOBIND, SOCONNECT, SOSEND, SORECEIVE, SOISCONNECTED, SOISDISCONNECTED. */
  ops: TraceEvent[];
  bindAt: number;
  connectAt: number;
  /* Index in ops after the last matched send. */
  sendAt: number;
  /* Index in ops of the next candidate for delivery. */
  deliverAt: number;
  live: Socket | null;
  /* After a divergence: the SYSTEM_ERR replies owed to this socket. */
  owed: Buffer[];
}

/* The SYSTEM_ERR reply to the RPC call in `sent` (record marked on a stream), or null if it is none. */
function systemErr(sent: Buffer, stream: boolean): Buffer | null {
  const msg = stream ? unmark(sent) : sent;
  if (msg === null || msg.length < 24 || msg.readUInt32BE(4) !== 0) return null;
  const body = Buffer.alloc(24);
  body.writeUInt32BE(msg.readUInt32BE(0), 0); /* xid */
  body.writeUInt32BE(1, 4); /* REPLY */
  body.writeUInt32BE(0, 8); /* MSG_ACCEPTED */
  body.writeUInt32BE(0, 12); /* verifier AUTH_NONE */
  body.writeUInt32BE(0, 16); /* of length 0 */
  body.writeUInt32BE(5, 20); /* SYSTEM_ERR */
  if (!stream) return body;
  const out = Buffer.alloc(28);
  out.writeUInt32BE(0x80000000 + 24, 0);
  body.copy(out, 4);
  return out;
}

const QUIET = new Set([EWOULDBLOCK, EINTR, ERESTART]);

/* A message of an RPC stream send: its bytes without record marks, or null if not record marked. */
function unmark(b: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    if (pos + 4 > b.length) return null;
    const mark = b.readUInt32BE(pos);
    const len = mark & 0x7fffffff;
    if (pos + 4 + len > b.length) return null;
    parts.push(b.subarray(pos + 4, pos + 4 + len));
    pos += 4 + len;
    if (mark >>> 31) break;
  }
  return pos === b.length ? (parts.length === 1 ? parts[0]! : Buffer.concat(parts)) : null;
}

/* An RPC call split into its header (xid .. proc) and its arguments, skipping credential and verifier. */
function splitCall(msg: Buffer): { xid: number; prog: number; vers: number; proc: number; args: Buffer } | null {
  if (msg.length < 40 || msg.readUInt32BE(4) !== 0 || msg.readUInt32BE(8) !== 2) return null;
  let pos = 24;
  for (let i = 0; i < 2; i++) {
    if (pos + 8 > msg.length) return null;
    const len = msg.readUInt32BE(pos + 4);
    if (len > 400) return null;
    pos += 8 + ((len + 3) & ~3);
  }
  if (pos > msg.length) return null;
  return { xid: msg.readUInt32BE(0), prog: msg.readUInt32BE(12), vers: msg.readUInt32BE(16), proc: msg.readUInt32BE(20), args: msg.subarray(pos) };
}

function firstDiff(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

const hex = (x: number): string => `0x${x.toString(16).padStart(8, '0')}`;

/** Null if `live` is the recorded send `rec`, else what differs. */
export function compareSend(rec: Buffer, live: Buffer, stream: boolean): string | null {
  const rm = stream ? unmark(rec) : rec;
  const lm = stream ? unmark(live) : live;
  const rc = rm !== null ? splitCall(rm) : null;
  const lc = lm !== null ? splitCall(lm) : null;
  if (rc !== null && lc !== null) {
    if (rc.prog !== lc.prog || rc.vers !== lc.vers || rc.proc !== lc.proc) {
      return `the command called ${rpcCallName(lc)} (xid ${hex(lc.xid)}) where the recording has ${rpcCallName(rc)} (xid ${hex(rc.xid)})`;
    }
    if (rc.xid !== lc.xid) return `the command's ${rpcCallName(lc)} has xid ${hex(lc.xid)} where the recording has ${hex(rc.xid)}`;
    if (!rc.args.equals(lc.args)) {
      return `the arguments of ${rpcCallName(lc)} (xid ${hex(lc.xid)}) differ from the recording's at byte ${firstDiff(rc.args, lc.args)}` +
        ` (${lc.args.length} bytes sent, ${rc.args.length} recorded)`;
    }
    return null;
  }
  if (rec.equals(live)) return null;
  return `the command sent ${live.length} bytes that differ from the recording's ${rec.length} at byte ${firstDiff(rec, live)}`;
}

function sameAddr(a: SockaddrParsed | null, b: TraceEvent['addr']): boolean {
  if (a === null || b === null || b === undefined) return a === null && (b === null || b === undefined);
  if ('path' in a) return a.path === (b.path ?? '');
  return a.family === b.family && a.address === (b.address ?? '') && a.port === (b.port ?? 0);
}

function parsedText(a: SockaddrParsed | null): string {
  if (a === null) return '-';
  return 'path' in a ? a.path : addrText({ family: a.family, address: a.address, port: a.port });
}

export class ReplaySession implements ReplayScript {
  readonly trace: TraceFile;
  readonly #sockets: RecSocket[] = [];
  #nextSocket = 0;
  readonly #byLive = new WeakMap<Socket, RecSocket>();
  readonly #seeds: TraceEvent[] = [];
  #nextSeed = 0;
  #divergence: ReplayDivergence | null = null;
  readonly #listeners: ((d: ReplayDivergence) => void)[] = [];
  #resolveDiverged!: (d: ReplayDivergence) => void;
  /** Settles with the first divergence. */
  readonly diverged: Promise<ReplayDivergence>;

  /** @throws ReplayError if the trace cannot be replayed (recorded without payloads). */
  constructor(trace: TraceFile) {
    if (trace.header === null || !trace.header.payloads) {
      throw new ReplayError('this trace was recorded without payloads (headers only); replay needs every byte: ' +
        'record it again with sonfs --trace FILE --trace-data <command>');
    }
    this.trace = trace;
    this.diverged = new Promise((resolve) => {
      this.#resolveDiverged = resolve;
    });
    const byId = new Map<number, RecSocket>();
    for (const ev of trace.events) {
      if (ev.op === Op.XID_SEED) {
        this.#seeds.push(ev);
        continue;
      }
      if (ev.op === Op.SOCREATE) {
        const inet = ev.domain === AF_INET || ev.domain === AF_INET6;
        if (ev.error === 0 && ev.so !== 0 && inet && (ev.type === SOCK_STREAM || ev.type === SOCK_DGRAM)) {
          const s: RecSocket = {
            id: ev.so, family: ev.domain!, type: ev.type!, create: ev, ops: [], bindAt: 0, connectAt: 0, sendAt: 0, deliverAt: 0, live: null,
            owed: [],
          };
          byId.set(ev.so, s);
          this.#sockets.push(s);
        }
        continue;
      }
      const s = byId.get(ev.so);
      if (s === undefined) continue;
      switch (ev.op) {
        case Op.SOBIND: case Op.SOCONNECT: case Op.SOISCONNECTED: case Op.SOISDISCONNECTED:
          s.ops.push(ev);
          break;
        case Op.SOSEND:
          if (ev.error === 0 && (ev.len ?? 0) > 0) s.ops.push(ev);
          break;
        case Op.SORECEIVE:
          if (!QUIET.has(ev.error)) s.ops.push(ev);
          break;
        default:
      }
    }
  }

  /** The divergence found so far, if any. */
  get divergence(): ReplayDivergence | null {
    return this.#divergence;
  }

  /** Call `fn` at the first divergence (at once if there already is one). */
  onDivergence(fn: (d: ReplayDivergence) => void): void {
    if (this.#divergence !== null) fn(this.#divergence);
    else this.#listeners.push(fn);
  }

  #diverge(event: TraceEvent | null, what: string): void {
    if (this.#divergence !== null) return;
    const at = event !== null ? `at recorded event ${describeEvent(event)}` : 'beyond the end of the recording';
    const cut = this.trace.truncated !== null ? ` (the trace is truncated: ${this.trace.truncated.reason})` : '';
    const d = new ReplayDivergence(`replay diverged ${at}: ${what}${cut}`, event);
    this.#divergence = d;
    this.#resolveDiverged(d);
    for (const fn of this.#listeners.splice(0)) {
      try {
        fn(d);
      } catch {
        /* a listener's failure does not stop the others */
      }
    }
  }

  /** The next recorded first xid for a new RPC client. */
  nextXid(): number {
    const ev = this.#seeds[this.#nextSeed];
    if (ev === undefined) {
      this.#diverge(null, `the command created RPC client number ${this.#nextSeed + 1}; the recording has ${this.#seeds.length}`);
      return xid_random();
    }
    this.#nextSeed++;
    return Number(ev.result ?? 0) >>> 0;
  }

  /**
   * The end of the command: recorded sends never made (or sockets never created) are a divergence.
   * Returns the divergence, if any.
   */
  finish(): ReplayDivergence | null {
    if (this.#divergence === null) {
      for (const s of this.#sockets) {
        if (s.live === null) {
          this.#diverge(s.create, `the command ended without creating this socket (${familyName(s.family)} ${typeName(s.type)})`);
          break;
        }
        const missing = s.ops.slice(s.sendAt).find((e) => e.op === Op.SOSEND);
        if (missing !== undefined) {
          this.#diverge(missing, 'the command ended without making this send');
          break;
        }
      }
    }
    return this.#divergence;
  }

  /* ---- ReplayScript ---- */

  attach(so: Socket, family: number, type: number): number {
    const s = this.#divergence !== null ? undefined : this.#sockets[this.#nextSocket];
    if (s === undefined || s.family !== family || s.type !== type) {
      if (s === undefined) {
        this.#diverge(null, `the command created a ${familyName(family)} ${typeName(type)} socket; the recording has only ${this.#sockets.length}`);
      } else {
        this.#diverge(s.create, `the command created a ${familyName(family)} ${typeName(type)} socket where the recording has ` +
          `a ${familyName(s.family)} ${typeName(s.type)} one`);
      }
      /* A socket of a diverged replay: it connects, and answers every call with SYSTEM_ERR. */
      this.#byLive.set(so, {
        id: 0, family, type, create: { seq: -1, tNs: 0, so: 0, op: Op.SOCREATE, error: 0 }, ops: [], bindAt: 0, connectAt: 0,
        sendAt: 0, deliverAt: 0, live: so, owed: [],
      });
      return 0;
    }
    this.#nextSocket++;
    s.live = so;
    this.#byLive.set(so, s);
    return 0;
  }

  #find(s: RecSocket, from: number, op: number): number {
    for (let i = from; i < s.ops.length; i++) if (s.ops[i]!.op === op) return i;
    return -1;
  }

  bind(so: Socket, _nam: SockaddrParsed | null): { error: number; local: ReplayAddr | null } {
    const s = this.#byLive.get(so);
    if (s === undefined || this.#divergence !== null) return { error: 0, local: null };
    const i = this.#find(s, s.bindAt, Op.SOBIND);
    if (i < 0) return { error: 0, local: null };
    s.bindAt = i + 1;
    const ev = s.ops[i]!;
    const l = ev.local;
    return { error: ev.error, local: l !== null && l !== undefined ? { address: l.address ?? '', port: l.port ?? 0 } : null };
  }

  connect(so: Socket, nam: SockaddrParsed | null): { error: number; outcome: number | null } {
    const s = this.#byLive.get(so);
    if (s === undefined) return { error: ECONNREFUSED, outcome: null };
    if (this.#divergence !== null) return { error: 0, outcome: 0 };
    const i = this.#find(s, s.connectAt, Op.SOCONNECT);
    if (i < 0) {
      this.#diverge(s.create, `the command connected this socket to ${parsedText(nam)}; the recording never connects it`);
      return { error: 0, outcome: 0 };
    }
    const ev = s.ops[i]!;
    if (!sameAddr(nam, ev.addr)) {
      this.#diverge(ev, `the command connected to ${parsedText(nam)}, not ${addrText(ev.addr)}`);
      return { error: 0, outcome: 0 };
    }
    s.connectAt = i + 1;
    if (ev.error !== 0) return { error: ev.error, outcome: null };
    let outcome: number | null = null;
    for (let j = i + 1; j < s.ops.length; j++) {
      const e = s.ops[j]!;
      if (e.op === Op.SOISCONNECTED) {
        outcome = 0;
        break;
      }
      if (e.op === Op.SOISDISCONNECTED) {
        outcome = e.error || ECONNREFUSED;
        break;
      }
    }
    return { error: 0, outcome };
  }

  send(so: Socket, data: Buffer, _nam: SockaddrParsed | null): number {
    const s = this.#byLive.get(so);
    if (s === undefined) return ECONNRESET;
    if (this.#divergence === null) {
      const i = this.#find(s, s.sendAt, Op.SOSEND);
      if (i < 0) {
        this.#diverge(s.ops[s.ops.length - 1] ?? s.create,
          `the command sent ${data.length} more bytes on socket ${s.id} after the recording's last send on it`);
      } else {
        const ev = s.ops[i]!;
        const diff = compareSend(ev.data ?? Buffer.alloc(0), data, s.type === SOCK_STREAM);
        if (diff === null) {
          s.sendAt = i + 1;
          return 0;
        }
        this.#diverge(ev, diff);
      }
    }
    const reply = systemErr(data, s.type === SOCK_STREAM);
    if (reply === null) return ECONNRESET;
    s.owed.push(reply);
    return 0;
  }

  due(so: Socket): ReplayDelivery[] {
    const s = this.#byLive.get(so);
    if (s === undefined) return [];
    if (this.#divergence !== null) return s.owed.splice(0).map((data) => ({ kind: 'data', data, from: null }));
    const out: ReplayDelivery[] = [];
    while (s.deliverAt < s.ops.length) {
      const ev = s.ops[s.deliverAt]!;
      if (ev.op === Op.SOSEND && s.deliverAt >= s.sendAt) break;
      if (ev.op === Op.SOCONNECT && s.deliverAt >= s.connectAt) break;
      s.deliverAt++;
      if (ev.op === Op.SORECEIVE) {
        if (ev.error !== 0) out.push({ kind: 'error', error: ev.error });
        else if ((ev.len ?? 0) > 0) {
          const a = ev.addr;
          out.push({ kind: 'data', data: ev.data ?? Buffer.alloc(0), from: a ? { address: a.address ?? '', port: a.port ?? 0 } : null });
        } else if (s.type === SOCK_STREAM) out.push({ kind: 'eof' });
      }
    }
    return out;
  }

  detach(_so: Socket): void {
    /* nothing to release: what the socket consumed stays consumed */
  }
}

export interface ReplayHandle {
  readonly session: ReplaySession;
  /** Remove the replay from the socket layer and the RPC clients. Idempotent. */
  stop(): void;
}

let active: ReplaySession | null = null;

/** The replay in progress, or null. */
export function activeReplay(): ReplaySession | null {
  return active;
}

/**
 * Install a replay of `trace` for the process, through the instrumentation seam
 * (rpc/instrument.ts) as one object: new inet sockets play the recording back, new RPC clients
 * get its xids. @throws ReplayError (no payloads; a replay or a trace already running).
 */
export function startReplay(trace: TraceFile): ReplayHandle {
  if (active !== null) throw new ReplayError('a replay is already running in this process');
  const session = new ReplaySession(trace);
  const instrumentation: Instrumentation = { ktrace: null, replay: replay_hook(session), xid: () => session.nextXid() };
  try {
    instrument(instrumentation);
  } catch (e) {
    throw new ReplayError((e as Error).message);
  }
  active = session;
  let stopped = false;
  return {
    session,
    stop() {
      if (stopped) return;
      stopped = true;
      if (active === session) {
        active = null;
        uninstrument(instrumentation);
      }
    },
  };
}
