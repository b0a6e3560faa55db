/*
 * READ, WRITE, COMMIT (RFC 1813 §3.3.6, §3.3.7, §3.3.21): the data path.
 *
 * READ results come in three variants for where the data should go:
 *   READ3res          data: Buffer, a view on the reply when contiguous (else one copy);
 *   READ3res_mbuf     data: Mbuf, a chain sharing the reply's storage (no copy at all);
 *   READ3res_into(buf, off)   data: number of bytes, copied once, straight into the caller's buffer.
 * WRITE3args.data is appended by reference on encode (XdrWriter.opaqueRef): never copied.
 * `count` is decoded as sent; the data's own length is authoritative.
 */

import { m_tobuf } from '../../sockets/index.js';
import type { Mbuf } from '../../sockets/index.js';
import type { XdrCodec, XdrReader, XdrWriter } from '../../rpc/index.js';
import { post_op_attr, wcc_data } from './attr.js';
import { nfs_fh3, writeverf3 } from './basic.js';
import { FILE_SYNC, NFS3_MAXDATA, UNSTABLE } from './constants.js';
import type { stable_how } from './constants.js';
import { nfsResult } from './result.js';
import type { NfsResult } from './result.js';

/* READ */
export interface READ3args {
  file: nfs_fh3;
  offset: bigint;
  count: number;
}
export const READ3args: XdrCodec<READ3args> = {
  encode(w, v) {
    nfs_fh3.encode(w, v.file);
    w.uhyper(v.offset, 'READ3args.offset');
    w.uint(v.count, 'READ3args.count');
  },
  decode(r) {
    const file = nfs_fh3.decode(r);
    const offset = r.uhyper('READ3args.offset');
    const count = r.uint('READ3args.count');
    return { file, offset, count };
  },
};

export interface READ3resok<D = Buffer> {
  file_attributes: post_op_attr;
  count: number;
  eof: boolean;
  data: D;
}
export interface READ3resfail {
  file_attributes: post_op_attr;
}
export const READ3resfail: XdrCodec<READ3resfail> = {
  encode: (w, v) => post_op_attr.encode(w, v.file_attributes),
  decode: (r) => ({ file_attributes: post_op_attr.decode(r) }),
};

/* READ3resok with the data read and written by the given functions. */
function read3resok<D>(writeData: (w: XdrWriter, d: D) => void, readData: (r: XdrReader) => D): XdrCodec<READ3resok<D>> {
  return {
    encode(w, v) {
      post_op_attr.encode(w, v.file_attributes);
      w.uint(v.count, 'READ3resok.count');
      w.bool(v.eof);
      writeData(w, v.data);
    },
    decode(r) {
      const file_attributes = post_op_attr.decode(r);
      const count = r.uint('READ3resok.count');
      const eof = r.bool('READ3resok.eof');
      const data = readData(r);
      return { file_attributes, count, eof, data };
    },
  };
}

export const READ3resok: XdrCodec<READ3resok> = read3resok<Buffer>(
  (w, d) => w.opaqueRef(d, NFS3_MAXDATA, 'READ3resok.data'),
  (r) => r.opaque(NFS3_MAXDATA, 'READ3resok.data'),
);
export type READ3res = NfsResult<READ3resok, READ3resfail>;
export const READ3res = nfsResult(READ3resok, READ3resfail, 'READ3res');

/** READ result whose data is an mbuf chain sharing the reply's storage; the caller frees it. */
export const READ3resok_mbuf: XdrCodec<READ3resok<Mbuf>> = read3resok<Mbuf>(
  (w, d) => w.opaqueRef(m_tobuf(d), NFS3_MAXDATA, 'READ3resok.data'),
  (r) => r.opaqueMbuf(NFS3_MAXDATA, 'READ3resok.data'),
);
export type READ3res_mbuf = NfsResult<READ3resok<Mbuf>, READ3resfail>;
export const READ3res_mbuf = nfsResult(READ3resok_mbuf, READ3resfail, 'READ3res');

/**
 * READ result whose data is copied straight into `target` from `offset`; `data` is the byte count.
 * A reply with more data than fits (target.length - offset) is an XdrDecodeError: the server sent
 * more than was asked for. Encoding writes target[offset, offset + data).
 */
