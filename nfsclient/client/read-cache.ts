/*
 * The read path: READs of at most rsize, several in flight, the data copied once from the reply
 * straight into the caller's buffer (READ3res_into); and read-ahead for sequential access
 * (OpenBSD nfs_bio.c nfs_bioread's read-ahead, Linux's readahead window).
 *
 * A read is split at rsize-aligned block boundaries. Each piece is served
 *   - from a cached block (fetched ahead, or fetched whole for an earlier small read), copied; a
 *     block keeps the READ replies' data as mbuf chains sharing the socket's receive buffers
 *     (READ3res_mbuf), so its bytes are copied once, into the caller's buffer, not twice; or
 *   - in sequential mode, when the read covers only part of a block, by fetching that whole block
 *     into the cache (the next small reads are then served from it); or
 *   - otherwise straight into the caller's buffer (a READ per piece, `window` in flight, and
 *     over UDP no more than the congestion window admits: RpcClient.windowCalls).
 * A short READ without EOF reads the rest; EOF (or a READ of 0 bytes) ends the read.
 *
 * A read that starts where the previous one ended is sequential: the `readahead` blocks after it
 * are then fetched ahead (never past a known EOF; over UDP, no more than the congestion window
 * admits besides the next demand read). A read elsewhere (random access) drops the
 * cached blocks it does not touch. Blocks before the read position are dropped as they are
 * consumed, so at most `readahead` + 2 blocks of rsize bytes are held per open file. A dropped
 * block's chains are freed once no READ fills it and no read copies from it.
 * invalidate() drops everything (the file changed on the server, or this client wrote to it).
 *
 * The same read can hand the data over without the copy (a ReadSink with `views`): as views of
 * the replies' storage (the socket's receive slabs), in order, for a caller that only passes
 * bytes on (cat, read streams). The views are the caller's to keep: receive storage is never
 * written again once it holds data (sockets/proto/hoststream.ts), so freeing the chains does not
 * change them.
 *
 * One read core: read() splits and schedules whatever the sink; each piece comes from a block
 * (copied or viewed: the sink decides) or from the server through the one READ loop (readRange),
 * whose destination decides where a reply's data lands — straight into a buffer (READ3res_into)
 * or kept as the reply's mbufs in a block (READ3res_mbuf).
 */
import { EIO, m_copydata, m_freem, m_length } from '../../sockets/index.js';
import type { Mbuf } from '../../sockets/index.js';
import type { XdrCodec } from '../../rpc/index.js';
import { READ3res_into, READ3res_mbuf } from '../nfs3/proc-io.js';
import type { READ3resfail, READ3resok } from '../nfs3/proc-io.js';
import type { NfsResult } from '../nfs3/result.js';
import { NfsError } from '../errors.js';
import { NFS3_OK } from '../nfs3/nfsstat3.js';
import type { fattr3 } from '../nfs3/attr.js';
import { pool } from './pool.js';
import type { OpCtx, Session } from './session.js';

/* Data of one READ reply in a block: `n` bytes at block offset `at`, in the chain `m`. */
interface Segment {
  at: number;
  n: number;
  m: Mbuf;
}

interface Block {
  index: number;
  start: bigint;
  /* The block's data so far, in order (a short READ is continued by another). */
  segs: Segment[];
  /** Bytes the block holds, from `start`. */
  len: number;
  /** The server said EOF at the end of the block's data. */
  eof: boolean;
  ready: Promise<void>;
  failed: unknown;
  /** Fetched ahead of any read asking for it (counts as a read-ahead hit when used). */
  ahead: boolean;
  used: boolean;
  /** Its READs have finished (the buffer is no longer being filled). */
  done: boolean;
  /** Reads waiting to copy from it. */
  pins: number;
  /** Dropped from the cache: its chains are freed once done and unpinned. */
  evicted: boolean;
}

interface Piece {
  pos: bigint;
  n: number;
  /** Offset in the caller's buffer. */
  at: number;
  block: Block | undefined;
}

