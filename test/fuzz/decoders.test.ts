/*
 * Property-based fuzzing (fast-check) of the XDR and record decoders, alone and inside the RPC
 * client. Fixed seed and a few hundred runs in `npm test`; `npm run fuzz` runs them far longer
 * (test/fuzz/params.ts). The properties:
 *
 * - XdrReader: any sequence of reads over any bytes, in any chunking, returns values within
 *   their declared bounds or throws XdrDecodeError — nothing else — and keeps offset + remaining
 *   equal to the input's length; values written by XdrWriter read back identical whatever the
 *   chunking.
 * - RecordReader: records cut into any fragments (zero-length non-final ones included), the stream
 *   cut anywhere, come back exactly; any byte stream gives records, or RpcRecordTooLargeError and
 *   nothing else, and never holds more than maxRecordSize + 3 bytes of an unfinished record.
 * - RPC replies of NFSv3 procedures with a byte changed, words inserted or removed, or cut short:
 *   the reply header and results decoders throw only XdrDecodeError.
 * - End to end: an RpcClient whose server answers with such mutated replies, framed in random
 *   fragments and written in random pieces, settles every call with its results or an RpcError
 *   (within a per-call timeout), and stays usable.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NFS3_PROCEDURES } from '../../nfsclient/nfs3/procs.js';
import type { Nfs3ProcedureName } from '../../nfsclient/nfs3/procs.js';
import { RpcClient } from '../../rpc/client/index.js';
import { RpcError, RpcRecordTooLargeError, XdrDecodeError } from '../../rpc/errors.js';
import { AUTH_NONE, MSG_ACCEPTED, SUCCESS } from '../../rpc/msg/constants.js';
import { decodeReplyHeader, encodeReplyHeader } from '../../rpc/msg/reply.js';
import { RecordReader } from '../../rpc/record/reader.js';
import type { XdrCodec } from '../../rpc/xdr/codec.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { XdrWriter } from '../../rpc/xdr/writer.js';
import { m_freem, m_tobuf, m_wrap, sostat } from '../../sockets/index.js';
import type { Mbuf } from '../../sockets/index.js';
import { arbFattr3, arbFh, arbName, arbPostOpAttr, arbWccData } from '../nfs3/nfs3-arbitraries.js';
import { FakeRpcServer } from '../rpc/helpers/fake-rpc-server.js';
import type { FakeCall } from '../rpc/helpers/fake-rpc-server.js';
import { arb, chainOf } from '../rpc/xdr-helpers.js';
import { params, seed } from './params.js';

/* ---------------------------------------------------------------- XdrReader */

type ReadOp =
  | { op: 'int' | 'uint' | 'hyper' | 'uhyper' | 'bool' | 'double' }
  | { op: 'enum'; n: number }
  | { op: 'fixedOpaque' | 'skip'; n: number }
  | { op: 'opaque' | 'opaqueCopy' | 'opaqueMbuf' | 'skipOpaque' | 'string'; max: number }
  | { op: 'opaqueInto'; max: number; room: number };

const arbReadOp: fc.Arbitrary<ReadOp> = fc.oneof(
  fc.constantFrom('int', 'uint', 'hyper', 'uhyper', 'bool', 'double').map((op) => ({ op }) as ReadOp),
  fc.record({ op: fc.constant('enum' as const), n: fc.nat(8) }),
  fc.record({ op: fc.constantFrom('fixedOpaque' as const, 'skip' as const), n: fc.nat(70) }),
  fc.record({ op: fc.constantFrom('opaque' as const, 'opaqueCopy' as const, 'opaqueMbuf' as const, 'skipOpaque' as const, 'string' as const), max: fc.nat(80) }),
  fc.record({ op: fc.constant('opaqueInto' as const), max: fc.nat(80), room: fc.nat(80) }),
);

/* Words that look like lengths, counts and flags, mixed with random bytes. */
const arbHostileBytes: fc.Arbitrary<Buffer> = fc.array(fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 4, 7, 8, 64, 65, 255, 256, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff).map((w) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(w, 0);
    return b;
  }),
  arb.bytes(12),
), { maxLength: 40 }).map((parts) => Buffer.concat(parts));

