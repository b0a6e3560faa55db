/*
 * The client's policy pieces on their own: the RTT estimator and backoff (OpenBSD nfs_socket.c
 * as described in shared/reference), the congestion window, xid allocation, option checking.
 */
import { describe, expect, test } from 'vitest';
import {
  CWND_SCALE, CongestionWindow, MAX_CWND, MAX_RTO_MS, MIN_RTO_MS, RPC_BACKOFF, RttEstimator, XidAllocator,
  backoffTimeout, resolveClientOptions,
} from '../../rpc/index.js';
import { randomBytes } from '../../rpc/client/random.js';

describe('RTT estimator', () => {
  test('each class starts at timeo; class 0 always uses timeo', () => {
    const e = new RttEstimator(1100);
    for (const cls of [1, 2, 3, 4]) expect(e.rto(cls, 1100)).toBe(1100);
    e.update(1, 10);
    expect(e.rto(0, 1100)).toBe(1100);
  });

  test('smoothed with gain 1/8 and deviation with gain 1/4; A+2D for classes 1-2, A+4D for 3-4', () => {
    const e = new RttEstimator(1000);
    e.update(1, 600);
    /* srtt = 1000 + (600-1000)/8 = 950; sdrtt = 0 + (400 - 0)/4 = 100 */
    expect(e.srtt[0]).toBe(950);
    expect(e.sdrtt[0]).toBe(100);
    expect(e.rto(1, 1000)).toBe(950 + 2 * 100);
    e.update(3, 600);
    expect(e.rto(3, 1000)).toBe(950 + 4 * 100);
  });

  test('clamped to [MIN_RTO_MS, MAX_RTO_MS]', () => {
    const e = new RttEstimator(1000);
    for (let i = 0; i < 100; i++) e.update(2, 1);
    expect(e.rto(2, 1000)).toBe(MIN_RTO_MS);
    for (let i = 0; i < 100; i++) e.update(4, 60_000);
    expect(e.rto(4, 1000)).toBe(MAX_RTO_MS);
  });

  test('backoff doubles per retransmission from 2 to 256, capped by the maximum timeout', () => {
    expect(RPC_BACKOFF).toEqual([2, 4, 8, 16, 32, 64, 128, 256]);
    expect(backoffTimeout(100, 0, 1e9)).toBe(100);
    expect(backoffTimeout(100, 1, 1e9)).toBe(200);
    expect(backoffTimeout(100, 8, 1e9)).toBe(25600);
    expect(backoffTimeout(100, 20, 1e9)).toBe(25600);
    expect(backoffTimeout(100, 5, 1000)).toBe(1000);
  });
});

describe('congestion window', () => {
  test('starts at half of 32 calls; a call needs a free slot to go out the first time', () => {
    const w = new CongestionWindow();
    expect(w.calls).toBe(16);
    for (let i = 0; i < 16; i++) {
      expect(w.open).toBe(true);
      w.take();
    }
    expect(w.open).toBe(false);
    w.release();
    expect(w.open).toBe(true);
  });

  test('halves on each timeout, never below one call', () => {
    const w = new CongestionWindow();
    w.timedOut();
    expect(w.calls).toBe(8);
    for (let i = 0; i < 10; i++) w.timedOut();
    expect(w.cwnd).toBe(CWND_SCALE);
  });

  test('grows by about one call per window of replies while full, up to 32', () => {
    const w = new CongestionWindow();
    w.cwnd = 4 * CWND_SCALE;
    for (let i = 0; i < 4; i++) w.take();
    w.replied();
    expect(w.cwnd).toBe(4 * CWND_SCALE + 64);
    /* Not full: no growth. */
    w.replied();
    expect(w.cwnd).toBe(4 * CWND_SCALE + 64);
    for (let round = 0; round < 2000; round++) {
      while (w.open) w.take();
      w.replied();
    }
    expect(w.cwnd).toBe(MAX_CWND);
  });
});

describe('xids', () => {
  test('increase by one, wrap at 2^32, and skip xids still outstanding', () => {
    const a = new XidAllocator(0xfffffffe);
    const out = new Set<number>([0]);
    expect(a.next(out)).toBe(0xfffffffe);
    expect(a.next(out)).toBe(0xffffffff);
    expect(a.next(out)).toBe(1); /* 0 is outstanding */
    expect(a.issued(0xffffffff)).toBe(true);
    expect(a.issued(2)).toBe(false);
  });

  test('random starts differ', () => {
    const starts = new Set(Array.from({ length: 8 }, () => new XidAllocator().start));
    expect(starts.size).toBeGreaterThan(1);
  });

  test('random bytes come from the kernel without node:crypto: the length asked, different every call, all byte values', () => {
    const seen = new Set<string>();
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 64; i++) {
      const b = randomBytes(64);
      expect(b.length).toBe(64);
      seen.add(b.toString('hex'));
      for (const x of b) counts[x]!++;
    }
    expect(seen.size).toBe(64);
    expect(counts.filter((c) => c > 0).length).toBeGreaterThan(240); /* 4096 draws cover nearly all 256 values */
    expect(randomBytes(0).length).toBe(0);
  });
});

describe('options', () => {
  test('defaults follow nfs(5): TCP timeo 60 s retrans 2, UDP timeo 1.1 s retrans 3; hard; resvport', () => {
    expect(resolveClientOptions({ host: 'h', port: 1 })).toMatchObject({ proto: 'tcp', timeoMs: 60_000, retrans: 2, hard: true, resvport: true, rtt: false });
    expect(resolveClientOptions({ host: 'h', port: 1, proto: 'udp' })).toMatchObject({ timeoMs: 1100, retrans: 3, rtt: true });
  });

  test('bad values are refused with RangeError/TypeError', () => {
    expect(() => resolveClientOptions({ host: 'h', port: 0 })).toThrow(RangeError);
    expect(() => resolveClientOptions({ host: 'h', port: 70000 })).toThrow(RangeError);
    expect(() => resolveClientOptions({ host: '', port: 1 })).toThrow(TypeError);
    expect(() => resolveClientOptions({ host: 'h', port: 1, timeo: 0 })).toThrow(RangeError);
    expect(() => resolveClientOptions({ host: 'h', port: 1, maxInFlight: 0 })).toThrow(RangeError);
    expect(() => resolveClientOptions({ host: 'h', port: 1, proto: 'sctp' as 'tcp' })).toThrow(RangeError);
  });
});
