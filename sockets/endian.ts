/*
 * Byte order (OpenBSD sys/endian.h, byteorder(3)): htons, htonl, ntohs, ntohl.
 *
 * As in the kernel, a value "in network byte order" is the number whose in-memory bytes, stored
 * in host order, are the big-endian bytes: on a little-endian host htonl swaps, on a big-endian
 * one it does nothing. So `mtod(m, u_int32_t)[0] = htonl(x)` and `sin.sin_port = htons(2049)`
 * put the wire bytes in memory exactly as the kernel's statements do, and a value read back
 * through such a view needs ntohl / ntohs. The results are unsigned (u_int16_t, u_int32_t);
 * the argument is taken modulo 2^16 / 2^32, so `htonl(0x80000000 | len)` (a negative int32 in
 * JavaScript) gives the right bytes.
 */
import os from 'node:os';

export const LITTLE_ENDIAN = 1234;
export const BIG_ENDIAN = 4321;
/** The host's byte order: LITTLE_ENDIAN or BIG_ENDIAN. */
export const BYTE_ORDER = os.endianness() === 'LE' ? LITTLE_ENDIAN : BIG_ENDIAN;

const SWAP = BYTE_ORDER === LITTLE_ENDIAN;

/** swap16(9): the two bytes of x exchanged. */
export function swap16(x: number): number {
  return ((x & 0xff) << 8) | ((x >>> 8) & 0xff);
}

/** swap32(9): the four bytes of x reversed, unsigned. */
export function swap32(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/** htons(3): host to network order, 16 bits. */
export function htons(x: number): number {
  return SWAP ? swap16(x) : x & 0xffff;
}

/** htonl(3): host to network order, 32 bits (unsigned result). */
export function htonl(x: number): number {
  return SWAP ? swap32(x) : x >>> 0;
}

/** ntohs(3): network to host order, 16 bits. */
export function ntohs(x: number): number {
  return SWAP ? swap16(x) : x & 0xffff;
}

/** ntohl(3): network to host order, 32 bits (unsigned result). */
export function ntohl(x: number): number {
  return SWAP ? swap32(x) : x >>> 0;
}
