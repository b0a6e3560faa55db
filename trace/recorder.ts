/*
 * The trace recorder: a Ktrace (sockets/ktrace.ts) that writes every socket-layer call, upcall,
 * sleep and wakeup as a length-delimited Event record (trace/sonfs-trace.proto) to a file.
 *
 * Writing: events are encoded at once into a pending batch, which is written with one
 * synchronous write at the next turn of the event loop (setImmediate), when it reaches
 * FLUSH_BYTES, at close(), and at process exit — so a crash leaves every record up to the last
 * turn, and a cut at any point leaves a readable prefix (trace/reader.ts).
 *
 * What is kept of the bytes moved (docs/trace.md, "Privacy"):
 * - payloads: false (the default): the byte count, the decoded RPC headers, and of a chunk that
 *   starts an RPC message only its record mark and the header words before the credential (xid,
 *   direction, rpcvers, prog, vers, proc; or xid, direction, reply_stat). No credential, file
 *   handle or file data is written. Option values of sosetopt are kept (ints).
 * - payloads: true: every byte (needed to replay: trace/replay.ts refuses a headers-only trace).
 *
 * Sockets and wait channels get small ids in order of first appearance. The recorder never
 * calls into the socket layer's traced functions and never throws into it: a write error stops
 * the recording (reported by close()).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { version as nodeVersion } from 'node:process';
import protobuf from 'protobufjs';
import { m_bytes, m_freem, SOCK_DGRAM, sockaddr_parse, Socket, uio_iovecs } from '../sockets/index.js';
import type { Mbuf, Ref, Uio } from '../sockets/index.js';
import { sovalid } from '../sockets/internal.js';
import type { Ktrace, SoreceiveImpl, SoreceiveNowaitImpl, SosendImpl, SosendNowaitImpl } from '../sockets/internal.js';
import { CallTable, RpcStreamDecoder, decodeDatagram, headerSnap } from './rpc-decode.js';
import { Op, TRACE_MAGIC, TRACE_VERSION, encodeRecord } from './schema.js';
import type { TraceEvent, TraceRpcHeader, TraceSockAddr } from './schema.js';

export interface RecorderOptions {
  /** Keep every byte moved (replayable). Default false: headers only. */
  payloads?: boolean;
  /** The command being traced, for the header. */
  argv?: string[];
}

const FLUSH_BYTES = 1 << 20;
/* Option values longer than this are cut (all sonfs options are ints, linger or timeval). */
const OPT_MAX = 64;

interface SockState {
  id: number;
  calls: CallTable;
  snd: RpcStreamDecoder | null;
  rcv: RpcStreamDecoder | null;
}

function addrOf(m: Mbuf | null): TraceSockAddr | null {
  const sa = sockaddr_parse(m);
  if (sa === null) return null;
  return 'path' in sa ? { family: sa.family, path: sa.path } : { family: sa.family, address: sa.address, port: sa.port };
}

/* The views of a chain's bytes (no copy). */
function chainViews(m: Mbuf | null, out: Buffer[]): number {
  let n = 0;
  for (; m !== null; m = m.m_next) {
    if (m.m_len > 0) {
      out.push(m_bytes(m));
      n += m.m_len;
    }
  }
  return n;
}

/* The first `n` bytes of the iovecs (views), as they are now. */
function iovViews(uio: Uio, n: number, out: Buffer[]): void {
  for (const v of uio_iovecs(uio)) {
    if (n <= 0) break;
    const k = Math.min(v.iov_len, n);
    if (k > 0) out.push(v.iov_base.subarray(0, k));
    n -= k;
  }
}

function snapshotIov(uio: Uio): { base: Buffer; len: number }[] {
  return uio_iovecs(uio).map((v) => ({ base: v.iov_base, len: v.iov_len }));
}

function concat(views: readonly Buffer[], n: number): Buffer {
  return views.length === 1 && views[0]!.length === n ? Buffer.from(views[0]!) : Buffer.concat(views as Buffer[], n);
}

export class Recorder implements Ktrace {
  readonly path: string;
  readonly payloads: boolean;
  #fd: number;
  #w = protobuf.Writer.create();
  #pendingBytes = 0;
  #flushScheduled = false;
  #seq = 0;
  readonly #t0 = process.hrtime.bigint();
  readonly #socks = new WeakMap<Socket, SockState>();
  #nextSo = 1;
  readonly #chans = new WeakMap<object, number>();
  #nextChan = 1;
  #error: Error | null = null;
  #closed = false;
  readonly #onExit = (): void => this.flush();

