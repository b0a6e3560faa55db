/*
 * Constants of the socket interface with their OpenBSD values: sys/socket.h, sys/socketvar.h,
 * sys/protosw.h, sys/poll.h, netinet/in.h, netinet/tcp.h. Values are the kernel's so that code
 * ported line by line, and numbers printed in traces, mean the same as on OpenBSD.
 */

/* Address families (sys/socket.h). AF_INET6 is 24 on OpenBSD. */
export const AF_UNSPEC = 0;
export const AF_LOCAL = 1;
export const AF_UNIX = AF_LOCAL;
export const AF_INET = 2;
export const AF_ROUTE = 17;
export const AF_INET6 = 24;
export const AF_MAX = 36;

/* Protocol families: the same numbers. */
export const PF_UNSPEC = AF_UNSPEC;
export const PF_LOCAL = AF_LOCAL;
export const PF_UNIX = AF_UNIX;
export const PF_INET = AF_INET;
export const PF_ROUTE = AF_ROUTE;
export const PF_INET6 = AF_INET6;

/* Socket types. */
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_RDM = 4;
export const SOCK_SEQPACKET = 5;

/* Option level for socket-level options. */
export const SOL_SOCKET = 0xffff;

/* Socket-level options: booleans are bits of so_options. */
export const SO_DEBUG = 0x0001;
export const SO_ACCEPTCONN = 0x0002;
export const SO_REUSEADDR = 0x0004;
export const SO_KEEPALIVE = 0x0008;
export const SO_DONTROUTE = 0x0010;
export const SO_BROADCAST = 0x0020;
export const SO_USELOOPBACK = 0x0040;
export const SO_LINGER = 0x0080;
export const SO_OOBINLINE = 0x0100;
export const SO_REUSEPORT = 0x0200;
export const SO_TIMESTAMP = 0x0800;
export const SO_BINDANY = 0x1000;
export const SO_ZEROIZE = 0x2000;
/* Other socket-level options (values, not bits). */
export const SO_SNDBUF = 0x1001;
export const SO_RCVBUF = 0x1002;
export const SO_SNDLOWAT = 0x1003;
export const SO_RCVLOWAT = 0x1004;
export const SO_SNDTIMEO = 0x1005;
export const SO_RCVTIMEO = 0x1006;
export const SO_ERROR = 0x1007;
export const SO_TYPE = 0x1008;
export const SO_NETPROC = 0x1020;
export const SO_RTABLE = 0x1021;
export const SO_PEERCRED = 0x1022;
export const SO_SPLICE = 0x1023;
export const SO_DOMAIN = 0x1024;
export const SO_PROTOCOL = 0x1025;

/* Maximum queue length for solisten (kern.somaxconn) and its floor (sominconn). */
export const SOMAXCONN = 128;
export const SOMINCONN = 80;

/* Message flags for sosend/soreceive. */
export const MSG_OOB = 0x1;
export const MSG_PEEK = 0x2;
export const MSG_DONTROUTE = 0x4;
export const MSG_EOR = 0x8;
export const MSG_TRUNC = 0x10;
export const MSG_CTRUNC = 0x20;
export const MSG_WAITALL = 0x40;
export const MSG_DONTWAIT = 0x80;
export const MSG_BCAST = 0x100;
export const MSG_MCAST = 0x200;
export const MSG_NOSIGNAL = 0x400;
export const MSG_CMSG_CLOEXEC = 0x800;

/* soshutdown `how`. */
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;

/* Control message types at SOL_SOCKET. */
export const SCM_RIGHTS = 0x01;
export const SCM_TIMESTAMP = 0x04;
/**
 * SCM_CREDS is FreeBSD's (OpenBSD has none; it offers SO_PEERCRED instead). sonfs carries it on
 * in-process AF_LOCAL pairs with FreeBSD's struct cmsgcred layout and FreeBSD's value, 0x03.
 */
export const SCM_CREDS = 0x03;

/* Protocols (netinet/in.h). */
export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_RAW = 255;

/*
 * Well-known IPv4 addresses (netinet/in.h), in host byte order as the kernel defines them:
 * `sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK)`; INADDR_ANY is 0 either way.
 */
export const INADDR_ANY = 0x00000000;
export const INADDR_LOOPBACK = 0x7f000001;
export const INADDR_BROADCAST = 0xffffffff;
export const INADDR_NONE = 0xffffffff;

