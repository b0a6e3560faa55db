/*
 * The kernel's memory routines (OpenBSD lib/libkern, bcopy(9)/bzero(9) and memcpy/memset), with
 * their argument order, on byte views (a Buffer from mtod or caddr, a struct view, any
 * Uint8Array). C has pointer arithmetic; here `p + n` is `p.subarray(n)`.
 *
 * A length past the end of either view throws RangeError: the kernel would write past the
 * object (memory corruption), a programming error, not an errno. Overlapping ranges of one
 * buffer are handled (OpenBSD's bcopy is memmove).
 */

function bytes(p: Uint8Array, len: number, fn: string, what: string): void {
  if (!(p instanceof Uint8Array)) throw new TypeError(`${fn}: ${what} is not a byte view`);
  if (!Number.isSafeInteger(len) || len < 0 || len > p.length) {
    throw new RangeError(`${fn}: ${len} bytes past a ${p.length}-byte ${what}`);
  }
}

/** bcopy(9): copy `len` bytes from `src` to `dst` (note the order: source first). */
export function bcopy(src: Uint8Array, dst: Uint8Array, len: number): void {
  bytes(src, len, 'bcopy', 'source');
  bytes(dst, len, 'bcopy', 'destination');
  dst.set(len === src.length ? src : src.subarray(0, len));
}

/** bzero(9): zero `len` bytes of `b`. */
export function bzero(b: Uint8Array, len: number): void {
  bytes(b, len, 'bzero', 'buffer');
  b.fill(0, 0, len);
}

/** memcpy(9): copy `len` bytes from `src` to `dst` (destination first); returns dst. */
export function memcpy(dst: Uint8Array, src: Uint8Array, len: number): Uint8Array {
  bcopy(src, dst, len);
  return dst;
}

/** memset(9): set `len` bytes of `b` to the byte `c`; returns b. */
export function memset(b: Uint8Array, c: number, len: number): Uint8Array {
  bytes(b, len, 'memset', 'buffer');
  b.fill(c & 0xff, 0, len);
  return b;
}
