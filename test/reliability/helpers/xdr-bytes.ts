/*
 * Hand-made XDR (RFC 4506) for hostile replies: every length, pad byte and count is whatever the
 * test says, valid or not. Independent of rpc/xdr, which refuses to encode nonsense.
 */
export class XdrBytes {
  readonly #parts: Buffer[] = [];

  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v >>> 0, 0);
    this.#parts.push(b);
    return this;
  }

  u64(v: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(v), 0);
    this.#parts.push(b);
    return this;
  }

  bool(v: boolean): this {
    return this.u32(v ? 1 : 0);
  }

  /**
   * A variable-length opaque or string: its length word (`len`, default the data's length), the
   * data, and padding to four bytes made of `pad` (default zero, as RFC 4506 §3 requires).
   */
  opaque(data: Buffer | string, o: { len?: number; pad?: number } = {}): this {
    const d = typeof data === 'string' ? Buffer.from(data) : data;
    this.u32(o.len ?? d.length);
    this.#parts.push(d);
    const n = (4 - (d.length % 4)) % 4;
    if (n > 0) this.#parts.push(Buffer.alloc(n, o.pad ?? 0));
    return this;
  }

  raw(b: Buffer): this {
    this.#parts.push(b);
    return this;
  }

  get length(): number {
    return this.#parts.reduce((n, p) => n + p.length, 0);
  }

  bytes(): Buffer {
    return Buffer.concat(this.#parts);
  }
}

/** READDIR3res (RFC 1813 §3.3.16) with the given entries, no directory attributes. */
export function readdirReply(entries: readonly { fileid: bigint | number; name: string | Buffer; cookie: bigint | number }[], eof: boolean): Buffer {
  const x = new XdrBytes().u32(0).bool(false).raw(Buffer.from('cookie01'));
  for (const e of entries) x.bool(true).u64(e.fileid).opaque(typeof e.name === 'string' ? Buffer.from(e.name) : e.name).u64(e.cookie);
  return x.bool(false).bool(eof).bytes();
}
