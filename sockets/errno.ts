/*
 * BSD errno values, as OpenBSD sys/errno.h defines them.
 *
 * sockets/ returns these numbers, never Node's or the host's: Node documents its errno numbers
 * as platform-dependent (EAGAIN is 11 on Linux, 35 on the BSDs), so a result here means the same
 * on every platform. Names are exported one by one (for kernel code ported line by line) and as
 * the `errno` table (for lookups).
 */

export const EPERM = 1; /* Operation not permitted */
export const ENOENT = 2; /* No such file or directory */
export const ESRCH = 3; /* No such process */
export const EINTR = 4; /* Interrupted system call */
export const EIO = 5; /* Input/output error */
export const ENXIO = 6; /* Device not configured */
export const E2BIG = 7; /* Argument list too long */
export const ENOEXEC = 8; /* Exec format error */
export const EBADF = 9; /* Bad file descriptor */
export const ECHILD = 10; /* No child processes */
export const EDEADLK = 11; /* Resource deadlock avoided */
export const ENOMEM = 12; /* Cannot allocate memory */
export const EACCES = 13; /* Permission denied */
export const EFAULT = 14; /* Bad address */
export const ENOTBLK = 15; /* Block device required */
export const EBUSY = 16; /* Device busy */
export const EEXIST = 17; /* File exists */
export const EXDEV = 18; /* Cross-device link */
export const ENODEV = 19; /* Operation not supported by device */
export const ENOTDIR = 20; /* Not a directory */
export const EISDIR = 21; /* Is a directory */
export const EINVAL = 22; /* Invalid argument */
export const ENFILE = 23; /* Too many open files in system */
export const EMFILE = 24; /* Too many open files */
export const ENOTTY = 25; /* Inappropriate ioctl for device */
export const ETXTBSY = 26; /* Text file busy */
export const EFBIG = 27; /* File too large */
export const ENOSPC = 28; /* No space left on device */
export const ESPIPE = 29; /* Illegal seek */
export const EROFS = 30; /* Read-only file system */
export const EMLINK = 31; /* Too many links */
export const EPIPE = 32; /* Broken pipe */
export const EDOM = 33; /* Numerical argument out of domain */
export const ERANGE = 34; /* Result too large */
export const EAGAIN = 35; /* Resource temporarily unavailable */
export const EWOULDBLOCK = EAGAIN; /* Operation would block */
export const EINPROGRESS = 36; /* Operation now in progress */
export const EALREADY = 37; /* Operation already in progress */
export const ENOTSOCK = 38; /* Socket operation on non-socket */
export const EDESTADDRREQ = 39; /* Destination address required */
export const EMSGSIZE = 40; /* Message too long */
export const EPROTOTYPE = 41; /* Protocol wrong type for socket */
export const ENOPROTOOPT = 42; /* Protocol not available */
export const EPROTONOSUPPORT = 43; /* Protocol not supported */
export const ESOCKTNOSUPPORT = 44; /* Socket type not supported */
export const EOPNOTSUPP = 45; /* Operation not supported */
export const EPFNOSUPPORT = 46; /* Protocol family not supported */
export const EAFNOSUPPORT = 47; /* Address family not supported by protocol family */
export const EADDRINUSE = 48; /* Address already in use */
export const EADDRNOTAVAIL = 49; /* Can't assign requested address */
export const ENETDOWN = 50; /* Network is down */
export const ENETUNREACH = 51; /* Network is unreachable */
export const ENETRESET = 52; /* Network dropped connection on reset */
export const ECONNABORTED = 53; /* Software caused connection abort */
export const ECONNRESET = 54; /* Connection reset by peer */
export const ENOBUFS = 55; /* No buffer space available */
export const EISCONN = 56; /* Socket is already connected */
export const ENOTCONN = 57; /* Socket is not connected */
export const ESHUTDOWN = 58; /* Can't send after socket shutdown */
export const ETOOMANYREFS = 59; /* Too many references: can't splice */
export const ETIMEDOUT = 60; /* Operation timed out */
export const ECONNREFUSED = 61; /* Connection refused */
export const ELOOP = 62; /* Too many levels of symbolic links */
export const ENAMETOOLONG = 63; /* File name too long */
export const EHOSTDOWN = 64; /* Host is down */
export const EHOSTUNREACH = 65; /* No route to host */
export const ENOTEMPTY = 66; /* Directory not empty */
export const EPROCLIM = 67; /* Too many processes */
export const EUSERS = 68; /* Too many users */
export const EDQUOT = 69; /* Disk quota exceeded */
export const ESTALE = 70; /* Stale NFS file handle */
export const EREMOTE = 71; /* Too many levels of remote in path */
export const EBADRPC = 72; /* RPC struct is bad */
export const ERPCMISMATCH = 73; /* RPC version wrong */
export const EPROGUNAVAIL = 74; /* RPC program not available */
export const EPROGMISMATCH = 75; /* Program version wrong */
export const EPROCUNAVAIL = 76; /* Bad procedure for program */
export const ENOLCK = 77; /* No locks available */
export const ENOSYS = 78; /* Function not implemented */
export const EFTYPE = 79; /* Inappropriate file type or format */
export const EAUTH = 80; /* Authentication error */
export const ENEEDAUTH = 81; /* Need authenticator */
export const EIPSEC = 82; /* IPsec processing failure */
export const ENOATTR = 83; /* Attribute not found */
export const EILSEQ = 84; /* Illegal byte sequence */
export const ENOMEDIUM = 85; /* No medium found */
export const EMEDIUMTYPE = 86; /* Wrong medium type */
export const EOVERFLOW = 87; /* Value too large to be stored in data type */
export const ECANCELED = 88; /* Operation canceled */
export const EIDRM = 89; /* Identifier removed */
export const ENOMSG = 90; /* No message of desired type */
export const ENOTSUP = 91; /* Not supported */
export const EBADMSG = 92; /* Bad message */
export const ENOTRECOVERABLE = 93; /* State not recoverable */
export const EOWNERDEAD = 94; /* Previous owner died */
export const EPROTO = 95; /* Protocol error */

