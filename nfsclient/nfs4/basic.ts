/*
 * NFSv4 basic data types (RFC 7531; RFC 8881 §3.3 for the session types):
 *
 *   typedef opaque nfs_fh4<NFS4_FHSIZE>;        typedef opaque verifier4[NFS4_VERIFIER_SIZE];
 *   struct stateid4 { uint32_t seqid; opaque other[NFS4_OTHER_SIZE]; };
 *   typedef utf8str_cs component4;  typedef utf8str_cs linktext4;  typedef component4 pathname4<>;
 *   struct nfstime4 { int64_t seconds; uint32_t nseconds; };
 *   union settime4 switch (time_how4 set_it) { case SET_TO_CLIENT_TIME4: nfstime4 time; default: void; };
 *   struct specdata4 { uint32_t specdata1; uint32_t specdata2; };  struct fsid4 { uint64_t major; uint64_t minor; };
 *   struct change_info4 { bool atomic; changeid4 before; changeid4 after; };
 *   struct netaddr4 { string na_r_netid<>; string na_r_addr<>; };
 *   struct state_owner4 { clientid4 clientid; opaque owner<NFS4_OPAQUE_LIMIT>; };   (open_owner4 in 4.0)
 *   struct client_owner4 { verifier4 co_verifier; opaque co_ownerid<NFS4_OPAQUE_LIMIT>; };
 *   struct nfs_impl_id4 { utf8str_cis nii_domain; utf8str_cs nii_name; nfstime4 nii_date; };
 *   typedef opaque sessionid4[NFS4_SESSIONID_SIZE];
 *
 * uint64 values (clientid4, changeid4, offset4, length4, nfs_cookie4) are bigint. nfstime4 seconds
 * are a number: a value beyond ±2^53 is malformed here (XdrDecodeError), not silently rounded.
 * Decoded handles, verifiers, stateids and session ids are COPIES (they are kept across calls; a
 * view would pin the whole receive buffer). utf8 strings are decoded as UTF-8 (invalid sequences
 * become U+FFFD, as for v3 names).
 */

import { XdrEncodeError } from '../../rpc/index.js';
import type { XdrCodec, XdrReader, XdrWriter } from '../../rpc/index.js';
import {
  NFS4_FHSIZE, NFS4_MAXNAMLEN, NFS4_MAXPATHCOMPONENTS, NFS4_MAXPATHLEN, NFS4_OPAQUE_LIMIT, NFS4_OTHER_SIZE,
  NFS4_SESSIONID_SIZE, NFS4_VERIFIER_SIZE, SET_TO_CLIENT_TIME4, SET_TO_SERVER_TIME4,
} from './constants.js';

/** nfs_fh4, represented by its data (at most 128 bytes). */
export type nfs_fh4 = Buffer;
export const nfs_fh4: XdrCodec<nfs_fh4> = {
  encode: (w, v) => w.opaque(v, NFS4_FHSIZE, 'nfs_fh4'),
  decode: (r) => r.opaqueCopy(NFS4_FHSIZE, 'nfs_fh4'),
};

/** verifier4: 8 opaque bytes. */
export type verifier4 = Buffer;
export const verifier4: XdrCodec<verifier4> = {
  encode: (w, v) => w.fixedOpaque(v, NFS4_VERIFIER_SIZE, 'verifier4'),
  decode: (r) => r.fixedOpaqueCopy(NFS4_VERIFIER_SIZE, 'verifier4'),
};

/** sessionid4: 16 opaque bytes (4.1). */
export type sessionid4 = Buffer;
export const sessionid4: XdrCodec<sessionid4> = {
  encode: (w, v) => w.fixedOpaque(v, NFS4_SESSIONID_SIZE, 'sessionid4'),
  decode: (r) => r.fixedOpaqueCopy(NFS4_SESSIONID_SIZE, 'sessionid4'),
};

export interface stateid4 {
  /** Counts the changes of the state `other` names (RFC 8881 §8.2.2); 0 in a 4.1 call means "the current one". */
  seqid: number;
  /** 12 bytes naming the state. */
  other: Buffer;
}
export const stateid4: XdrCodec<stateid4> = {
  encode(w, v) {
    w.uint(v.seqid, 'stateid4.seqid');
    w.fixedOpaque(v.other, NFS4_OTHER_SIZE, 'stateid4.other');
  },
  decode(r) {
    const seqid = r.uint('stateid4.seqid');
    const other = r.fixedOpaqueCopy(NFS4_OTHER_SIZE, 'stateid4.other');
    return { seqid, other };
  },
};

