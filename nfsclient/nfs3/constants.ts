/* NFS version 3 (RFC 1813 §2.2, §2.5, §3.3): program, procedures, sizes, enums and bit masks. */

export const NFS_PROGRAM = 100003;
export const NFS_V3 = 3;

/** Procedures (RFC 1813 §3.3.0 – §3.3.21). */
export const NFSPROC3 = {
  NFSPROC3_NULL: 0,
  NFSPROC3_GETATTR: 1,
  NFSPROC3_SETATTR: 2,
  NFSPROC3_LOOKUP: 3,
  NFSPROC3_ACCESS: 4,
  NFSPROC3_READLINK: 5,
  NFSPROC3_READ: 6,
  NFSPROC3_WRITE: 7,
  NFSPROC3_CREATE: 8,
  NFSPROC3_MKDIR: 9,
  NFSPROC3_SYMLINK: 10,
  NFSPROC3_MKNOD: 11,
  NFSPROC3_REMOVE: 12,
  NFSPROC3_RMDIR: 13,
  NFSPROC3_RENAME: 14,
  NFSPROC3_LINK: 15,
  NFSPROC3_READDIR: 16,
  NFSPROC3_READDIRPLUS: 17,
  NFSPROC3_FSSTAT: 18,
  NFSPROC3_FSINFO: 19,
  NFSPROC3_PATHCONF: 20,
  NFSPROC3_COMMIT: 21,
} as const;
export const {
  NFSPROC3_NULL, NFSPROC3_GETATTR, NFSPROC3_SETATTR, NFSPROC3_LOOKUP, NFSPROC3_ACCESS, NFSPROC3_READLINK,
  NFSPROC3_READ, NFSPROC3_WRITE, NFSPROC3_CREATE, NFSPROC3_MKDIR, NFSPROC3_SYMLINK, NFSPROC3_MKNOD,
  NFSPROC3_REMOVE, NFSPROC3_RMDIR, NFSPROC3_RENAME, NFSPROC3_LINK, NFSPROC3_READDIR, NFSPROC3_READDIRPLUS,
  NFSPROC3_FSSTAT, NFSPROC3_FSINFO, NFSPROC3_PATHCONF, NFSPROC3_COMMIT,
} = NFSPROC3;

/** Sizes (RFC 1813 §2.4). */
export const NFS3_FHSIZE = 64;
export const NFS3_COOKIEVERFSIZE = 8;
export const NFS3_CREATEVERFSIZE = 8;
export const NFS3_WRITEVERFSIZE = 8;

/*
 * Declared maxima for what RFC 1813 leaves unbounded (filename3 and nfspath3 are string<>, READ and
 * WRITE data opaque<>). Decoders refuse more; everything is also checked against the bytes present.
 */
/**
 * filename3: 1024 bytes. Linux's client stops at 255 (NAME_MAX); this is larger so that a READDIR
 * reply holding one long name from an unusual server does not fail as a whole.
 */
export const NFS3_MAXNAMLEN = 1024;
/** nfspath3 (symlink targets): 4096 bytes, PATH_MAX. */
export const NFS3_MAXPATHLEN = 4096;
/** READ/WRITE data: 64 MiB, far above any server's rtmax/wtmax; a record bound applies first. */
export const NFS3_MAXDATA = 64 * 1024 * 1024;

/** enum ftype3 (RFC 1813 §2.6). */
export const ftype3 = {
  NF3REG: 1, NF3DIR: 2, NF3BLK: 3, NF3CHR: 4, NF3LNK: 5, NF3SOCK: 6, NF3FIFO: 7,
} as const;
export type ftype3 = (typeof ftype3)[keyof typeof ftype3];
export const { NF3REG, NF3DIR, NF3BLK, NF3CHR, NF3LNK, NF3SOCK, NF3FIFO } = ftype3;

/** enum time_how (RFC 1813 §2.6, sattr3). */
export const time_how = { DONT_CHANGE: 0, SET_TO_SERVER_TIME: 1, SET_TO_CLIENT_TIME: 2 } as const;
export type time_how = (typeof time_how)[keyof typeof time_how];
export const { DONT_CHANGE, SET_TO_SERVER_TIME, SET_TO_CLIENT_TIME } = time_how;

/** enum stable_how (RFC 1813 §3.3.7). */
export const stable_how = { UNSTABLE: 0, DATA_SYNC: 1, FILE_SYNC: 2 } as const;
export type stable_how = (typeof stable_how)[keyof typeof stable_how];
export const { UNSTABLE, DATA_SYNC, FILE_SYNC } = stable_how;

/** enum createmode3 (RFC 1813 §3.3.8). */
export const createmode3 = { UNCHECKED: 0, GUARDED: 1, EXCLUSIVE: 2 } as const;
export type createmode3 = (typeof createmode3)[keyof typeof createmode3];
export const { UNCHECKED, GUARDED, EXCLUSIVE } = createmode3;

/** ACCESS bits (RFC 1813 §3.3.4). */
export const ACCESS3_READ = 0x0001;
export const ACCESS3_LOOKUP = 0x0002;
export const ACCESS3_MODIFY = 0x0004;
export const ACCESS3_EXTEND = 0x0008;
export const ACCESS3_DELETE = 0x0010;
export const ACCESS3_EXECUTE = 0x0020;

/** FSINFO properties bits (RFC 1813 §3.3.19). */
export const FSF3_LINK = 0x0001;
export const FSF3_SYMLINK = 0x0002;
export const FSF3_HOMOGENEOUS = 0x0008;
export const FSF3_CANSETTIME = 0x0010;