/* Kernel-internal pseudo-errors, never returned to user space (sys/errno.h, _KERNEL). */
export const ERESTART = -1; /* restart syscall */
export const EJUSTRETURN = -2; /* don't modify regs, just return */

/** Name → number, for lookups. EWOULDBLOCK shares EAGAIN's number, as in the kernel. */
export const errno = {
  EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF, ECHILD, EDEADLK, ENOMEM, EACCES,
  EFAULT, ENOTBLK, EBUSY, EEXIST, EXDEV, ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE, ENOTTY,
  ETXTBSY, EFBIG, ENOSPC, ESPIPE, EROFS, EMLINK, EPIPE, EDOM, ERANGE, EAGAIN, EWOULDBLOCK,
  EINPROGRESS, EALREADY, ENOTSOCK, EDESTADDRREQ, EMSGSIZE, EPROTOTYPE, ENOPROTOOPT, EPROTONOSUPPORT,
  ESOCKTNOSUPPORT, EOPNOTSUPP, EPFNOSUPPORT, EAFNOSUPPORT, EADDRINUSE, EADDRNOTAVAIL, ENETDOWN,
  ENETUNREACH, ENETRESET, ECONNABORTED, ECONNRESET, ENOBUFS, EISCONN, ENOTCONN, ESHUTDOWN,
  ETOOMANYREFS, ETIMEDOUT, ECONNREFUSED, ELOOP, ENAMETOOLONG, EHOSTDOWN, EHOSTUNREACH, ENOTEMPTY,
  EPROCLIM, EUSERS, EDQUOT, ESTALE, EREMOTE, EBADRPC, ERPCMISMATCH, EPROGUNAVAIL, EPROGMISMATCH,
  EPROCUNAVAIL, ENOLCK, ENOSYS, EFTYPE, EAUTH, ENEEDAUTH, EIPSEC, ENOATTR, EILSEQ, ENOMEDIUM,
  EMEDIUMTYPE, EOVERFLOW, ECANCELED, EIDRM, ENOMSG, ENOTSUP, EBADMSG, ENOTRECOVERABLE, EOWNERDEAD,
  EPROTO, ERESTART, EJUSTRETURN,
} as const;

export type ErrnoName = keyof typeof errno;

const byNumber = new Map<number, ErrnoName>();
for (const [name, value] of Object.entries(errno) as [ErrnoName, number][]) {
  // EWOULDBLOCK and EAGAIN share a value; report the canonical EAGAIN name, as strerror does.
  if (!byNumber.has(value)) byNumber.set(value, name);
}

/** The symbolic name of a BSD errno value ("ECONNREFUSED"), or `E<n>` for an unknown one. */
export function errnoName(e: number): string {
  return byNumber.get(e) ?? `E${e}`;
}