/* The special stateids (RFC 7530 §9.1.4.3, RFC 8881 §8.2.3). Frozen: share them, never change them. */
function special(seqid: number, fill: number): stateid4 {
  return Object.freeze({ seqid, other: Buffer.alloc(NFS4_OTHER_SIZE, fill) });
}
/** All zeros: I/O without open state, and SETATTR of anything but the size. */
export const ANONYMOUS_STATEID = special(0, 0);
/** All ones: READ that bypasses share reservations and mandatory locks. */
export const READ_BYPASS_STATEID = special(0xffffffff, 0xff);
/** seqid 1, other zeros (4.1): the stateid the previous operation of the COMPOUND returned. */
export const CURRENT_STATEID = special(1, 0);
/** seqid 0xffffffff, other zeros (4.1): never valid. */
export const INVALID_STATEID = special(0xffffffff, 0);

/** Same `other` (the same state, any seqid). */
export function sameState(a: stateid4, b: stateid4): boolean {
  return a.other.equals(b.other);
}

/** component4: one name in a directory (UTF-8). */
export type component4 = string;
export const component4: XdrCodec<component4> = {
  encode: (w, v) => w.string(v, NFS4_MAXNAMLEN, 'component4'),
  decode: (r) => r.string(NFS4_MAXNAMLEN, 'component4'),
};

/** utf8str_cs / utf8str_cis / utf8str_mixed: owners, groups, implementation names. */
export const utf8str: XdrCodec<string> = {
  encode: (w, v) => w.string(v, NFS4_MAXNAMLEN, 'utf8string'),
  decode: (r) => r.string(NFS4_MAXNAMLEN, 'utf8string'),
};

/** linktext4: a symbolic link's target. */
export type linktext4 = string;
export const linktext4: XdrCodec<linktext4> = {
  encode: (w, v) => w.string(v, NFS4_MAXPATHLEN, 'linktext4'),
  decode: (r) => r.string(NFS4_MAXPATHLEN, 'linktext4'),
};

/** pathname4: components of a path. */
export type pathname4 = component4[];
const writeComponent = (w: XdrWriter, v: string): void => component4.encode(w, v);
const readComponent = (r: XdrReader): string => component4.decode(r);
export const pathname4: XdrCodec<pathname4> = {
  encode: (w, v) => w.array(v, NFS4_MAXPATHCOMPONENTS, writeComponent, 'pathname4'),
  decode: (r) => r.array(NFS4_MAXPATHCOMPONENTS, 4, readComponent, 'pathname4'),
};

export interface nfstime4 {
  seconds: number;
  nseconds: number;
}
export const nfstime4: XdrCodec<nfstime4> = {
  encode(w, v) {
    if (!Number.isSafeInteger(v.seconds)) throw new XdrEncodeError(`${v.seconds} is not a safe integer`, 'nfstime4.seconds');
    w.hyper(BigInt(v.seconds), 'nfstime4.seconds');
    w.uint(v.nseconds, 'nfstime4.nseconds');
  },
  decode(r) {
    const at = r.offset;
    const s = r.hyper('nfstime4.seconds');
    if (s > 9007199254740991n || s < -9007199254740991n) r.fail(`${s} seconds is beyond ±2^53`, 'nfstime4.seconds', at);
    const nseconds = r.uint('nfstime4.nseconds');
    return { seconds: Number(s), nseconds };
  },
};

export type settime4 = { set_it: typeof SET_TO_SERVER_TIME4 } | { set_it: typeof SET_TO_CLIENT_TIME4; time: nfstime4 };
export const settime4: XdrCodec<settime4> = {
  encode(w, v) {
    w.enum(v.set_it, 'settime4.set_it', SET_TO_SERVER_TIME4, SET_TO_CLIENT_TIME4);
    if (v.set_it === SET_TO_CLIENT_TIME4) nfstime4.encode(w, v.time);
  },
  decode(r) {
    const set_it = r.enum(SET_TO_SERVER_TIME4, SET_TO_CLIENT_TIME4, 'settime4.set_it');
    return set_it === SET_TO_CLIENT_TIME4 ? { set_it, time: nfstime4.decode(r) } : { set_it: SET_TO_SERVER_TIME4 };
  },
};

export interface specdata4 {
  specdata1: number;
  specdata2: number;
}
export const specdata4: XdrCodec<specdata4> = {
  encode(w, v) {
    w.uint(v.specdata1, 'specdata4.specdata1');
    w.uint(v.specdata2, 'specdata4.specdata2');
  },
  decode: (r) => ({ specdata1: r.uint('specdata4.specdata1'), specdata2: r.uint('specdata4.specdata2') }),
};

