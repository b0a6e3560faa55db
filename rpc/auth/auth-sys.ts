/*
 * AUTH_SYS (RFC 5531 Appendix A; formerly AUTH_UNIX): the credential body is
 *
 *   struct authsys_parms {
 *     unsigned int stamp;
 *     string machinename<255>;
 *     unsigned int uid;
 *     unsigned int gid;
 *     unsigned int gids<16>;
 *   };
 *
 * and the verifier is AUTH_NONE.
 *
 * More than 16 supplementary groups: the list is TRUNCATED to its first 16 entries, in the order
 * given, as the BSD and Linux kernel clients do (NGRPS); the server then judges access by those
 * 16. This is deliberate: rejecting the credential would make NFS unusable for such a user, and a
 * silent reordering would make the result depend on chance. `truncatedGroups` on the result
 * reports how many were dropped, so a caller can warn.
 */

import { hostname } from 'node:os';
import { AUTH_SYS } from '../msg/constants.js';
import type { XdrCodec } from '../xdr/codec.js';
import { XdrReader } from '../xdr/reader.js';
import { XdrWriter } from '../xdr/writer.js';
import { m_bytes } from '../../sockets/index.js';
import { opaqueAuthNone } from './auth-none.js';
import { encodeCredVerf } from './opaque-auth.js';
import type { RpcAuth } from './opaque-auth.js';

/** gids<16> (RFC 5531 Appendix A). */
export const AUTH_SYS_MAXGROUPS = 16;
/** machinename<255> (RFC 5531 Appendix A). */
export const AUTH_SYS_MAXNAMELEN = 255;

export interface authsys_parms {
  stamp: number;
  machinename: string;
  uid: number;
  gid: number;
  gids: number[];
}

const gid = (w: XdrWriter, v: number): void => w.uint(v, 'authsys_parms.gids');
const readGid = (r: XdrReader): number => r.uint('authsys_parms.gids');

export const authsys_parms: XdrCodec<authsys_parms> = {
  encode(w, v) {
    w.uint(v.stamp, 'authsys_parms.stamp');
    w.string(v.machinename, AUTH_SYS_MAXNAMELEN, 'authsys_parms.machinename');
    w.uint(v.uid, 'authsys_parms.uid');
    w.uint(v.gid, 'authsys_parms.gid');
    w.array(v.gids, AUTH_SYS_MAXGROUPS, gid, 'authsys_parms.gids');
  },
  decode(r) {
    const stamp = r.uint('authsys_parms.stamp');
    const machinename = r.string(AUTH_SYS_MAXNAMELEN, 'authsys_parms.machinename');
    const uid = r.uint('authsys_parms.uid');
    const gidv = r.uint('authsys_parms.gid');
    const gids = r.array(AUTH_SYS_MAXGROUPS, 4, readGid, 'authsys_parms.gids');
    return { stamp, machinename, uid, gid: gidv, gids };
  },
};

/** A Unix credential, as the client derives it from a Proc's p_ucred. */
export interface AuthSysCredential {
  uid: number;
  gid: number;
  /** Supplementary groups; more than 16 are truncated (see the file comment). */
  groups?: readonly number[];
  /** Default: this host's name, cut to 255 bytes. */
  machinename?: string;
  /** Default 0 (OpenBSD's nfsm_rpchead sends 0 too; servers do not use it for AUTH_SYS). */
  stamp?: number;
}

export interface AuthSys extends RpcAuth {
  readonly flavor: typeof AUTH_SYS;
  /** The parameters as encoded (groups already truncated). */
  readonly parms: Readonly<authsys_parms>;
  /** How many groups beyond 16 were dropped (0 normally). */
  readonly truncatedGroups: number;
}

let defaultMachineName: string | undefined;
function localMachineName(): string {
  if (defaultMachineName === undefined) {
    let name = hostname();
    while (Buffer.byteLength(name) > AUTH_SYS_MAXNAMELEN) name = name.slice(0, -1);
    defaultMachineName = name;
  }
  return defaultMachineName;
}

/**
 * Build an AUTH_SYS credential, encoded once (cred + AUTH_NONE verf) for every call that uses it.
 * @throws XdrEncodeError for a uid/gid/group outside 0..2^32-1 or a machinename over 255 bytes.
 */
export function createAuthSys(cred: AuthSysCredential): AuthSys {
  const groups = cred.groups ?? [];
  const parms: authsys_parms = {
    stamp: cred.stamp ?? 0,
    machinename: cred.machinename ?? localMachineName(),
    uid: cred.uid,
    gid: cred.gid,
    gids: groups.slice(0, AUTH_SYS_MAXGROUPS),
  };
  const w = new XdrWriter({ sizeHint: 128 });
  authsys_parms.encode(w, parms);
  const body = w.finish();
  const credverf = encodeCredVerf({ flavor: AUTH_SYS, body: m_bytes(body) }, opaqueAuthNone);
  return Object.freeze({
    flavor: AUTH_SYS,
    credverf,
    parms: Object.freeze(parms),
    truncatedGroups: Math.max(0, groups.length - AUTH_SYS_MAXGROUPS),
  });
}

const cache = new WeakMap<object, AuthSys>();

/**
 * createAuthSys, memoised per credential object: the RPC client calls this per call with the
 * caller's (immutable) ucred and gets the same pre-encoded bytes each time. The object must not be
 * changed after its first use here.
 */
export function authSysFor(cred: AuthSysCredential): AuthSys {
  let a = cache.get(cred);
  if (a === undefined) {
    a = createAuthSys(cred);
    cache.set(cred, a);
  }
  return a;
}

/** The fields of a sockets/ struct ucred (Proc.p_ucred) that AUTH_SYS carries. */
export interface UcredLike {
  cr_uid: number;
  cr_gid: number;
  cr_groups: readonly number[];
}

const ucredCache = new WeakMap<object, AuthSys>();

/**
 * The AUTH_SYS credential of a process credential (p_ucred): uid cr_uid, gid cr_gid, gids
 * cr_groups as they are (truncated to 16), memoised per ucred object. A ucred must be replaced,
 * not changed in place, for a new credential to be encoded (as the kernel copies on change, crcopy).
 */
export function authSysForUcred(cr: UcredLike, machinename?: string): AuthSys {
  let a = ucredCache.get(cr);
  if (a === undefined || (machinename !== undefined && a.parms.machinename !== machinename)) {
    a = createAuthSys({ uid: cr.cr_uid, gid: cr.cr_gid, groups: cr.cr_groups, ...(machinename === undefined ? {} : { machinename }) });
    ucredCache.set(cr, a);
  }
  return a;
}

/**
 * Decode an AUTH_SYS credential body (for fake servers and tracing).
 * @throws XdrDecodeError when malformed or followed by extra bytes.
 */
export function decodeAuthSysBody(body: Buffer): authsys_parms {
  const r = XdrReader.fromBuffer(body);
  const v = authsys_parms.decode(r);
  r.ensureInputConsumed('authsys_parms');
  return v;
}
