/*
 * fattr4 (RFC 7530 §5, RFC 8881 §5): `struct fattr4 { bitmap4 attrmask; attrlist4 attr_vals; }`,
 * the values of the attributes whose bits are set, each XDR-encoded, in increasing bit order,
 * inside one opaque.
 *
 * Here `{ attrmask, attr_vals }` with attr_vals an object of the attributes' RFC names (size,
 * time_modify, owner ...). Decoding reads the values in bit order and requires the opaque's length
 * to be exactly what they took; an attribute this client cannot decode (a set bit not in the table
 * below: fs_status, layout hints, retention, sec_label ...) makes the whole fattr4 malformed — the
 * client only asks for attributes it knows, and a server returns no others (RFC 8881 §18.7.3).
 * Encoding writes the attributes of `attrmask` from attr_vals (a missing one is an
 * XdrEncodeError); fattr4Of() builds both from the values alone.
 */

import { XdrEncodeError } from '../../rpc/index.js';
import type { XdrCodec, XdrReader, XdrWriter } from '../../rpc/index.js';
import { bitmap4, bitmap4Of } from './bitmap4.js';
import {
  fsid4, nfs_fh4, nfstime4, pathname4, settime4, specdata4, utf8str,
} from './basic.js';
import type { nfs_ftype4 } from './constants.js';
import { NF4NAMEDATTR, NF4REG, NFS4_MAXATTRLEN, NFS4_MAXLIST } from './constants.js';

/* Attribute numbers (RFC 7530 §5.8, RFC 8881 §5.8, RFC 7862 §12.2, RFC 8275, RFC 8276). */
export const FATTR4_SUPPORTED_ATTRS = 0;
export const FATTR4_TYPE = 1;
export const FATTR4_FH_EXPIRE_TYPE = 2;
export const FATTR4_CHANGE = 3;
export const FATTR4_SIZE = 4;
export const FATTR4_LINK_SUPPORT = 5;
export const FATTR4_SYMLINK_SUPPORT = 6;
export const FATTR4_NAMED_ATTR = 7;
export const FATTR4_FSID = 8;
export const FATTR4_UNIQUE_HANDLES = 9;
export const FATTR4_LEASE_TIME = 10;
export const FATTR4_RDATTR_ERROR = 11;
export const FATTR4_ACL = 12;
export const FATTR4_ACLSUPPORT = 13;
export const FATTR4_ARCHIVE = 14;
export const FATTR4_CANSETTIME = 15;
export const FATTR4_CASE_INSENSITIVE = 16;
export const FATTR4_CASE_PRESERVING = 17;
export const FATTR4_CHOWN_RESTRICTED = 18;
export const FATTR4_FILEHANDLE = 19;
export const FATTR4_FILEID = 20;
export const FATTR4_FILES_AVAIL = 21;
export const FATTR4_FILES_FREE = 22;
export const FATTR4_FILES_TOTAL = 23;
export const FATTR4_FS_LOCATIONS = 24;
export const FATTR4_HIDDEN = 25;
export const FATTR4_HOMOGENEOUS = 26;
export const FATTR4_MAXFILESIZE = 27;
export const FATTR4_MAXLINK = 28;
export const FATTR4_MAXNAME = 29;
export const FATTR4_MAXREAD = 30;
export const FATTR4_MAXWRITE = 31;
export const FATTR4_MIMETYPE = 32;
export const FATTR4_MODE = 33;
export const FATTR4_NO_TRUNC = 34;
export const FATTR4_NUMLINKS = 35;
export const FATTR4_OWNER = 36;
export const FATTR4_OWNER_GROUP = 37;
export const FATTR4_QUOTA_AVAIL_HARD = 38;
export const FATTR4_QUOTA_AVAIL_SOFT = 39;
export const FATTR4_QUOTA_USED = 40;
export const FATTR4_RAWDEV = 41;
export const FATTR4_SPACE_AVAIL = 42;
export const FATTR4_SPACE_FREE = 43;
export const FATTR4_SPACE_TOTAL = 44;
export const FATTR4_SPACE_USED = 45;
export const FATTR4_SYSTEM = 46;
export const FATTR4_TIME_ACCESS = 47;
export const FATTR4_TIME_ACCESS_SET = 48;
export const FATTR4_TIME_BACKUP = 49;
export const FATTR4_TIME_CREATE = 50;
export const FATTR4_TIME_DELTA = 51;
export const FATTR4_TIME_METADATA = 52;
export const FATTR4_TIME_MODIFY = 53;
export const FATTR4_TIME_MODIFY_SET = 54;
export const FATTR4_MOUNTED_ON_FILEID = 55;
export const FATTR4_DIR_NOTIF_DELAY = 56;
export const FATTR4_DIRENT_NOTIF_DELAY = 57;
export const FATTR4_DACL = 58;
export const FATTR4_SACL = 59;
export const FATTR4_CHANGE_POLICY = 60;
export const FATTR4_FS_STATUS = 61;
export const FATTR4_FS_LAYOUT_TYPES = 62;
export const FATTR4_LAYOUT_HINT = 63;
export const FATTR4_LAYOUT_TYPES = 64;
export const FATTR4_LAYOUT_BLKSIZE = 65;
export const FATTR4_LAYOUT_ALIGNMENT = 66;
export const FATTR4_FS_LOCATIONS_INFO = 67;
export const FATTR4_MDSTHRESHOLD = 68;
export const FATTR4_RETENTION_GET = 69;
export const FATTR4_RETENTION_SET = 70;
export const FATTR4_RETENTEVT_GET = 71;
export const FATTR4_RETENTEVT_SET = 72;
export const FATTR4_RETENTION_HOLD = 73;
export const FATTR4_MODE_SET_MASKED = 74;
export const FATTR4_SUPPATTR_EXCLCREAT = 75;
export const FATTR4_FS_CHARSET_CAP = 76;
export const FATTR4_CLONE_BLKSIZE = 77;
export const FATTR4_SPACE_FREED = 78;
export const FATTR4_CHANGE_ATTR_TYPE = 79;
export const FATTR4_SEC_LABEL = 80;
export const FATTR4_MODE_UMASK = 81;
export const FATTR4_XATTR_SUPPORT = 82;

