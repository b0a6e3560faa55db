/*
 * The NFSv4 module (RFC 7530/7531 for v4.0, RFC 8881 for v4.1): XDR, the COMPOUND builders and
 * raw tier, the client ID / session / open state machinery (state/), and the mount-path lookup.
 * See docs/nfs4.md.
 */
export * from './constants.js';
export * from './opnum.js';
export * from './nfsstat4.js';
export * from './basic.js';
export * from './bitmap4.js';
export * from './fattr4.js';
export * from './result.js';
export * from './ops-fh.js';
export * from './ops-attr.js';
export * from './ops-io.js';
export * from './ops-dir.js';
export * from './ops-open.js';
export * from './ops-clientid40.js';
export * from './ops-session.js';
export * from './compound.js';
export * as build from './build.js';
export * from './attr-sets.js';
export * from './errors.js';
export { Nfs4 } from './raw.js';
export type { Nfs4CallObserver, Nfs4CallOptions } from './raw.js';
export { Nfs4Client, shareAccessOf } from './state/client.js';
export type { Nfs4ClientOptions, Nfs4Counters, Nfs4CreateHow, Nfs4Ctx, Nfs4OpenArgs } from './state/client.js';
export { Nfs4OpenFile, OpenState } from './state/open-state.js';
export { OpenOwner, seqidConsumed } from './state/open-owner.js';
export { Nfs4Session, SessionLostError, CHANNEL_OVERHEAD, createSession, exchangeId, foreChannelAttrs } from './state/session.js';
export { Slot, SlotTable } from './state/slot-table.js';
export { LeaseRenewer } from './state/lease.js';
export { makeClientOwner } from './state/client-owner.js';
export type { ClientOwner } from './state/client-owner.js';
export { setclientid } from './state/clientid40.js';
export { Backoff, DEFAULT_BACKOFF } from './state/backoff.js';
export type { BackoffPolicy } from './state/backoff.js';
export { recoveryAction } from './state/recovery.js';
export { lookupExport, pathComponents } from './mount-path.js';
export type { LookupExportOptions, Nfs4MountInfo } from './mount-path.js';
