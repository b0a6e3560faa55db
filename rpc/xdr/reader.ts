/*
 * XdrReader: RFC 4506 decoding from an mbuf chain of any shape (any chunking, zero-length mbufs
 * allowed).
 *
 * One cursor (current mbuf, position in its storage) does every read. Fixed-size items take a
 * fast path when they lie inside the current mbuf, and are gathered across mbufs otherwise.
 * Defences, all before any allocation:
 *   - every read checks the bytes remaining in the whole message;
 *   - every variable-length item has a declared maximum, and its length (with padding) is checked
 *     against the bytes remaining, so a length of 2^32-1 throws instead of allocating;
 *   - arrays check count × minimum element size against the bytes remaining;
 *   - padding bytes must be zero (RFC 4506 §3, §4.9–4.11); bool must be 0 or 1;
 *   - optional-data lists are read iteratively, never by recursion.
 * Failures throw XdrDecodeError with the byte offset in the message and what was being read.
 *
 * Buffers returned by opaque()/fixedOpaque() are views on the chain's storage when the bytes are
 * contiguous (a copy otherwise): they pin that storage, so copy anything kept long-term
 * (opaqueCopy/fixedOpaqueCopy do). opaqueMbuf() shares storage as an mbuf chain (m_copym);
 * opaqueInto() copies straight into a caller's Buffer. The reader never frees or changes the chain.
 */

import { m_copym, M_PKTHDR, M_WAIT, m_wrap, Mbuf, MT_DATA } from '../../sockets/index.js';
import { XdrDecodeError } from './errors.js';
import { utf8bDecode } from './utf8b.js';

const EMPTY = Buffer.alloc(0);
/* Gathers fixed-size items that span mbufs; read at once by the caller (single-threaded, no re-entry). */
const SCRATCH = Buffer.alloc(8);

export class XdrReader {
  #m: Mbuf | null;
  #buf: Buffer;
  #pos: number;
  #end: number;
  /* Message offset of index 0 of #buf: offset = #base + #pos. */
  #base: number;
  readonly #total: number;

  /** Read the chain `m` from its first byte. The chain is not modified or freed. */
  constructor(m: Mbuf | null) {
    let total = 0;
    for (let n = m; n !== null; n = n.m_next) total += n.m_len;
    this.#total = total;
    this.#m = m;
    if (m === null) {
      this.#buf = EMPTY;
      this.#pos = this.#end = this.#base = 0;
    } else {
      this.#buf = m.m_buf;
      this.#pos = m.m_data;
      this.#end = m.m_data + m.m_len;
      this.#base = -m.m_data;
      if (m.m_len === 0) this.#nextMbuf();
    }
  }

  /** A reader over one Buffer (wrapped in an mbuf, not copied). */
  static fromBuffer(buf: Buffer): XdrReader {
    return new XdrReader(m_wrap(buf));
  }

  /** Byte offset of the cursor from the start of the message. */
  get offset(): number {
    return this.#base + this.#pos;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.#total - (this.#base + this.#pos);
  }

  /** Storage of the current mbuf, for a codec's fast path after take(). */
  get buf(): Buffer {
    return this.#buf;
  }

  /** Throw XdrDecodeError at `at` (default: the cursor). For codecs' own checks. */
  fail(message: string, what: string, at: number = this.offset): never {
    throw new XdrDecodeError(message, at, what);
  }