function runRead(r: XdrReader, o: ReadOp): number {
  switch (o.op) {
    case 'int': r.int(); return 4;
    case 'uint': r.uint(); return 4;
    case 'hyper': r.hyper(); return 8;
    case 'uhyper': r.uhyper(); return 8;
    case 'bool': r.bool(); return 4;
    case 'double': r.double(); return 8;
    case 'enum': r.enum(0, o.n); return 4;
    case 'fixedOpaque': expect(r.fixedOpaque(o.n).length).toBe(o.n); return -1;
    case 'skip': r.skip(o.n); return o.n;
    case 'opaque': expect(r.opaque(o.max).length).toBeLessThanOrEqual(o.max); return -1;
    case 'opaqueCopy': expect(r.opaqueCopy(o.max).length).toBeLessThanOrEqual(o.max); return -1;
    case 'opaqueMbuf': {
      const m = r.opaqueMbuf(o.max);
      let n = 0;
      for (let x: Mbuf | null = m; x !== null; x = x.m_next) n += x.m_len;
      expect(n).toBeLessThanOrEqual(o.max);
      m_freem(m);
      return -1;
    }
    case 'skipOpaque': expect(r.skipOpaque(o.max)).toBeLessThanOrEqual(o.max); return -1;
    case 'string': expect(Buffer.byteLength(r.string(o.max))).toBeLessThanOrEqual(o.max * 3); return -1;
    case 'opaqueInto': {
      const target = Buffer.alloc(o.room + 8, 0xaa);
      const n = r.opaqueInto(target, 4, o.max);
      expect(n).toBeLessThanOrEqual(Math.min(o.max, o.room + 4));
      expect(target.subarray(0, 4).every((b) => b === 0xaa)).toBe(true);
      expect(target.subarray(4 + n + ((4 - (n % 4)) % 4) + 4).every((b) => b === 0xaa) || n + 4 > target.length - 4).toBe(true);
      return -1;
    }
  }
}

describe('XdrReader', () => {
  it('any reads over any bytes, in any chunking: values within bounds or XdrDecodeError, offsets consistent', () => {
    fc.assert(fc.property(arbHostileBytes, arb.cuts(200), fc.array(arbReadOp, { maxLength: 12 }), (bytes, cuts, ops) => {
      const r = new XdrReader(chainOf(bytes, cuts));
      for (const o of ops) {
        const before = r.offset;
        try {
          const width = runRead(r, o);
          if (width >= 0) expect(r.offset - before).toBe(width);
        } catch (e) {
          if (!(e instanceof XdrDecodeError)) throw e;
          expect(e.offset).toBeGreaterThanOrEqual(0);
          expect(e.offset).toBeLessThanOrEqual(bytes.length);
          return;
        }
        expect(r.offset + r.remaining).toBe(bytes.length);
      }
    }), params(600));
  });

  type Val =
    | { t: 'uint'; v: number } | { t: 'int'; v: number } | { t: 'uhyper'; v: bigint } | { t: 'hyper'; v: bigint }
    | { t: 'bool'; v: boolean } | { t: 'opaque'; v: Buffer; ref: boolean } | { t: 'fixed'; v: Buffer } | { t: 'string'; v: string };
  const arbVal: fc.Arbitrary<Val> = fc.oneof(
    arb.uint32().map((v) => ({ t: 'uint', v }) as Val),
    fc.integer({ min: -0x80000000, max: 0x7fffffff }).map((v) => ({ t: 'int', v }) as Val),
    arb.uint64().map((v) => ({ t: 'uhyper', v }) as Val),
    fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map((v) => ({ t: 'hyper', v }) as Val),
    fc.boolean().map((v) => ({ t: 'bool', v }) as Val),
    fc.tuple(fc.oneof(arb.bytes(40), arb.bytes(1200)), fc.boolean()).map(([v, ref]) => ({ t: 'opaque', v, ref }) as Val),
    arb.bytes(33).map((v) => ({ t: 'fixed', v }) as Val),
    arbName.map((v) => ({ t: 'string', v }) as Val),
  );

  it('what XdrWriter writes reads back identical, whatever the chunking', () => {
    fc.assert(fc.property(fc.array(arbVal, { maxLength: 16 }), arb.cuts(3000), (vals, cuts) => {
      const w = new XdrWriter();
      for (const x of vals) {
        switch (x.t) {
          case 'uint': w.uint(x.v); break;
          case 'int': w.int(x.v); break;
          case 'uhyper': w.uhyper(x.v); break;
          case 'hyper': w.hyper(x.v); break;
          case 'bool': w.bool(x.v); break;
          case 'opaque': if (x.ref) w.opaqueRef(x.v, 4096); else w.opaque(x.v, 4096); break;
          case 'fixed': w.fixedOpaque(x.v, x.v.length); break;
          case 'string': w.string(x.v, 255); break;
        }
      }
      const bytes = m_tobuf(w.finish());
      const r = new XdrReader(chainOf(bytes, cuts));
      for (const x of vals) {
        switch (x.t) {
          case 'uint': expect(r.uint()).toBe(x.v); break;
          case 'int': expect(r.int()).toBe(x.v); break;
          case 'uhyper': expect(r.uhyper()).toBe(x.v); break;
          case 'hyper': expect(r.hyper()).toBe(x.v); break;
          case 'bool': expect(r.bool()).toBe(x.v); break;
          case 'opaque': expect(r.opaque(4096).equals(x.v)).toBe(true); break;
          case 'fixed': expect(r.fixedOpaque(x.v.length).equals(x.v)).toBe(true); break;
          case 'string': expect(r.string(255)).toBe(x.v); break;
        }
      }
      r.ensureInputConsumed();
    }), params(400));
  });
});

