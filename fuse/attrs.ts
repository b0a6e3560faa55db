/*
 * Attributes and cache timeouts as the kernel takes them.
 *
 * fuse_attr from the client's NfsBigIntStats: st_ino is the NFS fileid and st_dev the kernel's
 * own (the FUSE connection's), mode with its S_IF* bits, times to the nanosecond, blksize the
 * mount's wsize (what Linux reports for NFS, and what cp and friends size their buffers by).
 *
 * Timeouts follow the mount's attribute-cache options, as a kernel NFS client's dentry and inode
 * caches do: a file's attributes are trusted for acregmin seconds, a directory's for acdirmin, and
 * a name (positive, or negative with lookupcache=all) for acdirmin — the client's name cache ties
 * names to their directory's attributes. noac makes them all 0: every stat(2) asks.
 */
import type { MountOptions, NfsBigIntStats } from '../nfsclient/index.js';
import type { FuseAttr } from './codec.js';
import { S_IFDIR, S_IFMT } from './kernel.js';

const NS = 1_000_000_000n;

export function fuseAttr(st: NfsBigIntStats): FuseAttr {
  return {
    ino: st.ino,
    size: st.size,
    blocks: st.blocks,
    atime: st.atimeNs / NS,
    mtime: st.mtimeNs / NS,
    ctime: st.ctimeNs / NS,
    atimensec: Number(st.atimeNs % NS),
    mtimensec: Number(st.mtimeNs % NS),
    ctimensec: Number(st.ctimeNs % NS),
    mode: Number(st.mode),
    nlink: Number(st.nlink),
    uid: Number(st.uid),
    gid: Number(st.gid),
    rdev: Number(st.rdev),
    blksize: Number(st.blksize),
  };
}

/** "fsid:fileid": a file's identity on the server. */
export function identity(st: NfsBigIntStats): string {
  return `${st.dev}:${st.ino}`;
}

/** The data stamp of a file: what close-to-open compares (size, mtime, ctime). */
export function dataStamp(st: NfsBigIntStats): string {
  return `${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

export function typeOf(st: NfsBigIntStats): number {
  return Number(st.mode) & S_IFMT;
}

/** Cache timeouts (seconds) for the kernel, from the mount's options. */
export class Timeouts {
  readonly file: number;
  readonly dir: number;
  /** How long a name is trusted. */
  readonly entry: number;
  /** How long "no such name" is trusted (0: not cached, the kernel asks each time). */
  readonly negative: number;

  constructor(o: Readonly<Pick<MountOptions, 'noac' | 'acregmin' | 'acdirmin' | 'lookupcache'>>) {
    this.file = o.noac ? 0 : o.acregmin;
    this.dir = o.noac ? 0 : o.acdirmin;
    this.entry = o.noac || o.lookupcache === 'none' ? 0 : o.acdirmin;
    this.negative = o.noac || o.lookupcache !== 'all' ? 0 : o.acdirmin;
  }

  /** The attribute timeout for a node of S_IF* type `type`. */
  attr(type: number): number {
    return type === S_IFDIR ? this.dir : this.file;
  }
}
