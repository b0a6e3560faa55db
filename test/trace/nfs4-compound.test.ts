/*
 * The trace names NFSv4 COMPOUNDs by their operations ("NFS v4 SEQUENCE PUTFH READ"): the call's
 * operation numbers are read by stepping over each one's arguments, checked here against the
 * module's own encoder for every operation it sends; replies inherit their call's list and show
 * the nfsstat4 by name; a list the trace kept only the start of ends with "…".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XdrWriter } from '../../rpc/xdr/writer.js';
import { m_tobuf } from '../../sockets/mbuf.js';
import { encodeCOMPOUND4args } from '../../nfsclient/nfs4/compound.js';
import type { nfs_argop4 } from '../../nfsclient/nfs4/compound.js';
import { getattr, putfh, read, write } from '../../nfsclient/nfs4/build.js';
import * as O from '../../nfsclient/nfs4/opnum.js';
import { OPS_TRUNCATED, compoundOps } from '../../trace/nfs4-compound.js';
import { nfs4OpsText, rpcStatusText, rpcText } from '../../trace/names.js';
import { CallTable, RpcStreamDecoder } from '../../trace/rpc-decode.js';
import type { TraceRpcHeader } from '../../trace/schema.js';
import { arbOp } from '../nfs4/nfs4-arbitraries.js';
import { fcParams } from '../rpc/xdr-helpers.js';

const args = (ops: readonly nfs_argop4[], minorversion = 1): Buffer => {
  const w = new XdrWriter();
  encodeCOMPOUND4args(w, { tag: 'tag', minorversion, argarray: ops });
  return Buffer.from(m_tobuf(w.finish()));
};

const mark = (body: Buffer): Buffer => {
  const m = Buffer.alloc(4);
  m.writeUInt32BE(0x80000000 + body.length, 0);
  return Buffer.concat([m, body]);
};

/* An NFSv4 COMPOUND call with an AUTH_SYS credential of a 19-byte machine name. */
function call(xid: number, a: Buffer): Buffer {
  const cred = Buffer.alloc(4 + 4 + 20 + 4 + 4 + 4);
  cred.writeUInt32BE(0, 0);
  cred.writeUInt32BE(19, 4);
  Buffer.from('secret-machine-name').copy(cred, 8);
  const h = Buffer.alloc(24 + 8);
  h.writeUInt32BE(xid, 0);
  h.writeUInt32BE(0, 4);
  h.writeUInt32BE(2, 8);
  h.writeUInt32BE(100003, 12);
  h.writeUInt32BE(4, 16);
  h.writeUInt32BE(1, 20);
  h.writeUInt32BE(1, 24);
  h.writeUInt32BE(cred.length, 28);
  return mark(Buffer.concat([h, cred, Buffer.alloc(8), a]));
}

function reply(xid: number, status: number): Buffer {
  const b = Buffer.alloc(24 + 4 + 8);
  b.writeUInt32BE(xid, 0);
  b.writeUInt32BE(1, 4);
  b.writeUInt32BE(status, 24);
  return mark(b);
}

function decode(stream: Buffer, cuts: number[] = []): TraceRpcHeader[] {
  const dec = new RpcStreamDecoder();
  const calls = new CallTable();
  const out: TraceRpcHeader[] = [];
  let prev = 0;
  for (const c of [...cuts.filter((x) => x > 0 && x < stream.length).sort((a, b) => a - b), stream.length]) {
    dec.feed(stream.subarray(prev, c), calls, out);
    prev = c;
  }
  return out;
}

const sid = { seqid: 0, other: Buffer.alloc(12) };
const seq = { argop: O.OP_SEQUENCE, args: { sa_sessionid: Buffer.alloc(16), sa_sequenceid: 1, sa_slotid: 0, sa_highest_slotid: 0, sa_cachethis: false } } as const;

describe('NFSv4 COMPOUNDs in traces', () => {
  it('steps over the arguments of every operation the module sends, whatever their values', () => {
    fc.assert(fc.property(fc.array(arbOp, { minLength: 1, maxLength: 6 }), (ops) => {
      const bytes = args(ops);
      expect(compoundOps(bytes, 0, bytes.length)).toEqual(ops.map((o) => o.argop));
    }), { ...fcParams, numRuns: 500 });
  });

  it('names a call and its reply by the operations, with the nfsstat4 by name', () => {
    const hs = decode(Buffer.concat([
      call(7, args([seq, putfh(Buffer.alloc(128, 1)), read(sid, 0n, 1 << 20)])), reply(7, 0),
      call(8, args([seq, putfh(Buffer.alloc(28)), getattr([1])])), reply(8, 10052),
    ]), [3, 50, 201, 333]);
    expect(hs.map(rpcText)).toEqual([
      'NFS v4 SEQUENCE PUTFH READ Call xid 0x00000007', 'NFS v4 SEQUENCE PUTFH READ Reply xid 0x00000007 OK',
      'NFS v4 SEQUENCE PUTFH GETATTR Call xid 0x00000008', 'NFS v4 SEQUENCE PUTFH GETATTR Reply xid 0x00000008 NFS4ERR_BADSESSION',
    ]);
  });

  it('ends the list with … when the trace kept only its start (a WRITE\'s data)', () => {
    const ops = [seq, putfh(Buffer.alloc(128)), write(sid, 0n, Buffer.alloc(65536)), getattr([1])];
    const h = decode(call(9, args(ops)))[0]!;
    expect(h.ops).toEqual([O.OP_SEQUENCE, O.OP_PUTFH, O.OP_WRITE, OPS_TRUNCATED]);
    expect(rpcText(h)).toBe('NFS v4 SEQUENCE PUTFH WRITE … Call xid 0x00000009');
  });

  it('gives nfsstat4 names, shared values and v4-only ones alike', () => {
    const st = (status: number): string => rpcStatusText({ xid: 1, msgType: 1, prog: 100003, vers: 4, proc: 1, replyStat: 0, acceptStat: 0, rejectStat: 0, status, length: 0, matched: true });
    expect([st(0), st(2), st(70), st(10001), st(10008), st(10025), st(10063), st(10096), st(19), st(10073)]).toEqual([
      'OK', 'NFS4ERR_NOENT', 'NFS4ERR_STALE', 'NFS4ERR_BADHANDLE', 'NFS4ERR_DELAY', 'NFS4ERR_BAD_STATEID', 'NFS4ERR_SEQ_MISORDERED',
      'NFS4ERR_XATTR2BIG', 'nfsstat4 19', 'nfsstat4 10073',
    ]);
    expect(nfs4OpsText([O.OP_EXCHANGE_ID, O.OP_ILLEGAL, 99])).toBe('EXCHANGE_ID ILLEGAL op 99');
  });
});