export interface ReadResult {
  bytes: number;
  /** The read ended at the end of the file. */
  eof: boolean;
}

/**
 * Where a read's bytes go: copied into `target` from `at`, or handed over as `views` of the
 * received data (pushed in order).
 */
export type ReadSink = { target: Buffer; at: number; views?: undefined } | { views: Buffer[] };

/* A piece's result; `views` when read as views. */
interface PieceResult extends ReadResult {
  views?: Buffer[] | undefined;
}

/*
 * Where the READ loop (readRange) puts each reply's data: the result codec for the READ of
 * `count` bytes landing `got` bytes into the range, and the taking of the data it decoded
 * (returns its length; throws for more than was asked).
 */
interface ReadDest<D> {
  result(got: number, count: number): XdrCodec<NfsResult<READ3resok<D>, READ3resfail>>;
  take(data: D, got: number, count: number, ctx: OpCtx): number;
}

/* Straight into target[at, at + n): a view bounded to each READ, so a server sending more than
 * asked cannot write past it (the decoder refuses it). */
function intoBuffer(target: Buffer, at: number): ReadDest<number> {
  return {
    result: (got, count) => READ3res_into(target.subarray(at + got, at + got + count), 0),
    take: (n) => n,
  };
}

/* Kept as the replies' mbuf chains, in the block's segments. */
function intoBlock(b: Block): ReadDest<Mbuf> {
  return {
    result: () => READ3res_mbuf,
    take(m, got, count, ctx) {
      /* The data's own length is authoritative; more than was asked for is the server's error
         (EIO, as READ3res_into's decoder refuses it on the direct path). */
      const len = m_length(m);
      if (len > count) {
        m_freem(m);
        throw new NfsError(EIO, { ...ctx, detail: `the server returned ${len} bytes for a READ of ${count}` });
      }
      if (len > 0) b.segs.push({ at: got, n: len, m });
      else m_freem(m);
      return len;
    },
  };
}

/** What the reader needs of its file. */
export interface ReadSource {
  readonly fh: Buffer;
  readonly key: string;
  /** The file's size as the client knows it: read-ahead does not go past it. */
  readonly size: bigint;
  /** Attributes a READ reply carried. */
  serverAttrs(a: fattr3): void;
}

const READ_BYTES_IN_FLIGHT = 16 * 1024 * 1024;

/* Copy block bytes [o, o + n) from its segments to target[at, at + n). */
function copyOut(segs: readonly Segment[], o: number, n: number, target: Buffer, at: number): void {
  const end = o + n;
  for (const g of segs) {
    const gEnd = g.at + g.n;
    if (gEnd <= o) continue;
    if (g.at >= end) break;
    const from = Math.max(o, g.at);
    const to = Math.min(end, gEnd);
    m_copydata(g.m, from - g.at, to - from, target, at + (from - o));
  }
}

/* Push views of block bytes [o, o + n) of its segments onto `out`. */
function viewsOut(segs: readonly Segment[], o: number, n: number, out: Buffer[]): void {
  const end = o + n;
  for (const g of segs) {
    const gEnd = g.at + g.n;
    if (gEnd <= o) continue;
    if (g.at >= end) break;
    let skip = Math.max(o, g.at) - g.at;
    let left = Math.min(end, gEnd) - g.at - skip;
    for (let m: Mbuf | null = g.m; m !== null && left > 0; m = m.m_next) {
      if (skip >= m.m_len) {
        skip -= m.m_len;
        continue;
      }
      const k = Math.min(m.m_len - skip, left);
      const from = m.m_off + skip;
      out.push(m.m_buf.subarray(from, from + k));
      left -= k;
      skip = 0;
    }
  }
}

export class ReadCache {
  readonly #blocks = new Map<number, Block>();
  readonly #rs: bigint;
  readonly window: number;
  /* Where the next sequential read would start. */
  #next = 0n;
  /* A position known to be the end of the file (from an EOF), or null. */
  #eofAt: bigint | null = null;

