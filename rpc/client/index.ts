export { RpcClient, RPC_TICK_MS } from './client.js';
export type { RpcServerEvent } from './client.js';
export { resolveClientOptions } from './options.js';
export type { CallOptions, ResolvedClientOptions, RpcCallTracker, RpcClientOptions, RpcProto } from './options.js';
export type { ResultDecoder } from './request.js';
export {
  RpcCantConnectError, RpcCantRecvError, RpcCantSendError, RpcClosedError, RpcInterruptedError, RpcQueueFullError,
  RpcTimeoutError,
} from './errors.js';
export {
  MAX_RTO_MS, MIN_RTO_MS, NFS3_TIMER_CLASSES, RPC_BACKOFF, RPC_TIMER_GETATTR, RPC_TIMER_LOOKUP, RPC_TIMER_NONE,
  RPC_TIMER_READ, RPC_TIMER_WRITE, RttEstimator, backoffTimeout,
} from './rtt.js';
export type { RpcTimerClass } from './rtt.js';
export { CWND_SCALE, CWND_SLOT_BYTES, CongestionWindow, MAX_CWND, windowSlots } from './cwnd.js';
export { XidAllocator } from './xid.js';
export { rttMean } from './stats.js';
export type { RpcClientStats, RpcProcStats } from './stats.js';
export { randomBytes } from './random.js';
