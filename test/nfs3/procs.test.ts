import { describe, expect, it } from 'vitest';
import type { XdrCodec } from '../../rpc/xdr/codec.js';
import { NFSPROC3 } from '../../nfsclient/nfs3/constants.js';
import { NFS3_PROCEDURES, NFS3_PROCEDURE_BY_NUMBER } from '../../nfsclient/nfs3/procs.js';
import type { Nfs3ProcedureName } from '../../nfsclient/nfs3/procs.js';
import { roundTrips } from '../rpc/xdr-helpers.js';
import { samples } from './samples.js';

describe('NFSv3 procedure table (RFC 1813 §3.3)', () => {
  it('lists all 22 procedures by number with their RFC names', () => {
    expect(NFS3_PROCEDURE_BY_NUMBER.length).toBe(22);
    NFS3_PROCEDURE_BY_NUMBER.forEach((p, i) => {
      expect(p.proc).toBe(i);
      expect(NFSPROC3[p.name as keyof typeof NFSPROC3]).toBe(i);
    });
    expect(Object.keys(samples).sort()).toEqual(Object.keys(NFS3_PROCEDURES).sort());
  });

  for (const name of Object.keys(NFS3_PROCEDURES) as Nfs3ProcedureName[]) {
    const p = NFS3_PROCEDURES[name];
    it(`${p.name}: decode(encode(args)) = args and decode(encode(res)) = res, whatever the chunking`, () => {
      for (const a of samples[name].args) {
        for (const v of roundTrips(p.args as XdrCodec<unknown>, a, [3, 17, 40]).values) expect(v).toEqual(a);
      }
      for (const res of samples[name].res) {
        for (const v of roundTrips(p.res as XdrCodec<unknown>, res, [5, 33, 90]).values) expect(v).toEqual(res);
      }
    });
  }
});
