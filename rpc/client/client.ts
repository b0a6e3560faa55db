/*
 * RpcClient: an ONC RPC v2 client (RFC 5531) on the sockets/ layer, over TCP or UDP, shaped after
 * the BSD kernel NFS clients (OpenBSD nfs_socket.c: nfs_request, nfs_reply, nfs_timer,
 * nfs_reconnect; FreeBSD sys/rpc clnt_vc/clnt_dg/clnt_rc). See docs/rpc.md.
 *
 * Calls: call() encodes the call once — header, credential (pre-encoded per credential), the
 * arguments — into one mbuf chain, record-marked on TCP, and keeps it until the call ends; every
 * (re)transmission sends an m_copym of it with the same xid (the server's duplicate request
 * cache depends on that). Many calls are in flight on one connection; replies are matched by xid
 * only, in any order. At most maxInFlight are in flight (and, on UDP, what the congestion window
 * allows); the rest wait in order, at most maxQueued of them.
 *
 * Time: ONE interval timer per client (running only while calls are outstanding, and then
 * keeping the process alive, as a process sleeping in nfs_request stays: between two connection
 * attempts to a server that is down no socket exists to do that) scans
 * the calls: per-call timeouts, retransmission after RTO × backoff (rtt.ts), soft failures after
 * `retrans` retransmissions, "not responding", and reconnection attempts with backoff.
 *
 * Connections: made lazily by the first call (or connect()). When a TCP connection is lost —
 * reset, EOF, a send error, a record over maxRecordSize, garbage — the transport is torn down
 * and a new connection made (at once, then with growing delays while connections keep failing)
 * and every outstanding call is resent on it in order, with its xid. UDP never reconnects.
 *
 * Replies: denied and non-SUCCESS accepted replies reject the call with the typed errors of
 * rpc/errors.ts; results are decoded by the caller's decoder with the reader positioned at them.
 * Replies nobody waits for are counted (duplicate, late, stray, bad) and dropped.
 *
 * Events: 'connect' (a connection is up), 'reconnect' (after a lost one), 'notResponding' (a
 * hard call reached `retrans` retransmissions), 'respondingAgain' (the first reply after that).
 * Each carries { host, port, proto }.
 */
import { EventEmitter } from 'node:events';
import {
  EBADRPC, ECONNREFUSED, EHOSTDOWN, EHOSTUNREACH, EMSGSIZE, ENETUNREACH, EWOULDBLOCK, SOCK_DGRAM, SOCK_STREAM, m_freem, m_length,
} from '../../sockets/index.js';
import type { Mbuf, Proc } from '../../sockets/index.js';
import { authNone } from '../auth/auth-none.js';
import { authSysForUcred } from '../auth/auth-sys.js';
import type { RpcAuth } from '../auth/opaque-auth.js';
import { replyError } from '../msg/reply.js';
import { encodeCallHeader } from '../msg/call.js';
import { MSG_ACCEPTED, SUCCESS } from '../msg/constants.js';
import type { RpcProcedure } from '../msg/procedure.js';
import { decodeReplyHeader } from '../msg/reply.js';
import { peekReplyXid } from '../msg/xid.js';
import { frameRecord } from '../record/writer.js';
import { xdr_void } from '../xdr/codec.js';
import type { XdrCodec } from '../xdr/codec.js';
import { XdrReader } from '../xdr/reader.js';
import { XdrWriter } from '../xdr/writer.js';
import { Connector, resolveEndpoint } from './connect.js';
import { CongestionWindow, windowSlots } from './cwnd.js';
import {
  RpcCantConnectError, RpcCantSendError, RpcClosedError, RpcInterruptedError, RpcQueueFullError, RpcTimeoutError,
} from './errors.js';
import { resolveClientOptions } from './options.js';
import type { CallOptions, ResolvedClientOptions, RpcClientOptions, RpcProto } from './options.js';
import { REQ_DONE, REQ_QUEUED, REQ_SENT, RpcRequest } from './request.js';
import type { RequestOwner, ResultDecoder } from './request.js';
import { RttEstimator, backoffTimeout } from './rtt.js';
import { ProcStatsTable, newClientStats } from './stats.js';
import type { RpcClientStats, RpcProcStats } from './stats.js';
import { TcpTransport } from './transport-tcp.js';
import type { Transport, TransportOwner } from './transport.js';
import { MAX_DATAGRAM, UdpTransport } from './transport-udp.js';
import { XidAllocator } from './xid.js';

