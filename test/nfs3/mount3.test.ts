import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as E from '../../sockets/errno.js';
import { XdrDecodeError, XdrEncodeError } from '../../rpc/errors.js';
import { AUTH_NONE, AUTH_SYS } from '../../rpc/msg/constants.js';
import { FHSIZE3, MNTNAMLEN, MNTPATHLEN, MOUNTPROC3 } from '../../nfsclient/mount3/constants.js';
import { MNT3ERR_ACCES, MNT3_OK, mountstat3, mountstat3Errno } from '../../nfsclient/mount3/mountstat3.js';
import { MOUNT3_PROCEDURES, MOUNT3_PROCEDURE_BY_NUMBER } from '../../nfsclient/mount3/procs.js';
import { dirpath, exports, fhandle3, groups, mountlist, mountres3 } from '../../nfsclient/mount3/types.js';
import { arb, decode, encode, fcParams, roundTrips, thrown } from '../rpc/xdr-helpers.js';

describe('MOUNT v3 codecs (RFC 1813 §5)', () => {
  it('encodes MNT arguments and decodes a MNT reply laid out by hand', () => {
    expect(encode(dirpath, '/export').toString('hex')).toBe('00000007' + Buffer.from('/export').toString('hex') + '00');
    const reply = Buffer.from('00000000' + '00000004' + 'deadbeef' + '00000002' + '00000001' + '00000000', 'hex');
    expect(decode(mountres3, reply)).toEqual({ fhs_status: MNT3_OK, mountinfo: { fhandle: Buffer.from('deadbeef', 'hex'), auth_flavors: [AUTH_SYS, AUTH_NONE] } });
    expect(decode(mountres3, Buffer.from('0000000d', 'hex'))).toEqual({ fhs_status: MNT3ERR_ACCES });
  });

  it('limits fhandle3 to 64 bytes, dirpath to 1024 and names to 255', () => {
    expect(() => encode(fhandle3, Buffer.alloc(FHSIZE3 + 1))).toThrow(XdrEncodeError);
    expect(() => encode(dirpath, '/'.repeat(MNTPATHLEN + 1))).toThrow(XdrEncodeError);
    expect(() => encode(groups, ['g'.repeat(MNTNAMLEN + 1)])).toThrow(XdrEncodeError);
    const e = thrown(() => decode(mountres3, Buffer.concat([Buffer.from('0000000000000041', 'hex'), Buffer.alloc(72)])));
    expect(e).toBeInstanceOf(XdrDecodeError);
    expect((e as XdrDecodeError).offset).toBe(4);
    expect((e as XdrDecodeError).what).toBe('fhandle3');
  });

  it('refuses an auth_flavors count larger than the bytes remaining, before allocating', () => {
    const e = thrown(() => decode(mountres3, Buffer.from('00000000' + '00000000' + '0000003f' + '00000001', 'hex')));
    expect((e as XdrDecodeError).what).toBe('auth_flavors');
    expect((e as XdrDecodeError).offset).toBe(8);
  });

  it('decode(encode(exports)) = exports, nested group lists included, any chunking', () => {
    const arbExports = fc.array(fc.record({ ex_dir: arb.name(80).map((s) => `/${s}`.slice(0, 80)), ex_groups: fc.array(arb.name(40), { maxLength: 5 }) }), { maxLength: 10 });
    fc.assert(
      fc.property(arbExports, arb.cuts(2000), (list, cuts) => {
        for (const v of roundTrips(exports, list, cuts).values) expect(v).toEqual(list);
      }),
      fcParams,
    );
  });

  it('decodes a 50 000-node export list with groups iteratively', () => {
    const list = Array.from({ length: 50_000 }, (_, i) => ({ ex_dir: `/e${i}`, ex_groups: i % 2 ? ['*'] : [] }));
    expect(decode(exports, encode(exports, list))).toEqual(list);
  });

  it('round-trips mountlist', () => {
    const ml = [{ ml_hostname: 'client-a', ml_directory: '/export' }, { ml_hostname: '10.0.0.2', ml_directory: '/x' }];
    for (const v of roundTrips(mountlist, ml, [11]).values) expect(v).toEqual(ml);
  });

  it('has the procedure table of RFC 1813 §5.2', () => {
    expect(MOUNT3_PROCEDURE_BY_NUMBER.map((p) => p.name)).toEqual(Object.keys(MOUNTPROC3));
    MOUNT3_PROCEDURE_BY_NUMBER.forEach((p, i) => expect(p.proc).toBe(i));
    expect(MOUNT3_PROCEDURES.MNT.args).toBe(dirpath);
    expect(MOUNT3_PROCEDURES.EXPORT.res).toBe(exports);
  });
});

describe('mountstat3 → errno (RFC 1813 §5.1.5)', () => {
  it('maps every error status to errno and code', () => {
    const expected: [number, number, string][] = [
      [1, E.EPERM, 'EPERM'], [2, E.ENOENT, 'ENOENT'], [5, E.EIO, 'EIO'], [13, E.EACCES, 'EACCES'], [20, E.ENOTDIR, 'ENOTDIR'],
      [22, E.EINVAL, 'EINVAL'], [63, E.ENAMETOOLONG, 'ENAMETOOLONG'], [10004, E.EOPNOTSUPP, 'EOPNOTSUPP'], [10006, E.EIO, 'EIO'],
    ];
    for (const [s, errno, code] of expected) expect(mountstat3Errno(s)).toMatchObject({ errno, code });
    expect(Object.keys(mountstat3).length).toBe(expected.length + 1);
    expect(mountstat3Errno(99).errno).toBe(E.EIO);
  });
});
