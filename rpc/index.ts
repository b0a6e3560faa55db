/*
 * sonfs/rpc: XDR (RFC 4506), ONC RPC v2 messages and credentials (RFC 5531), record marking,
 * the RPC client over sonfs/sockets, and the portmapper/rpcbind clients (RFC 1833).
 * See docs/rpc.md.
 */
export * from './xdr/index.js';
export * from './msg/index.js';
export * from './auth/index.js';
export * from './record/index.js';
export * from './errors.js';
export * from './client/index.js';
export * from './pmap/index.js';
export { PortmapClient, RpcbindClient, RpcProgNotRegisteredError, getport } from './pmap/client.js';
export type { GetportOptions } from './pmap/client.js';
export { BUILTIN_RPC_ENTRIES, getrpcbyname, getrpcbynumber, loadRpcDatabase, parseRpcDatabase } from './pmap/rpcent.js';
export type { RpcEnt } from './pmap/rpcent.js';
