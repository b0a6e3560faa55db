/*
 * Portmapper version 2 and rpcbind versions 3 and 4: program, versions, procedures (RFC 1833 §3
 * and §2.2, named as there).
 */

/** Portmapper and rpcbind listen on port 111, TCP and UDP. */
export const PMAP_PORT = 111;
export const RPCB_PORT = 111;

/** One program number for all three versions. */
export const PMAP_PROG = 100000;
export const RPCBPROG = 100000;
export const PMAP_VERS = 2;
export const RPCBVERS = 3;
export const RPCBVERS4 = 4;

/** Protocol numbers in a portmapper `mapping` (RFC 1833 §3). */
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** PMAP version 2 procedures (RFC 1833 §3.2). */
export const PMAPPROC = {
  PMAPPROC_NULL: 0,
  PMAPPROC_SET: 1,
  PMAPPROC_UNSET: 2,
  PMAPPROC_GETPORT: 3,
  PMAPPROC_DUMP: 4,
  PMAPPROC_CALLIT: 5,
} as const;
export const { PMAPPROC_NULL, PMAPPROC_SET, PMAPPROC_UNSET, PMAPPROC_GETPORT, PMAPPROC_DUMP, PMAPPROC_CALLIT } = PMAPPROC;

/**
 * rpcbind procedures (RFC 1833 §2.2). Numbers 0..8 are shared by versions 3 and 4 (5 is CALLIT in
 * version 3, BCAST in version 4, same arguments); 9..12 exist in version 4 only.
 */
export const RPCBPROC = {
  RPCBPROC_NULL: 0,
  RPCBPROC_SET: 1,
  RPCBPROC_UNSET: 2,
  RPCBPROC_GETADDR: 3,
  RPCBPROC_DUMP: 4,
  RPCBPROC_CALLIT: 5,
  RPCBPROC_BCAST: 5,
  RPCBPROC_GETTIME: 6,
  RPCBPROC_UADDR2TADDR: 7,
  RPCBPROC_TADDR2UADDR: 8,
  RPCBPROC_GETVERSADDR: 9,
  RPCBPROC_INDIRECT: 10,
  RPCBPROC_GETADDRLIST: 11,
  RPCBPROC_GETSTAT: 12,
} as const;
export const {
  RPCBPROC_NULL, RPCBPROC_SET, RPCBPROC_UNSET, RPCBPROC_GETADDR, RPCBPROC_DUMP, RPCBPROC_CALLIT,
  RPCBPROC_BCAST, RPCBPROC_GETTIME, RPCBPROC_UADDR2TADDR, RPCBPROC_TADDR2UADDR, RPCBPROC_GETVERSADDR,
  RPCBPROC_INDIRECT, RPCBPROC_GETADDRLIST, RPCBPROC_GETSTAT,
} = RPCBPROC;

/*
 * Declared maxima for the strings and opaques RFC 1833 leaves unbounded (string<>, opaque<>).
 * Generous for anything a real rpcbind sends, small enough that garbage cannot make us hold much.
 */
/** r_netid, r_nc_netid, r_nc_protofmly, r_nc_proto: netids are short ("tcp6", RFC 5665 §3). */
export const RPCB_MAXNETIDLEN = 255;
/** r_addr / r_maddr: a universal address; an AF_LOCAL one is a path. */
export const RPCB_MAXADDRLEN = 1024;
/** r_owner. */
export const RPCB_MAXOWNERLEN = 255;
/** Encapsulated arguments/results of CALLIT/BCAST/INDIRECT (a UDP datagram's worth). */
export const RPCB_MAXCALLDATA = 65536;
/** netbuf.buf of TADDR2UADDR/UADDR2TADDR: a sockaddr. */
export const RPCB_MAXNETBUF = 1024;
