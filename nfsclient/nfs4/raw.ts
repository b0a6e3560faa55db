/*
 * The raw NFSv4 tier: COMPOUND and NULL over an RpcClient (program 100003, version 4), as the v3
 * raw tier is one function per procedure. compound() sends the operations given — nothing added,
 * no state handled (the session tier, session.ts and client.ts, prepends SEQUENCE and recovers) —
 * with a tag and the minor version, and returns the COMPOUND's status and the operations' typed
 * results, checked against the request (compound.ts). It never throws on an NFS status; RPC
 * failures (timeouts, interruptions, rejections, undecodable replies) reject with the rpc/ errors.
 *
 * Per call: one arguments object, one results codec (holding the request) and the RPC client's
 * own work; READ data can go straight into a caller's buffer or stay in the reply's mbufs, and
 * WRITE data is sent by reference (compound.ts, ops-io.ts).
 */

import {
  RPC_TIMER_GETATTR, RPC_TIMER_LOOKUP, RPC_TIMER_NONE, RPC_TIMER_READ, RPC_TIMER_WRITE,
} from '../../rpc/index.js';
import type { CallOptions, RpcAuth, RpcClient, RpcTimerClass, XdrCodec } from '../../rpc/index.js';
import type { Proc } from '../../sockets/index.js';
import { COMPOUND4resCodec, encodeCOMPOUND4args } from './compound.js';
import type { COMPOUND4args, COMPOUND4res, nfs_argop4 } from './compound.js';
import { NFS4_PROGRAM, NFSPROC4_COMPOUND, NFS_V4 } from './constants.js';
import { OP_GETATTR, OP_LOOKUP, OP_READ, OP_READDIR, OP_WRITE } from './opnum.js';

/** Per-call options of the raw tier. */
export interface Nfs4CallOptions {
  /** Interrupts the call: it rejects with RpcInterruptedError (EINTR); a late reply is dropped. */
  signal?: AbortSignal | undefined;
  /** Call with this process's AUTH_SYS credential instead of the client's. */
  cred?: Proc | undefined;
  /** Call with this credential (wins over `cred`). */
  auth?: RpcAuth | undefined;
  /** Milliseconds: fail with RpcTimeoutError (ETIMEDOUT) without a reply by then, hard or soft. */
  timeout?: number | undefined;
  /** Override the client's hard/soft for this call. */
  soft?: boolean | undefined;
  /** Fail at once (RpcCantConnectError) when the server cannot be reached. */
  softConnect?: boolean | undefined;
  /** The COMPOUND's tag (default ''). */
  tag?: string | undefined;
}

/** Observes every COMPOUND the tier sends (tracing, tests). Runs synchronously before it is sent. */
export type Nfs4CallObserver = (ops: readonly nfs_argop4[], minorversion: number) => void;

const COMPOUND4args: XdrCodec<COMPOUND4args> = {
  encode: encodeCOMPOUND4args,
  decode: () => {
    throw new Error('not a decoder');
  },
};

/* The RTT estimator class of a COMPOUND: that of its data or lookup operation (OpenBSD's classes). */
function timerOf(ops: readonly nfs_argop4[]): RpcTimerClass {
  for (let i = ops.length - 1; i >= 0; i--) {
    switch (ops[i]!.argop) {
      case OP_READ: case OP_READDIR: return RPC_TIMER_READ;
      case OP_WRITE: return RPC_TIMER_WRITE;
      case OP_LOOKUP: return RPC_TIMER_LOOKUP;
      case OP_GETATTR: return RPC_TIMER_GETATTR;
      default: break;
    }
  }
  return RPC_TIMER_NONE;
}

const TIMER_ONLY: readonly (CallOptions | undefined)[] = [undefined, 1, 2, 3, 4].map((t) =>
  t === undefined ? undefined : Object.freeze({ timer: t as RpcTimerClass }));

function callOptions(o: Nfs4CallOptions | undefined, timer: RpcTimerClass, tracker?: { resends: number }): CallOptions | undefined {
  if (tracker === undefined && (o === undefined || (o.signal === undefined && o.auth === undefined && o.cred === undefined &&
      o.timeout === undefined && o.soft === undefined && o.softConnect === undefined))) {
    return TIMER_ONLY[timer];
  }
  const c: CallOptions = {};
  if (timer !== 0) c.timer = timer;
  if (tracker !== undefined) c.tracker = tracker;
  if (o === undefined) return c;
  if (o.signal !== undefined) c.signal = o.signal;
  if (o.auth !== undefined) c.auth = o.auth;
  else if (o.cred !== undefined) c.cred = o.cred;
  if (o.timeout !== undefined) c.timeout = o.timeout;
  if (o.soft !== undefined) c.soft = o.soft;
  if (o.softConnect !== undefined) c.softConnect = o.softConnect;
  return c;
}

export class Nfs4 {
  /** Called before each COMPOUND is sent, when set. */
  onCall: Nfs4CallObserver | null = null;

  /** @param minorversion sent in every COMPOUND (0, 1 or 2). */
  constructor(readonly rpc: RpcClient, readonly minorversion: number) {}

  /** NFSPROC4_NULL. */
  null(o?: Nfs4CallOptions): Promise<void> {
    return this.rpc.ping(NFS4_PROGRAM, NFS_V4, callOptions(o, RPC_TIMER_NONE));
  }

  /**
   * NFSPROC4_COMPOUND of `ops`: resolves with the COMPOUND's status and the results, typed by the
   * operations (`res.resarray[1]?.resok4.object` after a GETFH at index 1).
   */
  compound<const T extends readonly nfs_argop4[]>(ops: T, o?: Nfs4CallOptions): Promise<COMPOUND4res<T>> {
    if (this.onCall !== null) this.onCall(ops, this.minorversion);
    const args: COMPOUND4args = { tag: o?.tag ?? '', minorversion: this.minorversion, argarray: ops };
    return this.rpc.callCodec(NFS4_PROGRAM, NFS_V4, NFSPROC4_COMPOUND, COMPOUND4args, args,
      new COMPOUND4resCodec(ops), callOptions(o, timerOf(ops)));
  }

  /**
   * compound(), also telling whether the call went out more than once before its reply (RPC
   * retransmissions, or resends after a reconnection): the server may have executed it before.
   */
  async compoundTracked<const T extends readonly nfs_argop4[]>(ops: T, o?: Nfs4CallOptions): Promise<{ res: COMPOUND4res<T>; retransmitted: boolean }> {
    if (this.onCall !== null) this.onCall(ops, this.minorversion);
    const tracker = { resends: 0 };
    const args: COMPOUND4args = { tag: o?.tag ?? '', minorversion: this.minorversion, argarray: ops };
    const res = await this.rpc.callCodec(NFS4_PROGRAM, NFS_V4, NFSPROC4_COMPOUND, COMPOUND4args, args,
      new COMPOUND4resCodec(ops), callOptions(o, timerOf(ops), tracker));
    return { res, retransmitted: tracker.resends > 0 };
  }
}
