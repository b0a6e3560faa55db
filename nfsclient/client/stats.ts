/*
 * The objects the high tier returns, shaped like Node's: Stats / BigIntStats (fs.Stats), Dirent,
 * StatFs. Built from RFC 1813 fattr3 and FSSTAT3resok.
 *
 * - mode carries the S_IF* type bits of the fattr3 type, as stat(2) does (fattr3's mode has only
 *   the permission bits).
 * - dev is the fsid, ino the fileid, rdev makedev(specdata1, specdata2) in Linux's encoding.
 * - blksize is the mount's wsize (what Linux reports for NFS); blocks = used / 512, rounded up.
 * - birthtime: NFSv3 has none; 0 (the epoch), as Node reports when the file system does not say.
 * - Numbers above 2^53 lose precision in the Number forms; `{ bigint: true }` keeps them exact.
 */
import type { fattr3 } from '../nfs3/attr.js';
import type { nfstime3 } from '../nfs3/basic.js';
import { NF3BLK, NF3CHR, NF3DIR, NF3FIFO, NF3LNK, NF3REG, NF3SOCK } from '../nfs3/constants.js';
import type { ftype3 } from '../nfs3/constants.js';
import type { FSSTAT3resok } from '../nfs3/proc-fs.js';

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

/** The S_IF* bits of an NFS file type. */
export function typeBits(t: ftype3): number {
  switch (t) {
    case NF3REG: return S_IFREG;
    case NF3DIR: return S_IFDIR;
    case NF3BLK: return S_IFBLK;
    case NF3CHR: return S_IFCHR;
    case NF3LNK: return S_IFLNK;
    case NF3SOCK: return S_IFSOCK;
    case NF3FIFO: return S_IFIFO;
    default: return 0;
  }
}

/** Linux's makedev (new_encode_dev), so rdev reads as it would on a Linux NFS mount. */
function makedev(major: number, minor: number): number {
  return ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)) >>> 0;
}

/* Blocks of 512 bytes for `used` bytes, rounded up (exact for any uint64). */
function blocksOf(used: bigint): number {
  return used <= 0x1fffffffffffffn ? Math.ceil(Number(used) / 512) : Number((used + 511n) / 512n);
}

function ms(t: nfstime3): number {
  return t.seconds * 1000 + t.nseconds / 1e6;
}

function ns(t: nfstime3): bigint {
  return BigInt(t.seconds) * 1_000_000_000n + BigInt(t.nseconds);
}

/* The type predicates, shared by Stats, BigIntStats and Dirent. */
abstract class TypeTests {
  protected abstract get fmt(): number;
  isFile(): boolean { return this.fmt === S_IFREG; }
  isDirectory(): boolean { return this.fmt === S_IFDIR; }
  isBlockDevice(): boolean { return this.fmt === S_IFBLK; }
  isCharacterDevice(): boolean { return this.fmt === S_IFCHR; }
  isSymbolicLink(): boolean { return this.fmt === S_IFLNK; }
  isFIFO(): boolean { return this.fmt === S_IFIFO; }
  isSocket(): boolean { return this.fmt === S_IFSOCK; }
}

/** fs.Stats-shaped attributes (numbers). */
export class NfsStats extends TypeTests {
  dev: number; ino: number; mode: number; nlink: number; uid: number; gid: number; rdev: number;
  size: number; blksize: number; blocks: number;
  atimeMs: number; mtimeMs: number; ctimeMs: number; birthtimeMs: number;
  atime: Date; mtime: Date; ctime: Date; birthtime: Date;

  constructor(a: fattr3, blksize: number) {
    super();
    this.dev = Number(a.fsid);
    this.ino = Number(a.fileid);
    this.mode = typeBits(a.type) | (a.mode & 0o7777);
    this.nlink = a.nlink;
    this.uid = a.uid;
    this.gid = a.gid;
    this.rdev = makedev(a.rdev.specdata1, a.rdev.specdata2);
    this.size = Number(a.size);
    this.blksize = blksize;
    this.blocks = blocksOf(a.used);
    this.atimeMs = ms(a.atime);
    this.mtimeMs = ms(a.mtime);
    this.ctimeMs = ms(a.ctime);
    this.birthtimeMs = 0;
    this.atime = new Date(this.atimeMs);
    this.mtime = new Date(this.mtimeMs);
    this.ctime = new Date(this.ctimeMs);
    this.birthtime = new Date(0);
  }

  protected get fmt(): number {
    return this.mode & S_IFMT;
  }
}