/* Structured attribute types. */
export interface nfsace4 {
  type: number;
  flag: number;
  access_mask: number;
  who: string;
}
export const nfsace4: XdrCodec<nfsace4> = {
  encode(w, v) {
    w.uint(v.type, 'nfsace4.type');
    w.uint(v.flag, 'nfsace4.flag');
    w.uint(v.access_mask, 'nfsace4.access_mask');
    utf8str.encode(w, v.who);
  },
  decode(r) {
    const type = r.uint('nfsace4.type');
    const flag = r.uint('nfsace4.flag');
    const access_mask = r.uint('nfsace4.access_mask');
    const who = utf8str.decode(r);
    return { type, flag, access_mask, who };
  },
};
const writeAce = (w: XdrWriter, v: nfsace4): void => nfsace4.encode(w, v);
const readAce = (r: XdrReader): nfsace4 => nfsace4.decode(r);
const acl: XdrCodec<nfsace4[]> = {
  encode: (w, v) => w.array(v, NFS4_MAXLIST, writeAce, 'fattr4_acl'),
  decode: (r) => r.array(NFS4_MAXLIST, 16, readAce, 'fattr4_acl'),
};

export interface nfsacl41 {
  na41_flag: number;
  na41_aces: nfsace4[];
}
const nfsacl41: XdrCodec<nfsacl41> = {
  encode(w, v) {
    w.uint(v.na41_flag, 'nfsacl41.na41_flag');
    acl.encode(w, v.na41_aces);
  },
  decode(r) {
    const na41_flag = r.uint('nfsacl41.na41_flag');
    return { na41_flag, na41_aces: acl.decode(r) };
  },
};

export interface fs_location4 {
  server: string[];
  rootpath: string[];
}
export interface fs_locations4 {
  fs_root: string[];
  locations: fs_location4[];
}
const writeUtf8 = (w: XdrWriter, v: string): void => utf8str.encode(w, v);
const readUtf8 = (r: XdrReader): string => utf8str.decode(r);
const fs_location4: XdrCodec<fs_location4> = {
  encode(w, v) {
    w.array(v.server, NFS4_MAXLIST, writeUtf8, 'fs_location4.server');
    pathname4.encode(w, v.rootpath);
  },
  decode(r) {
    const server = r.array(NFS4_MAXLIST, 4, readUtf8, 'fs_location4.server');
    return { server, rootpath: pathname4.decode(r) };
  },
};
const fs_locations4: XdrCodec<fs_locations4> = {
  encode(w, v) {
    pathname4.encode(w, v.fs_root);
    w.array(v.locations, NFS4_MAXLIST, (ww, x) => fs_location4.encode(ww, x), 'fs_locations4.locations');
  },
  decode(r) {
    const fs_root = pathname4.decode(r);
    return { fs_root, locations: r.array(NFS4_MAXLIST, 8, (rr) => fs_location4.decode(rr), 'fs_locations4.locations') };
  },
};

