/*
 * NFSv4 XDR: every operation's arguments and results, fattr4 and COMPOUND round trip through
 * their codecs (in any chunking); fixed byte vectors written from RFC 7531 / RFC 8881 §23 pin the
 * layout; a COMPOUND reply is checked against its request.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XdrDecodeError } from '../../rpc/errors.js';
import type { XdrCodec } from '../../rpc/xdr/codec.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { XdrWriter } from '../../rpc/xdr/writer.js';
import { m_freem, m_tobuf } from '../../sockets/mbuf.js';
import type { Mbuf } from '../../sockets/mbuf.js';
import { stateid4 } from '../../nfsclient/nfs4/basic.js';
import { bitmap4, bitmap4And, bitmap4Bits, bitmap4Has, bitmap4Of } from '../../nfsclient/nfs4/bitmap4.js';
import * as B from '../../nfsclient/nfs4/build.js';
import { COMPOUND4resCodec, NFS4_OPERATIONS, compoundName, decodeCOMPOUND4args, encodeCOMPOUND4args } from '../../nfsclient/nfs4/compound.js';
import type { COMPOUND4args, nfs_argop4 } from '../../nfsclient/nfs4/compound.js';
import { attrmaskOf, fattr4, fattr4Of } from '../../nfsclient/nfs4/fattr4.js';
import { NFS4ERR_NOENT, NFS4ERR_OP_ILLEGAL, NFS4_OK } from '../../nfsclient/nfs4/nfsstat4.js';
import * as O from '../../nfsclient/nfs4/opnum.js';
import { nfsOpName } from '../../nfsclient/nfs4/opnum.js';
import { chainOf, decode, encode, fcParams, roundTrips, thrown } from '../rpc/xdr-helpers.js';
import { OPS, OP_ARBS, arbCompound, arbFattr4 } from './nfs4-arbitraries.js';

const COMPOUND4args: XdrCodec<COMPOUND4args> = { encode: encodeCOMPOUND4args, decode: decodeCOMPOUND4args };
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('NFSv4 operation codecs', () => {
  it('have arbitraries for every operation of the table', () => {
    expect(OPS.length).toBe(NFS4_OPERATIONS.size);
    for (const op of OPS) expect(OP_ARBS[op], nfsOpName(op)).toBeDefined();
  });

  for (const op of OPS) {
    const d = NFS4_OPERATIONS.get(op)!;
    it(`${d.name}: arguments and results round-trip in any chunking`, () => {
      fc.assert(fc.property(OP_ARBS[op]!.args, OP_ARBS[op]!.res, fc.array(fc.nat(400), { maxLength: 4 }), (args, res, cuts) => {
        const a = roundTrips(d.args, args, cuts);
        for (const v of a.values) expect(v).toEqual(args);
        const r = roundTrips(d.res, res, cuts);
        for (const v of r.values) expect(v).toEqual(res);
      }), { ...fcParams, numRuns: 60 });
    });
  }
});

describe('fattr4', () => {
  it('round-trips any set of the attributes this client knows, in any chunking', () => {
    fc.assert(fc.property(arbFattr4, fc.array(fc.nat(600), { maxLength: 5 }), (v, cuts) => {
      for (const x of roundTrips(fattr4, v, cuts).values) expect(x).toEqual(v);
    }), fcParams);
  });

  it('encodes size and mode as RFC 7531 lays them out (bitmap words, opaque of the values in bit order)', () => {
    const bytes = encode(fattr4, fattr4Of({ mode: 0o644, size: 1024n }));
    expect(bytes).toEqual(hex('00000002 00000010 00000002  0000000c  00000000 00000400  000001a4'));
    expect(decode(fattr4, bytes)).toEqual({ attrmask: [0x10, 0x2], attr_vals: { size: 1024n, mode: 0o644 } });
  });

  it('keeps trailing zero bitmap words as sent', () => {
    const bytes = hex('00000003 00000010 00000000 00000000  00000008  00000000 00000001');
    const v = decode(fattr4, bytes);
    expect(v.attrmask).toEqual([0x10, 0, 0]);
    expect(encode(fattr4, v)).toEqual(bytes);
  });

  it('rejects an attribute it cannot decode (fs_status, 61), naming it', () => {
    const e = thrown(() => decode(fattr4, hex('00000002 00000000 20000000  00000004  00000000')));
    expect(e).toBeInstanceOf(XdrDecodeError);
    expect((e as Error).message).toMatch(/attribute 61/);
  });

  it('rejects values shorter or longer than the opaque says', () => {
    expect(thrown(() => decode(fattr4, hex('00000001 00000010  0000000c  00000000 00000400 00000000')))).toBeInstanceOf(XdrDecodeError);
    expect(thrown(() => decode(fattr4, hex('00000001 00000010  00000004  00000000 00000400')))).toBeInstanceOf(XdrDecodeError);
  });

  it('rejects a length beyond the message before reading', () => {
    const e = thrown(() => decode(fattr4, hex('00000001 00000010  7fffffff')));
    expect(e).toBeInstanceOf(XdrDecodeError);
    expect((e as XdrDecodeError).offset).toBe(8);
  });

  it('rejects a nfstime4 beyond ±2^53 seconds instead of rounding it', () => {
    const bytes = hex('00000002 00000000 00200000  0000000c  00200000 00000000 00000000');
    expect(thrown(() => decode(fattr4, bytes))).toBeInstanceOf(XdrDecodeError);
  });
});

describe('bitmap4', () => {
  it('sets, tests and lists bits', () => {
    const bm = bitmap4Of([1, 4, 33, 55]);
    expect(bm).toEqual([0x12, (1 << 1 | 1 << 23) >>> 0]);
    expect(bitmap4Has(bm, 33)).toBe(true);
    expect(bitmap4Has(bm, 34)).toBe(false);
    expect(bitmap4Has(bm, 200)).toBe(false);
    expect(bitmap4Bits(bm)).toEqual([1, 4, 33, 55]);
    expect(bitmap4And(bm, [0x10])).toEqual([0x10]);
    expect(attrmaskOf(['type', 'mode'])).toEqual([0x2, 0x2]);
  });

  it('rejects more words than declared before allocating them', () => {
    expect(thrown(() => decode(bitmap4, hex('ffffffff')))).toBeInstanceOf(XdrDecodeError);
  });
});

describe('fixed vectors (RFC 7531, RFC 8881 §23)', () => {
  it('stateid4: seqid then 12 bytes of other', () => {
    expect(encode(stateid4, { seqid: 1, other: Buffer.from('0102030405060708090a0b0c', 'hex') })).toEqual(hex('00000001 01020304 05060708 090a0b0c'));
  });

  it('COMPOUND4args: tag, minorversion, the operations by number', () => {
    const bytes = encode(COMPOUND4args, { tag: 'mnt', minorversion: 0, argarray: [B.putrootfh(), B.lookup('export'), B.getfh()] });
    expect(bytes).toEqual(hex('00000003 6d6e7400  00000000  00000003  00000018  0000000f 00000006 6578706f 72740000  0000000a'));
    expect(decode(COMPOUND4args, bytes).argarray).toEqual([{ argop: O.OP_PUTROOTFH }, { argop: O.OP_LOOKUP, args: { objname: 'export' } }, { argop: O.OP_GETFH }]);
  });

  it('SEQUENCE4args: session id, sequence id, slot, highest slot, cachethis', () => {
    const sid = Buffer.alloc(16, 0xab);
    const bytes = encode(COMPOUND4args, {
      tag: '', minorversion: 1,
      argarray: [{ argop: O.OP_SEQUENCE, args: { sa_sessionid: sid, sa_sequenceid: 7, sa_slotid: 2, sa_highest_slotid: 3, sa_cachethis: true } }],
    });
    expect(bytes).toEqual(hex(`00000000 00000001 00000001 00000035 ${'ab'.repeat(16)} 00000007 00000002 00000003 00000001`));
  });

  it('a READ reply with its data copied straight into the caller\'s buffer', () => {
    const reply = hex('00000000 00000000 00000002  00000016 00000000  00000019 00000000 00000001 00000005 68656c6c 6f000000');
    const target = Buffer.alloc(16, 0xee);
    const ops = [B.putfh(Buffer.from('aa', 'hex')), B.read({ seqid: 0, other: Buffer.alloc(12) }, 0n, 16, { buf: target, offset: 3 })] as const;
    const res = decode(new COMPOUND4resCodec(ops), reply);
    expect(res.status).toBe(NFS4_OK);
    expect(res.resarray[1]).toEqual({ status: NFS4_OK, resok4: { eof: true, data: 5 } });
    expect(target.subarray(3, 8).toString()).toBe('hello');
    expect(target[2]).toBe(0xee);
    expect(target[8]).toBe(0xee);
    /* and as an mbuf chain sharing the reply's bytes */
    const opsM = [ops[0], B.read(ops[1].args.stateid, 0n, 16, 'mbuf')] as const;
    const resM = decode(new COMPOUND4resCodec(opsM), chainOf(reply, [30, 45]));
    const r1 = resM.resarray[1]!;
    expect(r1.status).toBe(NFS4_OK);
    if (r1.status !== NFS4_OK) return;
    expect(m_tobuf(r1.resok4.data as Mbuf).toString()).toBe('hello');
    m_freem(r1.resok4.data as Mbuf);
  });

  it('WRITE data goes into the message by reference, not copied', () => {
    const data = Buffer.alloc(4096, 0x5a);
    const w = new XdrWriter();
    encodeCOMPOUND4args(w, { tag: '', minorversion: 1, argarray: [B.write({ seqid: 0, other: Buffer.alloc(12) }, 0n, data)] });
    const m = w.finish();
    let shared = false;
    for (let x: Mbuf | null = m; x !== null; x = x.m_next) if (x.m_buf.buffer === data.buffer && x.m_len === 4096) shared = true;
    expect(shared).toBe(true);
    m_freem(m);
  });
});