/* IPPROTO_IP options used here. */
export const IP_PORTRANGE = 19;
export const IP_PORTRANGE_DEFAULT = 0; /* ephemeral range (49152..65535 on OpenBSD) */
export const IP_PORTRANGE_HIGH = 1; /* same range here */
export const IP_PORTRANGE_LOW = 2; /* reserved range: 1023 down to 600 */
/* IPPROTO_IPV6 counterpart (netinet6/in6.h). */
export const IPV6_PORTRANGE = 14;
export const IPV6_PORTRANGE_DEFAULT = 0;
export const IPV6_PORTRANGE_HIGH = 1;
export const IPV6_PORTRANGE_LOW = 2;

/* Reserved and automatic port ranges (OpenBSD ipport_* defaults). */
export const IPPORT_RESERVED = 1024;
export const IPPORT_LOWFIRSTAUTO = 1023;
export const IPPORT_LOWLASTAUTO = 600;

/* IPPROTO_TCP options (netinet/tcp.h). */
export const TCP_NODELAY = 0x01;
export const TCP_MAXSEG = 0x02;
export const TCP_MD5SIG = 0x04;
export const TCP_SACK_ENABLE = 0x08;
export const TCP_INFO = 0x09;
export const TCP_NOPUSH = 0x10;
/** tcpcb t_flags bit that sogetopt(TCP_NODELAY) reports, as OpenBSD's tcp_ctloutput does. */
export const TF_NODELAY = 0x0004;
/** tcp_mssdflt: the segment size TCP assumes (t_maxseg) before it learns the path's. */
export const TCP_MSS = 512;

/* so_state (sys/socketvar.h). */
export const SS_NOFDREF = 0x001; /* no file table reference: closed, or not yet accepted */
export const SS_ISCONNECTED = 0x002;
export const SS_ISCONNECTING = 0x004;
export const SS_ISDISCONNECTING = 0x008;
export const SS_CANTSENDMORE = 0x010;
export const SS_CANTRCVMORE = 0x020;
export const SS_RCVATMARK = 0x040;
export const SS_PRIV = 0x080; /* creator was privileged */
export const SS_NBIO = 0x100; /* non-blocking */
export const SS_ASYNC = 0x200;
export const SS_ISCONFIRMING = 0x400;
export const SS_ISDISCONNECTED = 0x800;
export const SS_CONNECTOUT = 0x1000; /* active open */
export const SS_ISSENDING = 0x2000;

/* sb_flags. */
export const SB_LOCK = 0x01; /* I/O lock held */
export const SB_WANT = 0x02; /* someone is waiting for the lock */
export const SB_WAIT = 0x04; /* someone is waiting for data or space */
export const SB_SEL = 0x08;
export const SB_ASYNC = 0x10;
export const SB_SPLICE = 0x20;
export const SB_NOINTR = 0x40; /* sleeps on this buffer are not interruptible */
export const SB_KNOTE = 0x80;
export const SB_UPCALL = 0x100; /* an upcall is set on this buffer (FreeBSD) */

/* Protocol switch flags (sys/protosw.h). */
export const PR_ATOMIC = 0x01; /* exchange atomic messages only */
export const PR_ADDR = 0x02; /* addresses given with messages */
export const PR_CONNREQUIRED = 0x04; /* connection required by protocol */
export const PR_WANTRCVD = 0x08; /* want PRU_RCVD calls */
export const PR_RIGHTS = 0x10; /* passes capabilities */
export const PR_ABRTACPTDIS = 0x20; /* abort on accept(2) to disconnected socket */

/* Socket upcalls, FreeBSD style: which buffer, and what the upcall returns. */
export const SO_RCV = 1;
export const SO_SND = 2;
export const SU_OK = 0;
export const SU_ISCONNECTED = 1;

/* poll(2) events (sys/poll.h). */
export const POLLIN = 0x0001;
export const POLLPRI = 0x0002;
export const POLLOUT = 0x0004;
export const POLLERR = 0x0008;
export const POLLHUP = 0x0010;
export const POLLNVAL = 0x0020;
export const POLLRDNORM = 0x0040;
export const POLLRDBAND = 0x0080;
export const POLLWRNORM = POLLOUT;
export const POLLWRBAND = 0x0100;

/* Socket buffer limits (kern.maxsockbuf default and the kernel's per-protocol reservations). */
export const SB_MAX = 256 * 1024;
export const TCP_SENDSPACE = 16384;
export const TCP_RECVSPACE = 16384;
export const UDP_SENDSPACE = 9216;
export const UDP_RECVSPACE = 40 * (1024 + 16);
export const UNPST_SENDSPACE = 8192;
export const UNPST_RECVSPACE = 8192;
export const UNPDG_SENDSPACE = 2048; /* really the largest datagram */
export const UNPDG_RECVSPACE = 16384;
