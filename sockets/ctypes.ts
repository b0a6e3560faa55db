/*
 * C types as views of memory, for the kernel idioms `mtod(m, T *)`, `sizeof(T)` and
 * `(caddr_t)&x` (docs/porting.md).
 *
 * A CType names a C type and knows its size and how to view memory as a pointer to it: `caddr_t`
 * views bytes (a Buffer, the `char *`), the integer types view an array of integers in host byte
 * order (a typed array, so `*tl++ = x` ports as `tl[i++] = x`), and struct types (sockaddr-struct.ts)
 * view one structure with its fields as properties. A view aliases the memory: writing through it
 * writes the mbuf, as through the kernel's pointer.
 *
 * An integer view must start at an address aligned to its size (the typed-array rule, and a
 * strict-alignment CPU's): `mtod(m, u_int32_t)` of an mbuf whose data is not 4-byte aligned
 * throws RangeError, the kernel's alignment fault. mbufs allocated by m_get, m_gethdr and MCLGET
 * start aligned; data moved by m_adj, or received bytes at any offset, may not be (the kernel's
 * NFS code realigns received chains first, nfs_realign).
 */
import { Buffer } from 'node:buffer';

/** A C type: its name, its size (sizeof), and a view of memory as a pointer to it. */
export interface CType<T> {
  readonly ctype: string;
  readonly sizeof: number;
  /** The memory of `buf` from byte `off` to its end, seen as a `ctype *`. */
  view(buf: Buffer, off: number): T;
}

/** sizeof(T): the size in bytes of a C type (`sizeof(struct sockaddr_in)`: sizeof(struct_sockaddr_in)). */
export function sizeof(t: { readonly sizeof: number }): number {
  return t.sizeof;
}

/** caddr_t, `char *`: bytes, as a Buffer (what mtod(m) returns). */
export const caddr_t: CType<Buffer> = {
  ctype: 'caddr_t',
  sizeof: 1,
  view: (buf, off) => buf.subarray(off),
};

type IntArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
type IntArrayCtor<A extends IntArray> = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): A;
  readonly BYTES_PER_ELEMENT: number;
};

function inttype<A extends IntArray>(ctype: string, ctor: IntArrayCtor<A>): CType<A> {
  const size = ctor.BYTES_PER_ELEMENT;
  return {
    ctype,
    sizeof: size,
    view(buf, off) {
      const at = buf.byteOffset + off;
      if (off < 0 || off > buf.length) throw new RangeError(`mtod: offset ${off} outside the storage (${buf.length} bytes)`);
      if (at % size !== 0) {
        throw new RangeError(`mtod: ${ctype} * at a misaligned address (byte ${at} of its ArrayBuffer): the kernel's alignment fault`);
      }
      return new ctor(buf.buffer, at, Math.floor((buf.length - off) / size));
    },
  };
}

export const int8_t = inttype('int8_t', Int8Array);
export const u_int8_t = inttype('u_int8_t', Uint8Array);
export const int16_t = inttype('int16_t', Int16Array);
export const u_int16_t = inttype('u_int16_t', Uint16Array);
export const int32_t = inttype('int32_t', Int32Array);
export const u_int32_t = inttype('u_int32_t', Uint32Array);
/* The C99 spellings the kernel uses as well. */
export const uint8_t = u_int8_t;
export const uint16_t = u_int16_t;
export const uint32_t = u_int32_t;

/**
 * `(caddr_t)&x` for memory that is not an mbuf's: the bytes of a typed array (or any view) as a
 * Buffer over the same memory. A local whose address the kernel takes as memory
 * (`aio.iov_base = (caddr_t)&len`) is a one-element typed array here: `caddr(len)`, and `len`
 * is then `len[0]`.
 */
export function caddr(x: ArrayBufferView): Buffer {
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength);
}
