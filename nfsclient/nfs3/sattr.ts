/*
 * Settable attributes (RFC 1813 §2.6, §3.3.2):
 *
 *   union set_mode3 switch (bool set_it) { case TRUE: mode3 mode; default: void; };   (set_uid3, set_gid3,
 *   set_size3 alike)
 *   union set_atime switch (time_how set_it) { case SET_TO_CLIENT_TIME: nfstime3 atime; default: void; };
 *   union set_mtime switch (time_how set_it) { case SET_TO_CLIENT_TIME: nfstime3 mtime; default: void; };
 *   struct sattr3 { set_mode3 mode; set_uid3 uid; set_gid3 gid; set_size3 size; set_atime atime; set_mtime mtime; };
 *   union sattrguard3 switch (bool check) { case TRUE: nfstime3 obj_ctime; case FALSE: void; };
 *
 * set_mode3/uid3/gid3/size3 are `value | null` (null: set_it FALSE); set_atime/set_mtime keep the
 * RFC's discriminant; sattrguard3 is the ctime to check, or null.
 */

import type { XdrCodec } from '../../rpc/index.js';
import { nfstime3 } from './basic.js';
import { DONT_CHANGE, SET_TO_CLIENT_TIME, SET_TO_SERVER_TIME } from './constants.js';

export type set_atime =
  | { set_it: typeof DONT_CHANGE | typeof SET_TO_SERVER_TIME }
  | { set_it: typeof SET_TO_CLIENT_TIME; atime: nfstime3 };
export type set_mtime =
  | { set_it: typeof DONT_CHANGE | typeof SET_TO_SERVER_TIME }
  | { set_it: typeof SET_TO_CLIENT_TIME; mtime: nfstime3 };

export interface sattr3 {
  mode: number | null;
  uid: number | null;
  gid: number | null;
  size: bigint | null;
  atime: set_atime;
  mtime: set_mtime;
}

const dontChange = { set_it: DONT_CHANGE } as const;

/** A sattr3 that sets only what `set` names (mode, uid, gid, size; times: DONT_CHANGE unless given). */
export function sattr3Of(set: Partial<sattr3> = {}): sattr3 {
  return {
    mode: set.mode ?? null,
    uid: set.uid ?? null,
    gid: set.gid ?? null,
    size: set.size ?? null,
    atime: set.atime ?? dontChange,
    mtime: set.mtime ?? dontChange,
  };
}

export const set_atime: XdrCodec<set_atime> = {
  encode(w, v) {
    w.enum(v.set_it, 'set_atime.set_it', DONT_CHANGE, SET_TO_CLIENT_TIME);
    if (v.set_it === SET_TO_CLIENT_TIME) nfstime3.encode(w, v.atime);
  },
  decode(r) {
    const set_it = r.enum(DONT_CHANGE, SET_TO_CLIENT_TIME, 'set_atime.set_it');
    if (set_it === SET_TO_CLIENT_TIME) return { set_it, atime: nfstime3.decode(r) };
    return { set_it: set_it as typeof DONT_CHANGE | typeof SET_TO_SERVER_TIME };
  },
};

export const set_mtime: XdrCodec<set_mtime> = {
  encode(w, v) {
    w.enum(v.set_it, 'set_mtime.set_it', DONT_CHANGE, SET_TO_CLIENT_TIME);
    if (v.set_it === SET_TO_CLIENT_TIME) nfstime3.encode(w, v.mtime);
  },
  decode(r) {
    const set_it = r.enum(DONT_CHANGE, SET_TO_CLIENT_TIME, 'set_mtime.set_it');
    if (set_it === SET_TO_CLIENT_TIME) return { set_it, mtime: nfstime3.decode(r) };
    return { set_it: set_it as typeof DONT_CHANGE | typeof SET_TO_SERVER_TIME };
  },
};

export const sattr3: XdrCodec<sattr3> = {
  encode(w, v) {
    w.bool(v.mode !== null);
    if (v.mode !== null) w.uint(v.mode, 'sattr3.mode');
    w.bool(v.uid !== null);
    if (v.uid !== null) w.uint(v.uid, 'sattr3.uid');
    w.bool(v.gid !== null);
    if (v.gid !== null) w.uint(v.gid, 'sattr3.gid');
    w.bool(v.size !== null);
    if (v.size !== null) w.uhyper(v.size, 'sattr3.size');
    set_atime.encode(w, v.atime);
    set_mtime.encode(w, v.mtime);
  },
  decode(r) {
    const mode = r.bool('set_mode3.set_it') ? r.uint('sattr3.mode') : null;
    const uid = r.bool('set_uid3.set_it') ? r.uint('sattr3.uid') : null;
    const gid = r.bool('set_gid3.set_it') ? r.uint('sattr3.gid') : null;
    const size = r.bool('set_size3.set_it') ? r.uhyper('sattr3.size') : null;
    const atime = set_atime.decode(r);
    const mtime = set_mtime.decode(r);
    return { mode, uid, gid, size, atime, mtime };
  },
};

/** sattrguard3: SETATTR only if the object's ctime still equals this, or null for no check. */
export type sattrguard3 = nfstime3 | null;
export const sattrguard3: XdrCodec<sattrguard3> = {
  encode(w, v) {
    w.bool(v !== null);
    if (v !== null) nfstime3.encode(w, v);
  },
  decode(r) {
    return r.bool('sattrguard3.check') ? nfstime3.decode(r) : null;
  },
};
