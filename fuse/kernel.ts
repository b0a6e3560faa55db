/*
 * The FUSE kernel interface, from include/uapi/linux/fuse.h (protocol 7.38, the version Debian
 * bookworm's linux-libc-dev carries): opcodes, flags, and the sizes and field offsets of the
 * structures this server reads and writes. Kernel names throughout. Every structure is
 * little-endian on the hosts this runs on and padded to 64 bits, as the header lays it out.
 */

/** The protocol this server speaks (a kernel offering a newer minor gets this one back). */
export const FUSE_KERNEL_VERSION = 7;
export const FUSE_KERNEL_MINOR_VERSION = 38;

/** The node ID of the root inode. */
export const FUSE_ROOT_ID = 1;

/* enum fuse_opcode */
export const FUSE_LOOKUP = 1;
export const FUSE_FORGET = 2; /* no reply */
export const FUSE_GETATTR = 3;
export const FUSE_SETATTR = 4;
export const FUSE_READLINK = 5;
export const FUSE_SYMLINK = 6;
export const FUSE_MKNOD = 8;
export const FUSE_MKDIR = 9;
export const FUSE_UNLINK = 10;
export const FUSE_RMDIR = 11;
export const FUSE_RENAME = 12;
export const FUSE_LINK = 13;
export const FUSE_OPEN = 14;
export const FUSE_READ = 15;
export const FUSE_WRITE = 16;
export const FUSE_STATFS = 17;
export const FUSE_RELEASE = 18;
export const FUSE_FSYNC = 20;
export const FUSE_SETXATTR = 21;
export const FUSE_GETXATTR = 22;
export const FUSE_LISTXATTR = 23;
export const FUSE_REMOVEXATTR = 24;
export const FUSE_FLUSH = 25;
export const FUSE_INIT = 26;
export const FUSE_OPENDIR = 27;
export const FUSE_READDIR = 28;
export const FUSE_RELEASEDIR = 29;
export const FUSE_FSYNCDIR = 30;
export const FUSE_GETLK = 31;
export const FUSE_SETLK = 32;
export const FUSE_SETLKW = 33;
export const FUSE_ACCESS = 34;
export const FUSE_CREATE = 35;
export const FUSE_INTERRUPT = 36;
export const FUSE_BMAP = 37;
export const FUSE_DESTROY = 38;
export const FUSE_IOCTL = 39;
export const FUSE_POLL = 40;
export const FUSE_NOTIFY_REPLY = 41;
export const FUSE_BATCH_FORGET = 42;
export const FUSE_FALLOCATE = 43;
export const FUSE_READDIRPLUS = 44;
export const FUSE_RENAME2 = 45;
export const FUSE_LSEEK = 46;
export const FUSE_COPY_FILE_RANGE = 47;
export const FUSE_SETUPMAPPING = 48;
export const FUSE_REMOVEMAPPING = 49;
export const FUSE_SYNCFS = 50;
export const FUSE_TMPFILE = 51;
/* CUSE, and the byte-swapped INIT a kernel of the other endianness would send. */
export const CUSE_INIT = 4096;
export const FUSE_INIT_BSWAP_RESERVED = 436207616;

/** Opcode names, for logs and docs. */
export const OPCODE_NAMES: Readonly<Record<number, string>> = {
  [FUSE_LOOKUP]: 'LOOKUP', [FUSE_FORGET]: 'FORGET', [FUSE_GETATTR]: 'GETATTR', [FUSE_SETATTR]: 'SETATTR',
  [FUSE_READLINK]: 'READLINK', [FUSE_SYMLINK]: 'SYMLINK', [FUSE_MKNOD]: 'MKNOD', [FUSE_MKDIR]: 'MKDIR',
  [FUSE_UNLINK]: 'UNLINK', [FUSE_RMDIR]: 'RMDIR', [FUSE_RENAME]: 'RENAME', [FUSE_LINK]: 'LINK',
  [FUSE_OPEN]: 'OPEN', [FUSE_READ]: 'READ', [FUSE_WRITE]: 'WRITE', [FUSE_STATFS]: 'STATFS',
  [FUSE_RELEASE]: 'RELEASE', [FUSE_FSYNC]: 'FSYNC', [FUSE_SETXATTR]: 'SETXATTR', [FUSE_GETXATTR]: 'GETXATTR',
  [FUSE_LISTXATTR]: 'LISTXATTR', [FUSE_REMOVEXATTR]: 'REMOVEXATTR', [FUSE_FLUSH]: 'FLUSH', [FUSE_INIT]: 'INIT',
  [FUSE_OPENDIR]: 'OPENDIR', [FUSE_READDIR]: 'READDIR', [FUSE_RELEASEDIR]: 'RELEASEDIR', [FUSE_FSYNCDIR]: 'FSYNCDIR',
  [FUSE_GETLK]: 'GETLK', [FUSE_SETLK]: 'SETLK', [FUSE_SETLKW]: 'SETLKW', [FUSE_ACCESS]: 'ACCESS',
  [FUSE_CREATE]: 'CREATE', [FUSE_INTERRUPT]: 'INTERRUPT', [FUSE_BMAP]: 'BMAP', [FUSE_DESTROY]: 'DESTROY',
  [FUSE_IOCTL]: 'IOCTL', [FUSE_POLL]: 'POLL', [FUSE_NOTIFY_REPLY]: 'NOTIFY_REPLY', [FUSE_BATCH_FORGET]: 'BATCH_FORGET',
  [FUSE_FALLOCATE]: 'FALLOCATE', [FUSE_READDIRPLUS]: 'READDIRPLUS', [FUSE_RENAME2]: 'RENAME2', [FUSE_LSEEK]: 'LSEEK',
  [FUSE_COPY_FILE_RANGE]: 'COPY_FILE_RANGE', [FUSE_SETUPMAPPING]: 'SETUPMAPPING',
  [FUSE_REMOVEMAPPING]: 'REMOVEMAPPING', [FUSE_SYNCFS]: 'SYNCFS', [FUSE_TMPFILE]: 'TMPFILE',
};

