/*
 * Retransmission timing (OpenBSD sys/nfs/nfs_socket.c, described in shared/reference
 * kernel-sockets.md §4.4 and nfs-clients.md §1.2; written here from that description).
 *
 * Timer classes: every call belongs to a procedure class. Class 0 (RPC_TIMER_NONE) uses the
 * fixed timeout `timeo`; classes 1..4 have an estimator each, as OpenBSD keeps one per class of
 * NFS procedure (GETATTR/ACCESS, LOOKUP, READ/READLINK/READDIR, WRITE):
 *
 *   srtt   += (sample - srtt) / 8          smoothed round trip, gain 1/8
 *   sdrtt  += (|sample - srtt| - sdrtt) / 4   mean deviation, gain 1/4
 *   RTO     = srtt + 2 sdrtt   (classes 1, 2: small, CPU-bound requests)
 *           = srtt + 4 sdrtt   (classes 3, 4: data transfers, more variable)
 *
 * clamped to [MIN_RTO_MS, MAX_RTO_MS]. Until a class has its first sample its RTO is timeo; the
 * first sample R sets srtt = R, sdrtt = R / 2 (RFC 6298 §2.2). OpenBSD and Linux instead start
 * srtt near timeo and let the 1/8 gain pull it down, which over loopback takes some 30 replies:
 * a datagram lost meanwhile waited most of timeo (1.1 s) instead of the floor. The floor is
 * Linux's (RPC_RTO_MIN, 100 ms: net/sunrpc/timer.c bounds the deviation term by it); OpenBSD's
 * NFS_MINRTO is coarser. Only idempotent procedures have a class (nfs(5)'s GETATTR, LOOKUP,
 * ACCESS, READ, READLINK, READDIR, WRITE), so a spurious retransmission on a slow reply is
 * harmless; the others keep timeo. Samples are taken in milliseconds from the first
 * transmission to the reply, and only for calls never retransmitted (Karn's rule: a reply to a
 * retransmitted call cannot say which transmission it answers).
 *
 * Backoff: the n-th retransmission of a call waits RTO × BACKOFF[n-1] (2, 4, ... 256), never more
 * than maxTimeout. OpenBSD keeps one consecutive-timeout counter per mount (nm_timeouts); this
 * client keeps it per call, as FreeBSD's clnt_dg.c and Linux do, so that a burst of calls to a
 * dead server does not push the next call's first timeout to the cap.
 */

/** Procedure classes (OpenBSD's nfs_proct values). */
export const RPC_TIMER_NONE = 0;
export const RPC_TIMER_GETATTR = 1;
export const RPC_TIMER_LOOKUP = 2;
export const RPC_TIMER_READ = 3;
export const RPC_TIMER_WRITE = 4;
export type RpcTimerClass = 0 | 1 | 2 | 3 | 4;

/** Backoff multipliers for the 1st, 2nd, ... 8th and later retransmission (OpenBSD nfs_backoff). */
export const RPC_BACKOFF: readonly number[] = Object.freeze([2, 4, 8, 16, 32, 64, 128, 256]);

/** RTO bounds of the estimator (Linux's RPC_RTO_MIN; OpenBSD's NFS_MAXRTO). */
export const MIN_RTO_MS = 100;
export const MAX_RTO_MS = 20_000;

/**
 * The NFSv3 procedure → class table (RFC 1813 procedure numbers), as OpenBSD assigns them, for
 * the NFS client to pass as CallOptions.timer. Procedures not listed are class 0.
 */
export const NFS3_TIMER_CLASSES: Readonly<Record<number, RpcTimerClass>> = Object.freeze({
  1: RPC_TIMER_GETATTR, /* GETATTR */
  3: RPC_TIMER_LOOKUP, /* LOOKUP */
  4: RPC_TIMER_GETATTR, /* ACCESS */
  5: RPC_TIMER_READ, /* READLINK */
  6: RPC_TIMER_READ, /* READ */
  7: RPC_TIMER_WRITE, /* WRITE */
  16: RPC_TIMER_READ, /* READDIR */
  17: RPC_TIMER_READ, /* READDIRPLUS */
});

export class RttEstimator {
  /* Index = class - 1. */
  readonly srtt = new Float64Array(4);
  readonly sdrtt = new Float64Array(4);
  /* Samples taken per class (for statistics). */
  readonly samples = new Float64Array(4);

  /** The retransmission timeout of class `cls` before backoff: timeoMs for class 0, and for a class with no sample yet. */
  rto(cls: number, timeoMs: number): number {
    if (cls <= 0 || cls > 4) return timeoMs;
    const i = cls - 1;
    if (this.samples[i] === 0) return timeoMs;
    const v = this.srtt[i]! + (cls <= 2 ? 2 : 4) * this.sdrtt[i]!;
    return v < MIN_RTO_MS ? MIN_RTO_MS : v > MAX_RTO_MS ? MAX_RTO_MS : v;
  }

  /** Account a round trip of `ms` for class `cls` (ignored for class 0). */
  update(cls: number, ms: number): void {
    if (cls <= 0 || cls > 4) return;
    const i = cls - 1;
    if (this.samples[i]++ === 0) {
      this.srtt[i] = ms;
      this.sdrtt[i] = ms / 2;
      return;
    }
    const err = ms - this.srtt[i]!;
    this.srtt[i]! += err / 8;
    this.sdrtt[i]! += (Math.abs(err) - this.sdrtt[i]!) / 4;
    this.samples[i]!++;
  }
}

/** The wait before the call's next timeout: rto after `rexmit` retransmissions, with backoff, capped. */
export function backoffTimeout(rto: number, rexmit: number, maxMs: number): number {
  const t = rexmit === 0 ? rto : rto * RPC_BACKOFF[(rexmit > 8 ? 8 : rexmit) - 1]!;
  return t < maxMs ? t : maxMs;
}
