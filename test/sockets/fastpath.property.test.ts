/*
 * sosend and soreceive each have a fast path (the common case, without a generator) beside their
 * general path (sockets/fastpath.ts). The fast path is the general one restricted to one case, so
 * on any input both must do the same thing. Here fast-check drives the same random sequences of
 * sends, receives and state changes on two in-process socket pairs, one with the fast paths on and
 * one with them switched off (so_fastpath, the test-only switch), and compares after every step
 * the errno, the bytes and flags handed back, uio_resid, the mbuf chain given through mp0, and
 * the state of both sockets and their buffers.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AF_LOCAL, ECONNRESET, EPIPE, MSG_DONTWAIT, MSG_EOR, MSG_PEEK, MSG_WAITALL, MT_DATA, SHUT_RD, SHUT_WR, SOCK_SEQPACKET,
  SOCK_STREAM, SOL_SOCKET, SO_RCVLOWAT, SO_SNDBUF, UIO_READ, UIO_WRITE, m_freem, m_gethdr, m_wrap, soclose, socketpair,
  sooptint, soreceive, soreceive_nowait, sosend, sosend_nowait, sosetopt, soshutdown, uio_init,
} from '../../sockets/index.js';
import type { Mbuf, Ref, Socket } from '../../sockets/index.js';
import { so_fastpath } from '../../sockets/internal.js';

type Op =
  | { op: 'send'; n: number; pieces: number; top: boolean; eor: boolean; nowait: boolean }
  | { op: 'recv'; resid: number; peek: boolean; waitall: boolean; dontwait: boolean; mp0: boolean; nowait: boolean; flagsp: boolean }
  | { op: 'lowat'; n: number }
  | { op: 'sndbuf'; n: number }
  | { op: 'error'; errno: number }
  | { op: 'shutdown'; how: number };

/* Sizes: mostly small (so that sends and receives of a few bytes meet), sometimes beyond the buffers. */
const size = (max: number): fc.Arbitrary<number> => fc.oneof({ weight: 3, arbitrary: fc.nat(64) }, { weight: 1, arbitrary: fc.nat(max) });