/* enum fuse_notify_code */
export const FUSE_NOTIFY_POLL = 1;
export const FUSE_NOTIFY_INVAL_INODE = 2;
export const FUSE_NOTIFY_INVAL_ENTRY = 3;
export const FUSE_NOTIFY_STORE = 4;
export const FUSE_NOTIFY_RETRIEVE = 5;
export const FUSE_NOTIFY_DELETE = 6;

/* INIT request/reply flags (fuse_init_in.flags / fuse_init_out.flags) */
export const FUSE_ASYNC_READ = 1 << 0;
export const FUSE_POSIX_LOCKS = 1 << 1;
export const FUSE_ATOMIC_O_TRUNC = 1 << 3;
export const FUSE_EXPORT_SUPPORT = 1 << 4;
export const FUSE_BIG_WRITES = 1 << 5;
export const FUSE_DONT_MASK = 1 << 6;
export const FUSE_FLOCK_LOCKS = 1 << 10;
export const FUSE_AUTO_INVAL_DATA = 1 << 12;
export const FUSE_DO_READDIRPLUS = 1 << 13;
export const FUSE_READDIRPLUS_AUTO = 1 << 14;
export const FUSE_ASYNC_DIO = 1 << 15;
export const FUSE_WRITEBACK_CACHE = 1 << 16;
export const FUSE_NO_OPEN_SUPPORT = 1 << 17;
export const FUSE_PARALLEL_DIROPS = 1 << 18;
export const FUSE_HANDLE_KILLPRIV = 1 << 19;
export const FUSE_POSIX_ACL = 1 << 20;
export const FUSE_ABORT_ERROR = 1 << 21;
export const FUSE_MAX_PAGES = 1 << 22;
export const FUSE_CACHE_SYMLINKS = 1 << 23;
export const FUSE_NO_OPENDIR_SUPPORT = 1 << 24;
export const FUSE_EXPLICIT_INVAL_DATA = 1 << 25;
export const FUSE_INIT_EXT = 1 << 30;

/* fuse_setattr_in.valid */
export const FATTR_MODE = 1 << 0;
export const FATTR_UID = 1 << 1;
export const FATTR_GID = 1 << 2;
export const FATTR_SIZE = 1 << 3;
export const FATTR_ATIME = 1 << 4;
export const FATTR_MTIME = 1 << 5;
export const FATTR_FH = 1 << 6;
export const FATTR_ATIME_NOW = 1 << 7;
export const FATTR_MTIME_NOW = 1 << 8;
export const FATTR_LOCKOWNER = 1 << 9;
export const FATTR_CTIME = 1 << 10;
export const FATTR_KILL_SUIDGID = 1 << 11;

/* fuse_open_out.open_flags */
export const FOPEN_DIRECT_IO = 1 << 0;
export const FOPEN_KEEP_CACHE = 1 << 1;
export const FOPEN_NONSEEKABLE = 1 << 2;
export const FOPEN_CACHE_DIR = 1 << 3;

/* fuse_getattr_in.getattr_flags */
export const FUSE_GETATTR_FH = 1 << 0;
/* fuse_fsync_in.fsync_flags */
export const FUSE_FSYNC_FDATASYNC = 1 << 0;
/* fuse_release_in.release_flags */
export const FUSE_RELEASE_FLUSH = 1 << 0;

/* renameat2(2) flags, as FUSE_RENAME2 carries them (include/uapi/linux/fs.h) */
export const RENAME_NOREPLACE = 1 << 0;
export const RENAME_EXCHANGE = 1 << 1;
export const RENAME_WHITEOUT = 1 << 2;

/* The read buffer must hold at least this (FUSE_MIN_READ_BUFFER), and a whole WRITE request:
 * sizeof(fuse_in_header) + sizeof(fuse_write_in) + max_write (fuse_dev_do_read's check). */
export const FUSE_MIN_READ_BUFFER = 8192;

/* Structure sizes */
export const FUSE_IN_HEADER_SIZE = 40; /* struct fuse_in_header */
export const FUSE_OUT_HEADER_SIZE = 16; /* struct fuse_out_header */
export const FUSE_ATTR_SIZE = 88; /* struct fuse_attr */
export const FUSE_ENTRY_OUT_SIZE = 40 + FUSE_ATTR_SIZE; /* struct fuse_entry_out: 128 */
export const FUSE_ATTR_OUT_SIZE = 16 + FUSE_ATTR_SIZE; /* struct fuse_attr_out: 104 */
export const FUSE_OPEN_OUT_SIZE = 16;
export const FUSE_WRITE_IN_SIZE = 40;
export const FUSE_WRITE_OUT_SIZE = 8;
export const FUSE_STATFS_OUT_SIZE = 80; /* struct fuse_kstatfs */
export const FUSE_INIT_OUT_SIZE = 64;
export const FUSE_DIRENT_NAME_OFFSET = 24; /* offsetof(struct fuse_dirent, name) */
export const FUSE_DIRENTPLUS_NAME_OFFSET = FUSE_ENTRY_OUT_SIZE + FUSE_DIRENT_NAME_OFFSET; /* 152 */
export const FUSE_NOTIFY_INVAL_INODE_OUT_SIZE = 24;

/** FUSE_REC_ALIGN: variable-length records (dirents) are padded to 8 bytes. */
export function FUSE_REC_ALIGN(x: number): number {
  return (x + 7) & ~7;
}

/* stat(2) type bits */
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
