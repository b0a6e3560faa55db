/*
 * Every NFSv4 operation's result is a status, and for most a union on it (RFC 7531):
 *
 *   union XXX4res switch (nfsstat4 status) { case NFS4_OK: XXX4resok resok4; default: void; };
 *
 * Here `{ status: NFS4_OK, resok4 }` or `{ status }`, narrowed by `status === NFS4_OK`. The arm
 * keeps the RFC's name (resok4, eir_resok4, csr_resok4, sr_resok4 ...); the status is always
 * `status` (RFC 8881 names it eir_status, csr_status, sr_status ... in the 4.1 operations), so
 * the COMPOUND code reads every result's status the same way. A status no RFC lists is kept as
 * sent.
 */

import type { XdrCodec } from '../../rpc/index.js';
import { NFS4_OK } from './nfsstat4.js';
import type { nfsstat4 } from './nfsstat4.js';

/** A failed status: any nfsstat4 but NFS4_OK (or a number no RFC lists). */
export type Nfs4ErrorStatus = Exclude<nfsstat4, typeof NFS4_OK>;

/** A result with only a status (PUTFH4res, LOOKUP4res ...). */
export interface StatusRes {
  status: nfsstat4;
}

export type Nfs4Result<OK, K extends string = 'resok4'> =
  | ({ status: typeof NFS4_OK } & { [P in K]: OK })
  | { status: Nfs4ErrorStatus };

/** The codec of a status-only result. */
export function statusRes(what: string): XdrCodec<StatusRes> {
  return {
    encode: (w, v) => w.int(v.status, what),
    decode: (r) => ({ status: r.int(what) as nfsstat4 }),
  };
}

/** The codec of `union switch (nfsstat4 status) { case NFS4_OK: OK <key>; default: void; }`. */
export function nfs4Result<OK, K extends string>(ok: XdrCodec<OK>, key: K, what: string): XdrCodec<Nfs4Result<OK, K>> {
  const statusWhat = `${what}.status`;
  return {
    encode(w, v) {
      w.int(v.status, statusWhat);
      if (v.status === NFS4_OK) ok.encode(w, (v as Record<K, OK>)[key]);
    },
    decode(r) {
      const status = r.int(statusWhat);
      if (status !== NFS4_OK) return { status: status as Nfs4ErrorStatus };
      return { status: NFS4_OK, [key]: ok.decode(r) } as Nfs4Result<OK, K>;
    },
  };
}

/** The codec of a void type (arguments of PUTROOTFH, GETFH ...). */
export const noArgs: XdrCodec<void> = {
  encode() {},
  decode() {},
};
