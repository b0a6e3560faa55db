/*
 * sonfs/sockets: the BSD kernel socket interface (OpenBSD socreate(9)) over real TCP, UDP and
 * local sockets. See docs/sockets.md for the mapping from the man page and the departures.
 */
import './proto/domains.js';

export * from './constants.js';
export * from './errno.js';
export * from './mbuf.js';
export {
  caddr, caddr_t, sizeof, int8_t, u_int8_t, uint8_t, int16_t, u_int16_t, uint16_t, int32_t, u_int32_t, uint32_t,
} from './ctypes.js';
export type { CType } from './ctypes.js';
export { BYTE_ORDER, BIG_ENDIAN, LITTLE_ENDIAN, htonl, htons, ntohl, ntohs, swap16, swap32 } from './endian.js';
export { bcopy, bzero, memcpy, memset } from './libkern.js';
export { InAddr, Sockaddr, SockaddrIn, struct_in_addr, struct_sockaddr, struct_sockaddr_in } from './sockaddr-struct.js';
export { FieldRef, addr } from './addr.js';
export { IPL_NONE, IPL_SOFTCLOCK, IPL_SOFTNET, IPL_NET, IPL_HIGH, splsoftnet, splnet, splsoftclock, splhigh, splx } from './spl.js';
export { INFSLP, SEC_TO_NSEC, MSEC_TO_NSEC, USEC_TO_NSEC } from './time.js';
export { Mutex, mtx_init, mtx_enter, mtx_enter_try, mtx_leave, MUTEX_ASSERT_LOCKED, MUTEX_ASSERT_UNLOCKED } from './mutex.js';
export { RW_READ, RW_WRITE, Rwlock, rw_init, rw_enter_read, rw_enter_write, rw_exit, rw_exit_read, rw_exit_write, rw_status } from './rwlock.js';
export {
  netlock, NET_LOCK, NET_UNLOCK, NET_LOCK_SHARED, NET_UNLOCK_SHARED, NET_ASSERT_LOCKED, solock, sounlock, solock_shared,
  sounlock_shared, soassertlocked, sosleep_nsec,
} from './solock.js';
export { soreserve, sbreserve } from './soreserve.js';
export type { Ref } from './ref.js';
export {
  Proc, Sigacts, newproc, proc0, curproc, runas, psignal, sigaction_restart, suser, cursig, sigmask, SIGPENDING,
  SIGHUP, SIGINT, SIGQUIT, SIGKILL, SIGPIPE, SIGALRM, SIGTERM, SIGIO, SIGUSR1, SIGUSR2,
} from './proc.js';
export type { Process, Ucred } from './proc.js';
export {
  hz, tick, tick_nsec, tsleep, tsleep_nsec, wakeup, wakeup_one, lbolt, nowake, sleepstat, PSWP, PVM, PINOD, PRIBIO, PVFS,
  PZERO, PSOCK, PWAIT, PLOCK, PPAUSE, PUSER, PRIMASK, PCATCH, PNORELOCK,
} from './synch.js';
export { UIO_READ, UIO_WRITE, UIO_USERSPACE, UIO_SYSSPACE, Iovec, Uio, uio_init, uio_iovecs, uiomove } from './uio.js';
export {
  sockaddr_in, sockaddr_in6, sockaddr_un, sockaddr_parse, SOCKADDR_IN_LEN, SOCKADDR_IN6_LEN, SOCKADDR_UN_LEN,
  SUN_PATHLEN,
} from './sockaddr.js';
export type { SockaddrParsed } from './sockaddr.js';
export { Sockbuf, sbspace, sbconfig } from './sockbuf.js';
export { Socket, sostat } from './socket.js';
export type { Protosw, Domain, ProtoUsrreqs } from './protosw.js';
export { pru_send } from './protosw.js';
export { panic } from './panic.js';
export {
  Timeout, timeout_set, timeout_add, timeout_add_sec, timeout_add_msec, timeout_add_nsec, timeout_del, timeout_pending,
} from './timeout.js';
export { soupcall_set, soupcall_clear } from './sostate.js';
export type { Upcall } from './sostate.js';
export { soreadable, sowriteable, sopoll } from './sopoll.js';
export {
  socreate, sobind, solisten, soaccept, soconnect, soconnect_wait, soconnect2, socketpair, sodisconnect, soshutdown, soclose,
  sosockaddr, sopeeraddr, soconfig,
} from './uipc-socket.js';
export { sosend, sosend_nowait } from './sosend.js';
export { soreceive, soreceive_nowait } from './soreceive.js';
export { sosetopt, sogetopt } from './sockopt.js';
export { sooptint, sooptlinger, soopttimeval, soopt_timeval, soopt_linger, optint_read } from './optval.js';
export {
  scm_rights, scm_creds, cmsg_parse, CMSG_LEN, CMSG_SPACE, CMSG_ALIGN, SIZEOF_CMSGCRED, CMGROUP_MAX,
} from './control.js';
export type { Cmsg, Cmsgcred } from './control.js';
export { ORPHAN_TIMEOUT_MS } from './proto/hoststream.js';