/** The timer's period in milliseconds: the resolution of timeouts (timeo is in tenths of a second). */
export const RPC_TICK_MS = 100;

/** Header room assumed when sizing socket buffers (RPC + NFS headers, as NFS_MAXPKTHDR). */
const HDR_ROOM = 512;

/** Payload of the client's events. */
export interface RpcServerEvent {
  host: string;
  port: number;
  proto: RpcProto;
}

/* Encodes call()'s argument function as a codec would: no closure per call. */
const FN_ENCODER: XdrCodec<(w: XdrWriter) => void> = {
  encode: (w, fn) => fn(w),
  decode: () => {
    throw new Error('not a decoder');
  },
};

/* new Promise(capture) hands its resolvers over without a closure per call. */
let capturedResolve: (v: unknown) => void = () => undefined;
let capturedReject: (e: unknown) => void = () => undefined;
function capture(resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/** xids of calls that timed out or were interrupted, remembered (boundedly) to tell a late reply. */
class EndedXids {
  readonly #set = new Set<number>();
  readonly #ring = new Uint32Array(1024);
  #at = 0;

  add(xid: number): void {
    if (this.#set.size >= this.#ring.length) this.#set.delete(this.#ring[this.#at]!);
    this.#ring[this.#at] = xid;
    this.#at = (this.#at + 1) % this.#ring.length;
    this.#set.add(xid);
  }

  has(xid: number): boolean {
    return this.#set.has(xid);
  }
}

function validDeciseconds(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 1 || v > 36000) throw new RangeError(`call: ${name} must be an integer from 1 to 36000, got ${String(v)}`);
  return v;
}

export class RpcClient extends EventEmitter implements TransportOwner, RequestOwner {
  readonly options: ResolvedClientOptions;
  /** Live counters (see stats.ts). */
  readonly stats: RpcClientStats = newClientStats();
  readonly #procStats = new ProcStatsTable();
  readonly #tcp: boolean;
  readonly #auth: RpcAuth;
  readonly #rtt: RttEstimator;
  readonly #cwnd: CongestionWindow | null;
  readonly #xid = new XidAllocator();
  /* Every call not yet ended, by xid, in call order (queued ones included). */
  readonly #table = new Map<number, RpcRequest>();
  /* Calls waiting for a slot, in order (ended ones are skipped lazily). */
  #backlog: RpcRequest[] = [];
  #backlogHead = 0;
  #queued = 0;
  #inFlight = 0;
  #transport: Transport | null = null;
  #connector: Connector | null = null;
  #connecting: Promise<void> | null = null;
  #lastConnectError = 0;
  /* Connections lost or failed since the last reply: drives the reconnect delay. */
  #failures = 0;
  #reconnectAt = 0;
  /* A connection was lost with calls outstanding: the next one is a reconnect. */
  #lost = false;
  #notResponding = false;
  readonly #ended = new EndedXids();
  readonly #closingTransports = new Set<Promise<void>>();
  #closed = false;
  #closing: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  readonly #tickFn = (): void => this.#tick();
  readonly #event: RpcServerEvent;

  /** @throws RangeError / TypeError for bad options. */
  constructor(options: RpcClientOptions) {
    super();
    this.options = resolveClientOptions(options);
    const o = this.options;
    this.#tcp = o.proto === 'tcp';
    const a = options.auth ?? 'none';
    this.#auth = a === 'none' ? authNone : a === 'sys' ? authSysForUcred(o.proc.p_ucred) : a;
    this.#rtt = new RttEstimator();
    this.#cwnd = this.#tcp ? null : new CongestionWindow();
    this.stats.cwnd = this.#cwnd === null ? 0 : this.#cwnd.calls;
    this.#event = Object.freeze({ host: o.host, port: o.port, proto: o.proto });
  }

  get host(): string {
    return this.options.host;
  }

  get port(): number {
    return this.options.port;
  }

  get proto(): RpcProto {
    return this.options.proto;
  }

  /** True while a connection is up. */
  get connected(): boolean {
    return this.#transport !== null && !this.#transport.isDown;
  }

  /** True once close() has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Per-procedure statistics (calls, replies, errors, retransmits, RTT). */
  procStats(): RpcProcStats[] {
    return this.#procStats.list();
  }

  /**
   * How many calls of `bytes` (call or reply, whichever is larger) the UDP congestion window lets
   * be in flight now, at least 1; Infinity over TCP. Callers that pipeline (read-ahead,
   * write-behind) keep to it, so that what they send speculatively does not queue in front of
   * everything else while the window is small.
   */
  windowCalls(bytes: number): number {
    const w = this.#cwnd;
    if (w === null) return Infinity;
    const n = Math.floor(w.calls / windowSlots(bytes, 0));
    return n < 1 ? 1 : n;
  }

  /** The estimator's current retransmission timeout of a timer class, in ms (class 0: timeo). */
  rto(timerClass: number): number {
    return this.#rtt.rto(timerClass, this.options.timeoMs);
  }

  /**
   * Call procedure `proc` of program `prog` version `vers`. `encodeArgs(w)` writes the arguments
   * (null: none); `decodeResults` reads the results of a successful reply from the reader
   * positioned at them — a function or a codec (null: ignore them). Its return value resolves
   * the call; whatever it keeps of the reader's views pins the reply's storage.
   * @throws (rejects) RpcError subclasses: the reply's (RpcProgUnavailError ...), RpcTimeoutError,
   *         RpcInterruptedError, RpcClosedError, RpcCantConnectError, RpcCantSendError,
   *         RpcQueueFullError, XdrEncodeError (arguments), XdrDecodeError (results).
   */
  call<R = void>(
    prog: number, vers: number, proc: number,
    encodeArgs: ((w: XdrWriter) => void) | null,
    decodeResults: ResultDecoder<R> | null,
    options?: CallOptions,
  ): Promise<R> {
    return this.#start(prog, vers, proc, encodeArgs === null ? null : FN_ENCODER, encodeArgs, decodeResults, options) as Promise<R>;
  }

  /** call() with codecs: `argCodec.encode(w, args)`, `resCodec.decode(r)` (no closures). */
  callCodec<A, R>(
    prog: number, vers: number, proc: number,
    argCodec: XdrCodec<A>, args: A, resCodec: XdrCodec<R>,
    options?: CallOptions,
  ): Promise<R> {
    return this.#start(prog, vers, proc, argCodec as XdrCodec<unknown>, args, resCodec, options) as Promise<R>;
  }

  /** call() of a procedure table entry (rpc/msg/procedure.ts: PMAP2_PROCEDURES.GETPORT ...). */
  callProcedure<A, R>(prog: number, vers: number, p: RpcProcedure<A, R>, args: A, options?: CallOptions): Promise<R> {
    return this.#start(prog, vers, p.proc, p.args as XdrCodec<unknown>, args, p.res, options) as Promise<R>;
  }

  /** The NULL procedure (0): no arguments, no results. Resolves when the server answers. */
  ping(prog: number, vers: number, options?: CallOptions): Promise<void> {
    return this.#start(prog, vers, 0, null, undefined, null, options) as Promise<void>;
  }

  /**
   * Connect now instead of at the first call. Resolves when connected.
   * @throws RpcCantConnectError with the connect errno; RpcClosedError.
   */
  async connect(): Promise<void> {
    for (;;) {
      if (this.#closed) throw new RpcClosedError();
      if (this.connected) return;
      if (this.#connecting === null) {
        this.#reconnectAt = 0;
        this.#connect();
      }
      if (this.#connecting === null) break;
      await this.#connecting;
      if (this.connected) return;
      break;
    }
    if (this.#closed) throw new RpcClosedError();
    throw new RpcCantConnectError(this.#lastConnectError || ECONNREFUSED, this.#address());
  }

  #address(): string {
    const h = this.options.host;
    return `${h.includes(':') ? `[${h}]` : h}:${this.options.port}/${this.options.proto}`;
  }

  #start(
    prog: number, vers: number, proc: number,
    argCodec: XdrCodec<unknown> | null, args: unknown,
    decoder: ResultDecoder<unknown> | null,
    options: CallOptions | undefined,
  ): Promise<unknown> {
    if (this.#closed) return Promise.reject(new RpcClosedError({ prog, vers, proc }));
    const o = this.options;
    const signal = options?.signal ?? null;
    if (signal !== null && signal.aborted) {
      this.stats.interrupted++;
      return Promise.reject(new RpcInterruptedError({ prog, vers, proc }, signal.reason));
    }
    const mustWait = this.#inFlight >= o.maxInFlight || this.#queued > 0 || (this.#cwnd !== null && !this.#cwnd.open);
    if (mustWait && this.#queued >= o.maxQueued) return Promise.reject(new RpcQueueFullError(o.maxQueued, { prog, vers, proc }));
    let timeoMs = o.timeoMs;
    let retrans = o.retrans;
    let deadline = Infinity;
    let timer = 0;
    if (options !== undefined) {
      const t = validDeciseconds('timeo', options.timeo);
      if (t !== undefined) timeoMs = 100 * t;
      if (options.retrans !== undefined) {
        if (!Number.isInteger(options.retrans) || options.retrans < 0) return Promise.reject(new RangeError(`call: bad retrans ${options.retrans}`));
        retrans = options.retrans;
      }
      if (options.timeout !== undefined) {
        if (!(options.timeout > 0)) return Promise.reject(new RangeError(`call: bad timeout ${options.timeout}`));
        deadline = performance.now() + options.timeout;
      }
      if (options.timer !== undefined) timer = options.timer;
    }
    const auth = options?.auth ?? (options?.cred !== undefined ? authSysForUcred((options.cred as Proc).p_ucred) : this.#auth);
    const stat = this.#procStats.get(prog, vers, proc);
    const xid = this.#xid.next(this.#table);
    let m: Mbuf;
    try {
      const w = new XdrWriter({ leadingSpace: this.#tcp ? 4 : 0, sizeHint: stat.sizeHint });
      encodeCallHeader(w, xid, prog, vers, proc, auth);
      if (argCodec !== null) argCodec.encode(w, args);
      if (w.length > stat.sizeHint && w.length < 65536) stat.sizeHint = w.length + 64;
      m = w.finish();
      if (this.#tcp) m = frameRecord(m, o.maxFragmentSize);
    } catch (e) {
      return Promise.reject(e);
    }
    if (!this.#tcp && m.m_pkthdr.len > MAX_DATAGRAM - 28) {
      m_freem(m);
      return Promise.reject(new RpcCantSendError(EMSGSIZE, { xid, prog, vers, proc }));
    }
    const promise = new Promise(capture);
    const req = new RpcRequest(
      this, xid, prog, vers, proc, m, decoder ?? xdr_void, options?.soft ?? !o.hard, retrans, timeoMs, timer,
      options?.softConnect ?? false, deadline, signal, stat, capturedResolve, capturedReject,
    );
    if (options?.tracker !== undefined) req.tracker = options.tracker;
    this.#table.set(xid, req);
    this.stats.calls++;
    stat.calls++;
    if (signal !== null) signal.addEventListener('abort', req, { once: true });
    if (mustWait) {
      this.#backlog.push(req);
      this.#queued++;
      this.stats.queued = this.#queued;
    } else {
      this.#admit(req, performance.now());
    }
    this.#ensureTimer();
    return promise;
  }

  /* A call takes a slot and goes out (or waits for the connection). */
  #admit(req: RpcRequest, now: number): void {
    req.state = REQ_SENT;
    req.sentAt = now;
    this.#inFlight++;
    this.stats.inFlight = this.#inFlight;
    if (this.#cwnd !== null) {
      req.cwndSlots = windowSlots(req.len, req.stat.replySize);
      this.#cwnd.take(req.cwndSlots);
      req.cwndStamp = this.#cwnd.stamp();
      req.inWindow = true;
    }
    this.#transmit(req);
  }

  #transmit(req: RpcRequest): void {
    const t = this.#transport;
    if (t !== null && !t.isDown) t.enqueue(req);
    else this.#connect();
  }

  /* Let waiting calls take the slots that are free. */
  #admitBacklog(): void {
    if (this.#queued === 0) return;
    const max = this.options.maxInFlight;
    const cwnd = this.#cwnd;
    const now = performance.now();
    while (this.#backlogHead < this.#backlog.length && this.#inFlight < max && (cwnd === null || cwnd.open)) {
      const req = this.#backlog[this.#backlogHead]!;
      this.#backlog[this.#backlogHead++] = undefined as unknown as RpcRequest;
      if (req.state !== REQ_QUEUED) continue;
      this.#queued--;
      this.#admit(req, now);
    }
    if (this.#backlogHead === this.#backlog.length) {
      this.#backlog = [];
      this.#backlogHead = 0;
    } else if (this.#backlogHead > 1024 && this.#backlogHead * 2 > this.#backlog.length) {
      this.#backlog = this.#backlog.slice(this.#backlogHead);
      this.#backlogHead = 0;
    }
    this.stats.queued = this.#queued;
  }

  /* The call ends: forget its xid, give back its slot, stop listening to its signal. */
  #finish(req: RpcRequest): void {
    if (req.state === REQ_DONE) return;
    this.#table.delete(req.xid);
    if (req.state === REQ_SENT) {
      this.#inFlight--;
      this.stats.inFlight = this.#inFlight;
    } else {
      this.#queued--;
      this.stats.queued = this.#queued;
    }
    req.state = REQ_DONE;
    if (req.inWindow) {
      req.inWindow = false;
      this.#cwnd!.release(req.cwndSlots);
    }
    if (req.signal !== null) req.signal.removeEventListener('abort', req);
    m_freem(req.mreq);
    req.mreq = null;
  }

  /* End a call with an error (counted against its procedure). */
  #fail(req: RpcRequest, err: unknown): void {
    if (req.state === REQ_DONE) return;
    this.#finish(req);
    req.stat.errors++;
    req.reject(err);
  }

  /** RequestOwner: the call's AbortSignal fired. The xid is forgotten; a late reply is dropped. */
  abortRequest(req: RpcRequest): void {
    if (req.state === REQ_DONE) return;
    this.stats.interrupted++;
    this.#ended.add(req.xid);
    this.#fail(req, new RpcInterruptedError(req.info, req.signal?.reason));
    this.#admitBacklog();
  }

  /* ---------------- connections ---------------- */

  /* Start a connection attempt unless one is up, in progress, or not yet due (reconnect backoff). */
  #connect(): void {
    if (this.#closed || this.#connecting !== null) return;
    if (this.#transport !== null && !this.#transport.isDown) return;
    if (performance.now() < this.#reconnectAt) {
      this.#ensureTimer();
      return;
    }
    const c = new Connector();
    this.#connector = c;
    this.#connecting = this.#connectOnce(c).finally(() => {
      this.#connecting = null;
      this.#connector = null;
    });
  }

  async #connectOnce(c: Connector): Promise<void> {
    const o = this.options;
    const ep = await resolveEndpoint(o.host, o.port);
    let error: number;
    if (typeof ep === 'number') {
      error = ep;
    } else {
      const size = 2 * (o.maxMessageSize + HDR_ROOM);
      const r = await c.connect(ep, {
        type: this.#tcp ? SOCK_STREAM : SOCK_DGRAM,
        proc: o.proc,
        resvport: o.resvport,
        sndbuf: this.#tcp ? size : Math.min(MAX_DATAGRAM, o.maxMessageSize + HDR_ROOM),
        rcvbuf: size,
        sbmax: o.sbMax,
        timeout: o.connectTimeout,
      });
      if (r.reserved) this.stats.reservedPorts++;
      if (r.fellBack) this.stats.reservedPortFallbacks++;
      if (r.so !== null) {
        if (this.#closed || c.cancelled) {
          await this.#trackClose(this.#tcp ? new TcpTransport(r.so, this, o.maxRecordSize) : new UdpTransport(r.so, this));
          return;
        }
        this.#connected(this.#tcp ? new TcpTransport(r.so, this, o.maxRecordSize) : new UdpTransport(r.so, this));
        return;
      }
      error = r.error;
    }
    if (this.#closed || c.cancelled) return;
    this.#lastConnectError = error;
    this.stats.connectFailures++;
    this.#failures++;
    this.#reconnectAt = performance.now() + this.#reconnectDelay();
    for (const req of this.#table.values()) {
      if (req.softConnect) this.#fail(req, new RpcCantConnectError(error, this.#address(), req.info));
    }
    this.#admitBacklog();
    if (this.#table.size > 0) this.#ensureTimer();
  }

  /* Delay before the next attempt: none after one failure, then 100 ms doubling up to the cap. */
  #reconnectDelay(): number {
    const n = this.#failures;
    if (n <= 1) return 0;
    return Math.min(this.options.maxReconnectDelay, 100 * 2 ** Math.min(n - 2, 20));
  }

  #connected(t: Transport): void {
    this.#transport = t;
    this.#lastConnectError = 0;
    this.stats.connects++;
    const reconnect = this.#lost;
    this.#lost = false;
    if (reconnect) this.stats.reconnects++;
    /* Send every admitted call, in call order, with its xid (a resend is not timed: Karn). */
    for (const req of this.#table.values()) {
      if (req.state !== REQ_SENT) continue;
      /* firstSentAt is -1 until the first transmission: anything else goes out again here. */
      if (req.firstSentAt !== -1 && req.tracker !== null) req.tracker.resends++;
      if (req.firstSentAt >= 0) req.firstSentAt = -2;
      t.enqueue(req);
    }
    this.emit('connect', this.#event);
    if (reconnect) this.emit('reconnect', this.#event);
    t.upcall();
  }

  /* Tear a transport down; close() waits for every such teardown. */
  #trackClose(t: Transport): Promise<void> {
    const p = t.close();
    this.#closingTransports.add(p);
    void p.finally(() => this.#closingTransports.delete(p));
    return p;
  }

  /** TransportOwner: the connection is unusable. Reconnect if calls are outstanding. */
  onDown(t: Transport, _error: number): void {
    if (t !== this.#transport) return;
    this.#transport = null;
    this.stats.disconnects++;
    void this.#trackClose(t);
    if (this.#closed) return;
    this.#failures++;
    this.#reconnectAt = performance.now() + this.#reconnectDelay();
    if (this.#inFlight > 0) {
      this.#lost = true;
      this.#connect();
    }
  }

  /** TransportOwner: a transmission finished. */
  onSent(t: Transport, req: RpcRequest, error: number): void {
    if (error === 0) {
      this.stats.sends++;
      this.stats.bytesSent += req.len;
      if (req.firstSentAt === -1) req.firstSentAt = performance.now();
      return;
    }
    if (req.state !== REQ_SENT) return;
    if (this.#tcp) {
      /* nfs_send: the request will be resent; a stream that cannot send is lost. No room after
       * all (the queue checked sbspace first, so this should not happen): queue it again. */
      if (error === EWOULDBLOCK) t.enqueue(req);
      else this.onDown(t, error);
      return;
    }
    if (error === EMSGSIZE) {
      this.#fail(req, new RpcCantSendError(EMSGSIZE, req.info));
      this.#admitBacklog();
      return;
    }
    if (error === EWOULDBLOCK) return; /* the timer retransmits */
    /* A pending socket error (ICMP) came back instead of the send: count it, send again. */
    this.onSoftError(t, error);
    if (req.state === REQ_SENT) t.enqueue(req);
  }

  /** TransportOwner: an ignored socket error (UDP: ECONNREFUSED from ICMP port unreachable). */
  onSoftError(_t: Transport, error: number): void {
    this.stats.softErrors++;
    if (error !== ECONNREFUSED && error !== EHOSTUNREACH && error !== ENETUNREACH && error !== EHOSTDOWN) return;
    let failed = false;
    for (const req of this.#table.values()) {
      if (req.softConnect && req.state === REQ_SENT) {
        this.#fail(req, new RpcCantConnectError(error, this.#address(), req.info));
        failed = true;
      }
    }
    if (failed) this.#admitBacklog();
  }

  /** TransportOwner: bytes taken from the socket. */
  onReceived(_t: Transport, bytes: number): void {
    this.stats.bytesReceived += bytes;
  }

  /** TransportOwner: a complete message (nfs_reply's matching). */
  onRecord(t: Transport, m: Mbuf): void {
    if (t !== this.#transport) {
      m_freem(m);
      return;
    }
    const xid = peekReplyXid(m);
    if (xid === null) {
      /* Not a reply at all: on a stream, the peer is speaking something else. */
      this.#badReply(t, m);
      return;
    }
    const req = this.#table.get(xid);
    if (req === undefined || req.state !== REQ_SENT) {
      if (this.#ended.has(xid)) this.stats.lateReplies++;
      else if (this.#xid.issued(xid) && req === undefined) this.stats.duplicateReplies++;
      else this.stats.strayReplies++;
      m_freem(m);
      return;
    }
    const r = new XdrReader(m);
    let h;
    try {
      h = decodeReplyHeader(r);
    } catch {
      this.#badReply(t, m);
      return;
    }
    /* A genuine reply: the server is alive. */
    this.#failures = 0;
    if (this.#notResponding) {
      this.#notResponding = false;
      this.emit('respondingAgain', this.#event);
    }
    const stat = req.stat;
    if (req.rexmit === 0 && req.firstSentAt >= 0) {
      const ms = performance.now() - req.firstSentAt;
      if (this.options.rtt) this.#rtt.update(req.timer, ms);
      stat.rttSamples++;
      stat.rttSum += ms;
      if (ms < stat.rttMin) stat.rttMin = ms;
      if (ms > stat.rttMax) stat.rttMax = ms;
    }
    if (req.inWindow) {
      req.inWindow = false;
      this.#cwnd!.replied(req.cwndSlots);
      this.stats.cwnd = this.#cwnd!.calls;
      const len = m_length(m);
      stat.replySize = stat.replySize === 0 ? len : stat.replySize + (len - stat.replySize) / 8;
    }
    this.stats.replies++;
    stat.replies++;
    if (h.reply_stat !== MSG_ACCEPTED || h.accept_stat !== SUCCESS) {
      this.stats.errorReplies++;
      this.#fail(req, replyError(h, req.info));
    } else {
      const dec = req.decoder;
      let v: unknown;
      let failed = false;
      try {
        v = typeof dec === 'function' ? dec(r) : dec.decode(r);
      } catch (e) {
        failed = true;
        v = e;
      }
      if (failed) {
        this.stats.errorReplies++;
        this.#fail(req, v);
      } else {
        this.#finish(req);
        req.resolve(v);
      }
    }
    m_freem(m);
    this.#admitBacklog();
  }

  /* A message that is not a well-formed reply: dropped; a stream carrying one is reset. */
  #badReply(t: Transport, m: Mbuf): void {
    this.stats.badReplies++;
    m_freem(m);
    if (this.#tcp) this.onDown(t, EBADRPC);
  }

  /* ---------------- the timer ---------------- */

  /* Not unref'd: while calls are outstanding the process must not exit under them (a hard call
   * waiting out a server restart has no socket between connection attempts); #tick stops the
   * timer once none is. */
  #ensureTimer(): void {
    if (this.#timer !== null || this.#closed) return;
    this.#timer = setInterval(this.#tickFn, RPC_TICK_MS);
  }

  #stopTimer(): void {
    if (this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  /* nfs_timer: one pass over the outstanding calls. */
  #tick(): void {
    if (this.#table.size === 0 || this.#closed) {
      this.#stopTimer();
      return;
    }
    const now = performance.now();
    if (this.#inFlight > 0 && this.#transport === null && this.#connecting === null && now >= this.#reconnectAt) this.#connect();
    const o = this.options;
    const rttOn = o.rtt;
    const cwnd = this.#cwnd;
    let freed = false;
    for (const req of this.#table.values()) {
      if (now >= req.deadline) {
        this.stats.timedOut++;
        this.#ended.add(req.xid);
        this.#fail(req, new RpcTimeoutError(req.rexmit, req.info, 'exceeded its timeout'));
        freed = true;
        continue;
      }
      if (req.state !== REQ_SENT) continue;
      const rto = rttOn ? this.#rtt.rto(req.timer, req.timeoMs) : req.timeoMs;
      if (now - req.sentAt < backoffTimeout(rto, req.rexmit, o.maxTimeout)) continue;
      this.stats.timeouts++;
      if (req.soft && req.rexmit >= req.retrans) {
        this.stats.timedOut++;
        this.#ended.add(req.xid);
        this.#fail(req, new RpcTimeoutError(req.rexmit, req.info));
        freed = true;
        continue;
      }
      req.rexmit++;
      if (req.tracker !== null) req.tracker.resends++;
      req.sentAt = now;
      this.stats.retransmits++;
      req.stat.retransmits++;
      if (cwnd !== null) {
        cwnd.timedOut(req.cwndStamp);
        req.cwndStamp = cwnd.stamp();
        this.stats.cwnd = cwnd.calls;
      }
      if (!req.soft && req.rexmit === req.retrans && !this.#notResponding) {
        this.#notResponding = true;
        this.emit('notResponding', this.#event);
      }
      this.#transmit(req);
    }
    if (freed) this.#admitBacklog();
    if (this.#table.size === 0) this.#stopTimer();
  }

  /* ---------------- close ---------------- */

  /**
   * Close the client: every pending call fails with RpcClosedError, the timer stops, the upcall
   * is cleared and the socket shut down and closed. Resolves when every socket the client made is
   * closed. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    this.#closed = true;
    this.#closing = this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#stopTimer();
    this.#connector?.cancel();
    for (const req of this.#table.values()) this.#fail(req, new RpcClosedError(req.info));
    this.#backlog = [];
    this.#backlogHead = 0;
    const t = this.#transport;
    this.#transport = null;
    if (t !== null) void this.#trackClose(t);
    if (this.#connecting !== null) await this.#connecting;
    while (this.#closingTransports.size > 0) await Promise.all([...this.#closingTransports]);
  }
}
