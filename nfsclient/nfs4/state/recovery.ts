/*
 * What the client does about a COMPOUND's status (RFC 7530 §9.6, §13; RFC 8881 §8.4, §15.1): one
 * table, so the policy can be read in one place.
 *
 *   DELAY                         wait (backoff.ts) and send again
 *   GRACE                         the server is in its grace period and takes only reclaims: wait, again
 *   BADSESSION, DEADSESSION,
 *   CONN_NOT_BOUND_TO_SESSION     a new session on the same client ID, then again
 *   STALE_CLIENTID, EXPIRED,
 *   STALE_STATEID (4.0)           the client ID is gone (server restart, lease expired): a new one,
 *                                 its opens reclaimed (CLAIM_PREVIOUS) or opened again, then again
 *   BAD_STATEID, ADMIN_REVOKED,
 *   DELEG_REVOKED                 the open named is gone: open it again, then again
 *   OLD_STATEID                   the stateid sent was superseded: again with the current one
 *   anything else                 the caller's to judge
 */

import {
  NFS4ERR_ADMIN_REVOKED, NFS4ERR_BADSESSION, NFS4ERR_BAD_STATEID, NFS4ERR_CONN_NOT_BOUND_TO_SESSION, NFS4ERR_DEADSESSION,
  NFS4ERR_DELAY, NFS4ERR_DELEG_REVOKED, NFS4ERR_EXPIRED, NFS4ERR_GRACE, NFS4ERR_OLD_STATEID, NFS4ERR_STALE_CLIENTID,
  NFS4ERR_STALE_STATEID,
} from '../nfsstat4.js';

export const R_NONE = 0;
export const R_DELAY = 1;
export const R_GRACE = 2;
export const R_SESSION = 3;
export const R_CLIENTID = 4;
export const R_STATEID = 5;
export const R_OLD_STATEID = 6;
export type RecoveryAction = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const TABLE = new Map<number, RecoveryAction>([
  [NFS4ERR_DELAY, R_DELAY],
  [NFS4ERR_GRACE, R_GRACE],
  [NFS4ERR_BADSESSION, R_SESSION],
  [NFS4ERR_DEADSESSION, R_SESSION],
  [NFS4ERR_CONN_NOT_BOUND_TO_SESSION, R_SESSION],
  [NFS4ERR_STALE_CLIENTID, R_CLIENTID],
  [NFS4ERR_EXPIRED, R_CLIENTID],
  [NFS4ERR_STALE_STATEID, R_CLIENTID],
  [NFS4ERR_BAD_STATEID, R_STATEID],
  [NFS4ERR_ADMIN_REVOKED, R_STATEID],
  [NFS4ERR_DELEG_REVOKED, R_STATEID],
  [NFS4ERR_OLD_STATEID, R_OLD_STATEID],
]);

/** The client's action for a failed COMPOUND's status. */
export function recoveryAction(status: number): RecoveryAction {
  return TABLE.get(status) ?? R_NONE;
}
