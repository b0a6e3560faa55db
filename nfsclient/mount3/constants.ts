/* MOUNT protocol version 3 (RFC 1813 Appendix I, §5.1–5.2): program, procedures, sizes. */

export const MOUNT_PROGRAM = 100005;
export const MOUNT_V3 = 3;

/** Procedures (RFC 1813 §5.2). */
export const MOUNTPROC3 = {
  MOUNTPROC3_NULL: 0,
  MOUNTPROC3_MNT: 1,
  MOUNTPROC3_DUMP: 2,
  MOUNTPROC3_UMNT: 3,
  MOUNTPROC3_UMNTALL: 4,
  MOUNTPROC3_EXPORT: 5,
} as const;
export const {
  MOUNTPROC3_NULL, MOUNTPROC3_MNT, MOUNTPROC3_DUMP, MOUNTPROC3_UMNT, MOUNTPROC3_UMNTALL, MOUNTPROC3_EXPORT,
} = MOUNTPROC3;

/** Maximum bytes in a path name (dirpath, RFC 1813 §5.1.1). */
export const MNTPATHLEN = 1024;
/** Maximum bytes in a name (host or group, RFC 1813 §5.1.2). */
export const MNTNAMLEN = 255;
/** Maximum bytes in a V3 file handle (fhandle3, RFC 1813 §5.1.3). */
export const FHSIZE3 = 64;
/**
 * Maximum auth_flavors in a MNT reply. RFC 1813 leaves `int auth_flavors<>` unbounded; servers
 * list a handful. This project's declared bound.
 */
export const MNT3_MAXFLAVORS = 64;
