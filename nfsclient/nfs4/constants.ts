/*
 * NFSv4 constants (RFC 7531 for v4.0, RFC 8881 §23 for v4.1): the program, the limits of the
 * basic types, the operation numbers, and the enums and flag words of the arguments and results.
 * Names are the RFCs'.
 */

export const NFS4_PROGRAM = 100003;
export const NFS_V4 = 4;
/** The two procedures of NFSv4 (RFC 7530 §16.1, §16.2). */
export const NFSPROC4_NULL = 0;
export const NFSPROC4_COMPOUND = 1;
/** The minor versions this client speaks (4.2 is spoken as 4.1: none of its new operations is used). */
export const NFS4_MINOR_VERSIONS = [0, 1, 2] as const;
export type Nfs4MinorVersion = (typeof NFS4_MINOR_VERSIONS)[number];

/* Sizes of the basic types (RFC 7531, RFC 8881 §3.1). */
export const NFS4_FHSIZE = 128;
export const NFS4_VERIFIER_SIZE = 8;
export const NFS4_OTHER_SIZE = 12;
export const NFS4_OPAQUE_LIMIT = 1024;
export const NFS4_SESSIONID_SIZE = 16;

/*
 * Declared maxima of this client for the XDR types the RFCs leave unbounded (opaque<>, string<>,
 * T<>): replies beyond them are malformed (XdrDecodeError) before anything is allocated.
 */
/** A name (component4) or user/group string (utf8str): a server sends at most 255-byte names; owners are short. */
export const NFS4_MAXNAMLEN = 1024;
/** A symbolic link's text (linktext4), PATH_MAX. */
export const NFS4_MAXPATHLEN = 4096;
/** Components of a pathname4 (fs_locations). */
export const NFS4_MAXPATHCOMPONENTS = 256;
/** bitmap4 words: 4 words hold attributes 0..127, far beyond every minor version's. */
export const NFS4_MAXBITMAPWORDS = 8;
/** READ and WRITE data: far above any server's maxread/maxwrite (the RPC record size bounds it first). */
export const NFS4_MAXDATA = 0x4000000;
/** The attribute values of one fattr4. */
export const NFS4_MAXATTRLEN = 0x100000;
/** Operations in one COMPOUND (servers allow far fewer: ca_maxoperations). */
export const NFS4_MAXOPS = 1024;
/** A COMPOUND tag. */
export const NFS4_MAXTAGLEN = 1024;
/** ACEs in one ACL, and other small lists of a reply. */
export const NFS4_MAXLIST = 4096;

/* nfs_ftype4 (RFC 7531). */
export const NF4REG = 1;
export const NF4DIR = 2;
export const NF4BLK = 3;
export const NF4CHR = 4;
export const NF4LNK = 5;
export const NF4SOCK = 6;
export const NF4FIFO = 7;
export const NF4ATTRDIR = 8;
export const NF4NAMEDATTR = 9;
export type nfs_ftype4 = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/* ACCESS4 bits (RFC 7530 §16.1). */
export const ACCESS4_READ = 0x01;
export const ACCESS4_LOOKUP = 0x02;
export const ACCESS4_MODIFY = 0x04;
export const ACCESS4_EXTEND = 0x08;
export const ACCESS4_DELETE = 0x10;
export const ACCESS4_EXECUTE = 0x20;

/* fh_expire_type (RFC 7530 §4.2.3). */
export const FH4_PERSISTENT = 0x00;
export const FH4_NOEXPIRE_WITH_OPEN = 0x01;
export const FH4_VOLATILE_ANY = 0x02;
export const FH4_VOL_MIGRATION = 0x04;
export const FH4_VOL_RENAME = 0x08;

/* time_how4. */
export const SET_TO_SERVER_TIME4 = 0;
export const SET_TO_CLIENT_TIME4 = 1;

/* stable_how4. */
export const UNSTABLE4 = 0;
export const DATA_SYNC4 = 1;
export const FILE_SYNC4 = 2;
export type stable_how4 = 0 | 1 | 2;

/* OPEN share access and deny (RFC 7530 §16.16; the WANT bits RFC 8881 §18.16.3, 4.1 only). */
export const OPEN4_SHARE_ACCESS_READ = 0x1;
export const OPEN4_SHARE_ACCESS_WRITE = 0x2;
export const OPEN4_SHARE_ACCESS_BOTH = 0x3;
export const OPEN4_SHARE_DENY_NONE = 0x0;
export const OPEN4_SHARE_DENY_READ = 0x1;
export const OPEN4_SHARE_DENY_WRITE = 0x2;
export const OPEN4_SHARE_DENY_BOTH = 0x3;
export const OPEN4_SHARE_ACCESS_WANT_DELEG_MASK = 0xff00;
export const OPEN4_SHARE_ACCESS_WANT_NO_PREFERENCE = 0x0000;
export const OPEN4_SHARE_ACCESS_WANT_READ_DELEG = 0x0100;
export const OPEN4_SHARE_ACCESS_WANT_WRITE_DELEG = 0x0200;
export const OPEN4_SHARE_ACCESS_WANT_ANY_DELEG = 0x0300;
export const OPEN4_SHARE_ACCESS_WANT_NO_DELEG = 0x0400;
export const OPEN4_SHARE_ACCESS_WANT_CANCEL = 0x0500;

