import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XdrDecodeError, XdrEncodeError } from '../../rpc/errors.js';
import { FATTR3_SIZE, fattr3, post_op_attr, post_op_fh3, pre_op_attr, wcc_data } from '../../nfsclient/nfs3/attr.js';
import { cookieverf3, diropargs3, filename3, nfs_fh3, nfspath3, nfstime3, specdata3 } from '../../nfsclient/nfs3/basic.js';
import { NFS3_MAXNAMLEN } from '../../nfsclient/nfs3/constants.js';
import { sattr3, sattr3Of, sattrguard3 } from '../../nfsclient/nfs3/sattr.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { arb, byteChain, chainOf, decode, encode, fcParams, roundTrips, thrown } from '../rpc/xdr-helpers.js';
import { arbFattr3, arbSattr3, arbWccData, sampleFattr3 } from './nfs3-arbitraries.js';

describe('fattr3 (RFC 1813 §2.6)', () => {
  it('encodes to 84 bytes in RFC field order', () => {
    const b = encode(fattr3, sampleFattr3);
    expect(b.length).toBe(FATTR3_SIZE);
    expect(b.readUInt32BE(0)).toBe(1);
    expect(b.readUInt32BE(4)).toBe(0o100644);
    expect(b.readBigUInt64BE(20)).toBe((1n << 60n) + 3n);
    expect(b.readBigUInt64BE(44)).toBe(0xfedcba9876543210n);
    expect(b.readBigUInt64BE(52)).toBe((1n << 64n) - 1n);
    expect(b.readUInt32BE(80)).toBe(0);
  });

  it('decode(encode(x)) = x, 64-bit fields above 2^53 included, on the fast and the slow path', () => {
    fc.assert(
      fc.property(arbFattr3, arb.cuts(84), (a, cuts) => {
        const { values } = roundTrips(fattr3, a, cuts);
        for (const v of values) expect(v).toEqual(a);
      }),
      fcParams,
    );
  });

  it('rejects an ftype3 outside NF3REG..NF3FIFO at its offset, on both paths', () => {
    const b = encode(fattr3, sampleFattr3);
    b.writeUInt32BE(8, 0);
    for (const m of [chainOf(b), byteChain(b)]) {
      const e = thrown(() => decode(fattr3, m));
      expect(e).toBeInstanceOf(XdrDecodeError);
      expect((e as XdrDecodeError).offset).toBe(0);
      expect((e as XdrDecodeError).what).toBe('ftype3');
    }
    expect(() => encode(fattr3, { ...sampleFattr3, type: 0 as 1 })).toThrow(XdrEncodeError);
  });

  it('rejects a truncated fattr3', () => {
    const e = thrown(() => decode(fattr3, encode(fattr3, sampleFattr3).subarray(0, 80)));
    expect(e).toBeInstanceOf(XdrDecodeError);
    expect((e as XdrDecodeError).offset).toBe(80); /* ctime.nseconds is the field cut off */
  });
});

describe('post_op_attr, pre_op_attr, wcc_data, post_op_fh3', () => {
  it('tolerates absent attributes (attributes_follow FALSE)', () => {
    expect(encode(post_op_attr, null).toString('hex')).toBe('00000000');
    expect(decode(post_op_attr, Buffer.from('00000000', 'hex'))).toBeNull();
    expect(decode(wcc_data, Buffer.from('0000000000000000', 'hex'))).toEqual({ before: null, after: null });
    expect(decode(pre_op_attr, Buffer.from('00000000', 'hex'))).toBeNull();
  });

  it('decode(encode(wcc_data)) = wcc_data', () => {
    fc.assert(fc.property(arbWccData, (w) => {
      for (const v of roundTrips(wcc_data, w, [4, 30]).values) expect(v).toEqual(w);
    }), fcParams);
  });

  it('round-trips post_op_fh3 and returns handles as copies', () => {
    const fh = Buffer.from('0102030405', 'hex');
    const bytes = encode(post_op_fh3, fh);
    const got = decode(post_op_fh3, bytes)!;
    expect(got).toEqual(fh);
    bytes.fill(0);
    expect(got).toEqual(fh);
    expect(decode(post_op_fh3, encode(post_op_fh3, null))).toBeNull();
  });

  it('rejects an attributes_follow that is not a bool', () => {
    const e = thrown(() => decode(post_op_attr, Buffer.from('00000002', 'hex')));
    expect((e as XdrDecodeError).what).toBe('post_op_attr.attributes_follow');
  });
});

