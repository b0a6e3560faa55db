/*
 * One outstanding call (OpenBSD's struct nfsreq): the encoded message kept for retransmission,
 * its timing and its promise. A class, not closures: a call costs this object, its message
 * chain and its promise. It listens to its AbortSignal itself (handleEvent), so interrupting
 * needs no closure either.
 */
import type { Mbuf } from '../../sockets/index.js';
import type { RpcCallInfo } from '../errors.js';
import type { XdrCodec } from '../xdr/codec.js';
import type { XdrReader } from '../xdr/reader.js';
import type { RpcCallTracker } from './options.js';
import type { RpcProcStats } from './stats.js';

/** Waiting for a slot (maxInFlight, or the UDP window): not yet sent. */
export const REQ_QUEUED = 0;
/** Admitted: sent, or to be sent as soon as there is a connection. */
export const REQ_SENT = 1;
/** Replied, failed or abandoned: its xid is no longer in the table. */
export const REQ_DONE = 2;

/** Decodes a successful reply's results, the reader positioned at them. A function or a codec. */
export type ResultDecoder<R> = ((r: XdrReader) => R) | XdrCodec<R>;

/** What a request needs from its client. */
export interface RequestOwner {
  abortRequest(req: RpcRequest): void;
}

export class RpcRequest {
  state = REQ_QUEUED;
  /** The call message: record-marked (TCP) or a datagram (UDP). Kept until the call ends. */
  mreq: Mbuf | null;
  /** Its length in bytes. */
  readonly len: number;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  /** When it was last (re)sent, or admitted while there was no connection (performance.now()). */
  sentAt = 0;
  /** First transmission, for the RTT sample; -1 until sent. */
  firstSentAt = -1;
  /** Retransmissions so far. */
  rexmit = 0;
  /** Holds slots of the UDP congestion window (cwndSlots of them). */
  inWindow = false;
  cwndSlots = 0;
  /** The window's stamp of its latest transmission (CongestionWindow.stamp). */
  cwndStamp = 0;
  /** Waiting in the transport's send queue. */
  inSendQueue = false;
  /** The caller's resend counter (CallOptions.tracker), or null. */
  tracker: RpcCallTracker | null = null;

  constructor(
    readonly owner: RequestOwner,
    readonly xid: number,
    readonly prog: number,
    readonly vers: number,
    readonly proc: number,
    mreq: Mbuf,
    readonly decoder: ResultDecoder<unknown>,
    readonly soft: boolean,
    readonly retrans: number,
    readonly timeoMs: number,
    readonly timer: number,
    readonly softConnect: boolean,
    /** Absolute deadline of a per-call timeout (performance.now() ms), or Infinity. */
    readonly deadline: number,
    readonly signal: AbortSignal | null,
    readonly stat: RpcProcStats,
    resolve: (v: unknown) => void,
    reject: (e: unknown) => void,
  ) {
    this.mreq = mreq;
    this.len = mreq.m_pkthdr.len;
    this.resolve = resolve;
    this.reject = reject;
  }

  /** The AbortSignal's 'abort' event (EventListener object form: no closure per call). */
  handleEvent(): void {
    this.owner.abortRequest(this);
  }

  /** For error messages. */
  get info(): RpcCallInfo {
    return { xid: this.xid, prog: this.prog, vers: this.vers, proc: this.proc };
  }
}