/* OPEN result flags. */
export const OPEN4_RESULT_CONFIRM = 0x2;
export const OPEN4_RESULT_LOCKTYPE_POSIX = 0x4;
export const OPEN4_RESULT_PRESERVE_UNLINKED = 0x8;
export const OPEN4_RESULT_MAY_NOTIFY_LOCK = 0x20;

/* createmode4 (EXCLUSIVE4_1: 4.1). */
export const UNCHECKED4 = 0;
export const GUARDED4 = 1;
export const EXCLUSIVE4 = 2;
export const EXCLUSIVE4_1 = 3;
export type createmode4 = 0 | 1 | 2 | 3;

/* opentype4. */
export const OPEN4_NOCREATE = 0;
export const OPEN4_CREATE = 1;

/* open_claim_type4 (CLAIM_FH and after: 4.1). */
export const CLAIM_NULL = 0;
export const CLAIM_PREVIOUS = 1;
export const CLAIM_DELEGATE_CUR = 2;
export const CLAIM_DELEGATE_PREV = 3;
export const CLAIM_FH = 4;
export const CLAIM_DELEG_CUR_FH = 5;
export const CLAIM_DELEG_PREV_FH = 6;

/* open_delegation_type4 (OPEN_DELEGATE_NONE_EXT: 4.1). */
export const OPEN_DELEGATE_NONE = 0;
export const OPEN_DELEGATE_READ = 1;
export const OPEN_DELEGATE_WRITE = 2;
export const OPEN_DELEGATE_NONE_EXT = 3;

/* why_no_delegation4 (4.1). */
export const WND4_NOT_WANTED = 0;
export const WND4_CONTENTION = 1;
export const WND4_RESOURCE = 2;
export const WND4_NOT_SUPP_FTYPE = 3;
export const WND4_WRITE_DELEG_NOT_SUPP_FTYPE = 4;
export const WND4_NOT_SUPP_UPGRADE = 5;
export const WND4_NOT_SUPP_DOWNGRADE = 6;
export const WND4_CANCELLED = 7;
export const WND4_IS_DIR = 8;

/* limit_by4. */
export const NFS_LIMIT_SIZE = 1;
export const NFS_LIMIT_BLOCKS = 2;

/* EXCHANGE_ID flags (RFC 8881 §18.35). */
export const EXCHGID4_FLAG_SUPP_MOVED_REFER = 0x00000001;
export const EXCHGID4_FLAG_SUPP_MOVED_MIGR = 0x00000002;
export const EXCHGID4_FLAG_SUPP_FENCE_OPS = 0x00000004;
export const EXCHGID4_FLAG_BIND_PRINC_STATEID = 0x00000100;
export const EXCHGID4_FLAG_USE_NON_PNFS = 0x00010000;
export const EXCHGID4_FLAG_USE_PNFS_MDS = 0x00020000;
export const EXCHGID4_FLAG_USE_PNFS_DS = 0x00040000;
export const EXCHGID4_FLAG_MASK_PNFS = 0x00070000;
export const EXCHGID4_FLAG_UPD_CONFIRMED_REC_A = 0x40000000;
export const EXCHGID4_FLAG_CONFIRMED_R = 0x80000000;

/* state_protect_how4. */
export const SP4_NONE = 0;
export const SP4_MACH_CRED = 1;
export const SP4_SSV = 2;

/* CREATE_SESSION flags (RFC 8881 §18.36). */
export const CREATE_SESSION4_FLAG_PERSIST = 0x1;
export const CREATE_SESSION4_FLAG_CONN_BACK_CHAN = 0x2;
export const CREATE_SESSION4_FLAG_CONN_RDMA = 0x4;

/* SEQUENCE status flags (RFC 8881 §18.46.3). */
export const SEQ4_STATUS_CB_PATH_DOWN = 0x1;
export const SEQ4_STATUS_CB_GSS_CONTEXTS_EXPIRING = 0x2;
export const SEQ4_STATUS_CB_GSS_CONTEXTS_EXPIRED = 0x4;
export const SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED = 0x8;
export const SEQ4_STATUS_EXPIRED_SOME_STATE_REVOKED = 0x10;
export const SEQ4_STATUS_ADMIN_STATE_REVOKED = 0x20;
export const SEQ4_STATUS_RECALLABLE_STATE_REVOKED = 0x40;
export const SEQ4_STATUS_LEASE_MOVED = 0x80;
export const SEQ4_STATUS_RESTART_RECLAIM_NEEDED = 0x100;
export const SEQ4_STATUS_CB_PATH_DOWN_SESSION = 0x200;
export const SEQ4_STATUS_BACKCHANNEL_FAULT = 0x400;
export const SEQ4_STATUS_DEVID_CHANGED = 0x800;
export const SEQ4_STATUS_DEVID_DELETED = 0x1000;

/* secinfo_style4 (SECINFO_NO_NAME). */
export const SECINFO_STYLE4_CURRENT_FH = 0;
export const SECINFO_STYLE4_PARENT = 1;

/* RPC security flavours seen in SECINFO and callback_sec_parms4 (RFC 5531, RFC 2203). */
export const AUTH_NONE_FLAVOR = 0;
export const AUTH_SYS_FLAVOR = 1;
export const RPCSEC_GSS_FLAVOR = 6;