describe('basic types (RFC 1813 §2.5)', () => {
  it('limits nfs_fh3 to 64 bytes both ways', () => {
    expect(() => encode(nfs_fh3, Buffer.alloc(65))).toThrow(XdrEncodeError);
    const bad = Buffer.concat([Buffer.from('00000041', 'hex'), Buffer.alloc(68)]);
    const e = thrown(() => decode(nfs_fh3, bad));
    expect((e as XdrDecodeError).offset).toBe(0);
    expect((e as XdrDecodeError).message).toMatch(/maximum of 64/);
    expect(decode(nfs_fh3, encode(nfs_fh3, Buffer.alloc(64, 1)))).toEqual(Buffer.alloc(64, 1));
  });

  it('limits filename3 and nfspath3 to their declared maxima', () => {
    expect(() => encode(filename3, 'x'.repeat(NFS3_MAXNAMLEN + 1))).toThrow(XdrEncodeError);
    expect(decode(filename3, encode(filename3, 'é'.repeat(NFS3_MAXNAMLEN / 2)))).toBe('é'.repeat(NFS3_MAXNAMLEN / 2));
    expect(() => decode(nfspath3, Buffer.from('00001001', 'hex'))).toThrow(/maximum of 4096/);
  });

  it('keeps cookieverf3 at exactly 8 bytes, copied', () => {
    expect(() => encode(cookieverf3, Buffer.alloc(7))).toThrow(XdrEncodeError);
    const bytes = Buffer.from('0102030405060708', 'hex');
    const v = decode(cookieverf3, bytes);
    bytes.fill(0);
    expect(v.toString('hex')).toBe('0102030405060708');
  });

  it('round-trips specdata3, nfstime3 and diropargs3', () => {
    expect(roundTrips(specdata3, { specdata1: 8, specdata2: 1 }).values[1]).toEqual({ specdata1: 8, specdata2: 1 });
    expect(roundTrips(nfstime3, { seconds: 1, nseconds: 2 }).values[2]).toEqual({ seconds: 1, nseconds: 2 });
    const d = { dir: Buffer.from('aa', 'hex'), name: 'file.txt' };
    for (const v of roundTrips(diropargs3, d, [3]).values) expect(v).toEqual(d);
  });
});

describe('sattr3 and sattrguard3 (RFC 1813 §2.6, §3.3.2)', () => {
  it('encodes "set nothing" as six FALSE/DONT_CHANGE words', () => {
    expect(encode(sattr3, sattr3Of()).toString('hex')).toBe('00000000'.repeat(6));
  });

  it('encodes SET_TO_CLIENT_TIME with its time and SET_TO_SERVER_TIME without', () => {
    const s = sattr3Of({ mode: 0o644, size: 0n, atime: { set_it: 2, atime: { seconds: 5, nseconds: 6 } }, mtime: { set_it: 1 } });
    expect(encode(sattr3, s).toString('hex')).toBe(
      '00000001000001a4' + '00000000' + '00000000' + '000000010000000000000000' + '000000020000000500000006' + '00000001',
    );
  });

  it('decode(encode(sattr3)) = sattr3', () => {
    fc.assert(fc.property(arbSattr3, arb.cuts(60), (s, cuts) => {
      for (const v of roundTrips(sattr3, s, cuts).values) expect(v).toEqual(s);
    }), fcParams);
  });

  it('rejects an unknown time_how', () => {
    const b = encode(sattr3, sattr3Of());
    b.writeUInt32BE(3, 16);
    const e = thrown(() => decode(sattr3, b));
    expect((e as XdrDecodeError).offset).toBe(16);
    expect((e as XdrDecodeError).what).toBe('set_atime.set_it');
    expect(() => encode(sattr3, { ...sattr3Of(), mtime: { set_it: 3 as 0 } })).toThrow(XdrEncodeError);
  });

  it('round-trips sattrguard3', () => {
    expect(decode(sattrguard3, encode(sattrguard3, { seconds: 9, nseconds: 9 }))).toEqual({ seconds: 9, nseconds: 9 });
    expect(decode(sattrguard3, encode(sattrguard3, null))).toBeNull();
  });

  it('reads fattr3 in the middle of a larger chain', () => {
    const b = Buffer.concat([Buffer.from('00000001', 'hex'), encode(fattr3, sampleFattr3), Buffer.from('00000007', 'hex')]);
    const r = new XdrReader(chainOf(b, [2, 50]));
    expect(r.uint()).toBe(1);
    expect(fattr3.decode(r)).toEqual(sampleFattr3);
    expect(r.uint()).toBe(7);
  });
});
