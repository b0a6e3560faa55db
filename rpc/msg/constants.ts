/*
 * ONC RPC v2 message constants, named and numbered as RFC 5531 §9 (rpc_msg) and §8.2
 * (auth_flavor, auth_stat) define them. Each enum is an `as const` table (for name lookups) whose
 * members are also exported one by one, so a grep for the RFC term finds the code.
 */

/** RFC 5531 §9: the only RPC version this code speaks. */
export const RPC_VERSION = 2;

/** enum msg_type (RFC 5531 §9). */
export const msg_type = { CALL: 0, REPLY: 1 } as const;
export type msg_type = (typeof msg_type)[keyof typeof msg_type];
export const { CALL, REPLY } = msg_type;

/** enum reply_stat (RFC 5531 §9). */
export const reply_stat = { MSG_ACCEPTED: 0, MSG_DENIED: 1 } as const;
export type reply_stat = (typeof reply_stat)[keyof typeof reply_stat];
export const { MSG_ACCEPTED, MSG_DENIED } = reply_stat;

/** enum accept_stat (RFC 5531 §9). */
export const accept_stat = {
  SUCCESS: 0, /* RPC executed successfully */
  PROG_UNAVAIL: 1, /* remote hasn't exported program */
  PROG_MISMATCH: 2, /* remote can't support version # */
  PROC_UNAVAIL: 3, /* program can't support procedure */
  GARBAGE_ARGS: 4, /* procedure can't decode params */
  SYSTEM_ERR: 5, /* e.g. memory allocation failure */
} as const;
export type accept_stat = (typeof accept_stat)[keyof typeof accept_stat];
export const { SUCCESS, PROG_UNAVAIL, PROG_MISMATCH, PROC_UNAVAIL, GARBAGE_ARGS, SYSTEM_ERR } = accept_stat;

/** enum reject_stat (RFC 5531 §9). */
export const reject_stat = {
  RPC_MISMATCH: 0, /* RPC version number != 2 */
  AUTH_ERROR: 1, /* remote can't authenticate caller */
} as const;
export type reject_stat = (typeof reject_stat)[keyof typeof reject_stat];
export const { RPC_MISMATCH, AUTH_ERROR } = reject_stat;

/**
 * enum auth_stat (RFC 5531 §9, with the RPCSEC_GSS values of RFC 2203 §5.3.3.3 that RFC 5531
 * lists). Decoders accept any value here: a server may use one this table does not know.
 */
export const auth_stat = {
  AUTH_OK: 0, /* success */
  AUTH_BADCRED: 1, /* bad credential (seal broken) */
  AUTH_REJECTEDCRED: 2, /* client must begin new session */
  AUTH_BADVERF: 3, /* bad verifier (seal broken) */
  AUTH_REJECTEDVERF: 4, /* verifier expired or replayed */
  AUTH_TOOWEAK: 5, /* rejected for security reasons */
  AUTH_INVALIDRESP: 6, /* bogus response verifier */
  AUTH_FAILED: 7, /* reason unknown */
  AUTH_KERB_GENERIC: 8, /* kerberos generic error */
  AUTH_TIMEEXPIRE: 9, /* time of credential expired */
  AUTH_TKT_FILE: 10, /* problem with ticket file */
  AUTH_DECODE: 11, /* can't decode authenticator */
  AUTH_NET_ADDR: 12, /* wrong net address in ticket */
  RPCSEC_GSS_CREDPROBLEM: 13, /* no credentials for user */
  RPCSEC_GSS_CTXPROBLEM: 14, /* problem with context */
} as const;
export type auth_stat = (typeof auth_stat)[keyof typeof auth_stat];
export const {
  AUTH_OK, AUTH_BADCRED, AUTH_REJECTEDCRED, AUTH_BADVERF, AUTH_REJECTEDVERF, AUTH_TOOWEAK,
  AUTH_INVALIDRESP, AUTH_FAILED, AUTH_KERB_GENERIC, AUTH_TIMEEXPIRE, AUTH_TKT_FILE, AUTH_DECODE,
  AUTH_NET_ADDR, RPCSEC_GSS_CREDPROBLEM, RPCSEC_GSS_CTXPROBLEM,
} = auth_stat;

/** enum auth_flavor (RFC 5531 §8.2; the numbers IANA assigned). */
export const auth_flavor = {
  AUTH_NONE: 0,
  AUTH_SYS: 1,
  AUTH_SHORT: 2,
  AUTH_DH: 3,
  RPCSEC_GSS: 6,
} as const;
export type auth_flavor = (typeof auth_flavor)[keyof typeof auth_flavor];
export const { AUTH_NONE, AUTH_SYS, AUTH_SHORT, AUTH_DH, RPCSEC_GSS } = auth_flavor;

/** AUTH_UNIX is the historical name of AUTH_SYS (RFC 5531 Appendix A). */
export const AUTH_UNIX = AUTH_SYS;

/** RFC 5531 §8.2: the body of an opaque_auth is at most 400 bytes. */
export const MAX_AUTH_BYTES = 400;

/* Reverse lookups for messages: value → RFC name, or the number as text if unknown. */
function namer(table: Record<string, number>): (v: number) => string {
  const names = new Map<number, string>();
  for (const [k, v] of Object.entries(table)) names.set(v, k);
  return (v) => names.get(v) ?? String(v);
}

export const acceptStatName = namer(accept_stat);
export const rejectStatName = namer(reject_stat);
export const authStatName = namer(auth_stat);
export const authFlavorName = namer(auth_flavor);
