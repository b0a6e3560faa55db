/*
 * Per-call options of the raw tier, and their translation to the RPC client's CallOptions.
 */
import type { CallOptions, RpcAuth, RpcTimerClass } from '../../rpc/index.js';
import type { Proc } from '../../sockets/index.js';

export interface RawCallOptions {
  /** Interrupts the call: it rejects with RpcInterruptedError (EINTR); a late reply is dropped. */
  signal?: AbortSignal | undefined;
  /** Call with this process's AUTH_SYS credential (uid, gid, groups) instead of the client's. */
  cred?: Proc | undefined;
  /** Call with this credential (wins over `cred`). */
  auth?: RpcAuth | undefined;
  /** Milliseconds: fail with RpcTimeoutError (ETIMEDOUT) without a reply by then, hard or soft. */
  timeout?: number | undefined;
  /** Override the client's hard/soft for this call. */
  soft?: boolean | undefined;
  /** Fail at once (RpcCantConnectError) when the server cannot be reached. */
  softConnect?: boolean | undefined;
}

/* The options of a call that sets nothing but its timer class: shared, frozen, no allocation per call. */
const TIMER_ONLY: readonly (CallOptions | undefined)[] = [undefined, 1, 2, 3, 4].map((t) =>
  t === undefined ? undefined : Object.freeze({ timer: t as RpcTimerClass }));

/** The RPC client's options for one call (only the fields that are set). */
export function rpcCallOptions(o: RawCallOptions | undefined, timer: RpcTimerClass): CallOptions | undefined {
  if (o === undefined || (o.signal === undefined && o.auth === undefined && o.cred === undefined &&
      o.timeout === undefined && o.soft === undefined && o.softConnect === undefined)) {
    return TIMER_ONLY[timer];
  }
  const c: CallOptions = {};
  if (timer !== 0) c.timer = timer;
  if (o.signal !== undefined) c.signal = o.signal;
  if (o.auth !== undefined) c.auth = o.auth;
  else if (o.cred !== undefined) c.cred = o.cred;
  if (o.timeout !== undefined) c.timeout = o.timeout;
  if (o.soft !== undefined) c.soft = o.soft;
  if (o.softConnect !== undefined) c.softConnect = o.softConnect;
  return c;
}
