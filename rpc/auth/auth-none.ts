/* AUTH_NONE (RFC 5531 §10.1): flavor 0 with an empty body, for credential and verifier alike. */

import { AUTH_NONE } from '../msg/constants.js';
import { encodeCredVerf } from './opaque-auth.js';
import type { RpcAuth, opaque_auth } from './opaque-auth.js';

/** The AUTH_NONE opaque_auth (also the usual reply verifier). */
export const opaqueAuthNone: opaque_auth = Object.freeze({ flavor: AUTH_NONE, body: Buffer.alloc(0) });

/** A call with no credential (portmapper, NULL pings). */
export const authNone: RpcAuth = Object.freeze({
  flavor: AUTH_NONE,
  credverf: encodeCredVerf(opaqueAuthNone, opaqueAuthNone),
});
