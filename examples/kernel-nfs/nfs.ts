/*
 * The NFS client's structures and constants that its socket code uses, in the shape of a BSD
 * kernel's nfs/nfs.h, nfs/nfsmount.h and nfs/rpcv2.h: what both ports of that socket code below
 * share (nfs_socket_2009.ts, written against the kernel interface of 2009, sonfs/sockets;
 * nfs_socket_2025.ts, against today's, sonfs/sockets/current). Written for this project.
 */
import { SIGHUP, SIGINT, SIGKILL, SIGQUIT, SIGTERM, SOCK_STREAM, Timeout, hz, sigmask } from 'sonfs/sockets';
import type { Mbuf, Proc, Socket } from 'sonfs/sockets';

/* ONC RPC (RFC 5531) and NFS version 3 (RFC 1813) numbers. */
export const RPC_VER2 = 2;
export const RPC_CALL = 0;
export const RPC_REPLY = 1;
export const RPC_MSGACCEPTED = 0;
export const RPC_MSGDENIED = 1;
export const RPC_SUCCESS = 0;
export const RPCAUTH_NULL = 0;
export const NFS_PROG = 100003;
export const NFS_VER3 = 3;
export const NFSPROC_NULL = 0;

/** The XDR unit. */
export const NFSX_UNSIGNED = 4;
/** The largest record the client accepts from a server. */
export const NFS_MAXPACKET = 1024 * 1024 + 4096;
/** Room for RPC and transport headers beside the data of a request. */
export const NFS_MAXPKTHDR = 404;

/* The retransmit timer runs every nfs_ticks ticks; timeouts are counted in its runs. */
export const NFS_HZ = 5;
export const nfs_ticks = Math.floor((hz + NFS_HZ / 2) / NFS_HZ);
export const NFS_TIMEO = 1 * NFS_HZ;
export const NFS_RETRANS = 10;
export const NFS_MAXREXMIT = 100;

/* nm_flag: mount options, and the socket locks (above the options). */
export const NFSMNT_SOFT = 0x00000001; /* give up after nm_retry retransmits */
export const NFSMNT_INT = 0x00000040; /* signals interrupt a call */
export const NFSMNT_NOCONN = 0x00000080; /* do not connect a datagram socket */
export const NFSMNT_SNDLOCK = 0x01000000; /* the send lock is held */
export const NFSMNT_WANTSND = 0x02000000; /* someone waits for it */
export const NFSMNT_RCVLOCK = 0x04000000; /* the receive lock is held */
export const NFSMNT_WANTRCV = 0x08000000; /* someone waits for it */

/* r_flags */
export const R_SOFTTERM = 0x04; /* the call is over: a soft mount gave up */
export const R_MUSTRESEND = 0x40; /* send again after a reconnect or a failed send */

/** The signals that interrupt a call on an NFSMNT_INT mount. */
export const NFSINT_SIGMASK = sigmask(SIGINT) | sigmask(SIGTERM) | sigmask(SIGKILL) | sigmask(SIGHUP) | sigmask(SIGQUIT);

/** struct nfsmount: one mount of one server. */
export class Nfsmount {
  nm_flag = 0;
  /** The socket, or null while disconnected. */
  nm_so: Socket | null = null;
  nm_sotype = SOCK_STREAM;
  nm_soproto = 0;
  nm_soflags = 0;
  /** The server's address (MT_SONAME). */
  nm_nam: Mbuf;
  /** Retransmit timeout, in runs of the timer; retransmits before a soft mount gives up. */
  nm_timeo = NFS_TIMEO;
  nm_retry = NFS_RETRANS;
  nm_rsize = 8192;
  nm_wsize = 8192;
  nm_readdirsize = 8192;
  /** Requests in progress, oldest first (the kernel's TAILQ nm_reqsq). */
  nm_reqsq: Nfsreq[] = [];
  /** The retransmit timer (nfs_timer), running while requests are in progress. */
  nm_rtimeout = new Timeout();
  /** Timeouts in a row (the retransmit timeout doubles with each). */
  nm_timeouts = 0;

  constructor(nam: Mbuf, sotype: number, flag: number) {
    this.nm_nam = nam;
    this.nm_sotype = sotype;
    this.nm_flag = flag;
  }
}

/** struct nfsreq: one call in progress. */
export class Nfsreq {
  r_nmp: Nfsmount;
  /** The request, record mark included (TCP): kept to be sent again. Set by nfs_request. */
  r_mreq!: Mbuf;
  /** The reply, once nfs_reply has matched it. */
  r_mrep: Mbuf | null = null;
  /** The xid, as it is on the wire (network byte order). */
  r_xid = 0;
  r_flags = 0;
  r_rexmit = 0;
  r_rtt = 0;
  r_procnum = 0;
  r_procp: Proc | null;

  constructor(nmp: Nfsmount, procp: Proc | null) {
    this.r_nmp = nmp;
    this.r_procp = procp;
  }
}

/** nfsstats: what the socket code counts. */
export const nfsstats = { rpcrequests: 0, rpcretries: 0, rpctimeouts: 0, rpcinvalid: 0, rpcunexpected: 0, reconnects: 0 };
