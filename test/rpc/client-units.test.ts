/*
 * The client's policy pieces on their own: the RTT estimator and backoff (OpenBSD nfs_socket.c
 * as described in shared/reference), the congestion window, xid allocation, option checking.
 */
import { describe, expect, test } from 'vitest';
import {
  CWND_SCALE, CWND_SLOT_BYTES, CongestionWindow, MAX_CWND, MAX_RTO_MS, MIN_RTO_MS, RPC_BACKOFF, RttEstimator, XidAllocator,
  backoffTimeout, resolveClientOptions, windowSlots,
} from '../../rpc/index.js';
import { randomBytes } from '../../rpc/client/random.js';

describe('RTT estimator', () => {
  test('a class uses timeo until its first sample; class 0 always uses timeo', () => {
    const e = new RttEstimator();
    for (const cls of [1, 2, 3, 4]) expect(e.rto(cls, 1100)).toBe(1100);
    e.update(1, 400);
    expect(e.rto(0, 1100)).toBe(1100);
    expect(e.rto(2, 1100)).toBe(1100);
    expect(e.rto(1, 1100)).not.toBe(1100);
  });

  test('the first sample R sets srtt R and sdrtt R/2 (RFC 6298 2.2); then gains 1/8 and 1/4; A+2D for classes 1-2, A+4D for 3-4', () => {
    const e = new RttEstimator();
    e.update(1, 400);
    expect([e.srtt[0], e.sdrtt[0]]).toEqual([400, 200]);
    expect(e.rto(1, 1000)).toBe(400 + 2 * 200);
    e.update(1, 800);
    /* srtt = 400 + (800-400)/8 = 450; sdrtt = 200 + (400 - 200)/4 = 250 */
    expect([e.srtt[0], e.sdrtt[0]]).toEqual([450, 250]);
    expect(e.rto(1, 1000)).toBe(450 + 2 * 250);
    e.update(3, 400);
    expect(e.rto(3, 1000)).toBe(400 + 4 * 200);
  });

  test('clamped to [MIN_RTO_MS, MAX_RTO_MS]', () => {
    const e = new RttEstimator();
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
      w.take(1);
    }
    expect(w.open).toBe(false);
    w.release(1);
    expect(w.open).toBe(true);
  });

  test('halves once per flight: calls sent before the cut that time out after it do not cut again', () => {
    const w = new CongestionWindow();
    const flight = Array.from({ length: 16 }, () => {
      w.take(1);
      return w.stamp();
    });
    for (const s of flight) w.timedOut(s);
    expect(w.calls).toBe(8);
    /* Each retransmission is stamped anew: losing them too is a new congestion event. */
    const again = flight.map(() => w.stamp());
    w.timedOut(again[0]!);
    expect(w.calls).toBe(4);
    w.timedOut(again[1]!);
    expect(w.calls).toBe(4);
  });

  test('a call takes one slot per 8 KiB of its call or its expected reply, at most the whole window', () => {
    expect(CWND_SLOT_BYTES).toBe(8192);
    expect([windowSlots(120, 0), windowSlots(8192, 100), windowSlots(8193, 0), windowSlots(200, 32768 + 120)]).toEqual([1, 1, 2, 5]);
    expect(windowSlots(1 << 20, 0)).toBe(MAX_CWND / CWND_SCALE);
    const w = new CongestionWindow();
    w.take(4);
    w.take(4);
    w.take(4);
    expect(w.open).toBe(true);
    w.take(4);
    expect(w.open).toBe(false);
    w.replied(4);
    expect(w.open).toBe(true);
  });

  test('never below one call', () => {
    const w = new CongestionWindow();
    for (let i = 0; i < 10; i++) w.timedOut(w.stamp());
    expect(w.cwnd).toBe(CWND_SCALE);
  });

  test('grows by about one call per window of replies while full, up to 32', () => {
    const w = new CongestionWindow();
    w.cwnd = 4 * CWND_SCALE;
    for (let i = 0; i < 4; i++) w.take(1);
    w.replied(1);
    expect(w.cwnd).toBe(4 * CWND_SCALE + 64);
    /* Not full: no growth. */
    w.replied(1);
    expect(w.cwnd).toBe(4 * CWND_SCALE + 64);
    for (let round = 0; round < 2000; round++) {
      while (w.open) w.take(1);
      w.replied(1);
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