const messages: Partial<Record<ErrnoName, string>> = {
  EPERM: 'Operation not permitted', ENOENT: 'No such file or directory', EINTR: 'Interrupted system call',
  EIO: 'Input/output error', ENXIO: 'Device not configured', EBADF: 'Bad file descriptor',
  ENOMEM: 'Cannot allocate memory', EACCES: 'Permission denied', EFAULT: 'Bad address', EBUSY: 'Device busy',
  EEXIST: 'File exists', EXDEV: 'Cross-device link', ENODEV: 'Operation not supported by device',
  ENOTDIR: 'Not a directory', EISDIR: 'Is a directory', EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files', EFBIG: 'File too large', ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system', EMLINK: 'Too many links', EPIPE: 'Broken pipe',
  EDOM: 'Numerical argument out of domain', ERANGE: 'Result too large',
  EAGAIN: 'Resource temporarily unavailable', EINPROGRESS: 'Operation now in progress',
  EALREADY: 'Operation already in progress', ENOTSOCK: 'Socket operation on non-socket',
  EDESTADDRREQ: 'Destination address required', EMSGSIZE: 'Message too long',
  EPROTOTYPE: 'Protocol wrong type for socket', ENOPROTOOPT: 'Protocol not available',
  EPROTONOSUPPORT: 'Protocol not supported', ESOCKTNOSUPPORT: 'Socket type not supported',
  EOPNOTSUPP: 'Operation not supported', EAFNOSUPPORT: 'Address family not supported by protocol family',
  EADDRINUSE: 'Address already in use', EADDRNOTAVAIL: "Can't assign requested address",
  ENETDOWN: 'Network is down', ENETUNREACH: 'Network is unreachable',
  ECONNABORTED: 'Software caused connection abort', ECONNRESET: 'Connection reset by peer',
  ENOBUFS: 'No buffer space available', EISCONN: 'Socket is already connected',
  ENOTCONN: 'Socket is not connected', ESHUTDOWN: "Can't send after socket shutdown",
  ETIMEDOUT: 'Operation timed out', ECONNREFUSED: 'Connection refused',
  ELOOP: 'Too many levels of symbolic links', ENAMETOOLONG: 'File name too long',
  EHOSTDOWN: 'Host is down', EHOSTUNREACH: 'No route to host', ENOTEMPTY: 'Directory not empty',
  EDQUOT: 'Disk quota exceeded', ESTALE: 'Stale NFS file handle', EREMOTE: 'Too many levels of remote in path',
  EBADRPC: 'RPC struct is bad', ERPCMISMATCH: 'RPC version wrong', EPROGUNAVAIL: 'RPC program not available',
  EPROGMISMATCH: 'Program version wrong', EPROCUNAVAIL: 'Bad procedure for program',
  ENOLCK: 'No locks available', ENOSYS: 'Function not implemented',
  EFTYPE: 'Inappropriate file type or format', EAUTH: 'Authentication error',
  ENEEDAUTH: 'Need authenticator', EOVERFLOW: 'Value too large to be stored in data type',
  ECANCELED: 'Operation canceled', ENOTSUP: 'Not supported', EBADMSG: 'Bad message', EPROTO: 'Protocol error',
  ERESTART: 'Restart system call',
};

/** strerror(3) for a BSD errno value. */
export function strerror(e: number): string {
  const name = byNumber.get(e);
  return (name && messages[name]) ?? `Unknown error: ${e}`;
}

/*
 * Node reports host errors by their string code ("ECONNRESET"); the number in err.errno is the
 * host's. Map by name to the BSD number; anything unknown becomes EIO, and the caller keeps the
 * original error as a cause where it has somewhere to put it.
 */
export function errnoFromNodeError(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code === 'EAI_AGAIN' || code === 'ENOTFOUND') return EHOSTUNREACH;
    if (code === 'ERR_SOCKET_DGRAM_NOT_RUNNING' || code === 'ERR_SOCKET_CLOSED') return EBADF;
    if (code === 'ERR_SOCKET_BAD_PORT' || code === 'ERR_INVALID_ARG_VALUE') return EINVAL;
    if (code === 'ERR_SOCKET_DGRAM_IS_CONNECTED') return EISCONN;
    if (code === 'ERR_SOCKET_DGRAM_NOT_CONNECTED') return ENOTCONN;
    if (code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END') return EPIPE;
    if (code === 'EWOULDBLOCK') return EWOULDBLOCK;
    const n = (errno as Record<string, number>)[code];
    if (n !== undefined && n > 0) return n;
  }
  return EIO;
}