/**
 * The numbers of NfsStats a listing shows (ls -l), computed exactly as NfsStats computes them but
 * without its Dates: for listings of many entries.
 */
export interface StatNumbers {
  mode: number; nlink: number; uid: number; gid: number; rdev: number; size: number; blocks: number; mtimeMs: number;
}

export function statNumbers(a: fattr3): StatNumbers {
  return {
    mode: typeBits(a.type) | (a.mode & 0o7777),
    nlink: a.nlink,
    uid: a.uid,
    gid: a.gid,
    rdev: makedev(a.rdev.specdata1, a.rdev.specdata2),
    size: Number(a.size),
    blocks: blocksOf(a.used),
    mtimeMs: ms(a.mtime),
  };
}

/** fs.BigIntStats-shaped attributes: every number a bigint, plus nanosecond times. */
export class NfsBigIntStats extends TypeTests {
  dev: bigint; ino: bigint; mode: bigint; nlink: bigint; uid: bigint; gid: bigint; rdev: bigint;
  size: bigint; blksize: bigint; blocks: bigint;
  atimeMs: bigint; mtimeMs: bigint; ctimeMs: bigint; birthtimeMs: bigint;
  atimeNs: bigint; mtimeNs: bigint; ctimeNs: bigint; birthtimeNs: bigint;
  atime: Date; mtime: Date; ctime: Date; birthtime: Date;

  constructor(a: fattr3, blksize: number) {
    super();
    this.dev = a.fsid;
    this.ino = a.fileid;
    this.mode = BigInt(typeBits(a.type) | (a.mode & 0o7777));
    this.nlink = BigInt(a.nlink);
    this.uid = BigInt(a.uid);
    this.gid = BigInt(a.gid);
    this.rdev = BigInt(makedev(a.rdev.specdata1, a.rdev.specdata2));
    this.size = a.size;
    this.blksize = BigInt(blksize);
    this.blocks = (a.used + 511n) / 512n;
    this.atimeNs = ns(a.atime);
    this.mtimeNs = ns(a.mtime);
    this.ctimeNs = ns(a.ctime);
    this.birthtimeNs = 0n;
    this.atimeMs = this.atimeNs / 1_000_000n;
    this.mtimeMs = this.mtimeNs / 1_000_000n;
    this.ctimeMs = this.ctimeNs / 1_000_000n;
    this.birthtimeMs = 0n;
    this.atime = new Date(ms(a.atime));
    this.mtime = new Date(ms(a.mtime));
    this.ctime = new Date(ms(a.ctime));
    this.birthtime = new Date(0);
  }

  protected get fmt(): number {
    return Number(this.mode) & S_IFMT;
  }
}

/** fs.Dirent-shaped directory entry. */
export class NfsDirent extends TypeTests {
  constructor(
    /** The entry's name (for a recursive listing: its path relative to the listed directory). */
    readonly name: string,
    /** The directory the entry is in (mount-relative). */
    readonly parentPath: string,
    /** S_IF* type bits (0 if unknown). */
    readonly type: number,
  ) {
    super();
  }

  /** Deprecated alias of parentPath, as Node keeps it. */
  get path(): string {
    return this.parentPath;
  }

  protected get fmt(): number {
    return this.type;
  }
}

/** fs.StatFs-shaped file system statistics (FSSTAT). */
export interface NfsStatFs<T extends number | bigint = number> {
  /** NFS_SUPER_MAGIC (0x6969), as Linux reports for NFS. */
  type: T;
  /** Block size the counts are in (4096). */
  bsize: T;
  blocks: T;
  bfree: T;
  bavail: T;
  files: T;
  ffree: T;
}

const NFS_SUPER_MAGIC = 0x6969;
const STATFS_BSIZE = 4096n;

export function statFs(r: FSSTAT3resok, bigint: boolean): NfsStatFs<number> | NfsStatFs<bigint> {
  const b: NfsStatFs<bigint> = {
    type: BigInt(NFS_SUPER_MAGIC),
    bsize: STATFS_BSIZE,
    blocks: r.tbytes / STATFS_BSIZE,
    bfree: r.fbytes / STATFS_BSIZE,
    bavail: r.abytes / STATFS_BSIZE,
    files: r.tfiles,
    ffree: r.ffiles,
  };
  if (bigint) return b;
  return {
    type: NFS_SUPER_MAGIC, bsize: Number(b.bsize), blocks: Number(b.blocks), bfree: Number(b.bfree),
    bavail: Number(b.bavail), files: Number(b.files), ffree: Number(b.ffree),
  };
}
