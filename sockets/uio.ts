/*
 * struct uio and uiomove(9): a scatter/gather description of the caller's memory.
 *
 * uio_iov is the iovecs: an array, or — as the kernel's `auio.uio_iov = &aio` with uio_iovcnt 1
 * — a single Iovec. uio_resid is the bytes still to move; uio_offset advances with them.
 * UIO_WRITE means data flows from the iovecs into the kernel (sosend), UIO_READ from the kernel
 * into them (soreceive). uio_segflg (UIO_USERSPACE / UIO_SYSSPACE) is recorded for fidelity:
 * both are Node memory here. uiomove consumes iovecs as it goes, as the kernel's does: a partly
 * used iovec is advanced in place (iov_base, iov_len); a used-up one leaves the array (the
 * kernel's uio_iov++), or, when uio_iov is a single Iovec, stays with iov_len 0 (and uio_iovcnt 1).
 *
 * Iovec and Uio are classes so that a port can declare them as the kernel does on its stack
 * (`struct uio auio;` is `const auio = new Uio();`, zero-filled) and assign the fields one by
 * one; object literals of the same shape (what uio_init makes) are accepted everywhere too.
 */
import { Buffer } from 'node:buffer';
import { EFAULT, EINVAL } from './errno.js';
import type { Proc } from './proc.js';

export const UIO_READ = 0;
export const UIO_WRITE = 1;
export const UIO_USERSPACE = 0;
export const UIO_SYSSPACE = 1;

const NOBYTES = Buffer.alloc(0);

/** struct iovec: `iov_len` bytes of `iov_base`. */
export class Iovec {
  iov_base: Buffer;
  iov_len: number;

  constructor(iov_base: Buffer = NOBYTES, iov_len: number = iov_base.length) {
    this.iov_base = iov_base;
    this.iov_len = iov_len;
  }
}

/** struct uio. */
export class Uio {
  uio_iov: Iovec[] | Iovec;
  uio_iovcnt: number;
  uio_offset: number;
  uio_resid: number;
  uio_segflg: number;
  uio_rw: number;
  uio_procp: Proc | null;

  constructor(
    iov: Iovec[] | Iovec = [], iovcnt = 0, offset = 0, resid = 0, segflg = 0, rw = 0, procp: Proc | null = null,
  ) {
    this.uio_iov = iov;
    this.uio_iovcnt = iovcnt;
    this.uio_offset = offset;
    this.uio_resid = resid;
    this.uio_segflg = segflg;
    this.uio_rw = rw;
    this.uio_procp = procp;
  }
}

/**
 * A uio over `bufs` for direction `rw` (UIO_READ or UIO_WRITE), resid = their total length.
 * Each iovec views its Buffer; nothing is copied.
 */
export function uio_init(rw: number, bufs: Buffer[], procp: Proc | null = null, segflg = UIO_SYSSPACE): Uio {
  let iov: Iovec[];
  let resid = 0;
  if (Array.isArray(bufs) && bufs.length === 1) {
    /* The common case, built without growing an array. */
    const b = bufs[0]!;
    iov = [{ iov_base: b, iov_len: b.length }];
    resid = b.length;
  } else {
    iov = [];
    for (const b of bufs) {
      iov.push({ iov_base: b, iov_len: b.length });
      resid += b.length;
    }
  }
  /* Object literals, not `new Uio`: constructing the classes costs this hot path measurably. */
  return { uio_iov: iov, uio_iovcnt: iov.length, uio_offset: 0, uio_resid: resid, uio_segflg: segflg, uio_rw: rw, uio_procp: procp };
}

/**
 * True if the uio is well formed: iovecs with Buffers and lengths within them, and a resid
 * that is a non-negative integer no larger than the iovecs' total. so* functions check this
 * and return EINVAL otherwise.
 */
export function uio_valid(uio: Uio): boolean {
  if (uio === null || typeof uio !== 'object') return false;
  const resid = uio.uio_resid;
  if (!Number.isSafeInteger(resid) || resid < 0) return false;
  const n = uio.uio_iovcnt;
  const iovs = uio.uio_iov;
  if (!Array.isArray(iovs)) {
    /* A single iovec (the kernel's &aio): uio_iovcnt 1 (0 is accepted with nothing to move). */
    if (iovs === null || typeof iovs !== 'object' || (n !== 0 && n !== 1)) return false;
    if (n === 0) return resid === 0;
    return iovec_valid(iovs) && resid <= iovs.iov_len;
  }
  if (!Number.isSafeInteger(n) || n < 0 || n > iovs.length) return false;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = iovs[i];
    if (v === undefined || !iovec_valid(v)) return false;
    total += v.iov_len;
  }
  return resid <= total;
}