  constructor(
    private readonly s: Session,
    private readonly file: ReadSource,
    readonly rsize: number,
    readonly readahead: number,
  ) {
    this.#rs = BigInt(rsize);
    this.window = Math.min(32, Math.max(4, Math.ceil(READ_BYTES_IN_FLIGHT / rsize)));
  }

  /** Drop every cached block. */
  invalidate(): void {
    for (const b of this.#blocks.values()) this.#drop(b);
    this.#blocks.clear();
    this.#eofAt = null;
  }

  /* A block leaves the cache; its chains are freed when nothing fills or reads it any more. */
  #drop(b: Block): void {
    if (!b.used) this.s.counters.readAheadDropped++;
    b.evicted = true;
    this.#recycle(b);
  }

  #recycle(b: Block): void {
    if (b.evicted && b.done && b.pins === 0 && b.segs.length > 0) {
      for (const g of b.segs) m_freem(g.m);
      b.segs = [];
    }
  }

  /**
   * Read up to `len` bytes at `pos` into the sink: copied into sink.target from sink.at, or pushed
   * onto sink.views as views of the received data (see the top; a piece no cached block holds is
   * then read into a Buffer of its own).
   * @throws NfsError (EISDIR, EACCES, ESTALE, EIO ...)
   */
  async read(len: number, pos: bigint, sink: ReadSink, ctx: OpCtx): Promise<ReadResult> {
    if (len === 0) return { bytes: 0, eof: false };
    const target = sink.views === undefined ? sink.target : null;
    const views = sink.views ?? null;
    const at = sink.views === undefined ? sink.at : 0;
    const rs = this.#rs;
    const end = pos + BigInt(len);
    const sequential = pos === this.#next;
    if (!sequential) this.#dropOutside(pos, end);
    const pieces: Piece[] = [];
    for (let p = pos; p < end;) {
      const index = Number(p / rs);
      const blockEnd = BigInt(index + 1) * rs;
      const pieceEnd = end < blockEnd ? end : blockEnd;
      let block = this.#blocks.get(index);
      if (block === undefined && sequential && this.readahead > 0 && pieceEnd - p < rs && !this.#pastEof(p)) {
        block = this.#fetch(index, false, ctx);
      }
      if (block !== undefined) block.pins++;
      pieces.push({ pos: p, n: Number(pieceEnd - p), at: at + Number(p - pos), block });
      p = pieceEnd;
    }
    const results = pieces.length === 1
      ? [await this.#piece(pieces[0]!, target, views !== null, ctx)]
      : await pool(pieces, Math.min(this.window, this.s.nfsRpc.windowCalls(this.rsize)), (piece) => this.#piece(piece, target, views !== null, ctx));
    let bytes = 0;
    let eof = false;
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      bytes += r.bytes;
      if (views !== null) for (const v of r.views!) views.push(v);
      if (r.eof || r.bytes < pieces[i]!.n) {
        eof = true;
        break;
      }
    }
    this.#next = pos + BigInt(bytes);
    if (eof) this.#eofAt = this.#next;
    this.#evictBefore(Number(this.#next / rs));
    if (sequential && this.readahead > 0 && !eof) {
      /* Over UDP, no deeper than the congestion window admits besides the next demand read. */
      const depth = Math.min(this.readahead, this.s.nfsRpc.windowCalls(this.rsize) - 1);
      const first = Number(this.#next / rs);
      for (let i = first; i < first + depth; i++) {
        if (this.#pastEof(i === first ? this.#next : BigInt(i) * rs)) break;
        if (!this.#blocks.has(i)) this.#fetch(i, true, ctx);
      }
    }
    return { bytes, eof };
  }

  #pastEof(p: bigint): boolean {
    return (this.#eofAt !== null && p >= this.#eofAt) || p >= this.file.size;
  }

  /* One piece: copied into target[piece.at ...], or (asViews) returned as views. */
  async #piece(piece: Piece, target: Buffer | null, asViews: boolean, ctx: OpCtx): Promise<PieceResult> {
    const b = piece.block;
    if (b === undefined) {
      if (!asViews) return this.#readRange(piece.pos, piece.n, intoBuffer(target!, piece.at), ctx);
      const own = Buffer.allocUnsafe(piece.n);
      const r: PieceResult = await this.#readRange(piece.pos, piece.n, intoBuffer(own, 0), ctx);
      r.views = r.bytes === 0 ? [] : [r.bytes === piece.n ? own : own.subarray(0, r.bytes)];
      return r;
    }
    await b.ready;
    b.pins--;
    if (b.failed !== null) {
      if (this.#blocks.get(b.index) === b) this.#blocks.delete(b.index);
      throw b.failed;
    }
    const o = Number(piece.pos - b.start);
    const n = Math.max(0, Math.min(piece.n, b.len - o));
    let v: Buffer[] | undefined;
    if (asViews) {
      v = [];
      if (n > 0) viewsOut(b.segs, o, n, v);
    } else if (n > 0) {
      copyOut(b.segs, o, n, target!, piece.at);
    }
    if (b.ahead) this.s.counters.readAheadHits += n;
    b.used = true;
    this.#recycle(b);
    return { bytes: n, eof: b.eof && o + n >= b.len, views: v };
  }

  /* Fetch a whole block into the cache (not awaited). */
  #fetch(index: number, ahead: boolean, ctx: OpCtx): Block {
    const start = BigInt(index) * this.#rs;
    const b: Block = {
      index, start, segs: [], len: 0, eof: false, failed: null,
      ready: null as unknown as Promise<void>, ahead, used: false, done: false, pins: 0, evicted: false,
    };
    /* Read-ahead runs for the file, not for the read that started it: no signal. */
    const bctx: OpCtx = ahead ? { syscall: ctx.syscall, path: ctx.path } : ctx;
    b.ready = this.#readRange(b.start, this.rsize, intoBlock(b), bctx).then(
      (r) => {
        b.len = r.bytes;
        b.eof = r.eof;
        b.done = true;
        this.#recycle(b);
      },
      (e: unknown) => {
        b.failed = e;
        b.done = true;
        for (const g of b.segs) m_freem(g.m);
        b.segs = [];
        this.#recycle(b);
      },
    );
    this.#blocks.set(index, b);
    if (ahead) this.s.counters.readAheadBlocks++;
    return b;
  }

  /*
   * The READ loop: [pos, pos + n) from the server into `dest`, a READ of the rest after a short
   * one; EOF (or a READ of 0 bytes) ends it.
   */
  async #readRange<D>(pos: bigint, n: number, dest: ReadDest<D>, ctx: OpCtx): Promise<ReadResult> {
    const s = this.s;
    let got = 0;
    while (got < n) {
      const count = n - got;
      const res = await s.read({ file: this.file.fh, offset: pos + BigInt(got), count }, dest.result(got, count), ctx);
      if (res.status !== NFS3_OK) {
        if (res.resfail.file_attributes !== null) s.attrs.set(this.file.key, res.resfail.file_attributes);
        throw s.fail(res.status, ctx, this.file.key);
      }
      const ok = res.resok;
      const len = dest.take(ok.data, got, count, ctx);
      if (ok.file_attributes !== null) this.file.serverAttrs(ok.file_attributes);
      got += len;
      if (ok.eof || len === 0) return { bytes: got, eof: true };
    }
    return { bytes: got, eof: false };
  }

  /* Random access: keep only the blocks the read [pos, end) touches. */
  #dropOutside(pos: bigint, end: bigint): void {
    for (const [i, b] of this.#blocks) {
      if (b.start + this.#rs <= pos || b.start >= end) {
        this.#blocks.delete(i);
        this.#drop(b);
      }
    }
  }

  #evictBefore(index: number): void {
    for (const [i, b] of this.#blocks) {
      if (i < index) {
        this.#blocks.delete(i);
        this.#drop(b);
      }
    }
  }
}
