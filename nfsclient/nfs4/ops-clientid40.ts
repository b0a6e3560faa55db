/*
 * The v4.0 client ID and lease (RFC 7530 §16.33–16.34, §16.29): SETCLIENTID, SETCLIENTID_CONFIRM,
 * RENEW. (4.1 replaces them with EXCHANGE_ID, CREATE_SESSION and SEQUENCE: ops-session.ts.)
 *
 *   struct nfs_client_id4 { verifier4 verifier; opaque id<NFS4_OPAQUE_LIMIT>; };
 *   struct cb_client4 { unsigned int cb_program; netaddr4 cb_location; };
 *   struct SETCLIENTID4args { nfs_client_id4 client; cb_client4 callback; uint32_t callback_ident; };
 *   struct SETCLIENTID4resok { clientid4 clientid; verifier4 setclientid_confirm; };
 *   union SETCLIENTID4res switch (nfsstat4 status) {
 *     case NFS4_OK: SETCLIENTID4resok resok4;  case NFS4ERR_CLID_INUSE: clientaddr4 client_using;  default: void; };
 *   struct SETCLIENTID_CONFIRM4args { clientid4 clientid; verifier4 setclientid_confirm; };
 *   struct RENEW4args { clientid4 clientid; };
 */

import type { XdrCodec } from '../../rpc/index.js';
import { netaddr4, verifier4 } from './basic.js';
import { NFS4ERR_CLID_INUSE, NFS4_OK } from './nfsstat4.js';
import { statusRes } from './result.js';
import type { Nfs4ErrorStatus, StatusRes } from './result.js';

export interface nfs_client_id4 {
  verifier: verifier4;
  id: Buffer;
}
export interface cb_client4 {
  cb_program: number;
  cb_location: netaddr4;
}
export interface SETCLIENTID4args {
  client: nfs_client_id4;
  callback: cb_client4;
  callback_ident: number;
}
export const SETCLIENTID4args: XdrCodec<SETCLIENTID4args> = {
  encode(w, v) {
    verifier4.encode(w, v.client.verifier);
    w.opaque(v.client.id, 1024, 'nfs_client_id4.id');
    w.uint(v.callback.cb_program, 'cb_client4.cb_program');
    netaddr4.encode(w, v.callback.cb_location);
    w.uint(v.callback_ident, 'SETCLIENTID4args.callback_ident');
  },
  decode(r) {
    const verifier = verifier4.decode(r);
    const id = r.opaqueCopy(1024, 'nfs_client_id4.id');
    const cb_program = r.uint('cb_client4.cb_program');
    const cb_location = netaddr4.decode(r);
    return { client: { verifier, id }, callback: { cb_program, cb_location }, callback_ident: r.uint('SETCLIENTID4args.callback_ident') };
  },
};
export interface SETCLIENTID4resok {
  clientid: bigint;
  setclientid_confirm: verifier4;
}
export type SETCLIENTID4res =
  | { status: typeof NFS4_OK; resok4: SETCLIENTID4resok }
  | { status: typeof NFS4ERR_CLID_INUSE; client_using: netaddr4 }
  | { status: Exclude<Nfs4ErrorStatus, typeof NFS4ERR_CLID_INUSE> };
export const SETCLIENTID4res: XdrCodec<SETCLIENTID4res> = {
  encode(w, v) {
    w.int(v.status, 'SETCLIENTID4res.status');
    if (v.status === NFS4_OK) {
      w.uhyper(v.resok4.clientid, 'SETCLIENTID4resok.clientid');
      verifier4.encode(w, v.resok4.setclientid_confirm);
    } else if (v.status === NFS4ERR_CLID_INUSE) netaddr4.encode(w, v.client_using);
  },
  decode(r) {
    const status = r.int('SETCLIENTID4res.status');
    if (status === NFS4_OK) {
      const clientid = r.uhyper('SETCLIENTID4resok.clientid');
      return { status, resok4: { clientid, setclientid_confirm: verifier4.decode(r) } };
    }
    if (status === NFS4ERR_CLID_INUSE) return { status, client_using: netaddr4.decode(r) };
    return { status: status as Exclude<Nfs4ErrorStatus, typeof NFS4ERR_CLID_INUSE> };
  },
};

export interface SETCLIENTID_CONFIRM4args {
  clientid: bigint;
  setclientid_confirm: verifier4;
}
export const SETCLIENTID_CONFIRM4args: XdrCodec<SETCLIENTID_CONFIRM4args> = {
  encode(w, v) {
    w.uhyper(v.clientid, 'SETCLIENTID_CONFIRM4args.clientid');
    verifier4.encode(w, v.setclientid_confirm);
  },
  decode(r) {
    const clientid = r.uhyper('SETCLIENTID_CONFIRM4args.clientid');
    return { clientid, setclientid_confirm: verifier4.decode(r) };
  },
};
export type SETCLIENTID_CONFIRM4res = StatusRes;
export const SETCLIENTID_CONFIRM4res = statusRes('SETCLIENTID_CONFIRM4res');

export interface RENEW4args {
  clientid: bigint;
}
export const RENEW4args: XdrCodec<RENEW4args> = {
  encode: (w, v) => w.uhyper(v.clientid, 'RENEW4args.clientid'),
  decode: (r) => ({ clientid: r.uhyper('RENEW4args.clientid') }),
};
export type RENEW4res = StatusRes;
export const RENEW4res = statusRes('RENEW4res');