function iovec_valid(v: Iovec): boolean {
  return Buffer.isBuffer(v.iov_base) && Number.isSafeInteger(v.iov_len) && v.iov_len >= 0 && v.iov_len <= v.iov_base.length;
}

/**
 * The iovecs of a uio as an array (a single Iovec as an array of one), for code that walks them
 * without consuming them (a tracer).
 */
export function uio_iovecs(uio: Uio): Iovec[] {
  const v = uio.uio_iov;
  return Array.isArray(v) ? v : [v];
}

/**
 * uiomove(9): move `n` bytes between `cp` (from `cpoff`) and the uio, in the uio's direction,
 * limited by uio_resid. Advances the iovecs, uio_resid and uio_offset. Returns 0, EINVAL for a
 * negative n, or EFAULT if the iovecs run out before resid does (a malformed uio).
 */
export function uiomove(cp: Buffer, n: number, uio: Uio, cpoff = 0): number {
  if (n < 0) return EINVAL;
  if (n > uio.uio_resid) n = uio.uio_resid;
  const v = uio.uio_iov;
  if (!Array.isArray(v)) return uiomove_one(cp, n, uio, v, cpoff);
  while (n > 0) {
    const iov = v[0];
    if (uio.uio_iovcnt <= 0 || iov === undefined) return EFAULT;
    if (iov.iov_len === 0) {
      iov_next(uio);
      continue;
    }
    const cnt = iov.iov_len < n ? iov.iov_len : n;
    if (uio.uio_rw === UIO_READ) bcopy_at(cp, cpoff, iov.iov_base, 0, cnt);
    else bcopy_at(iov.iov_base, 0, cp, cpoff, cnt);
    if (cnt === iov.iov_len) {
      iov_next(uio);
    } else {
      iov.iov_base = iov.iov_base.subarray(cnt);
      iov.iov_len -= cnt;
    }
    uio.uio_resid -= cnt;
    uio.uio_offset += cnt;
    cpoff += cnt;
    n -= cnt;
  }
  return 0;
}

/*
 * uiomove of a uio whose uio_iov is one Iovec: advanced in place (iov_base, iov_len), and, as in
 * the kernel, still uio_iovcnt 1 when used up (iov_len 0), so a caller may point it at new
 * memory and use the uio again.
 */
function uiomove_one(cp: Buffer, n: number, uio: Uio, iov: Iovec, cpoff: number): number {
  if (n === 0) return 0;
  if (uio.uio_iovcnt <= 0 || iov.iov_len < n) return EFAULT;
  if (uio.uio_rw === UIO_READ) bcopy_at(cp, cpoff, iov.iov_base, 0, n);
  else bcopy_at(iov.iov_base, 0, cp, cpoff, n);
  iov.iov_base = iov.iov_base.subarray(n);
  iov.iov_len -= n;
  uio.uio_resid -= n;
  uio.uio_offset += n;
  return 0;
}

/* Done with the first iovec: the kernel's uio_iov++, uio_iovcnt--. */
function iov_next(uio: Uio): void {
  const v = uio.uio_iov as Iovec[];
  if (v.length === 1) v.pop(); /* cheaper than shift() */
  else v.shift();
  uio.uio_iovcnt--;
}

/* Copies this short are done byte by byte: cheaper than setting up a typed-array copy. */
const BCOPY_LOOP_MAX = 64;

/**
 * uiomove's copy: n bytes from src (at srcoff) to dst (at dstoff); the ranges must not overlap
 * (uiomove's never do: kernel and user memory). Like Buffer#copy, it copies no further than
 * either buffer's end. (The kernel-signature bcopy(src, dst, len) is libkern.ts's.)
 */
function bcopy_at(src: Uint8Array, srcoff: number, dst: Uint8Array, dstoff: number, n: number): void {
  if (n > src.length - srcoff) n = src.length - srcoff;
  if (n > dst.length - dstoff) n = dst.length - dstoff;
  if (n <= BCOPY_LOOP_MAX) {
    for (let i = 0; i < n; i++) dst[dstoff + i] = src[srcoff + i]!;
    return;
  }
  dst.set(srcoff === 0 && n === src.length ? src : new Uint8Array(src.buffer, src.byteOffset + srcoff, n), dstoff);
}