export type READ3res_into = NfsResult<READ3resok<number>, READ3resfail>;
export function READ3res_into(target: Buffer, offset: number): XdrCodec<READ3res_into> {
  const ok = read3resok<number>(
    (w, n) => w.opaqueRef(target.subarray(offset, offset + n), NFS3_MAXDATA, 'READ3resok.data'),
    (r) => r.opaqueInto(target, offset, NFS3_MAXDATA, 'READ3resok.data'),
  );
  return nfsResult(ok, READ3resfail, 'READ3res');
}

/* WRITE */
export interface WRITE3args {
  file: nfs_fh3;
  offset: bigint;
  count: number;
  stable: stable_how;
  /** Encoded by reference (not copied): leave it unchanged until the call completes. */
  data: Buffer;
}
export const WRITE3args: XdrCodec<WRITE3args> = {
  encode(w, v) {
    nfs_fh3.encode(w, v.file);
    w.uhyper(v.offset, 'WRITE3args.offset');
    w.uint(v.count, 'WRITE3args.count');
    w.enum(v.stable, 'WRITE3args.stable', UNSTABLE, FILE_SYNC);
    w.opaqueRef(v.data, NFS3_MAXDATA, 'WRITE3args.data');
  },
  decode(r) {
    const file = nfs_fh3.decode(r);
    const offset = r.uhyper('WRITE3args.offset');
    const count = r.uint('WRITE3args.count');
    const stable = r.enum(UNSTABLE, FILE_SYNC, 'WRITE3args.stable') as stable_how;
    const data = r.opaque(NFS3_MAXDATA, 'WRITE3args.data');
    return { file, offset, count, stable, data };
  },
};
export interface WRITE3resok {
  file_wcc: wcc_data;
  count: number;
  committed: stable_how;
  verf: Buffer;
}
export const WRITE3resok: XdrCodec<WRITE3resok> = {
  encode(w, v) {
    wcc_data.encode(w, v.file_wcc);
    w.uint(v.count, 'WRITE3resok.count');
    w.enum(v.committed, 'WRITE3resok.committed', UNSTABLE, FILE_SYNC);
    writeverf3.encode(w, v.verf);
  },
  decode(r) {
    const file_wcc = wcc_data.decode(r);
    const count = r.uint('WRITE3resok.count');
    const committed = r.enum(UNSTABLE, FILE_SYNC, 'WRITE3resok.committed') as stable_how;
    const verf = writeverf3.decode(r);
    return { file_wcc, count, committed, verf };
  },
};
export interface WRITE3resfail {
  file_wcc: wcc_data;
}
const fileWcc: XdrCodec<{ file_wcc: wcc_data }> = {
  encode: (w, v) => wcc_data.encode(w, v.file_wcc),
  decode: (r) => ({ file_wcc: wcc_data.decode(r) }),
};
export const WRITE3resfail: XdrCodec<WRITE3resfail> = fileWcc;
export type WRITE3res = NfsResult<WRITE3resok, WRITE3resfail>;
export const WRITE3res = nfsResult(WRITE3resok, WRITE3resfail, 'WRITE3res');

/* COMMIT */
export interface COMMIT3args {
  file: nfs_fh3;
  /** 0 with count 0: the whole file. */
  offset: bigint;
  count: number;
}
export const COMMIT3args: XdrCodec<COMMIT3args> = {
  encode(w, v) {
    nfs_fh3.encode(w, v.file);
    w.uhyper(v.offset, 'COMMIT3args.offset');
    w.uint(v.count, 'COMMIT3args.count');
  },
  decode(r) {
    const file = nfs_fh3.decode(r);
    const offset = r.uhyper('COMMIT3args.offset');
    const count = r.uint('COMMIT3args.count');
    return { file, offset, count };
  },
};
export interface COMMIT3resok {
  file_wcc: wcc_data;
  verf: Buffer;
}
export const COMMIT3resok: XdrCodec<COMMIT3resok> = {
  encode(w, v) {
    wcc_data.encode(w, v.file_wcc);
    writeverf3.encode(w, v.verf);
  },
  decode(r) {
    const file_wcc = wcc_data.decode(r);
    const verf = writeverf3.decode(r);
    return { file_wcc, verf };
  },
};
export interface COMMIT3resfail {
  file_wcc: wcc_data;
}
export const COMMIT3resfail: XdrCodec<COMMIT3resfail> = fileWcc;
export type COMMIT3res = NfsResult<COMMIT3resok, COMMIT3resfail>;
export const COMMIT3res = nfsResult(COMMIT3resok, COMMIT3resfail, 'COMMIT3res');
