/*
 * Every NFSv3 result is a union on nfsstat3 (RFC 1813 §3.3):
 *
 *   union XXX3res switch (nfsstat3 status) { case NFS3_OK: XXX3resok resok; default: XXX3resfail resfail; };
 *
 * Here: `{ status: NFS3_OK, resok }` or `{ status, resfail }`, narrowed by `status === NFS3_OK`.
 * The raw tier returns these as they are; only the high tier turns a status into an error
 * (nfsstat3Errno). The status of a failure is kept as sent, even a value RFC 1813 does not list.
 */

import type { XdrCodec } from '../../rpc/index.js';
import { NFS3_OK } from './nfsstat3.js';
import type { nfsstat3_error } from './nfsstat3.js';

export type NfsResult<OK, FAIL> = { status: typeof NFS3_OK; resok: OK } | { status: nfsstat3_error; resfail: FAIL };

/** The codec of a result union from the codecs of its two arms. */
export function nfsResult<OK, FAIL>(ok: XdrCodec<OK>, fail: XdrCodec<FAIL>, what: string): XdrCodec<NfsResult<OK, FAIL>> {
  const statusWhat = `${what}.status`;
  return {
    encode(w, v) {
      w.enum(v.status, statusWhat);
      if (v.status === NFS3_OK) ok.encode(w, v.resok);
      else fail.encode(w, v.resfail);
    },
    decode(r) {
      const status = r.int(statusWhat);
      if (status === NFS3_OK) return { status: NFS3_OK, resok: ok.decode(r) };
      return { status: status as nfsstat3_error, resfail: fail.decode(r) };
    },
  };
}