describe('COMPOUND', () => {
  it('requests and replies round-trip in any chunking', () => {
    fc.assert(fc.property(arbCompound, fc.array(fc.nat(800), { maxLength: 4 }), ({ ops, res }, cuts) => {
      const args = { tag: 't', minorversion: 1, argarray: ops };
      for (const v of roundTrips(COMPOUND4args, args, cuts).values) expect(v).toEqual(args);
      const codec = new COMPOUND4resCodec(ops);
      for (const v of roundTrips(codec, res as never, cuts).values) expect(v).toEqual(res);
    }), { ...fcParams, numRuns: 200 });
  });

  const ops: nfs_argop4[] = [B.putrootfh(), B.lookup('a'), B.getfh()];
  const reply = (w: (x: XdrWriter) => void): Buffer => {
    const x = new XdrWriter();
    w(x);
    return m_tobuf(x.finish());
  };
  const codec = new COMPOUND4resCodec(ops);

  it('takes a reply that stops at the failed operation', () => {
    const bytes = reply((w) => {
      w.int(NFS4ERR_NOENT); w.string('', 10); w.uint(2);
      w.uint(O.OP_PUTROOTFH); w.int(0);
      w.uint(O.OP_LOOKUP); w.int(NFS4ERR_NOENT);
    });
    expect(decode(codec, bytes)).toEqual({ status: NFS4ERR_NOENT, tag: '', resarray: [{ status: 0 }, { status: NFS4ERR_NOENT }] });
  });

  it('takes OP_ILLEGAL in place of an operation the server does not know', () => {
    const bytes = reply((w) => {
      w.int(NFS4ERR_OP_ILLEGAL); w.string('', 10); w.uint(1);
      w.uint(O.OP_ILLEGAL); w.int(NFS4ERR_OP_ILLEGAL);
    });
    const v = decode(codec, bytes);
    expect(v.resarray[0]!.status).toBe(NFS4ERR_OP_ILLEGAL);
    expect(encode(codec, v)).toEqual(bytes);
  });

  const bad: [string, (w: XdrWriter) => void][] = [
    ['a result for another operation', (w) => { w.int(0); w.string('', 10); w.uint(3); w.uint(O.OP_PUTROOTFH); w.int(0); w.uint(O.OP_GETFH); w.int(0); }],
    ['more results than operations', (w) => { w.int(0); w.string('', 10); w.uint(4); }],
    ['a result after a failure', (w) => { w.int(0); w.string('', 10); w.uint(2); w.uint(O.OP_PUTROOTFH); w.int(NFS4ERR_NOENT); w.uint(O.OP_LOOKUP); w.int(0); }],
    ['NFS4_OK with operations unanswered', (w) => { w.int(0); w.string('', 10); w.uint(1); w.uint(O.OP_PUTROOTFH); w.int(0); }],
    ['a status other than the last result\'s', (w) => { w.int(NFS4ERR_NOENT); w.string('', 10); w.uint(1); w.uint(O.OP_PUTROOTFH); w.int(0); }],
  ];
  for (const [what, w] of bad) {
    it(`rejects ${what} as malformed`, () => {
      expect(thrown(() => decode(codec, reply(w)))).toBeInstanceOf(XdrDecodeError);
    });
  }

  it('names its operations for traces and errors', () => {
    expect(compoundName([{ argop: O.OP_SEQUENCE }, B.putfh(Buffer.alloc(1)), B.read({ seqid: 0, other: Buffer.alloc(12) }, 0n, 1)])).toBe('SEQUENCE PUTFH READ');
    expect(nfsOpName(O.OP_ILLEGAL)).toBe('ILLEGAL');
    expect(nfsOpName(99)).toBe('op 99');
  });

  it('decodes a reader positioned anywhere in the message', () => {
    const bytes = Buffer.concat([Buffer.alloc(4), encode(COMPOUND4args, { tag: '', minorversion: 2, argarray: ops })]);
    const r = XdrReader.fromBuffer(bytes);
    r.skip(4);
    expect(decodeCOMPOUND4args(r).minorversion).toBe(2);
  });
});
