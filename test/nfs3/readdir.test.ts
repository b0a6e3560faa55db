import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XdrDecodeError } from '../../rpc/errors.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { XdrWriter } from '../../rpc/xdr/writer.js';
import { NFS3_OK } from '../../nfsclient/nfs3/nfsstat3.js';
import { READDIR3res, READDIRPLUS3res } from '../../nfsclient/nfs3/proc-readdir.js';
import type { READDIRPLUS3res as READDIRPLUS3resT } from '../../nfsclient/nfs3/proc-readdir.js';
import { arb, decode, encode, fcParams, roundTrips, thrown } from '../rpc/xdr-helpers.js';
import { arbEntryplus3, arbPostOpAttr } from './nfs3-arbitraries.js';

const arbReaddirplus: fc.Arbitrary<READDIRPLUS3resT> = fc.oneof(
  fc.record({
    status: fc.constant(NFS3_OK),
    resok: fc.record({
      dir_attributes: arbPostOpAttr,
      cookieverf: arb.fixedBytes(8),
      reply: fc.record({ entries: fc.array(arbEntryplus3, { maxLength: 12 }), eof: fc.boolean() }),
    }),
  }),
  fc.record({ status: fc.constantFrom(2 as const, 20 as const, 10003 as const, 10004 as const), resfail: fc.record({ dir_attributes: arbPostOpAttr }) }),
);

describe('READDIR / READDIRPLUS (RFC 1813 §3.3.16–17)', () => {
  it('decode(encode(READDIRPLUS3res)) = READDIRPLUS3res, any chunking', () => {
    fc.assert(
      fc.property(arbReaddirplus, arb.cuts(3000), (res, cuts) => {
        for (const v of roundTrips(READDIRPLUS3res, res, cuts).values) expect(v).toEqual(res);
      }),
      fcParams,
    );
  });

  it('decodes a 100 000-entry READDIR reply iteratively (no stack overflow)', () => {
    const n = 100_000;
    const w = new XdrWriter({ sizeHint: n * 40 });
    w.int(NFS3_OK);
    w.bool(false); /* dir_attributes */
    w.fixedOpaque(Buffer.alloc(8), 8);
    for (let i = 0; i < n; i++) {
      w.bool(true);
      w.uhyper(BigInt(i + 1));
      w.string(`f${i}`, 255);
      w.uhyper(BigInt(i + 1));
    }
    w.bool(false);
    w.bool(true);
    const res = READDIR3res.decode(new XdrReader(w.finish()));
    if (res.status !== NFS3_OK) throw new Error('expected NFS3_OK');
    expect(res.resok.reply.entries.length).toBe(n);
    expect(res.resok.reply.entries[n - 1]).toEqual({ fileid: BigInt(n), name: `f${n - 1}`, cookie: BigInt(n) });
    expect(res.resok.reply.eof).toBe(true);
  });

  it('keeps cookies above 2^63 exact (cookies are opaque 64-bit values)', () => {
    const cookie = (1n << 64n) - 2n;
    const res: READDIRPLUS3resT = { status: NFS3_OK, resok: { dir_attributes: null, cookieverf: Buffer.alloc(8, 1), reply: { entries: [
      { fileid: 1n, name: 'x', cookie, name_attributes: null, name_handle: null }], eof: false } } };
    const back = decode(READDIRPLUS3res, encode(READDIRPLUS3res, res));
    expect(back.status === NFS3_OK && back.resok.reply.entries[0]!.cookie).toBe(cookie);
  });

  it('rejects an entry list cut off in the middle, at the offset where it ends', () => {
    const res: READDIRPLUS3resT = { status: NFS3_OK, resok: { dir_attributes: null, cookieverf: Buffer.alloc(8), reply: { entries: [
      { fileid: 1n, name: 'abc', cookie: 2n, name_attributes: null, name_handle: null }], eof: true } } };
    const b = encode(READDIRPLUS3res, res);
    const cut = b.subarray(0, b.length - 8); /* drop the terminating FALSE and eof */
    const e = thrown(() => decode(READDIRPLUS3res, cut));
    expect(e).toBeInstanceOf(XdrDecodeError);
    expect((e as XdrDecodeError).offset).toBe(cut.length);
  });

  it('rejects a name longer than filename3\'s maximum inside an entry', () => {
    const b = Buffer.concat([Buffer.from('00000000' + '00000000' + '0000000000000000' + '00000001' + '0000000000000001', 'hex'), Buffer.from('00000401', 'hex'), Buffer.alloc(1028 + 24)]);
    const e = thrown(() => decode(READDIR3res, b));
    expect((e as XdrDecodeError).what).toBe('filename3');
    expect((e as XdrDecodeError).offset).toBe(28);
  });
});
