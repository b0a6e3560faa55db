/* fast-check arbitraries for RFC 1813 types, and sample values for every procedure. */

import fc from 'fast-check';
import type { fattr3, wcc_data } from '../../nfsclient/nfs3/attr.js';
import type { nfstime3 } from '../../nfsclient/nfs3/basic.js';
import type { sattr3 } from '../../nfsclient/nfs3/sattr.js';
import type { entryplus3 } from '../../nfsclient/nfs3/proc-readdir.js';
import type { ftype3 } from '../../nfsclient/nfs3/constants.js';
import { arb } from '../rpc/xdr-helpers.js';

export const arbTime: fc.Arbitrary<nfstime3> = fc.record({ seconds: arb.uint32(), nseconds: fc.integer({ min: 0, max: 999_999_999 }) });

export const arbFattr3: fc.Arbitrary<fattr3> = fc.record({
  type: fc.integer({ min: 1, max: 7 }).map((t) => t as ftype3),
  mode: fc.integer({ min: 0, max: 0o7777 }),
  nlink: arb.uint32(),
  uid: arb.uint32(),
  gid: arb.uint32(),
  size: arb.uint64(),
  used: arb.uint64(),
  rdev: fc.record({ specdata1: arb.uint32(), specdata2: arb.uint32() }),
  fsid: arb.uint64(),
  fileid: arb.uint64(),
  atime: arbTime,
  mtime: arbTime,
  ctime: arbTime,
});

export const arbFh = arb.bytes(64);
export const arbName = arb.name(255);

export const arbPostOpAttr = fc.option(arbFattr3, { nil: null });
export const arbWccData: fc.Arbitrary<wcc_data> = fc.record({
  before: fc.option(fc.record({ size: arb.uint64(), mtime: arbTime, ctime: arbTime }), { nil: null }),
  after: arbPostOpAttr,
});

export const arbSattr3: fc.Arbitrary<sattr3> = fc.record({
  mode: fc.option(fc.integer({ min: 0, max: 0o7777 }), { nil: null }),
  uid: fc.option(arb.uint32(), { nil: null }),
  gid: fc.option(arb.uint32(), { nil: null }),
  size: fc.option(arb.uint64(), { nil: null }),
  atime: fc.oneof(fc.constant({ set_it: 0 as const }), fc.constant({ set_it: 1 as const }), arbTime.map((atime) => ({ set_it: 2 as const, atime }))),
  mtime: fc.oneof(fc.constant({ set_it: 0 as const }), fc.constant({ set_it: 1 as const }), arbTime.map((mtime) => ({ set_it: 2 as const, mtime }))),
});

export const arbEntryplus3: fc.Arbitrary<entryplus3> = fc.record({
  fileid: arb.uint64(),
  name: arbName,
  cookie: arb.uint64(),
  name_attributes: arbPostOpAttr,
  name_handle: fc.option(arbFh, { nil: null }),
});

/** A fixed fattr3 with values above 2^53 in the 64-bit fields. */
export const sampleFattr3: fattr3 = {
  type: 1,
  mode: 0o100644,
  nlink: 2,
  uid: 1000,
  gid: 100,
  size: (1n << 60n) + 3n,
  used: 4096n,
  rdev: { specdata1: 0, specdata2: 0 },
  fsid: 0xfedcba9876543210n,
  fileid: (1n << 64n) - 1n,
  atime: { seconds: 1_700_000_000, nseconds: 1 },
  mtime: { seconds: 1_700_000_001, nseconds: 999_999_999 },
  ctime: { seconds: 0xffffffff, nseconds: 0 },
};