export interface fsid4 {
  major: bigint;
  minor: bigint;
}
export const fsid4: XdrCodec<fsid4> = {
  encode(w, v) {
    w.uhyper(v.major, 'fsid4.major');
    w.uhyper(v.minor, 'fsid4.minor');
  },
  decode: (r) => ({ major: r.uhyper('fsid4.major'), minor: r.uhyper('fsid4.minor') }),
};

export interface change_info4 {
  atomic: boolean;
  before: bigint;
  after: bigint;
}
export const change_info4: XdrCodec<change_info4> = {
  encode(w, v) {
    w.bool(v.atomic);
    w.uhyper(v.before, 'change_info4.before');
    w.uhyper(v.after, 'change_info4.after');
  },
  decode(r) {
    const atomic = r.bool('change_info4.atomic');
    const before = r.uhyper('change_info4.before');
    const after = r.uhyper('change_info4.after');
    return { atomic, before, after };
  },
};

export interface netaddr4 {
  na_r_netid: string;
  na_r_addr: string;
}
export const netaddr4: XdrCodec<netaddr4> = {
  encode(w, v) {
    w.string(v.na_r_netid, NFS4_OPAQUE_LIMIT, 'netaddr4.na_r_netid');
    w.string(v.na_r_addr, NFS4_OPAQUE_LIMIT, 'netaddr4.na_r_addr');
  },
  decode(r) {
    const na_r_netid = r.string(NFS4_OPAQUE_LIMIT, 'netaddr4.na_r_netid');
    const na_r_addr = r.string(NFS4_OPAQUE_LIMIT, 'netaddr4.na_r_addr');
    return { na_r_netid, na_r_addr };
  },
};

/** state_owner4 (open_owner4 and lock_owner4 of 4.0). */
export interface state_owner4 {
  clientid: bigint;
  owner: Buffer;
}
export type open_owner4 = state_owner4;
export const state_owner4: XdrCodec<state_owner4> = {
  encode(w, v) {
    w.uhyper(v.clientid, 'state_owner4.clientid');
    w.opaque(v.owner, NFS4_OPAQUE_LIMIT, 'state_owner4.owner');
  },
  decode(r) {
    const clientid = r.uhyper('state_owner4.clientid');
    const owner = r.opaqueCopy(NFS4_OPAQUE_LIMIT, 'state_owner4.owner');
    return { clientid, owner };
  },
};

export interface client_owner4 {
  co_verifier: verifier4;
  co_ownerid: Buffer;
}
export const client_owner4: XdrCodec<client_owner4> = {
  encode(w, v) {
    verifier4.encode(w, v.co_verifier);
    w.opaque(v.co_ownerid, NFS4_OPAQUE_LIMIT, 'client_owner4.co_ownerid');
  },
  decode(r) {
    const co_verifier = verifier4.decode(r);
    const co_ownerid = r.opaqueCopy(NFS4_OPAQUE_LIMIT, 'client_owner4.co_ownerid');
    return { co_verifier, co_ownerid };
  },
};

export interface nfs_impl_id4 {
  nii_domain: string;
  nii_name: string;
  nii_date: nfstime4;
}
export const nfs_impl_id4: XdrCodec<nfs_impl_id4> = {
  encode(w, v) {
    utf8str.encode(w, v.nii_domain);
    utf8str.encode(w, v.nii_name);
    nfstime4.encode(w, v.nii_date);
  },
  decode(r) {
    const nii_domain = utf8str.decode(r);
    const nii_name = utf8str.decode(r);
    const nii_date = nfstime4.decode(r);
    return { nii_domain, nii_name, nii_date };
  },
};

/** T<1>: an optional value as a counted array of at most one element. */
export function upToOne<T>(c: XdrCodec<T>, what: string, minSize = 4): XdrCodec<T[]> {
  const item = (w: XdrWriter, v: T): void => c.encode(w, v);
  const read = (r: XdrReader): T => c.decode(r);
  return {
    encode: (w, v) => w.array(v, 1, item, what),
    decode: (r) => r.array(1, minSize, read, what),
  };
}

/** uint32_t<max> as number[]. */
export function uint32Array(max: number, what: string): XdrCodec<number[]> {
  return {
    encode: (w, v) => w.array(v, max, (ww, x) => ww.uint(x, what), what),
    decode: (r) => r.array(max, 4, (rr) => rr.uint(what), what),
  };
}