  /** Open (truncate) `path` and write the header. @throws the open error. */
  constructor(path: string, options: RecorderOptions = {}) {
    this.path = path;
    this.payloads = options.payloads ?? false;
    this.#fd = openSync(path, 'w');
    this.#emit({
      seq: 0, tNs: 0, so: 0, op: Op.HEADER, error: 0,
      header: {
        magic: TRACE_MAGIC, version: TRACE_VERSION, tool: 'sonfs 0.1.0', argv: options.argv ?? [],
        payloads: this.payloads, startUnixMs: Date.now(), node: nodeVersion,
      },
    });
    this.flush();
    process.on('exit', this.#onExit);
  }

  /** Events written so far. */
  get count(): number {
    return this.#seq;
  }

  /** Write what is pending (synchronously). */
  flush(): void {
    if (this.#pendingBytes === 0 || this.#error !== null || this.#fd < 0) return;
    const buf = this.#w.finish();
    this.#w = protobuf.Writer.create();
    this.#pendingBytes = 0;
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(this.#fd, buf, off, buf.length - off);
    } catch (e) {
      this.#error = e as Error;
    }
  }

  /** Flush and close the file. @throws the first write error, if any. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    process.off('exit', this.#onExit);
    try {
      closeSync(this.#fd);
    } finally {
      this.#fd = -1;
    }
    if (this.#error !== null) throw this.#error;
  }

  /** Record an RPC client's first xid (rpc/client/xid.ts), so a replay can issue the same ones. */
  xidSeed(start: number): void {
    this.#emit(this.#ev(Op.XID_SEED, 0, 0, { result: start }));
  }

  #ev(op: number, so: number, error: number, rest: Partial<TraceEvent> = {}): TraceEvent {
    return { seq: 0, tNs: Number(process.hrtime.bigint() - this.#t0), so, op, error, ...rest };
  }

  #emit(ev: TraceEvent): void {
    if (this.#closed || this.#error !== null) return;
    ev.seq = this.#seq++;
    const before = this.#w.len;
    encodeRecord(ev, this.#w);
    this.#pendingBytes += this.#w.len - before;
    if (this.#pendingBytes >= FLUSH_BYTES) this.flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => {
        this.#flushScheduled = false;
        this.flush();
      });
    }
  }

  #sock(so: Socket): SockState {
    let s = this.#socks.get(so);
    if (s === undefined) {
      const stream = so.so_type !== SOCK_DGRAM;
      s = {
        id: this.#nextSo++, calls: new CallTable(),
        snd: stream ? new RpcStreamDecoder() : null, rcv: stream ? new RpcStreamDecoder() : null,
      };
      this.#socks.set(so, s);
    }
    return s;
  }

  #id(so: unknown): number {
    return so instanceof Socket ? this.#sock(so).id : 0;
  }

  #chan(ident: object): number {
    let c = this.#chans.get(ident);
    if (c === undefined) {
      c = this.#nextChan++;
      this.#chans.set(ident, c);
    }
    return c;
  }

  /*
   * The part of `views` (n bytes, moved on `so` in direction `dec`) to keep, and the RPC headers of
   * messages ending in them.
   */
  #bytes(st: SockState, dir: 'snd' | 'rcv', views: Buffer[], n: number): { data: Buffer; rpc: TraceRpcHeader[] } {
    const rpc: TraceRpcHeader[] = [];
    const dec = st[dir];
    let keep = this.payloads ? n : 0;
    if (n > 0) {
      if (dec === null) {
        const h = decodeDatagram(views, st.calls);
        if (h !== null) {
          rpc.push(h);
          if (!this.payloads) keep = Math.min(n, headerSnap(views[0]!.length >= 8 ? views[0]! : concat(views, Math.min(n, 8)), 0));
        }
      } else {
        const start = dec.atRecordStart;
        for (const v of views) dec.feed(v, st.calls, rpc);
        if (!this.payloads && start) {
          const head = concat(views, Math.min(n, 12));
          keep = Math.min(n, 4 + headerSnap(head, 4));
        }
      }
    }
    return { data: keep > 0 ? concat(views, keep) : Buffer.alloc(0), rpc };
  }

  /* ---- Ktrace ---- */

  socreate(dom: number, type: number, proto: number, error: number, so: Socket | null): void {
    this.#emit(this.#ev(Op.SOCREATE, so !== null ? this.#sock(so).id : 0, error, { domain: dom, type, protocol: proto }));
  }

  sobind(so: Socket, nam: Mbuf, result: Promise<number>): Promise<number> {
    const id = this.#id(so);
    const addr = addrOf(nam);
    return result.then((error) => {
      let local: TraceSockAddr | null = null;
      if (error === 0 && sovalid(so)) {
        const m = so.so_proto.pr_usrreqs!.pru_sockaddr(so);
        local = addrOf(m);
        m_freem(m);
      }
      this.#emit(this.#ev(Op.SOBIND, id, error, { addr, local }));
      return error;
    });
  }

  solisten(so: Socket, backlog: number, result: Promise<number>): Promise<number> {
    const id = this.#id(so);
    return result.then((error) => {
      this.#emit(this.#ev(Op.SOLISTEN, id, error, { flags: Number.isInteger(backlog) ? backlog : 0 }));
      return error;
    });
  }

  soaccept(head: Socket, aso: Ref<Socket | null>, result: Promise<number>): Promise<number> {
    const id = this.#id(head);
    return result.then((error) => {
      const peer = error === 0 && aso.value !== null ? this.#sock(aso.value).id : 0;
      this.#emit(this.#ev(Op.SOACCEPT, id, error, { peer }));
      return error;
    });
  }

  soconnect(so: Socket, nam: Mbuf, error: number): void {
    this.#emit(this.#ev(Op.SOCONNECT, this.#id(so), error, { addr: addrOf(nam) }));
  }

  soshutdown(so: Socket, how: number, error: number): void {
    this.#emit(this.#ev(Op.SOSHUTDOWN, this.#id(so), error, { flags: Number.isInteger(how) ? how : 0 }));
  }

  soclose(so: Socket, result: Promise<number>): Promise<number> {
    const id = this.#id(so);
    return result.then((error) => {
      this.#emit(this.#ev(Op.SOCLOSE, id, error));
      return error;
    });
  }

  sosetopt(so: Socket, level: number, optname: number, m0: Mbuf | null, error: number): void {
    const views: Buffer[] = [];
    const n = chainViews(m0, views);
    const data = n > 0 ? concat(views, Math.min(n, OPT_MAX)) : Buffer.alloc(0);
    this.#emit(this.#ev(Op.SOSETOPT, this.#id(so), error, { level: level | 0, optname: optname | 0, len: n, data }));
  }

  sogetopt(so: Socket, level: number, optname: number, error: number): void {
    this.#emit(this.#ev(Op.SOGETOPT, this.#id(so), error, { level: level | 0, optname: optname | 0 }));
  }

  /* What a send is about to move: a copy (the chain is consumed by the send). */
  #sendBytes(uio: Uio | null, top: Mbuf | null): { buf: Buffer; resid0: number } {
    const views: Buffer[] = [];
    let n = 0;
    if (uio !== null && typeof uio === 'object' && typeof uio.uio_iov === 'object' && uio.uio_iov !== null && Number.isSafeInteger(uio.uio_resid)) {
      n = Math.max(0, uio.uio_resid);
      try {
        iovViews(uio, n, views);
      } catch {
        views.length = 0;
      }
      n = views.reduce((a, v) => a + v.length, 0);
    } else if (top !== null && typeof top === 'object') {
      n = chainViews(top, views);
    }
    return { buf: n > 0 ? concat(views, n) : Buffer.alloc(0), resid0: uio !== null && typeof uio === 'object' ? uio.uio_resid : n };
  }

  #sent(
    so: Socket, addr: TraceSockAddr | null, uio: Uio | null, flags: number, before: { buf: Buffer; resid0: number }, error: number,
  ): void {
    if (!(so instanceof Socket)) {
      this.#emit(this.#ev(Op.SOSEND, 0, error, { flags: flags | 0 }));
      return;
    }
    const st = this.#sock(so);
    let n: number;
    if (uio !== null && typeof uio === 'object') n = Math.max(0, Math.min(before.buf.length, before.resid0 - uio.uio_resid));
    else n = error ? 0 : before.buf.length;
    const { data, rpc } = this.#bytes(st, 'snd', n > 0 ? [before.buf.subarray(0, n)] : [], n);
    this.#emit(this.#ev(Op.SOSEND, st.id, error, { flags: flags | 0, addr, len: n, data, rpc }));
  }

  sosend(
    so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number, impl: SosendImpl,
  ): Promise<number> {
    const before = this.#sendBytes(uio, top);
    const a = addrOf(addr);
    const r = impl(so, addr, uio, top, control, flags);
    return r.then((error) => {
      this.#sent(so, a, uio, flags, before, error);
      return error;
    });
  }

  sosend_nowait(
    so: Socket, addr: Mbuf | null, uio: Uio | null, top: Mbuf | null, control: Mbuf | null, flags: number,
    impl: SosendNowaitImpl,
  ): number {
    const before = this.#sendBytes(uio, top);
    const a = addrOf(addr);
    const error = impl(so, addr, uio, top, control, flags);
    this.#sent(so, a, uio, flags, before, error);
    return error;
  }

  #received(
    so: Socket, paddr: Ref<Mbuf | null> | null, uio: Uio, mp0: Ref<Mbuf | null> | null, flagsIn: number,
    flagsp: Ref<number> | null, iov: { base: Buffer; len: number }[] | null, resid0: number, error: number,
  ): void {
    if (!(so instanceof Socket)) {
      this.#emit(this.#ev(Op.SORECEIVE, 0, error, { flags: flagsIn }));
      return;
    }
    const st = this.#sock(so);
    const views: Buffer[] = [];
    let n = 0;
    if (mp0 !== null && typeof mp0 === 'object') {
      n = chainViews(mp0.value, views);
    } else if (iov !== null && uio !== null && typeof uio === 'object') {
      n = Math.max(0, resid0 - uio.uio_resid);
      let left = n;
      for (const v of iov) {
        if (left <= 0) break;
        const k = Math.min(v.len, left);
        views.push(v.base.subarray(0, k));
        left -= k;
      }
    }
    const { data, rpc } = this.#bytes(st, 'rcv', views, n);
    const from = paddr !== null && typeof paddr === 'object' ? addrOf(paddr.value) : null;
    const flagsOut = flagsp !== null && typeof flagsp === 'object' && Number.isInteger(flagsp.value) ? flagsp.value : 0;
    this.#emit(this.#ev(Op.SORECEIVE, st.id, error, { flags: flagsIn, addr: from, len: n, data, rpc, flagsOut }));
  }

  soreceive(
    so: Socket, paddr: Ref<Mbuf | null> | null, uio: Uio, mp0: Ref<Mbuf | null> | null,
    controlp: Ref<Mbuf | null> | null, flagsp: Ref<number> | null, impl: SoreceiveImpl,
  ): Promise<number> {
    const flagsIn = flagsp !== null && typeof flagsp === 'object' ? flagsp.value | 0 : 0;
    const iov = mp0 === null && uio !== null && typeof uio === 'object' && typeof uio.uio_iov === 'object' && uio.uio_iov !== null ? snapshotIov(uio) : null;
    const resid0 = uio !== null && typeof uio === 'object' ? uio.uio_resid : 0;
    return impl(so, paddr, uio, mp0, controlp, flagsp).then((error) => {
      this.#received(so, paddr, uio, mp0, flagsIn, flagsp, iov, resid0, error);
      return error;
    });
  }

  soreceive_nowait(
    so: Socket, paddr: Ref<Mbuf | null> | null, uio: Uio, mp0: Ref<Mbuf | null> | null,
    controlp: Ref<Mbuf | null> | null, flagsp: Ref<number> | null, impl: SoreceiveNowaitImpl,
  ): number {
    const flagsIn = flagsp !== null && typeof flagsp === 'object' ? flagsp.value | 0 : 0;
    const iov = mp0 === null && uio !== null && typeof uio === 'object' && typeof uio.uio_iov === 'object' && uio.uio_iov !== null ? snapshotIov(uio) : null;
    const resid0 = uio !== null && typeof uio === 'object' ? uio.uio_resid : 0;
    const error = impl(so, paddr, uio, mp0, controlp, flagsp);
    this.#received(so, paddr, uio, mp0, flagsIn, flagsp, iov, resid0, error);
    return error;
  }

  upcall(so: Socket, which: number): void {
    this.#emit(this.#ev(Op.UPCALL, this.#id(so), 0, { flags: which }));
  }

  tsleep(ident: object, priority: number, wmesg: string, timo: number, _sleep: object): void {
    this.#emit(this.#ev(Op.TSLEEP, 0, 0, {
      chan: this.#chan(ident), wmesg: String(wmesg), timo: Number.isFinite(timo) ? Math.ceil(timo) : 0, flags: priority | 0,
    }));
  }

  tsleep_end(ident: object, _sleep: object, error: number): void {
    this.#emit(this.#ev(Op.TSLEEP_END, 0, error, { chan: this.#chan(ident) }));
  }

  wakeup(ident: object, one: boolean): void {
    this.#emit(this.#ev(Op.WAKEUP, 0, 0, { chan: this.#chan(ident), result: one ? 1 : 0 }));
  }

  soisconnected(so: Socket): void {
    this.#emit(this.#ev(Op.SOISCONNECTED, this.#id(so), 0));
  }

  soisdisconnected(so: Socket): void {
    this.#emit(this.#ev(Op.SOISDISCONNECTED, this.#id(so), so.so_error));
  }
}