/* ---------------------------------------------------------------- RecordReader */

function mark(len: number, last: boolean): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(((last ? 0x80000000 : 0) | len) >>> 0, 0);
  return b;
}

/* `msg` as fragments whose sizes come from `sizes` (0: a zero-length non-final fragment; never two in a row). */
function fragmented(msg: Buffer, sizes: readonly number[]): Buffer {
  const parts: Buffer[] = [];
  let off = 0;
  let i = 0;
  let empty = false;
  while (off < msg.length) {
    let n = Math.min(sizes.length === 0 ? msg.length : sizes[i++ % sizes.length]!, msg.length - off);
    if (n === 0 && empty) n = msg.length - off;
    empty = n === 0;
    const last = off + n >= msg.length;
    parts.push(mark(n, last), msg.subarray(off, off + n));
    off += n;
  }
  return Buffer.concat(parts);
}

/* Push `stream` in pieces cut at `cuts`; returns the records (as Buffers) and the error, if any. */
function feed(reader: RecordReader, stream: Buffer, cuts: readonly number[], check: () => void): { records: Buffer[]; error: unknown } {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < stream.length))].sort((a, b) => a - b);
  const records: Buffer[] = [];
  let prev = 0;
  for (const c of [...points, stream.length]) {
    try {
      reader.push(m_wrap(Buffer.from(stream.subarray(prev, c))));
    } catch (e) {
      for (let m = reader.next(); m !== null; m = reader.next()) records.push(m_tobuf(m));
      return { records, error: e };
    }
    prev = c;
    check();
    for (let m = reader.next(); m !== null; m = reader.next()) records.push(m_tobuf(m));
  }
  return { records, error: null };
}

describe('RecordReader (RFC 5531 §11)', () => {
  it('records in any fragments, the stream cut anywhere, come back exactly', () => {
    const arbMsg = fc.oneof(arb.bytes(64), arb.bytes(3000)).filter((b) => b.length > 0);
    fc.assert(fc.property(fc.array(fc.tuple(arbMsg, fc.array(fc.nat(700), { maxLength: 6 })), { minLength: 1, maxLength: 6 }),
      fc.array(fc.nat(20000), { maxLength: 30 }), (msgs, cuts) => {
        const stream = Buffer.concat(msgs.map(([m, sizes]) => fragmented(m, sizes.map((s, i) => (i % 3 === 2 ? 0 : s)))));
        const reader = new RecordReader({ maxRecordSize: 4096 });
        const { records, error } = feed(reader, stream, cuts, () => undefined);
        expect(error).toBe(null);
        expect(records.length).toBe(msgs.length);
        records.forEach((r, i) => expect(r.equals(msgs[i]![0])).toBe(true));
        expect(reader.inRecord).toBe(false);
      }), params(400));
  });

  it('any byte stream: records, or RpcRecordTooLargeError and nothing else; never more than maxRecordSize + 3 bytes held', () => {
    const MAX = 512;
    const piece = fc.oneof(
      fc.tuple(fc.nat(MAX + 64), fc.boolean()).map(([n, last]) => mark(n, last)),
      fc.tuple(fc.integer({ min: MAX, max: 0x7fffffff }), fc.boolean()).map(([n, last]) => mark(n, last)),
      arb.bytes(300),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 20 }), fc.array(fc.nat(6000), { maxLength: 20 }), (parts, cuts) => {
      const stream = Buffer.concat(parts);
      const reader = new RecordReader({ maxRecordSize: MAX });
      const { records, error } = feed(reader, stream, cuts, () => expect(reader.buffered).toBeLessThanOrEqual(MAX + 3));
      if (error !== null && !(error instanceof RpcRecordTooLargeError)) throw error;
      for (const r of records) expect(r.length).toBeLessThanOrEqual(MAX);
      reader.reset();
    }), params(600));
  });
});

