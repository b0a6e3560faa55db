/*
 * Per-mount counters of what the high tier did beyond plain RPCs (in the spirit of OpenBSD's
 * nfsstats): plain numbers, read at any time through client.stats().
 */
export interface NfsCounters {
  /** Bytes returned by reads and accepted by writes (application bytes, not wire bytes). */
  bytesRead: number;
  bytesWritten: number;
  /** READs sent for read-ahead blocks, and bytes served from such blocks. */
  readAheadBlocks: number;
  readAheadHits: number;
  /** Read-ahead blocks dropped unused (random access, invalidation). */
  readAheadDropped: number;
  /** WRITE calls sent, and COMMIT calls. */
  writes: number;
  commits: number;
  /** Ranges written again because a COMMIT's write verifier differed from the WRITE's. */
  verifierResends: number;
  /** COMMIT rounds that found a changed verifier. */
  verifierMismatches: number;
  /** Calls answered NFS3ERR_JUKEBOX and retried after a delay. */
  jukeboxRetries: number;
  /** READDIR(PLUS) listings restarted from cookie 0 after NFS3ERR_BAD_COOKIE. */
  badCookieRestarts: number;
  /** Listings in which the server repeated a cookie or kept listing names already listed (dir-walk.ts). */
  readdirLoops: number;
  /** READDIR(PLUS) calls repeated with a larger count after NFS3ERR_TOOSMALL. */
  tooSmallRetries: number;
  /** Path-based operations repeated after NFS3ERR_STALE (with the caches purged). */
  staleRetries: number;
  /** Files renamed to a hidden .nfs name because they were removed while open. */
  sillyRenames: number;
  /** REMOVE/RMDIR/RENAME/LINK answered NOENT/EXIST after a retransmission, taken as success. */
  retransmitSuccesses: number;
}

export function newCounters(): NfsCounters {
  return {
    bytesRead: 0, bytesWritten: 0, readAheadBlocks: 0, readAheadHits: 0, readAheadDropped: 0, writes: 0,
    commits: 0, verifierResends: 0, verifierMismatches: 0, jukeboxRetries: 0, badCookieRestarts: 0,
    readdirLoops: 0, tooSmallRetries: 0, staleRetries: 0, sillyRenames: 0, retransmitSuccesses: 0,
  };
}
