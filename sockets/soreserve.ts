/*
 * soreserve and sbreserve with the kernel's signatures (kern/uipc_socket2.c).
 *
 *   soreserve(so, sndcc, rcvcc)   both buffers; 0 or ENOBUFS
 *   sbreserve(so, sb, cc)         one buffer, today's signature; 0, or 1 if refused
 *   sbreserve(sb, cc)             the same, the 2009 signature
 *
 * A reservation is refused for 0 bytes or more than the socket's so_sbmax (the kernel's sb_max,
 * per socket here: docs/sockets.md). soreserve then defaults the low-water marks (receive 1,
 * send MCLBYTES, clamped to the send limit), as the kernel's does. Protocols call soreserve when
 * a socket is attached; a consumer calls it to size the buffers for its messages, as the NFS
 * client does (a `top` chain is sent atomically, so so_snd must hold a whole request).
 */
import { ENOBUFS } from './errno.js';
import { Sockbuf, sbconfig, sbreserve_max, soreserve_max } from './sockbuf.js';
import { Socket } from './socket.js';

function valid_cc(cc: unknown): cc is number {
  return typeof cc === 'number' && Number.isSafeInteger(cc);
}

/** soreserve(9): reserve sndcc bytes for so_snd and rcvcc for so_rcv. 0 or ENOBUFS. */
export function soreserve(so: Socket, sndcc: number, rcvcc: number): number {
  if (!(so instanceof Socket) || !valid_cc(sndcc) || !valid_cc(rcvcc)) return ENOBUFS;
  return soreserve_max(so.so_snd, so.so_rcv, sndcc, rcvcc, so.so_sbmax);
}

/** sbreserve(9): set the limit of one buffer of `so` to cc bytes. 0, or 1 if refused. */
export function sbreserve(so: Socket, sb: Sockbuf, cc: number): number;
/** sbreserve(9), the 2009 signature. */
export function sbreserve(sb: Sockbuf, cc: number): number;
export function sbreserve(a: Socket | Sockbuf, b: Sockbuf | number, c?: number): number {
  let sb: Sockbuf;
  let cc: unknown;
  let max: number;
  if (a instanceof Socket) {
    if (!(b instanceof Sockbuf) || (b !== a.so_snd && b !== a.so_rcv)) return 1;
    sb = b;
    cc = c;
    max = a.so_sbmax;
  } else {
    if (!(a instanceof Sockbuf)) return 1;
    sb = a;
    cc = b;
    max = a.sb_so !== null ? a.sb_so.so_sbmax : sbconfig.sb_max;
  }
  if (!valid_cc(cc)) return 1;
  return sbreserve_max(sb, cc, max);
}
