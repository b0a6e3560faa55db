/*
 * Record marking, receive side (RFC 5531 §11): on a byte stream each record is sent as one or more
 * fragments, each preceded by a 4-byte mark whose high bit says "last fragment" and whose low 31
 * bits are the fragment's length.
 *
 * RecordReader is a pure state machine: push() mbuf chains as they arrive (any chunking, one byte
 * at a time included), take complete records with next(). Nothing is concatenated: fragment bytes
 * move into the record as the mbufs they arrived in, split where a boundary falls inside one
 * (m_split shares the storage). Zero-length fragments, final or not, are fine.
 *
 * The bound is on the REASSEMBLED record: each mark is checked (record so far + this fragment)
 * against maxRecordSize before any of its bytes are accepted, so a peer that chains small
 * fragments without end, or claims 2^31-1 bytes, gets RpcRecordTooLargeError, and nothing of
 * the claimed size is ever allocated. After that error the reader is failed: it holds nothing and
 * every later push() throws the same error. The caller's answer is to drop the connection (OpenBSD's
 * "impossible packet length" path) and reset() before reusing the reader.
 *
 * Ownership: push() takes the chain; next() hands the caller a chain it then owns.
 */

import { m_copydata, m_free, m_freem, M_PKTHDR, m_split, M_WAIT, Mbuf, MT_DATA } from '../../sockets/index.js';
import { RpcRecordTooLargeError, RpcRecordTruncatedError } from '../errors.js';

/** The last-fragment bit of a record mark. */
export const RM_LASTFRAG = 0x80000000;
/** The largest fragment a mark can describe (31 bits). */
export const RM_MAXFRAG = 0x7fffffff;
/** Default bound on a reassembled record: room for a 1 MiB READ reply and its headers, with margin. */
export const DEFAULT_MAX_RECORD_SIZE = 4 * 1024 * 1024;

/** The reader's states (the libnfs/ws naming: what it is waiting for). */
export const READ_MARK = 0;
export const READ_FRAGMENT = 1;
export const FAILED = 2;
export type RecordReaderState = typeof READ_MARK | typeof READ_FRAGMENT | typeof FAILED;

export interface RecordReaderOptions {
  /** Largest reassembled record accepted, in bytes. Default DEFAULT_MAX_RECORD_SIZE. */
  maxRecordSize?: number;
}

const EMPTY = Buffer.alloc(0);

export class RecordReader {
  readonly maxRecordSize: number;
  #state: RecordReaderState = READ_MARK;
  #error: RpcRecordTooLargeError | null = null;
  /* Bytes received and not yet parsed. */
  #in: Mbuf | null = null;
  #inTail: Mbuf | null = null;
  #inLen = 0;
  /* The record being reassembled. */
  #rec: Mbuf | null = null;
  #recTail: Mbuf | null = null;
  #recLen = 0;
  #fragRemain = 0;
  #lastFrag = false;
  /* A mark of the current record has been read (even a zero-length non-final fragment's). */
  #open = false;
  /* Complete records not yet taken. */
  #ready: Mbuf[] = [];
  #readyHead = 0;
  readonly #mark = Buffer.allocUnsafe(4);