/* ---------------------------------------------------------------- NFSv3 replies */

type Sample = { name: Nfs3ProcedureName; res: unknown };
const arbSample: fc.Arbitrary<Sample> = fc.oneof(
  arbFattr3.map((a) => ({ name: 'GETATTR', res: { status: 0, resok: { obj_attributes: a } } }) as Sample),
  fc.record({ object: arbFh, obj_attributes: arbPostOpAttr, dir_attributes: arbPostOpAttr })
    .map((resok) => ({ name: 'LOOKUP', res: { status: 0, resok } }) as Sample),
  fc.record({ file_attributes: arbPostOpAttr, data: arb.bytes(600), eof: fc.boolean() })
    .map((r) => ({ name: 'READ', res: { status: 0, resok: { ...r, count: r.data.length } } }) as Sample),
  fc.record({ file_wcc: arbWccData, count: arb.uint32(), committed: fc.integer({ min: 0, max: 2 }), verf: arb.fixedBytes(8) })
    .map((resok) => ({ name: 'WRITE', res: { status: 0, resok } }) as Sample),
  fc.record({
    dir_attributes: arbPostOpAttr, cookieverf: arb.fixedBytes(8),
    reply: fc.record({ entries: fc.array(fc.record({ fileid: arb.uint64(), name: arbName, cookie: arb.uint64() }), { maxLength: 6 }), eof: fc.boolean() }),
  }).map((resok) => ({ name: 'READDIR', res: { status: 0, resok } }) as Sample),
  fc.record({ obj: fc.option(arbFh, { nil: null }), obj_attributes: arbPostOpAttr, dir_wcc: arbWccData })
    .map((resok) => ({ name: 'CREATE', res: { status: 0, resok } }) as Sample),
  fc.record({ status: fc.constantFrom(2, 13, 70, 10008), resfail: fc.record({ dir_wcc: arbWccData }) })
    .map((res) => ({ name: 'REMOVE', res }) as Sample),
);

/* A whole reply message (header with a verifier of any flavor, then results). */
function replyBytes(xid: number, s: Sample, verf: Buffer): Buffer {
  const w = new XdrWriter();
  encodeReplyHeader(w, { xid, reply_stat: MSG_ACCEPTED, verf: { flavor: verf.length > 0 ? 6 : AUTH_NONE, body: verf }, accept_stat: SUCCESS });
  (NFS3_PROCEDURES[s.name].res as XdrCodec<unknown>).encode(w, s.res);
  return m_tobuf(w.finish());
}

type Mutation = { kind: 'flip'; at: number; byte: number } | { kind: 'cut'; at: number } | { kind: 'insert'; at: number; word: number } | { kind: 'drop'; at: number };
const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), word: fc.constantFrom(0, 1, 0xffffffff, 0x7fffffff, 65, 1024) }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
);

/* Apply a mutation, sparing the first `keep` bytes (the xid, for the end-to-end property). */
function mutate(b: Buffer, m: Mutation, keep = 0): Buffer {
  const span = b.length - keep;
  if (span <= 0) return b;
  const at = keep + (m.at % span);
  const word = at - (at % 4);
  switch (m.kind) {
    case 'flip': {
      const c = Buffer.from(b);
      c[at] = m.byte;
      return c;
    }
    case 'cut': return b.subarray(0, at);
    case 'insert': {
      const w = Buffer.alloc(4);
      w.writeUInt32BE(m.word >>> 0, 0);
      return Buffer.concat([b.subarray(0, Math.max(keep, word)), w, b.subarray(Math.max(keep, word))]);
    }
    case 'drop': return Buffer.concat([b.subarray(0, Math.max(keep, word)), b.subarray(Math.max(keep, word) + 4)]);
  }
}