const sendArb = fc.record({
  op: fc.constant('send' as const), n: size(3000), pieces: fc.integer({ min: 1, max: 4 }), top: fc.boolean(),
  eor: fc.constantFrom(false, false, false, true), nowait: fc.boolean(),
});
const recvArb = fc.record({
  op: fc.constant('recv' as const), resid: size(4000), peek: fc.boolean(), waitall: fc.boolean(), dontwait: fc.boolean(),
  mp0: fc.boolean(), nowait: fc.boolean(), flagsp: fc.boolean(),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: sendArb },
  { weight: 8, arbitrary: recvArb },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('lowat' as const), n: fc.integer({ min: 1, max: 2500 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('sndbuf' as const), n: fc.integer({ min: 512, max: 8192 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('error' as const), errno: fc.constantFrom(ECONNRESET, EPIPE) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('shutdown' as const), how: fc.constantFrom(SHUT_RD, SHUT_WR) }) },
);

/* Deterministic bytes: the k-th send's payload. */
function payload(k: number, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (k * 31 + i * 7) & 0xff;
  return b;
}

/* A chain of `pieces` mbufs holding b (the first with a packet header), as a caller of sosend builds one. */
function chain(b: Buffer, pieces: number): Mbuf {
  const step = Math.max(1, Math.ceil(b.length / pieces));
  const head = m_gethdr(0, MT_DATA);
  head.m_pkthdr.len = b.length;
  let tail = head;
  for (let off = 0; off < b.length; off += step) {
    const m = m_wrap(b.subarray(off, Math.min(b.length, off + step)), MT_DATA);
    tail.m_next = m;
    tail = m;
  }
  return head;
}

function bytesOf(m: Mbuf | null): number[] {
  const out: number[] = [];
  for (; m !== null; m = m.m_next) for (let i = 0; i < m.m_len; i++) out.push(m.m_buf[m.m_data + i]!);
  return out;
}

/* What can be seen of a socket and its receive buffer: state and the records' mbufs. */
function state(so: Socket): unknown {
  const records: [number, number, number][][] = [];
  for (let r = so.so_rcv.sb_mb; r !== null; r = r.m_nextpkt) {
    const rec: [number, number, number][] = [];
    for (let m: Mbuf | null = r; m !== null; m = m.m_next) rec.push([m.m_type, m.m_len, m.m_flags]);
    records.push(rec);
  }
  const sb = (b: Socket['so_rcv']) => [b.sb_cc, b.sb_datacc, b.sb_mbcnt, b.sb_hiwat, b.sb_lowat, b.sb_flags];
  return { so_state: so.so_state, so_error: so.so_error, rcv: sb(so.so_rcv), snd: sb(so.so_snd), records, data: bytesOf(so.so_rcv.sb_mb) };
}

/* Run `ops` on a fresh pair (sender a, receiver b) with the fast paths on or off; the observations. */
async function run(type: number, ops: readonly Op[], fast: boolean): Promise<unknown[]> {
  so_fastpath.rcv = fast;
  so_fastpath.snd = fast;
  const sv: [Socket | null, Socket | null] = [null, null];
  expect(socketpair(AF_LOCAL, type, 0, sv)).toBe(0);
  const [a, b] = sv as [Socket, Socket];
  const seen: unknown[] = [];
  try {
    for (let k = 0; k < ops.length; k++) {
      const o = ops[k]!;
      let r: unknown;
      switch (o.op) {
        case 'send': {
          const data = payload(k, o.n);
          const flags = (o.eor ? MSG_EOR : 0) | (o.nowait ? 0 : MSG_DONTWAIT);
          const uio = o.top ? null : uio_init(UIO_WRITE, [data]);
          const top = o.top ? chain(data, o.pieces) : null;
          const e = o.nowait ? sosend_nowait(a, null, uio, top, null, flags) : await sosend(a, null, uio, top, null, flags);
          r = { e, resid: uio?.uio_resid };
          break;
        }
        case 'recv': {
          const flags = (o.peek ? MSG_PEEK : 0) | (o.waitall ? MSG_WAITALL : 0) | (o.dontwait ? MSG_DONTWAIT : 0);
          const buf = Buffer.alloc(o.resid);
          const uio = uio_init(UIO_READ, [buf]);
          const mp0: Ref<Mbuf | null> | null = o.mp0 ? { value: null } : null;
          const flagsp: Ref<number> | null = o.flagsp || flags !== 0 ? { value: flags } : null;
          let e: number;
          let unblocked: false | 'fed' | 'eof' = false;
          if (o.nowait) {
            e = soreceive_nowait(b, null, uio, mp0, null, flagsp);
          } else {
            let settled = false;
            const p = soreceive(b, null, uio, mp0, null, flagsp).finally(() => { settled = true; });
            await new Promise((resolve) => setImmediate(resolve));
            if (!settled) {
              /* It waits: send what it asks for, and if it still waits, end the stream (EOF). */
              unblocked = 'fed';
              const more = uio_init(UIO_WRITE, [payload(k + 1000, Math.max(1, o.resid))]);
              sosend_nowait(a, null, more, null, null, 0);
              await new Promise((resolve) => setImmediate(resolve));
              if (!settled) {
                unblocked = 'eof';
                soshutdown(a, SHUT_WR);
              }
            }
            e = await p;
          }
          const got = mp0 !== null ? bytesOf(mp0.value) : [...buf.subarray(0, o.resid - uio.uio_resid)];
          const pkthdr = mp0?.value?.m_pkthdr.len;
          if (mp0 !== null) m_freem(mp0.value);
          r = { e, resid: uio.uio_resid, got, pkthdr, flags: flagsp?.value, unblocked };
          break;
        }
        case 'lowat':
          r = sosetopt(b, SOL_SOCKET, SO_RCVLOWAT, sooptint(o.n));
          break;
        case 'sndbuf':
          r = sosetopt(a, SOL_SOCKET, SO_SNDBUF, sooptint(o.n));
          break;
        case 'error':
          b.so_error = o.errno;
          r = 0;
          break;
        case 'shutdown':
          r = soshutdown(o.how === SHUT_RD ? b : a, o.how);
          break;
      }
      seen.push({ k, o, r, a: state(a), b: state(b) });
    }
  } finally {
    await soclose(a);
    await soclose(b);
    so_fastpath.rcv = true;
    so_fastpath.snd = true;
  }
  return seen;
}

describe('sosend and soreceive: the fast paths do what the general paths do', () => {
  afterEach(() => {
    so_fastpath.rcv = true;
    so_fastpath.snd = true;
  });

  it('on random sequences of sends, receives (peek, waitall, dontwait, mp0), low-water marks, errors and shutdowns', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(SOCK_STREAM, SOCK_SEQPACKET), fc.array(opArb, { minLength: 1, maxLength: 25 }), async (type, ops) => {
        const fast = await run(type, ops, true);
        const general = await run(type, ops, false);
        expect(general).toEqual(fast);
      }),
      { numRuns: 1000 },
    );
  });

  it('on random sequences of stream sends and receives alone (the fast paths\' own case, most of the time)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(sendArb, recvArb), { minLength: 1, maxLength: 25 }), async (ops) => {
        const fast = await run(SOCK_STREAM, ops, true);
        const general = await run(SOCK_STREAM, ops, false);
        expect(general).toEqual(fast);
      }),
      { numRuns: 1000 },
    );
  });

  it('the switch reaches both paths: a receive of buffered stream data gives the same bytes either way', async () => {
    const ops: Op[] = [
      { op: 'send', n: 100, pieces: 3, top: true, eor: false, nowait: false },
      { op: 'recv', resid: 60, peek: false, waitall: false, dontwait: false, mp0: true, nowait: false, flagsp: false },
      { op: 'recv', resid: 60, peek: false, waitall: true, dontwait: false, mp0: false, nowait: false, flagsp: true },
    ];
    const fast = await run(SOCK_STREAM, ops, true);
    expect(await run(SOCK_STREAM, ops, false)).toEqual(fast);
    expect((fast[1] as { r: { got: number[] } }).r.got).toEqual([...payload(0, 100).subarray(0, 60)]);
    expect((fast[2] as { r: { unblocked: string } }).r.unblocked).toBe('fed');
  });
});