export interface change_policy4 {
  cp_major: bigint;
  cp_minor: bigint;
}
export interface mode_masked4 {
  mm_value_to_set: number;
  mm_mask_bits: number;
}
export interface mode_umask4 {
  mu_mode: number;
  mu_umask: number;
}

/** The values of a fattr4, by attribute name (RFC names); only those whose bits are set are present. */
export interface Fattr4Values {
  supported_attrs?: bitmap4;
  type?: nfs_ftype4;
  fh_expire_type?: number;
  change?: bigint;
  size?: bigint;
  link_support?: boolean;
  symlink_support?: boolean;
  named_attr?: boolean;
  fsid?: fsid4;
  unique_handles?: boolean;
  lease_time?: number;
  /** READDIR's per-entry status when the entry's attributes could not be had (RFC 7530 §5.8.1.12). */
  rdattr_error?: number;
  acl?: nfsace4[];
  aclsupport?: number;
  archive?: boolean;
  cansettime?: boolean;
  case_insensitive?: boolean;
  case_preserving?: boolean;
  chown_restricted?: boolean;
  filehandle?: Buffer;
  fileid?: bigint;
  files_avail?: bigint;
  files_free?: bigint;
  files_total?: bigint;
  fs_locations?: fs_locations4;
  hidden?: boolean;
  homogeneous?: boolean;
  maxfilesize?: bigint;
  maxlink?: number;
  maxname?: number;
  maxread?: bigint;
  maxwrite?: bigint;
  mimetype?: string;
  mode?: number;
  no_trunc?: boolean;
  numlinks?: number;
  /** "uid" as a decimal string, or "user@domain". */
  owner?: string;
  owner_group?: string;
  quota_avail_hard?: bigint;
  quota_avail_soft?: bigint;
  quota_used?: bigint;
  rawdev?: specdata4;
  space_avail?: bigint;
  space_free?: bigint;
  space_total?: bigint;
  space_used?: bigint;
  system?: boolean;
  time_access?: nfstime4;
  time_access_set?: settime4;
  time_backup?: nfstime4;
  time_create?: nfstime4;
  time_delta?: nfstime4;
  time_metadata?: nfstime4;
  time_modify?: nfstime4;
  time_modify_set?: settime4;
  mounted_on_fileid?: bigint;
  dir_notif_delay?: nfstime4;
  dirent_notif_delay?: nfstime4;
  dacl?: nfsacl41;
  sacl?: nfsacl41;
  change_policy?: change_policy4;
  fs_layout_types?: number[];
  layout_types?: number[];
  layout_blksize?: number;
  layout_alignment?: number;
  retention_hold?: bigint;
  mode_set_masked?: mode_masked4;
  suppattr_exclcreat?: bitmap4;
  fs_charset_cap?: number;
  clone_blksize?: number;
  space_freed?: bigint;
  change_attr_type?: number;
  mode_umask?: mode_umask4;
  xattr_support?: boolean;
}

export interface fattr4 {
  attrmask: bitmap4;
  attr_vals: Fattr4Values;
}

type AttrName = keyof Fattr4Values;
interface AttrDef {
  name: AttrName;
  codec: XdrCodec<never>;
}

