/*
 * XdrWriter: RFC 4506 encoding into an mbuf chain.
 *
 * Bytes go into one growing Buffer (one allocation for a typical RPC message, doubling when it
 * fills). Large opaques can be appended by reference (opaqueRef): the caller's Buffer becomes its
 * own read-only mbuf in the output, followed by its padding in the writer's buffer, so WRITE
 * payloads are never copied. finish() returns the chain: packet header (M_PKTHDR) on the first
 * mbuf, m_pkthdr.len the total length.
 *
 * Ownership: after finish() the writer's buffer belongs to the chain; a Buffer passed to opaqueRef
 * is referenced by the chain until it is freed, so the caller must not change it meanwhile.
 *
 * Every value is range-checked; a value that cannot be encoded throws XdrEncodeError (a
 * programmer error, never a property of the peer).
 */

import { M_EXT, M_EXTWR, M_PKTHDR, Mbuf, MT_DATA } from '../../sockets/index.js';
import { XdrEncodeError } from './errors.js';
import { hasEscapedBytes, utf8bEncode } from './utf8b.js';

export interface XdrWriterOptions {
  /**
   * Bytes left free, and writable, in front of the data of the first mbuf, so M_PREPEND can put
   * a header there without a new mbuf (4 for a TCP record mark). Default 0.
   */
  leadingSpace?: number;
  /** Initial buffer size in bytes (it grows as needed). Default 512. */
  sizeHint?: number;
  /** opaqueRef copies payloads shorter than this instead of referencing them. Default 512. */
  refThreshold?: number;
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const UINT32_MAX = 0xffffffff;
const HYPER_MIN = -(1n << 63n);
const HYPER_MAX = (1n << 63n) - 1n;
const UHYPER_MAX = (1n << 64n) - 1n;

/** A position handed out by reserve(), to be filled in by patchUint32(). */
export type XdrMark = number;

export class XdrWriter {
  #buf: Buffer;
  #pos: number;
  readonly #leading: number;
  readonly #refThreshold: number;
  /* Referenced payloads in order; #refAt[i] is where payload i sits between own bytes. Null until used. */
  #refs: Buffer[] | null = null;
  #refAt: number[] | null = null;
  #refBytes = 0;
  #finished = false;

  constructor(options?: XdrWriterOptions) {
    const leading = options?.leadingSpace ?? 0;
    if (!Number.isInteger(leading) || leading < 0 || leading > 65536) throw new RangeError(`XdrWriter: bad leadingSpace ${leading}`);
    this.#leading = leading;
    this.#refThreshold = options?.refThreshold ?? 512;
    this.#buf = Buffer.allocUnsafe(Math.max(options?.sizeHint ?? 512, 64) + leading);
    this.#pos = leading;
  }

  /** Bytes encoded so far (leading space excluded, referenced payloads included). */
  get length(): number {
    return this.#pos - this.#leading + this.#refBytes;
  }

  #ensure(n: number): void {
    if (this.#finished) throw new Error('XdrWriter: write after finish()');
    const need = this.#pos + n;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < need) size *= 2;
    const nb = Buffer.allocUnsafe(size);
    this.#buf.copy(nb, 0, 0, this.#pos);
    this.#buf = nb;
  }

  #pad(len: number): void {
    let pad = -len & 3;
    while (pad-- > 0) this.#buf[this.#pos++] = 0;
  }

