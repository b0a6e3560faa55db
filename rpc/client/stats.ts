/*
 * Client statistics, in the spirit of OpenBSD's nfsstats (rpcrequests, rpcretries, rpctimeouts,
 * rpcunexpected, rpcinvalid): plain counters a test or a monitor reads at any time.
 */

/** Per procedure (prog, vers, proc): calls made, their outcomes and round-trip times. */
export interface RpcProcStats {
  readonly prog: number;
  readonly vers: number;
  readonly proc: number;
  /** Calls started. */
  calls: number;
  /** Calls answered (any reply status). */
  replies: number;
  /** Calls that failed (an error reply, a timeout, an interruption, close()). */
  errors: number;
  /** Retransmissions of this procedure's calls. */
  retransmits: number;
  /** Round trips sampled (replies to calls never retransmitted: Karn's rule). */
  rttSamples: number;
  /** Smallest, largest and summed sampled round trip, in milliseconds. */
  rttMin: number;
  rttMax: number;
  rttSum: number;
  /** Size of the last encoded call, used to size the next one's buffer. */
  sizeHint: number;
  /** Smoothed size of this procedure's replies in bytes (gain 1/8; UDP only): what its next call weighs in the congestion window. */
  replySize: number;
}

export interface RpcClientStats {
  /** Calls started (call()/callCodec()), including ones that never got sent. */
  calls: number;
  /** Calls that got their reply (any status) and completed. */
  replies: number;
  /** Transmissions, first ones and retransmissions. */
  sends: number;
  /** Retransmissions (same xid) after a timeout. */
  retransmits: number;
  /** Timer expiries (a call waited past its RTO). */
  timeouts: number;
  /** Calls failed by a soft timeout or per-call timeout (ETIMEDOUT). */
  timedOut: number;
  /** Calls ended by their AbortSignal (EINTR). */
  interrupted: number;
  /** Calls ended by a reply error (PROG_UNAVAIL, AUTH_ERROR ...) or an undecodable result. */
  errorReplies: number;
  /** Connections established (the first one included). */
  connects: number;
  /** Connection attempts that failed. */
  connectFailures: number;
  /** Connections lost or dropped (reset, EOF, hopeless record) with calls to resend. */
  disconnects: number;
  /** Reconnections after a lost connection (each resends every outstanding call). */
  reconnects: number;
  /** Replies to calls already answered (xid issued by us, call complete). */
  duplicateReplies: number;
  /** Replies to calls that timed out or were interrupted (their xid was forgotten). */
  lateReplies: number;
  /** Replies with an xid this client never issued. */
  strayReplies: number;
  /** Messages that are not a well-formed reply (too short, not a REPLY, bad header). */
  badReplies: number;
  /** Records over maxRecordSize (the connection is dropped). */
  oversizedRecords: number;
  /** Socket errors counted and ignored (UDP: ECONNREFUSED from ICMP port unreachable). */
  softErrors: number;
  /** Bytes handed to sosend (record marks included) and taken from soreceive. */
  bytesSent: number;
  bytesReceived: number;
  /** Calls in flight (sent, not answered) and waiting (maxInFlight or the window). */
  inFlight: number;
  queued: number;
  /** The datagram congestion window, in calls (UDP; 0 on TCP). */
  cwnd: number;
  /** Reserved ports used for connections, and fallbacks to an ephemeral port. */
  reservedPorts: number;
  reservedPortFallbacks: number;
}

export function newClientStats(): RpcClientStats {
  return {
    calls: 0, replies: 0, sends: 0, retransmits: 0, timeouts: 0, timedOut: 0, interrupted: 0, errorReplies: 0,
    connects: 0, connectFailures: 0, disconnects: 0, reconnects: 0, duplicateReplies: 0, lateReplies: 0,
    strayReplies: 0, badReplies: 0, oversizedRecords: 0, softErrors: 0, bytesSent: 0, bytesReceived: 0,
    inFlight: 0, queued: 0, cwnd: 0, reservedPorts: 0, reservedPortFallbacks: 0,
  };
}

export function newProcStats(prog: number, vers: number, proc: number): RpcProcStats {
  return {
    prog, vers, proc, calls: 0, replies: 0, errors: 0, retransmits: 0, rttSamples: 0, rttMin: Infinity, rttMax: 0,
    rttSum: 0, sizeHint: 256, replySize: 0,
  };
}

/** Mean sampled round trip of a procedure, in milliseconds (NaN before the first sample). */
export function rttMean(s: RpcProcStats): number {
  return s.rttSamples === 0 ? NaN : s.rttSum / s.rttSamples;
}

/**
 * Per-procedure statistics keyed without building a string per call: a number for the usual
 * small vers and proc, a string otherwise.
 */
export class ProcStatsTable {
  readonly #byKey = new Map<number | string, RpcProcStats>();

  get(prog: number, vers: number, proc: number): RpcProcStats {
    const key = vers < 256 && proc < 4096 ? prog * 1048576 + vers * 4096 + proc : `${prog}/${vers}/${proc}`;
    let s = this.#byKey.get(key);
    if (s === undefined) {
      s = newProcStats(prog, vers, proc);
      this.#byKey.set(key, s);
    }
    return s;
  }

  /** Every procedure seen, in first-use order. */
  list(): RpcProcStats[] {
    return [...this.#byKey.values()];
  }
}