/* Codecs of the attribute value types. */
const u32 = (what: string): XdrCodec<number> => ({ encode: (w, v) => w.uint(v, what), decode: (r) => r.uint(what) });
const u64 = (what: string): XdrCodec<bigint> => ({ encode: (w, v) => w.uhyper(v, what), decode: (r) => r.uhyper(what) });
const bool = (what: string): XdrCodec<boolean> => ({ encode: (w, v) => w.bool(v), decode: (r) => r.bool(what) });
const ftype: XdrCodec<nfs_ftype4> = {
  encode: (w, v) => w.enum(v, 'fattr4_type', NF4REG, NF4NAMEDATTR),
  decode: (r) => r.enum(NF4REG, NF4NAMEDATTR, 'fattr4_type') as nfs_ftype4,
};
const status: XdrCodec<number> = { encode: (w, v) => w.int(v, 'fattr4_rdattr_error'), decode: (r) => r.int('fattr4_rdattr_error') };
const fh: XdrCodec<Buffer> = nfs_fh4;
const u32list = (what: string): XdrCodec<number[]> => ({
  encode: (w, v) => w.array(v, NFS4_MAXLIST, (ww, x) => ww.uint(x, what), what),
  decode: (r) => r.array(NFS4_MAXLIST, 4, (rr) => rr.uint(what), what),
});
const changePolicy: XdrCodec<change_policy4> = {
  encode(w, v) {
    w.uhyper(v.cp_major, 'change_policy4.cp_major');
    w.uhyper(v.cp_minor, 'change_policy4.cp_minor');
  },
  decode: (r) => ({ cp_major: r.uhyper('change_policy4.cp_major'), cp_minor: r.uhyper('change_policy4.cp_minor') }),
};
const modeMasked: XdrCodec<mode_masked4> = {
  encode(w, v) {
    w.uint(v.mm_value_to_set, 'mode_masked4.mm_value_to_set');
    w.uint(v.mm_mask_bits, 'mode_masked4.mm_mask_bits');
  },
  decode: (r) => ({ mm_value_to_set: r.uint('mode_masked4.mm_value_to_set'), mm_mask_bits: r.uint('mode_masked4.mm_mask_bits') }),
};
const modeUmask: XdrCodec<mode_umask4> = {
  encode(w, v) {
    w.uint(v.mu_mode, 'mode_umask4.mu_mode');
    w.uint(v.mu_umask, 'mode_umask4.mu_umask');
  },
  decode: (r) => ({ mu_mode: r.uint('mode_umask4.mu_mode'), mu_umask: r.uint('mode_umask4.mu_umask') }),
};

function def<T>(name: AttrName, codec: XdrCodec<T>): AttrDef {
  return { name, codec: codec as unknown as XdrCodec<never> };
}

