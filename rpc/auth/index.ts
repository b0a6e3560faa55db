export { opaque_auth, encodeCredVerf } from './opaque-auth.js';
export type { RpcAuth } from './opaque-auth.js';
export { authNone, opaqueAuthNone } from './auth-none.js';
export {
  AUTH_SYS_MAXGROUPS, AUTH_SYS_MAXNAMELEN, authSysFor, authSysForUcred, authsys_parms, createAuthSys, decodeAuthSysBody,
} from './auth-sys.js';
export type { AuthSys, AuthSysCredential, UcredLike } from './auth-sys.js';