  constructor(options?: RecordReaderOptions) {
    const max = options?.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`RecordReader: bad maxRecordSize ${max}`);
    this.maxRecordSize = max;
  }

  /** READ_MARK (between fragments or records), READ_FRAGMENT, or FAILED. */
  get state(): RecordReaderState {
    return this.#state;
  }

  /** True while inside a record: a mark, fragment or unfinished record is pending. */
  get inRecord(): boolean {
    return this.#state === READ_FRAGMENT || this.#inLen > 0 || this.#open;
  }

  /** Bytes held: unparsed input plus the part of the current record reassembled so far. */
  get buffered(): number {
    return this.#inLen + this.#recLen;
  }

  /** Complete records waiting for next(). */
  get readyCount(): number {
    return this.#ready.length - this.#readyHead;
  }

  /**
   * Add received bytes (the chain is taken over; null or empty is allowed) and parse as far as
   * they go. Returns the number of complete records now ready.
   * @throws RpcRecordTooLargeError when a record would exceed maxRecordSize (then and on every later
   *         call until reset()); records completed before it can still be taken with next().
   */
  push(m: Mbuf | null): number {
    if (this.#error !== null) {
      m_freem(m);
      throw this.#error;
    }
    let len = 0;
    let last: Mbuf | null = null;
    for (let n = m; n !== null; n = n.m_next) {
      n.m_flags &= ~M_PKTHDR;
      len += n.m_len;
      last = n;
    }
    if (m !== null) {
      if (this.#inTail === null) this.#in = m;
      else this.#inTail.m_next = m;
      this.#inTail = last;
      this.#inLen += len;
    }
    this.#parse();
    return this.readyCount;
  }

  /** The next complete record (a chain with a packet header), or null. The caller owns it. */
  next(): Mbuf | null {
    if (this.#readyHead >= this.#ready.length) return null;
    const r = this.#ready[this.#readyHead++]!;
    if (this.#readyHead === this.#ready.length) {
      this.#ready.length = 0;
      this.#readyHead = 0;
    }
    return r;
  }

  /**
   * The stream has ended (EOF). Fine between records; otherwise the partial record is freed and
   * RpcRecordTruncatedError thrown. Complete records not yet taken stay available.
   */
  end(): void {
    if (this.#state === FAILED) return;
    if (!this.inRecord) return;
    const pending = this.buffered;
    this.#discardPartial();
    throw new RpcRecordTruncatedError(pending);
  }

  /** Free everything (input, partial and ready records) and start afresh, e.g. on reconnect. */
  reset(): void {
    this.#discardPartial();
    for (let i = this.#readyHead; i < this.#ready.length; i++) m_freem(this.#ready[i]!);
    this.#ready.length = 0;
    this.#readyHead = 0;
    this.#error = null;
    this.#state = READ_MARK;
  }

  #discardPartial(): void {
    m_freem(this.#in);
    m_freem(this.#rec);
    this.#in = this.#inTail = this.#rec = this.#recTail = null;
    this.#inLen = this.#recLen = this.#fragRemain = 0;
    this.#lastFrag = false;
    this.#open = false;
    if (this.#state !== FAILED) this.#state = READ_MARK;
  }

  #parse(): void {
    for (;;) {
      if (this.#state === READ_MARK) {
        if (this.#inLen < 4) return;
        const mark = this.#readMark();
        const fragLen = mark & RM_MAXFRAG;
        this.#lastFrag = mark >= RM_LASTFRAG;
        if (this.#recLen + fragLen > this.maxRecordSize) {
          const err = new RpcRecordTooLargeError(this.#recLen + fragLen, this.maxRecordSize);
          this.#state = FAILED;
          this.#discardPartial();
          this.#error = err;
          throw err;
        }
        this.#fragRemain = fragLen;
        this.#open = true;
        this.#state = READ_FRAGMENT;
      }
      /* READ_FRAGMENT */
      if (this.#fragRemain > 0) {
        if (this.#inLen === 0) return;
        const n = this.#fragRemain < this.#inLen ? this.#fragRemain : this.#inLen;
        this.#appendToRecord(this.#takeInput(n), n);
        this.#fragRemain -= n;
        if (this.#fragRemain > 0) return;
      }
      if (this.#lastFrag) this.#finishRecord();
      this.#state = READ_MARK;
    }
  }

  /* Consume the 4-byte mark at the front of the input (≥ 4 bytes are there). */
  #readMark(): number {
    let m = this.#in!;
    while (m.m_len === 0) m = m_free(m)!;
    let mark: number;
    if (m.m_len >= 4) {
      mark = m.m_buf.readUInt32BE(m.m_data);
    } else {
      m_copydata(m, 0, 4, this.#mark);
      mark = this.#mark.readUInt32BE(0);
    }
    /* Drop the 4 bytes, freeing the mbufs they emptied. */
    let drop = 4;
    while (drop > 0) {
      if (m.m_len <= drop) {
        drop -= m.m_len;
        const next = m_free(m);
        if (next === null) {
          this.#in = this.#inTail = null;
          this.#inLen -= 4;
          return mark;
        }
        m = next;
      } else {
        m.m_data += drop;
        m.m_len -= drop;
        drop = 0;
      }
    }
    this.#in = m;
    this.#inLen -= 4;
    return mark;
  }

  /* Detach the first n (1 ≤ n ≤ #inLen) input bytes as a chain, splitting an mbuf if needed. */
  #takeInput(n: number): Mbuf {
    const head = this.#in!;
    let m = head;
    let rem = n;
    while (m.m_len <= rem) {
      rem -= m.m_len;
      if (rem === 0) {
        /* The boundary falls exactly after m. */
        this.#in = m.m_next;
        if (this.#in === null) this.#inTail = null;
        m.m_next = null;
        this.#inLen -= n;
        return head;
      }
      m = m.m_next!;
    }
    /* The boundary falls inside m: m keeps rem bytes, the rest (shared storage) stays queued. */
    const rest = m_split(m, rem, M_WAIT)!;
    if (this.#inTail === m) this.#inTail = rest;
    this.#in = rest;
    this.#inLen -= n;
    return head;
  }

  #appendToRecord(m: Mbuf, n: number): void {
    if (this.#recTail === null) this.#rec = m;
    else this.#recTail.m_next = m;
    let t = m;
    while (t.m_next !== null) t = t.m_next;
    this.#recTail = t;
    this.#recLen += n;
  }

  #finishRecord(): void {
    let r = this.#rec;
    if (r === null) r = new Mbuf(MT_DATA, 0, EMPTY);
    r.m_flags |= M_PKTHDR;
    r.m_pkthdr.len = this.#recLen;
    this.#ready.push(r);
    this.#rec = this.#recTail = null;
    this.#recLen = 0;
    this.#open = false;
  }
}
