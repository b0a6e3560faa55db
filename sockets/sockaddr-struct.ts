/*
 * struct sockaddr, struct sockaddr_in and struct in_addr as views of memory, for the kernel's
 * `sin = mtod(nam, struct sockaddr_in *)` and what follows:
 *
 *   const sin = mtod(nam, struct_sockaddr_in);
 *   memset(sin, 0, sizeof(struct_sockaddr_in));
 *   sin.sin_len = nam.m_len = sizeof(struct_sockaddr_in);
 *   sin.sin_family = AF_INET;
 *   sin.sin_addr.s_addr = INADDR_ANY;
 *   sin.sin_port = htons(0);
 *
 * A view is a Uint8Array over the structure's bytes (so bcopy, bzero and memset take it) whose
 * fields are properties reading and writing those bytes. As in the kernel, sin_port and s_addr
 * hold network byte order: they read and write the field's bytes as a host-order integer, so
 * they are set with htons / htonl and read with ntohs / ntohl (endian.ts). The layout is the
 * BSD one (sockaddr.ts): sa_len, sa_family, then the family's fields.
 */
import type { Buffer } from 'node:buffer';
import type { CType } from './ctypes.js';
import { BYTE_ORDER, LITTLE_ENDIAN } from './endian.js';

const LE = BYTE_ORDER === LITTLE_ENDIAN;

/* A host-order 16- or 32-bit integer at byte `at` of b (unaligned allowed). */
function get16(b: Uint8Array, at: number): number {
  return LE ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!;
}

function set16(b: Uint8Array, at: number, v: number): void {
  if (LE) {
    b[at] = v & 0xff;
    b[at + 1] = (v >>> 8) & 0xff;
  } else {
    b[at] = (v >>> 8) & 0xff;
    b[at + 1] = v & 0xff;
  }
}

function get32(b: Uint8Array, at: number): number {
  return LE
    ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
    : ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function set32(b: Uint8Array, at: number, v: number): void {
  for (let i = 0; i < 4; i++) b[LE ? at + i : at + 3 - i] = (v >>> (8 * i)) & 0xff;
}

/* The Uint8Array a struct view is: `size` bytes of buf from off, or RangeError if they are not there. */
function region(buf: Buffer, off: number, size: number, ctype: string): [ArrayBufferLike, number] {
  if (off < 0 || buf.length - off < size) {
    throw new RangeError(`mtod: a ${ctype} (${size} bytes) does not fit the ${buf.length - off} bytes of storage left`);
  }
  return [buf.buffer, buf.byteOffset + off];
}

/** struct in_addr: s_addr, the address in network byte order. */
export class InAddr extends Uint8Array {
  get s_addr(): number {
    return get32(this, 0);
  }

  set s_addr(v: number) {
    set32(this, 0, v);
  }
}

/** struct sockaddr: sa_len, sa_family and the first bytes of the address (sa_data). */
export class Sockaddr extends Uint8Array {
  get sa_len(): number {
    return this[0]!;
  }

  set sa_len(v: number) {
    this[0] = v;
  }

  get sa_family(): number {
    return this[1]!;
  }

  set sa_family(v: number) {
    this[1] = v;
  }

  /** sa_data[14]: a view of the bytes after sa_family. */
  get sa_data(): Uint8Array {
    return new Uint8Array(this.buffer, this.byteOffset + 2, 14);
  }
}

/** struct sockaddr_in: sin_len, sin_family, sin_port, sin_addr, sin_zero. */
export class SockaddrIn extends Uint8Array {
  get sin_len(): number {
    return this[0]!;
  }

  set sin_len(v: number) {
    this[0] = v;
  }

  get sin_family(): number {
    return this[1]!;
  }

  set sin_family(v: number) {
    this[1] = v;
  }

  /** The port in network byte order (htons / ntohs). */
  get sin_port(): number {
    return get16(this, 2);
  }

  set sin_port(v: number) {
    set16(this, 2, v);
  }

  /** The embedded struct in_addr: a view of bytes 4..8 (its s_addr reads and writes them). */
  get sin_addr(): InAddr {
    return new InAddr(this.buffer, this.byteOffset + 4, 4);
  }

  /** sin_zero[8]. */
  get sin_zero(): Uint8Array {
    return new Uint8Array(this.buffer, this.byteOffset + 8, 8);
  }
}

function structtype<T extends Uint8Array>(
  ctype: string, size: number, ctor: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T,
): CType<T> {
  return {
    ctype,
    sizeof: size,
    view(buf, off) {
      const [ab, at] = region(buf, off, size, ctype);
      return new ctor(ab, at, size);
    },
  };
}

/** `struct in_addr`, 4 bytes. */
export const struct_in_addr: CType<InAddr> = structtype('struct in_addr', 4, InAddr);
/** `struct sockaddr`, 16 bytes (the generic header a family's sockaddr starts with). */
export const struct_sockaddr: CType<Sockaddr> = structtype('struct sockaddr', 16, Sockaddr);
/** `struct sockaddr_in`, 16 bytes. */
export const struct_sockaddr_in: CType<SockaddrIn> = structtype('struct sockaddr_in', 16, SockaddrIn);