describe('NFSv3 replies with bytes changed, words inserted or dropped, or cut short', () => {
  it('the reply header and results decoders throw only XdrDecodeError', () => {
    fc.assert(fc.property(arbSample, fc.oneof(fc.constant(Buffer.alloc(0)), arb.bytes(40)), fc.array(arbMutation, { minLength: 1, maxLength: 3 }),
      arb.cuts(800), (sample, verf, muts, cuts) => {
        let bytes = replyBytes(0x1234, sample, verf);
        for (const m of muts) bytes = mutate(bytes, m);
        if (bytes.length === 0) return;
        const r = new XdrReader(chainOf(bytes, cuts));
        try {
          const h = decodeReplyHeader(r);
          if (h.reply_stat === MSG_ACCEPTED && h.accept_stat === SUCCESS) {
            (NFS3_PROCEDURES[sample.name].res as XdrCodec<unknown>).decode(r);
            r.ensureInputConsumed();
          }
        } catch (e) {
          if (!(e instanceof XdrDecodeError)) throw e;
        }
      }), params(1500));
  });
});

/* ---------------------------------------------------------------- end to end */

describe('an RpcClient whose server answers with mutated replies, in random fragments and pieces', () => {
  let server: FakeRpcServer;
  let client: RpcClient;
  let answer: (call: FakeCall, srv: FakeRpcServer) => void = () => undefined;
  const base = { so: sostat.so_live };

  beforeAll(async () => {
    server = await FakeRpcServer.tcp((call, srv) => answer(call, srv));
    client = new RpcClient({ host: '127.0.0.1', port: server.port, proto: 'tcp', maxRecordSize: 64 * 1024, maxReconnectDelay: 50 });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
    expect(sostat.so_live).toBe(base.so);
  });

  it('settles every call with its results or an RpcError, and stays usable', async () => {
    const getattr = NFS3_PROCEDURES.GETATTR;
    const fh = Buffer.alloc(8, 1);
    const clean = (call: FakeCall, srv: FakeRpcServer): void =>
      srv.send(call, fragmented(replyBytes(call.xid, { name: 'GETATTR', res: { status: 70, resfail: undefined } }, Buffer.alloc(0)), []));
    let settled = 0;
    await fc.assert(fc.asyncProperty(arbSample, fc.array(arbMutation, { maxLength: 2 }), fc.array(fc.nat(200), { maxLength: 4 }),
      fc.array(fc.nat(400), { maxLength: 6 }), async (sample, muts, frags, pieces) => {
        answer = (call, srv) => {
          let bytes = replyBytes(call.xid, sample, Buffer.alloc(0));
          for (const m of muts) bytes = mutate(bytes, m, 4);
          const stream = fragmented(bytes, frags);
          const points = [...new Set(pieces.filter((p) => p > 0 && p < stream.length))].sort((a, b) => a - b);
          let prev = 0;
          for (const p of [...points, stream.length]) {
            srv.send(call, stream.subarray(prev, p));
            prev = p;
          }
        };
        try {
          /* a GETATTR call, its reply read with the sample's results decoder */
          await client.call(100003, 3, getattr.proc, (w) => getattr.args.encode(w, { object: fh }),
            NFS3_PROCEDURES[sample.name].res as XdrCodec<unknown>, { timeout: 300 });
        } catch (e) {
          if (!RpcError.isRpcError(e)) throw e;
        }
        settled++;
        answer = clean; /* the client still works: a well-formed reply is matched and decoded */
        const res = await client.callProcedure(100003, 3, getattr, { object: fh }, { timeout: 5000 });
        expect(res.status).toBe(70);
      }), params(80));
    expect(settled).toBeGreaterThanOrEqual(80);
    console.log(`fuzz: seed ${seed}; end-to-end: ${settled} mutated replies, ${client.stats.badReplies} bad, ` +
      `${client.stats.disconnects} disconnections, ${client.stats.timedOut} timed out`);
  }, 600_000);
});