/* The attributes this client encodes and decodes, by number (null: not decodable here). */
const ATTRS: readonly (AttrDef | null)[] = (() => {
  const t: (AttrDef | null)[] = [];
  const set = (n: number, d: AttrDef): void => {
    while (t.length <= n) t.push(null);
    t[n] = d;
  };
  set(FATTR4_SUPPORTED_ATTRS, def('supported_attrs', bitmap4));
  set(FATTR4_TYPE, def('type', ftype));
  set(FATTR4_FH_EXPIRE_TYPE, def('fh_expire_type', u32('fattr4_fh_expire_type')));
  set(FATTR4_CHANGE, def('change', u64('fattr4_change')));
  set(FATTR4_SIZE, def('size', u64('fattr4_size')));
  set(FATTR4_LINK_SUPPORT, def('link_support', bool('fattr4_link_support')));
  set(FATTR4_SYMLINK_SUPPORT, def('symlink_support', bool('fattr4_symlink_support')));
  set(FATTR4_NAMED_ATTR, def('named_attr', bool('fattr4_named_attr')));
  set(FATTR4_FSID, def('fsid', fsid4));
  set(FATTR4_UNIQUE_HANDLES, def('unique_handles', bool('fattr4_unique_handles')));
  set(FATTR4_LEASE_TIME, def('lease_time', u32('fattr4_lease_time')));
  set(FATTR4_RDATTR_ERROR, def('rdattr_error', status));
  set(FATTR4_ACL, def('acl', acl));
  set(FATTR4_ACLSUPPORT, def('aclsupport', u32('fattr4_aclsupport')));
  set(FATTR4_ARCHIVE, def('archive', bool('fattr4_archive')));
  set(FATTR4_CANSETTIME, def('cansettime', bool('fattr4_cansettime')));
  set(FATTR4_CASE_INSENSITIVE, def('case_insensitive', bool('fattr4_case_insensitive')));
  set(FATTR4_CASE_PRESERVING, def('case_preserving', bool('fattr4_case_preserving')));
  set(FATTR4_CHOWN_RESTRICTED, def('chown_restricted', bool('fattr4_chown_restricted')));
  set(FATTR4_FILEHANDLE, def('filehandle', fh));
  set(FATTR4_FILEID, def('fileid', u64('fattr4_fileid')));
  set(FATTR4_FILES_AVAIL, def('files_avail', u64('fattr4_files_avail')));
  set(FATTR4_FILES_FREE, def('files_free', u64('fattr4_files_free')));
  set(FATTR4_FILES_TOTAL, def('files_total', u64('fattr4_files_total')));
  set(FATTR4_FS_LOCATIONS, def('fs_locations', fs_locations4));
  set(FATTR4_HIDDEN, def('hidden', bool('fattr4_hidden')));
  set(FATTR4_HOMOGENEOUS, def('homogeneous', bool('fattr4_homogeneous')));
  set(FATTR4_MAXFILESIZE, def('maxfilesize', u64('fattr4_maxfilesize')));
  set(FATTR4_MAXLINK, def('maxlink', u32('fattr4_maxlink')));
  set(FATTR4_MAXNAME, def('maxname', u32('fattr4_maxname')));
  set(FATTR4_MAXREAD, def('maxread', u64('fattr4_maxread')));
  set(FATTR4_MAXWRITE, def('maxwrite', u64('fattr4_maxwrite')));
  set(FATTR4_MIMETYPE, def('mimetype', utf8str));
  set(FATTR4_MODE, def('mode', u32('fattr4_mode')));
  set(FATTR4_NO_TRUNC, def('no_trunc', bool('fattr4_no_trunc')));
  set(FATTR4_NUMLINKS, def('numlinks', u32('fattr4_numlinks')));
  set(FATTR4_OWNER, def('owner', utf8str));
  set(FATTR4_OWNER_GROUP, def('owner_group', utf8str));
  set(FATTR4_QUOTA_AVAIL_HARD, def('quota_avail_hard', u64('fattr4_quota_avail_hard')));
  set(FATTR4_QUOTA_AVAIL_SOFT, def('quota_avail_soft', u64('fattr4_quota_avail_soft')));
  set(FATTR4_QUOTA_USED, def('quota_used', u64('fattr4_quota_used')));
  set(FATTR4_RAWDEV, def('rawdev', specdata4));
  set(FATTR4_SPACE_AVAIL, def('space_avail', u64('fattr4_space_avail')));
  set(FATTR4_SPACE_FREE, def('space_free', u64('fattr4_space_free')));
  set(FATTR4_SPACE_TOTAL, def('space_total', u64('fattr4_space_total')));
  set(FATTR4_SPACE_USED, def('space_used', u64('fattr4_space_used')));
  set(FATTR4_SYSTEM, def('system', bool('fattr4_system')));
  set(FATTR4_TIME_ACCESS, def('time_access', nfstime4));
  set(FATTR4_TIME_ACCESS_SET, def('time_access_set', settime4));
  set(FATTR4_TIME_BACKUP, def('time_backup', nfstime4));
  set(FATTR4_TIME_CREATE, def('time_create', nfstime4));
  set(FATTR4_TIME_DELTA, def('time_delta', nfstime4));
  set(FATTR4_TIME_METADATA, def('time_metadata', nfstime4));
  set(FATTR4_TIME_MODIFY, def('time_modify', nfstime4));
  set(FATTR4_TIME_MODIFY_SET, def('time_modify_set', settime4));
  set(FATTR4_MOUNTED_ON_FILEID, def('mounted_on_fileid', u64('fattr4_mounted_on_fileid')));
  set(FATTR4_DIR_NOTIF_DELAY, def('dir_notif_delay', nfstime4));
  set(FATTR4_DIRENT_NOTIF_DELAY, def('dirent_notif_delay', nfstime4));
  set(FATTR4_DACL, def('dacl', nfsacl41));
  set(FATTR4_SACL, def('sacl', nfsacl41));
  set(FATTR4_CHANGE_POLICY, def('change_policy', changePolicy));
  set(FATTR4_FS_LAYOUT_TYPES, def('fs_layout_types', u32list('fattr4_fs_layout_types')));
  set(FATTR4_LAYOUT_TYPES, def('layout_types', u32list('fattr4_layout_types')));
  set(FATTR4_LAYOUT_BLKSIZE, def('layout_blksize', u32('fattr4_layout_blksize')));
  set(FATTR4_LAYOUT_ALIGNMENT, def('layout_alignment', u32('fattr4_layout_alignment')));
  set(FATTR4_RETENTION_HOLD, def('retention_hold', u64('fattr4_retention_hold')));
  set(FATTR4_MODE_SET_MASKED, def('mode_set_masked', modeMasked));
  set(FATTR4_SUPPATTR_EXCLCREAT, def('suppattr_exclcreat', bitmap4));
  set(FATTR4_FS_CHARSET_CAP, def('fs_charset_cap', u32('fattr4_fs_charset_cap')));
  set(FATTR4_CLONE_BLKSIZE, def('clone_blksize', u32('fattr4_clone_blksize')));
  set(FATTR4_SPACE_FREED, def('space_freed', u64('fattr4_space_freed')));
  set(FATTR4_CHANGE_ATTR_TYPE, def('change_attr_type', u32('fattr4_change_attr_type')));
  set(FATTR4_MODE_UMASK, def('mode_umask', modeUmask));
  set(FATTR4_XATTR_SUPPORT, def('xattr_support', bool('fattr4_xattr_support')));
  return t;
})();

