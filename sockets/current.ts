/*
 * sonfs/sockets/current: the kernel socket interface as today's OpenBSD has it.
 *
 * It is sonfs/sockets (index.ts) — which has the names today's kernel added beside those of
 * 2009 (solock, sosleep_nsec, tsleep_nsec, INFSLP, sb_timeo_nsecs, sb_mtx, m_freemp, nowake,
 * soreceive's controllen, sogetopt into a caller's mbuf) — except for the one function whose
 * contract changed under the same name: sosetopt, which no longer consumes its mbuf. Here the
 * caller owns it, may set another value in it and pass it again, and frees it, as code of today
 * does (docs/porting.md). Port code of today against this entry, code of 2009 against
 * sonfs/sockets.
 */
export * from './index.js';
export { sosetopt_keep as sosetopt } from './sockopt.js';