  /** int (RFC 4506 §4.1): -2^31 .. 2^31-1. */
  int(v: number, what = 'int'): void {
    if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) throw new XdrEncodeError(`${v} is not a 32-bit signed integer`, what);
    this.#ensure(4);
    this.#buf.writeInt32BE(v, this.#pos);
    this.#pos += 4;
  }

  /** unsigned int (RFC 4506 §4.2): 0 .. 2^32-1. */
  uint(v: number, what = 'unsigned int'): void {
    if (!Number.isInteger(v) || v < 0 || v > UINT32_MAX) throw new XdrEncodeError(`${v} is not a 32-bit unsigned integer`, what);
    this.#ensure(4);
    this.#buf.writeUInt32BE(v, this.#pos);
    this.#pos += 4;
  }

  /**
   * enum (RFC 4506 §4.3): encoded as int. With min/max, v must be a member of the contiguous enum
   * min..max (an undeclared value is an encode error, as it would be a decode error at the peer).
   */
  enum(v: number, what = 'enum', min?: number, max?: number): void {
    if (min !== undefined && max !== undefined && !(v >= min && v <= max)) {
      throw new XdrEncodeError(`${v} is not a member of the enum (${min}..${max})`, what);
    }
    this.int(v, what);
  }

  /** bool (RFC 4506 §4.4). */
  bool(v: boolean): void {
    this.#ensure(4);
    this.#buf.writeUInt32BE(v ? 1 : 0, this.#pos);
    this.#pos += 4;
  }

  /** hyper (RFC 4506 §4.5): -2^63 .. 2^63-1, as bigint. */
  hyper(v: bigint, what = 'hyper'): void {
    if (typeof v !== 'bigint' || v < HYPER_MIN || v > HYPER_MAX) throw new XdrEncodeError(`${String(v)} is not a 64-bit signed bigint`, what);
    this.#ensure(8);
    this.#buf.writeBigInt64BE(v, this.#pos);
    this.#pos += 8;
  }

  /** unsigned hyper (RFC 4506 §4.5): 0 .. 2^64-1, as bigint. */
  uhyper(v: bigint, what = 'unsigned hyper'): void {
    if (typeof v !== 'bigint' || v < 0n || v > UHYPER_MAX) throw new XdrEncodeError(`${String(v)} is not a 64-bit unsigned bigint`, what);
    this.#ensure(8);
    this.#buf.writeBigUInt64BE(v, this.#pos);
    this.#pos += 8;
  }

  /** float (RFC 4506 §4.6). */
  float(v: number): void {
    this.#ensure(4);
    this.#buf.writeFloatBE(v, this.#pos);
    this.#pos += 4;
  }

  /** double (RFC 4506 §4.7). */
  double(v: number): void {
    this.#ensure(8);
    this.#buf.writeDoubleBE(v, this.#pos);
    this.#pos += 8;
  }

  /** Fixed-length opaque (RFC 4506 §4.9): exactly n bytes, copied, then zero padding. */
  fixedOpaque(data: Uint8Array, n: number, what = 'opaque[n]'): void {
    if (data.length !== n) throw new XdrEncodeError(`fixed opaque of ${data.length} bytes, expected ${n}`, what);
    this.#ensure(n + 3);
    this.#buf.set(data, this.#pos);
    this.#pos += n;
    this.#pad(n);
  }

  /** Variable-length opaque (RFC 4506 §4.10): length, bytes (copied), zero padding. */
  opaque(data: Uint8Array, max: number, what = 'opaque<>'): void {
    const n = data.length;
    if (n > max) throw new XdrEncodeError(`opaque of ${n} bytes exceeds its maximum of ${max}`, what);
    this.#ensure(n + 7);
    this.#buf.writeUInt32BE(n, this.#pos);
    this.#pos += 4;
    this.#buf.set(data, this.#pos);
    this.#pos += n;
    this.#pad(n);
  }

  /**
   * Variable-length opaque whose bytes are not copied: `data` becomes its own read-only mbuf in
   * the output chain (payloads shorter than refThreshold are copied: an mbuf costs more).
   * The caller must leave `data` unchanged while the chain (or a copy of it) lives.
   */
  opaqueRef(data: Buffer, max: number, what = 'opaque<>'): void {
    const n = data.length;
    if (n < this.#refThreshold) return this.opaque(data, max, what);
    if (n > max) throw new XdrEncodeError(`opaque of ${n} bytes exceeds its maximum of ${max}`, what);
    this.#ensure(4 + 3);
    this.#buf.writeUInt32BE(n, this.#pos);
    this.#pos += 4;
    if (this.#refs === null) {
      this.#refs = [];
      this.#refAt = [];
    }
    this.#refs.push(data);
    this.#refAt!.push(this.#pos);
    this.#refBytes += n;
    this.#pad(n);
  }

  /**
   * string (RFC 4506 §4.11): a JS string is written as UTF-8, its escaped bytes as themselves
   * (utf8b.ts: what XdrReader#string made of bytes that were not UTF-8); a Buffer as its bytes.
   * `max` is in bytes.
   */
  string(s: string | Uint8Array, max: number, what = 'string<>'): void {
    if (typeof s !== 'string') return this.opaque(s, max, what);
    if (hasEscapedBytes(s)) return this.opaque(utf8bEncode(s), max, what);
    const n = Buffer.byteLength(s, 'utf8');
    if (n > max) throw new XdrEncodeError(`string of ${n} bytes exceeds its maximum of ${max}`, what);
    this.#ensure(n + 7);
    this.#buf.writeUInt32BE(n, this.#pos);
    this.#pos += 4;
    this.#pos += this.#buf.write(s, this.#pos, n, 'utf8');
    this.#pad(n);
  }

  /** Fixed-length array (RFC 4506 §4.12): exactly n elements, each by `item`. */
  fixedArray<T>(items: readonly T[], n: number, item: (w: XdrWriter, v: T) => void, what = 'array[n]'): void {
    if (items.length !== n) throw new XdrEncodeError(`array of ${items.length} elements, expected ${n}`, what);
    for (let i = 0; i < n; i++) item(this, items[i]!);
  }

  /** Variable-length array (RFC 4506 §4.13): count, then the elements. */
  array<T>(items: readonly T[], max: number, item: (w: XdrWriter, v: T) => void, what = 'array<>'): void {
    const n = items.length;
    if (n > max) throw new XdrEncodeError(`array of ${n} elements exceeds its maximum of ${max}`, what);
    this.uint(n);
    for (let i = 0; i < n; i++) item(this, items[i]!);
  }

  /** Optional-data (RFC 4506 §4.19): bool, then the value if present (null/undefined: absent). */
  optional<T>(v: T | null | undefined, item: (w: XdrWriter, v: T) => void): void {
    if (v === null || v === undefined) {
      this.bool(false);
    } else {
      this.bool(true);
      item(this, v);
    }
  }

  /**
   * A linked list written as nested optional-data (`struct x { ...; x *next; }`, RFC 4506 §4.19):
   * TRUE + element for each item, then FALSE. Iterative, so any length is fine.
   */
  list<T>(items: Iterable<T>, item: (w: XdrWriter, v: T) => void): void {
    for (const v of items) {
      this.bool(true);
      item(this, v);
    }
    this.bool(false);
  }

  /** Append already-encoded XDR bytes (a pre-encoded credential ...), copied. */
  raw(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  /** Reserve `n` bytes (a multiple of 4, zeroed) to fill in later; returns their position. */
  reserve(n = 4): XdrMark {
    if (!Number.isInteger(n) || n < 0 || (n & 3) !== 0) throw new RangeError(`XdrWriter.reserve: ${n} is not a multiple of 4`);
    this.#ensure(n);
    const at = this.#pos;
    this.#buf.fill(0, at, at + n);
    this.#pos += n;
    return at;
  }

  /** Write an unsigned int at a position reserve() returned (a length, a count ...). */
  patchUint32(at: XdrMark, v: number, what = 'unsigned int'): void {
    if (!Number.isInteger(v) || v < 0 || v > UINT32_MAX) throw new XdrEncodeError(`${v} is not a 32-bit unsigned integer`, what);
    if (this.#finished) throw new Error('XdrWriter: patch after finish()');
    if (!Number.isInteger(at) || at < this.#leading || at + 4 > this.#pos) throw new RangeError(`XdrWriter.patchUint32: bad mark ${at}`);
    this.#buf.writeUInt32BE(v, at);
  }

  /**
   * The encoded message as an mbuf chain with a packet header. The writer's own bytes are
   * writable external storage (so M_PREPEND can use the leading space); referenced payloads are
   * read-only mbufs of their own. The writer cannot be used afterwards.
   */
  finish(): Mbuf {
    if (this.#finished) throw new Error('XdrWriter: finish() called twice');
    this.#finished = true;
    const buf = this.#buf;
    const end = this.#pos;
    const refs = this.#refs;
    if (refs === null) {
      const m = ownMbuf(buf, 0, end, this.#leading, M_PKTHDR);
      m.m_pkthdr.len = end - this.#leading;
      return m;
    }
    const at = this.#refAt!;
    const head = ownMbuf(buf, 0, at[0]!, this.#leading, M_PKTHDR);
    head.m_pkthdr.len = this.length;
    let tail = head;
    for (let i = 0; i < refs.length; i++) {
      const data = refs[i]!;
      const r = new Mbuf(MT_DATA, M_EXT, data);
      r.m_ext = { ext_size: data.length, ext_refs: 1, ext_free: null, ext_arg: null };
      r.m_len = data.length;
      tail.m_next = r;
      tail = r;
      const from = at[i]!;
      const to = i + 1 < refs.length ? at[i + 1]! : end;
      if (to > from) {
        const own = ownMbuf(buf, from, to, 0, 0);
        tail.m_next = own;
        tail = own;
      }
    }
    return head;
  }
}

/*
 * An mbuf whose storage is buf[from, to), data starting `leading` bytes in. Each own segment gets
 * storage of exactly its range and a reference count of its own, so the segments are disjoint:
 * M_LEADINGSPACE/M_TRAILINGSPACE never reach into a neighbour's bytes.
 */
function ownMbuf(buf: Buffer, from: number, to: number, leading: number, flags: number): Mbuf {
  const storage = buf.subarray(from, to);
  const m = new Mbuf(MT_DATA, flags | M_EXT | M_EXTWR, storage);
  m.m_ext = { ext_size: storage.length, ext_refs: 1, ext_free: null, ext_arg: null };
  m.m_data = leading;
  m.m_len = to - from - leading;
  return m;
}
