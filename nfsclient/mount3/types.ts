/*
 * MOUNT v3 types (RFC 1813 §5.1–5.2):
 *
 *   typedef opaque fhandle3<FHSIZE3>;  typedef string dirpath<MNTPATHLEN>;  typedef string name<MNTNAMLEN>;
 *   struct mountres3_ok { fhandle3 fhandle; int auth_flavors<>; };
 *   union mountres3 switch (mountstat3 fhs_status) { case MNT3_OK: mountres3_ok mountinfo; default: void; };
 *   typedef struct mountbody *mountlist;
 *   struct mountbody { name ml_hostname; dirpath ml_directory; mountlist ml_next; };
 *   typedef struct groupnode *groups;
 *   struct groupnode { name gr_name; groups gr_next; };
 *   typedef struct exportnode *exports;
 *   struct exportnode { dirpath ex_dir; groups ex_groups; exports ex_next; };
 *
 * The linked lists are arrays, read and written iteratively (an exports list with a groups list in
 * every node is two nested loops, never recursion).
 */

import type { XdrCodec, XdrReader, XdrWriter } from '../../rpc/index.js';
import { FHSIZE3, MNT3_MAXFLAVORS, MNTNAMLEN, MNTPATHLEN } from './constants.js';
import { MNT3_OK } from './mountstat3.js';
import type { mountstat3 } from './mountstat3.js';

/** fhandle3: at most 64 bytes. Decoded as a copy: handles are kept long-term. */
export const fhandle3: XdrCodec<Buffer> = {
  encode: (w, v) => w.opaque(v, FHSIZE3, 'fhandle3'),
  decode: (r) => r.opaqueCopy(FHSIZE3, 'fhandle3'),
};

/** dirpath: a server path of at most 1024 bytes. */
export const dirpath: XdrCodec<string> = {
  encode: (w, v) => w.string(v, MNTPATHLEN, 'dirpath'),
  decode: (r) => r.string(MNTPATHLEN, 'dirpath'),
};

/** name: a host or group name of at most 255 bytes. */
export const name: XdrCodec<string> = {
  encode: (w, v) => w.string(v, MNTNAMLEN, 'name'),
  decode: (r) => r.string(MNTNAMLEN, 'name'),
};

export interface mountres3_ok {
  fhandle: Buffer;
  /** The flavors the server accepts for this export (AUTH_SYS is 1), in its order of preference. */
  auth_flavors: number[];
}

export type mountres3 =
  | { fhs_status: typeof MNT3_OK; mountinfo: mountres3_ok }
  /* Any other status; a server may send one RFC 1813 does not list. */
  | { fhs_status: Exclude<mountstat3, typeof MNT3_OK> };

const flavor = (w: XdrWriter, v: number): void => w.int(v, 'auth_flavors');
const readFlavor = (r: XdrReader): number => r.int('auth_flavors');

export const mountres3: XdrCodec<mountres3> = {
  encode(w, v) {
    w.enum(v.fhs_status, 'mountres3.fhs_status');
    if (v.fhs_status === MNT3_OK) {
      fhandle3.encode(w, v.mountinfo.fhandle);
      w.array(v.mountinfo.auth_flavors, MNT3_MAXFLAVORS, flavor, 'auth_flavors');
    }
  },
  decode(r) {
    const fhs_status = r.int('mountres3.fhs_status') as mountstat3;
    if (fhs_status !== MNT3_OK) return { fhs_status };
    const fhandle = fhandle3.decode(r);
    const auth_flavors = r.array(MNT3_MAXFLAVORS, 4, readFlavor, 'auth_flavors');
    return { fhs_status, mountinfo: { fhandle, auth_flavors } };
  },
};

/** One mountbody (its ml_next is the next array element). */
export interface mountbody {
  ml_hostname: string;
  ml_directory: string;
}

function writeMountbody(w: XdrWriter, v: mountbody): void {
  name.encode(w, v.ml_hostname);
  dirpath.encode(w, v.ml_directory);
}
function readMountbody(r: XdrReader): mountbody {
  const ml_hostname = name.decode(r);
  const ml_directory = dirpath.decode(r);
  return { ml_hostname, ml_directory };
}

/** mountlist (DUMP's result): the server's record of who mounted what. */
export const mountlist: XdrCodec<mountbody[]> = {
  encode: (w, v) => w.list(v, writeMountbody),
  decode: (r) => r.list(readMountbody, undefined, 'mountlist'),
};

const writeGroup = (w: XdrWriter, v: string): void => name.encode(w, v);
const readGroup = (r: XdrReader): string => name.decode(r);

/** groups: the hosts or netgroups an export is offered to (empty: everyone). */
export const groups: XdrCodec<string[]> = {
  encode: (w, v) => w.list(v, writeGroup),
  decode: (r) => r.list(readGroup, undefined, 'groups'),
};

/** One exportnode (its ex_next is the next array element). */
export interface exportnode {
  ex_dir: string;
  ex_groups: string[];
}

function writeExportnode(w: XdrWriter, v: exportnode): void {
  dirpath.encode(w, v.ex_dir);
  groups.encode(w, v.ex_groups);
}
function readExportnode(r: XdrReader): exportnode {
  const ex_dir = dirpath.decode(r);
  const ex_groups = groups.decode(r);
  return { ex_dir, ex_groups };
}

/** exports (EXPORT's result). */
export const exports: XdrCodec<exportnode[]> = {
  encode: (w, v) => w.list(v, writeExportnode),
  decode: (r) => r.list(readExportnode, undefined, 'exports'),
};