  /* Move to the next mbuf with data. False (state unchanged) at the end of the chain. */
  #nextMbuf(): boolean {
    const endOffset = this.#base + this.#end;
    let m = this.#m === null ? null : this.#m.m_next;
    while (m !== null && m.m_len === 0) m = m.m_next;
    if (m === null) return false;
    this.#m = m;
    this.#buf = m.m_buf;
    this.#pos = m.m_data;
    this.#end = m.m_data + m.m_len;
    this.#base = endOffset - m.m_data;
    return true;
  }

  #need(n: number, what: string): void {
    const rem = this.remaining;
    if (n > rem) this.fail(`needs ${n} bytes, ${rem} remain`, what);
  }

  /* Copy n bytes (already checked to remain) to dst at dstOff, crossing mbufs. */
  #gather(n: number, dst: Buffer, dstOff: number): void {
    while (n > 0) {
      let avail = this.#end - this.#pos;
      if (avail === 0) {
        this.#nextMbuf();
        avail = this.#end - this.#pos;
      }
      const c = avail < n ? avail : n;
      this.#buf.copy(dst, dstOff, this.#pos, this.#pos + c);
      this.#pos += c;
      dstOff += c;
      n -= c;
    }
  }

  /* Skip n bytes (already checked to remain). */
  #skip(n: number): void {
    while (n > 0) {
      let avail = this.#end - this.#pos;
      if (avail === 0) {
        this.#nextMbuf();
        avail = this.#end - this.#pos;
      }
      const c = avail < n ? avail : n;
      this.#pos += c;
      n -= c;
    }
  }

  /* Gather n ≤ 8 bytes into the scratch buffer. */
  #slow(n: number, what: string): Buffer {
    this.#need(n, what);
    this.#gather(n, SCRATCH, 0);
    return SCRATCH;
  }

  /* Check and skip the zero padding after an item of `len` bytes. */
  #padding(len: number, what: string): void {
    const pad = -len & 3;
    if (pad === 0) return;
    const at = this.offset;
    let nonzero: boolean;
    const p = this.#pos;
    if (this.#end - p >= pad) {
      const b = this.#buf;
      nonzero = b[p] !== 0 || (pad > 1 && b[p + 1] !== 0) || (pad > 2 && b[p + 2] !== 0);
      this.#pos = p + pad;
    } else {
      const s = this.#slow(pad, what);
      nonzero = s[0] !== 0 || (pad > 1 && s[1] !== 0) || (pad > 2 && s[2] !== 0);
    }
    if (nonzero) this.fail('nonzero padding', what, at);
  }

  /*
   * A variable-length item's length check: at most `max`, and its padded size within what
   * remains. Done before anything is allocated.
   */
  #checkLength(n: number, max: number, at: number, what: string): void {
    if (n > max) this.fail(`length ${n} exceeds the maximum of ${max}`, what, at);
    const rem = this.remaining;
    if (n + (-n & 3) > rem) this.fail(`length ${n} exceeds the ${rem} bytes remaining`, what, at);
  }

  /* n bytes (checked to remain) as a view when contiguous, else a copy. */
  #bytes(n: number): Buffer {
    if (n === 0) return EMPTY;
    if (this.#pos === this.#end) this.#nextMbuf();
    const p = this.#pos;
    if (this.#end - p >= n) {
      this.#pos = p + n;
      return this.#buf.subarray(p, p + n);
    }
    const out = Buffer.allocUnsafe(n);
    this.#gather(n, out, 0);
    return out;
  }

  /*
   * n bytes (checked to remain) copied into a fresh Buffer. Handles and verifiers (≤ 64 bytes) are
   * copied byte by byte: for so few bytes that beats Buffer#copy and its argument checks.
   */
  #copyOut(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    if (n <= 64) {
      if (this.#pos === this.#end) this.#nextMbuf();
      const p = this.#pos;
      if (this.#end - p >= n) {
        const b = this.#buf;
        for (let i = 0; i < n; i++) out[i] = b[p + i]!;
        this.#pos = p + n;
        return out;
      }
    }
    this.#gather(n, out, 0);
    return out;
  }

  /**
   * Where n contiguous bytes start in `buf`, advancing past them; -1 (cursor unchanged) when they
   * are not contiguous in the current mbuf or not all there. For codecs' fast paths.
   */
  take(n: number): number {
    if (this.#pos === this.#end) this.#nextMbuf();
    const p = this.#pos;
    if (this.#end - p < n) return -1;
    this.#pos = p + n;
    return p;
  }

  /**
   * How many bytes follow the cursor contiguously in `buf` (an exhausted mbuf is left for the next
   * one first); take(0) is where they start. For codecs' fast paths over several items.
   */
  contiguous(): number {
    if (this.#pos === this.#end) this.#nextMbuf();
    return this.#end - this.#pos;
  }

  /** int (RFC 4506 §4.1). */
  int(what = 'int'): number {
    const p = this.#pos;
    if (this.#end - p >= 4) {
      this.#pos = p + 4;
      return this.#buf.readInt32BE(p);
    }
    return this.#slow(4, what).readInt32BE(0);
  }

  /** unsigned int (RFC 4506 §4.2). */
  uint(what = 'unsigned int'): number {
    const p = this.#pos;
    if (this.#end - p >= 4) {
      this.#pos = p + 4;
      return this.#buf.readUInt32BE(p);
    }
    return this.#slow(4, what).readUInt32BE(0);
  }

  /** hyper (RFC 4506 §4.5), as bigint. */
  hyper(what = 'hyper'): bigint {
    const p = this.#pos;
    if (this.#end - p >= 8) {
      this.#pos = p + 8;
      return this.#buf.readBigInt64BE(p);
    }
    return this.#slow(8, what).readBigInt64BE(0);
  }

  /** unsigned hyper (RFC 4506 §4.5), as bigint. */
  uhyper(what = 'unsigned hyper'): bigint {
    const p = this.#pos;
    if (this.#end - p >= 8) {
      this.#pos = p + 8;
      return this.#buf.readBigUInt64BE(p);
    }
    return this.#slow(8, what).readBigUInt64BE(0);
  }

  /** float (RFC 4506 §4.6). */
  float(what = 'float'): number {
    const p = this.#pos;
    if (this.#end - p >= 4) {
      this.#pos = p + 4;
      return this.#buf.readFloatBE(p);
    }
    return this.#slow(4, what).readFloatBE(0);
  }

  /** double (RFC 4506 §4.7). */
  double(what = 'double'): number {
    const p = this.#pos;
    if (this.#end - p >= 8) {
      this.#pos = p + 8;
      return this.#buf.readDoubleBE(p);
    }
    return this.#slow(8, what).readDoubleBE(0);
  }

  /** bool (RFC 4506 §4.4): 0 or 1, anything else is an error. */
  bool(what = 'bool'): boolean {
    const at = this.offset;
    const v = this.uint(what);
    if (v > 1) this.fail(`bool value ${v} is neither 0 nor 1`, what, at);
    return v === 1;
  }

  /** enum (RFC 4506 §4.3) whose members are the integers min..max. */
  enum(min: number, max: number, what = 'enum'): number {
    const at = this.offset;
    const v = this.int(what);
    if (v < min || v > max) this.fail(`${v} is not a member of the enum (${min}..${max})`, what, at);
    return v;
  }

  /** Fixed-length opaque (RFC 4506 §4.9): a view when contiguous, else a copy. */
  fixedOpaque(n: number, what = 'opaque[n]'): Buffer {
    this.#need(n + (-n & 3), what);
    const b = this.#bytes(n);
    this.#padding(n, what);
    return b;
  }

  /** Fixed-length opaque, always copied into a fresh Buffer (for values kept long-term). */
  fixedOpaqueCopy(n: number, what = 'opaque[n]'): Buffer {
    this.#need(n + (-n & 3), what);
    const out = this.#copyOut(n);
    this.#padding(n, what);
    return out;
  }

  /** Variable-length opaque (RFC 4506 §4.10) of at most `max` bytes: a view when contiguous, else a copy. */
  opaque(max: number, what = 'opaque<>'): Buffer {
    const at = this.offset;
    const n = this.uint(what);
    this.#checkLength(n, max, at, what);
    const b = this.#bytes(n);
    this.#padding(n, what);
    return b;
  }

  /** Variable-length opaque, always copied into a fresh Buffer (for values kept long-term). */
  opaqueCopy(max: number, what = 'opaque<>'): Buffer {
    const at = this.offset;
    const n = this.uint(what);
    this.#checkLength(n, max, at, what);
    const out = this.#copyOut(n);
    this.#padding(n, what);
    return out;
  }

  /**
   * Variable-length opaque as an mbuf chain sharing the message's storage (m_copym: external
   * storage is shared, not copied). The chain has a packet header; the caller owns and frees it.
   */
  opaqueMbuf(max: number, what = 'opaque<>'): Mbuf {
    const at = this.offset;
    const n = this.uint(what);
    this.#checkLength(n, max, at, what);
    let out: Mbuf;
    if (n === 0) {
      out = new Mbuf(MT_DATA, M_PKTHDR, EMPTY);
    } else {
      if (this.#pos === this.#end) this.#nextMbuf();
      const m = this.#m!;
      out = m_copym(m, this.#pos - m.m_data, n, M_WAIT);
      out.m_flags |= M_PKTHDR;
      out.m_pkthdr.len = n;
      this.#skip(n);
    }
    this.#padding(n, what);
    return out;
  }

  /**
   * Variable-length opaque copied straight into `target` at `targetOffset` (one copy, from the
   * message's storage to the caller's). Its length must fit both `max` and the room in target.
   * Returns the length.
   */
  opaqueInto(target: Uint8Array, targetOffset: number, max: number, what = 'opaque<>'): number {
    const at = this.offset;
    const n = this.uint(what);
    const room = target.length - targetOffset;
    if (n > room) this.fail(`length ${n} exceeds the ${room} bytes of room in the target`, what, at);
    this.#checkLength(n, max, at, what);
    const dst = Buffer.isBuffer(target) ? target : Buffer.from(target.buffer, target.byteOffset, target.byteLength);
    this.#gather(n, dst, targetOffset);
    this.#padding(n, what);
    return n;
  }

  /** Skip a variable-length opaque of at most `max` bytes (checking its padding). Returns its length. */
  skipOpaque(max: number, what = 'opaque<>'): number {
    const at = this.offset;
    const n = this.uint(what);
    this.#checkLength(n, max, at, what);
    this.#skip(n);
    this.#padding(n, what);
    return n;
  }

  /**
   * string (RFC 4506 §4.11) of at most `max` bytes, decoded as UTF-8 with bytes that are not
   * valid UTF-8 escaped (utf8b.ts), so that writing the string back gives the same bytes.
   */
  string(max: number, what = 'string<>'): string {
    const at = this.offset;
    const n = this.uint(what);
    this.#checkLength(n, max, at, what);
    if (n === 0) return '';
    if (this.#pos === this.#end) this.#nextMbuf();
    const p = this.#pos;
    let s: string;
    if (this.#end - p >= n) {
      s = utf8bDecode(this.#buf, p, p + n);
      this.#pos = p + n;
    } else {
      const tmp = Buffer.allocUnsafe(n);
      this.#gather(n, tmp, 0);
      s = utf8bDecode(tmp);
    }
    this.#padding(n, what);
    return s;
  }

  /** Fixed-length array (RFC 4506 §4.12) of n elements, each at least minSize bytes. */
  fixedArray<T>(n: number, minSize: number, item: (r: XdrReader) => T, what = 'array[n]'): T[] {
    if (n * minSize > this.remaining) this.fail(`${n} elements of at least ${minSize} bytes exceed the ${this.remaining} bytes remaining`, what);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }

  /**
   * Variable-length array (RFC 4506 §4.13) of at most `max` elements, each at least `minSize`
   * (≥ 1) bytes: the count is checked against both before anything is allocated.
   */
  array<T>(max: number, minSize: number, item: (r: XdrReader) => T, what = 'array<>'): T[] {
    const at = this.offset;
    const n = this.uint(what);
    if (n > max) this.fail(`count ${n} exceeds the maximum of ${max}`, what, at);
    const rem = this.remaining;
    if (n * Math.max(minSize, 1) > rem) this.fail(`count ${n} of elements of at least ${minSize} bytes exceeds the ${rem} bytes remaining`, what, at);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }

  /** Optional-data (RFC 4506 §4.19): the value, or null when absent. */
  optional<T>(item: (r: XdrReader) => T, what = 'optional'): T | null {
    return this.bool(what) ? item(this) : null;
  }

  /**
   * A linked list encoded as nested optional-data (`struct x { ...; x *next; }`), read
   * iteratively. Each element costs at least its 4-byte "follows" flag, so the input bounds the
   * count; `max` bounds it further.
   */
  list<T>(item: (r: XdrReader) => T, max = Number.MAX_SAFE_INTEGER, what = 'list'): T[] {
    const out: T[] = [];
    while (this.bool(what)) {
      if (out.length >= max) this.fail(`more than ${max} elements`, what);
      out.push(item(this));
    }
    return out;
  }

  /** Skip n raw bytes. */
  skip(n: number, what = 'bytes'): void {
    this.#need(n, what);
    this.#skip(n);
  }

  /** The rest of the message as an mbuf chain sharing its storage (m_copym); the cursor moves to the end. */
  restMbuf(): Mbuf {
    const n = this.remaining;
    if (n === 0) return new Mbuf(MT_DATA, M_PKTHDR, EMPTY);
    if (this.#pos === this.#end) this.#nextMbuf();
    const m = this.#m!;
    const out = m_copym(m, this.#pos - m.m_data, n, M_WAIT);
    out.m_flags |= M_PKTHDR;
    out.m_pkthdr.len = n;
    this.#skip(n);
    return out;
  }

  /** Throw unless every byte of the message was consumed (call after decoding a whole message). */
  ensureInputConsumed(what = 'message'): void {
    const rem = this.remaining;
    if (rem !== 0) this.fail(`${rem} unexpected bytes after the end`, what);
  }
}