const NUMBER_OF = new Map<string, number>();
ATTRS.forEach((d, n) => {
  if (d !== null) NUMBER_OF.set(d.name, n);
});

/** The RFC name of an attribute ('time_modify'), or `attribute <n>` for one this client does not know. */
export function fattr4Name(n: number): string {
  return ATTRS[n]?.name ?? `attribute ${n}`;
}

/** The attribute number of a name of Fattr4Values. */
export function fattr4Number(name: AttrName): number {
  return NUMBER_OF.get(name)!;
}

/** Whether this client can encode and decode attribute n. */
export function fattr4Known(n: number): boolean {
  return n >= 0 && n < ATTRS.length && ATTRS[n] !== null;
}

/** The attribute values alone (the opaque's contents, without its length), for a bitmap. */
function decodeValues(r: XdrReader, mask: readonly number[], end: number): Fattr4Values {
  const vals: Record<string, unknown> = {};
  for (let i = 0; i < mask.length; i++) {
    let word = mask[i]!;
    for (let j = 0; word !== 0; j++, word >>>= 1) {
      if ((word & 1) === 0) continue;
      const n = i * 32 + j;
      const d = n < ATTRS.length ? ATTRS[n] : null;
      if (d === null || d === undefined) r.fail(`attribute ${n} is set but this client cannot decode it`, 'fattr4');
      if (r.offset >= end) r.fail(`attribute ${n} (${d.name}) lies beyond the attribute values`, 'fattr4');
      vals[d.name] = d.codec.decode(r);
    }
  }
  return vals as Fattr4Values;
}

export const fattr4: XdrCodec<fattr4> = {
  encode(w, v) {
    bitmap4.encode(w, v.attrmask);
    const lenAt = w.reserve(4);
    const start = w.length;
    const vals = v.attr_vals as Record<string, unknown>;
    for (let i = 0; i < v.attrmask.length; i++) {
      let word = v.attrmask[i]!;
      for (let j = 0; word !== 0; j++, word >>>= 1) {
        if ((word & 1) === 0) continue;
        const n = i * 32 + j;
        const d = n < ATTRS.length ? ATTRS[n] : null;
        if (d === null || d === undefined) throw new XdrEncodeError(`attribute ${n} cannot be encoded`, 'fattr4');
        const x = vals[d.name];
        if (x === undefined) throw new XdrEncodeError(`attribute ${n} (${d.name}) is in attrmask but has no value`, 'fattr4');
        d.codec.encode(w, x as never);
      }
    }
    w.patchUint32(lenAt, w.length - start, 'fattr4.attr_vals');
  },
  decode(r) {
    const attrmask = bitmap4.decode(r);
    const at = r.offset;
    const n = r.uint('fattr4.attr_vals');
    if (n > NFS4_MAXATTRLEN) r.fail(`length ${n} exceeds the maximum of ${NFS4_MAXATTRLEN}`, 'fattr4.attr_vals', at);
    if (n > r.remaining) r.fail(`length ${n} exceeds the ${r.remaining} bytes remaining`, 'fattr4.attr_vals', at);
    const start = r.offset;
    const end = start + n;
    const attr_vals = decodeValues(r, attrmask, end);
    if (r.offset !== end) r.fail(`attribute values of ${n} bytes, ${r.offset - start} decoded`, 'fattr4.attr_vals', at);
    return { attrmask, attr_vals };
  },
};

/** A fattr4 of the values given (attrmask from the names present, in the shortest form). */
export function fattr4Of(vals: Fattr4Values): fattr4 {
  const bits: number[] = [];
  for (const [k, v] of Object.entries(vals)) {
    if (v === undefined) continue;
    const n = NUMBER_OF.get(k);
    if (n === undefined) throw new XdrEncodeError(`no attribute is named ${k}`, 'fattr4');
    bits.push(n);
  }
  return { attrmask: bitmap4Of(bits), attr_vals: vals };
}

/** The bitmap of a list of attribute names. */
export function attrmaskOf(names: readonly AttrName[]): bitmap4 {
  return bitmap4Of(names.map((k) => NUMBER_OF.get(k)!));
}

/** An empty fattr4 (no attributes). */
export function emptyFattr4(): fattr4 {
  return { attrmask: [], attr_vals: {} };
}
