import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { AUTH_SYS_MAXGROUPS, authSysFor, authSysForUcred, authsys_parms, createAuthSys, decodeAuthSysBody } from '../../rpc/auth/auth-sys.js';
import { newproc } from '../../sockets/proc.js';
import { encodeCredVerf, opaque_auth } from '../../rpc/auth/opaque-auth.js';
import { XdrDecodeError, XdrEncodeError } from '../../rpc/errors.js';
import { AUTH_NONE, AUTH_SYS } from '../../rpc/msg/constants.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { decode, encode, roundTrips } from './xdr-helpers.js';

/* The AUTH_SYS body inside a pre-encoded credverf. */
function bodyOf(credverf: Buffer): Buffer {
  const r = XdrReader.fromBuffer(credverf);
  const cred = opaque_auth.decode(r);
  expect(cred.flavor).toBe(AUTH_SYS);
  const verf = opaque_auth.decode(r);
  expect(verf).toEqual({ flavor: AUTH_NONE, body: Buffer.alloc(0) });
  r.ensureInputConsumed();
  return Buffer.from(cred.body);
}

describe('AUTH_SYS (RFC 5531 Appendix A)', () => {
  it('round-trips authsys_parms', () => {
    const p = { stamp: 7, machinename: 'client.example', uid: 0xfffffffe, gid: 0, gids: [1, 2, 3] };
    for (const v of roundTrips(authsys_parms, p, [5, 9]).values) expect(v).toEqual(p);
  });

  it('builds the credential from a plain {uid, gid, groups} with this host\'s name and stamp 0', () => {
    const a = createAuthSys({ uid: 501, gid: 20, groups: [20, 12] });
    expect(a.flavor).toBe(AUTH_SYS);
    expect(decodeAuthSysBody(bodyOf(a.credverf))).toEqual({ stamp: 0, machinename: hostname(), uid: 501, gid: 20, gids: [20, 12] });
    expect(a.truncatedGroups).toBe(0);
  });

  it('truncates more than 16 groups to the first 16, in order, and says how many it dropped', () => {
    const groups = Array.from({ length: 20 }, (_, i) => 1000 + i);
    const a = createAuthSys({ uid: 1, gid: 1, groups, machinename: 'h' });
    const parms = decodeAuthSysBody(bodyOf(a.credverf));
    expect(parms.gids).toEqual(groups.slice(0, AUTH_SYS_MAXGROUPS));
    expect(a.truncatedGroups).toBe(4);
    expect(a.parms.gids.length).toBe(16);
  });

  it('keeps the credential body within 400 bytes at its largest', () => {
    const a = createAuthSys({ uid: 1, gid: 1, groups: Array(16).fill(1), machinename: 'm'.repeat(255) });
    expect(bodyOf(a.credverf).length).toBe(4 + 4 + 256 + 4 + 4 + 4 + 64);
    expect(bodyOf(a.credverf).length).toBeLessThanOrEqual(400);
  });

  it('refuses ids outside 32 bits and machine names over 255 bytes', () => {
    expect(() => createAuthSys({ uid: -1, gid: 0 })).toThrow(XdrEncodeError);
    expect(() => createAuthSys({ uid: 0, gid: 2 ** 32 })).toThrow(XdrEncodeError);
    expect(() => createAuthSys({ uid: 0, gid: 0, groups: [1.5] })).toThrow(XdrEncodeError);
    expect(() => createAuthSys({ uid: 0, gid: 0, machinename: 'x'.repeat(256) })).toThrow(/machinename/);
  });

  it('encodes once per credential object (authSysFor memoises)', () => {
    const cred = { uid: 5, gid: 5, groups: [5] };
    const a = authSysFor(cred);
    expect(authSysFor(cred)).toBe(a);
    expect(authSysFor({ ...cred })).not.toBe(a);
    expect(authSysFor({ ...cred }).credverf.equals(a.credverf)).toBe(true);
  });

  it('derives the credential from a Proc\'s p_ucred, once per ucred object', () => {
    const p = newproc({ uid: 1001, gid: 50, groups: [50, 60] });
    const a = authSysForUcred(p.p_ucred, 'node1');
    expect(decodeAuthSysBody(bodyOf(a.credverf))).toEqual({ stamp: 0, machinename: 'node1', uid: 1001, gid: 50, gids: [50, 60] });
    expect(authSysForUcred(p.p_ucred, 'node1')).toBe(a);
    p.p_ucred = { ...p.p_ucred, cr_uid: 1002 };
    expect(authSysForUcred(p.p_ucred, 'node1').parms.uid).toBe(1002);
  });

  it('rejects a credential body with more than 16 gids or a trailing byte', () => {
    const w17 = Buffer.concat([encode(authsys_parms, { stamp: 0, machinename: '', uid: 0, gid: 0, gids: [] }).subarray(0, 16), Buffer.from('00000011', 'hex'), Buffer.alloc(68)]);
    expect(() => decode(authsys_parms, w17)).toThrow(/maximum of 16/);
    const good = encode(authsys_parms, { stamp: 0, machinename: '', uid: 0, gid: 0, gids: [] });
    expect(() => decodeAuthSysBody(Buffer.concat([good, Buffer.alloc(4)]))).toThrow(XdrDecodeError);
  });
});

describe('opaque_auth (RFC 5531 §8.2)', () => {
  it('refuses to encode a body over 400 bytes', () => {
    expect(() => encode(opaque_auth, { flavor: 1, body: Buffer.alloc(401) })).toThrow(XdrEncodeError);
    expect(() => encodeCredVerf({ flavor: 1, body: Buffer.alloc(401) }, { flavor: 0, body: Buffer.alloc(0) })).toThrow(XdrEncodeError);
  });

  it('pads the body and round-trips any flavor', () => {
    const { bytes, values } = roundTrips(opaque_auth, { flavor: 6, body: Buffer.from('abcde') });
    expect(bytes.toString('hex')).toBe('00000006' + '00000005' + '6162636465000000');
    for (const v of values) expect({ ...v, body: Buffer.from(v.body) }).toEqual({ flavor: 6, body: Buffer.from('abcde') });
  });
});
