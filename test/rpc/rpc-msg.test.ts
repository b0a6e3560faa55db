import { describe, expect, it } from 'vitest';
import { EAUTH, EBADRPC, EIO, EPROCUNAVAIL, EPROGMISMATCH, EPROGUNAVAIL, ERPCMISMATCH } from '../../sockets/errno.js';
import { m_tobuf } from '../../sockets/mbuf.js';
import { authNone } from '../../rpc/auth/auth-none.js';
import { createAuthSys, decodeAuthSysBody } from '../../rpc/auth/auth-sys.js';
import {
  RpcAuthError, RpcError, RpcGarbageArgsError, RpcMismatchError, RpcProcUnavailError, RpcProgMismatchError,
  RpcProgUnavailError, RpcSystemError, XdrDecodeError,
} from '../../rpc/errors.js';
import { replyError } from '../../rpc/msg/reply.js';
import { decodeCallHeader, encodeCallHeader, encodeCallHeaderFields } from '../../rpc/msg/call.js';
import {
  AUTH_ERROR, AUTH_NONE, AUTH_SYS, AUTH_TOOWEAK, GARBAGE_ARGS, MSG_ACCEPTED, MSG_DENIED, PROC_UNAVAIL, PROG_MISMATCH,
  PROG_UNAVAIL, RPCSEC_GSS, RPC_MISMATCH, SUCCESS, SYSTEM_ERR,
} from '../../rpc/msg/constants.js';
import { decodeReplyHeader, decodeSuccessfulReply, encodeReplyHeader } from '../../rpc/msg/reply.js';
import type { RpcReplyHeader } from '../../rpc/msg/reply.js';
import { peekReplyXid, peekXid } from '../../rpc/msg/xid.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { XdrWriter } from '../../rpc/xdr/writer.js';
import { byteChain, chainOf, thrown } from './xdr-helpers.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/*
 * A GETATTR call (prog 100003, vers 3, proc 1) with an AUTH_SYS credential, laid out by hand
 * from RFC 5531 §9 (call_body) and Appendix A (authsys_parms).
 */
const CALL_HEX = `
  12345678 00000000 00000002 000186a3 00000003 00000001
  00000001 00000020
    000004d2 00000004 686f7374 000003e8 00000064 00000002 00000064 00000004
  00000000 00000000`;

describe('RPC call header (RFC 5531 §9)', () => {
  const auth = createAuthSys({ uid: 1000, gid: 100, groups: [100, 4], machinename: 'host', stamp: 1234 });

  it('encodes a call header with an AUTH_SYS credential byte for byte', () => {
    const w = new XdrWriter();
    encodeCallHeader(w, 0x12345678, 100003, 3, 1, auth);
    expect(m_tobuf(w.finish()).toString('hex')).toBe(hex(CALL_HEX).toString('hex'));
  });

  it('pre-encodes the AUTH_SYS credential and AUTH_NONE verifier as the RFC lays them out', () => {
    expect(auth.credverf.toString('hex')).toBe(hex(CALL_HEX).subarray(24).toString('hex'));
    expect(authNone.credverf.toString('hex')).toBe('00000000000000000000000000000000');
  });

  it('decodes a call header back, leaving the reader at the parameters', () => {
    const buf = Buffer.concat([hex(CALL_HEX), hex('deadbeef')]);
    for (const r of [XdrReader.fromBuffer(buf), new XdrReader(byteChain(buf))]) {
      const h = decodeCallHeader(r);
      expect(h).toMatchObject({ xid: 0x12345678, rpcvers: 2, prog: 100003, vers: 3, proc: 1 });
      expect(h.cred.flavor).toBe(AUTH_SYS);
      expect(decodeAuthSysBody(Buffer.from(h.cred.body))).toEqual({ stamp: 1234, machinename: 'host', uid: 1000, gid: 100, gids: [100, 4] });
      expect(h.verf).toEqual({ flavor: AUTH_NONE, body: Buffer.alloc(0) });
      expect(r.uint()).toBe(0xdeadbeef);
    }
  });

  it('encodes arbitrary header fields for tests (a wrong rpcvers)', () => {
    const w = new XdrWriter();
    encodeCallHeaderFields(w, { xid: 7, rpcvers: 3, prog: 1, vers: 2, proc: 3, cred: { flavor: 0, body: Buffer.alloc(0) }, verf: { flavor: 0, body: Buffer.alloc(0) } });
    expect(decodeCallHeader(new XdrReader(w.finish())).rpcvers).toBe(3);
  });

  it('rejects a REPLY where a CALL is expected, at the mtype offset', () => {
    const e = thrown(() => decodeCallHeader(XdrReader.fromBuffer(hex('00000001 00000001 00000000'))));
    expect(e).toBeInstanceOf(XdrDecodeError);
    expect((e as XdrDecodeError).offset).toBe(4);
  });

  it('rejects a credential body over 400 bytes', () => {
    const e = thrown(() => decodeCallHeader(XdrReader.fromBuffer(Buffer.concat([hex('00000001 00000000 00000002 00000001 00000001 00000001 00000001 00000191'), Buffer.alloc(404)]))));
    expect((e as XdrDecodeError).offset).toBe(28);
    expect((e as XdrDecodeError).message).toMatch(/maximum of 400/);
  });
});

describe('RPC reply header (RFC 5531 §9)', () => {
  const cases: { name: string; hex: string; header: RpcReplyHeader; error: (new (...a: never[]) => RpcError) | null; errno?: number }[] = [
    { name: 'MSG_ACCEPTED SUCCESS', hex: '00000009 00000001 00000000 00000000 00000000 00000000',
      header: { xid: 9, reply_stat: MSG_ACCEPTED, verf: { flavor: 0, body: Buffer.alloc(0) }, accept_stat: SUCCESS }, error: null },
    { name: 'PROG_UNAVAIL', hex: '00000009 00000001 00000000 00000000 00000000 00000001',
      header: { xid: 9, reply_stat: MSG_ACCEPTED, verf: { flavor: 0, body: Buffer.alloc(0) }, accept_stat: PROG_UNAVAIL }, error: RpcProgUnavailError, errno: EPROGUNAVAIL },
    { name: 'PROG_MISMATCH 2..3', hex: '00000009 00000001 00000000 00000000 00000000 00000002 00000002 00000003',
      header: { xid: 9, reply_stat: MSG_ACCEPTED, verf: { flavor: 0, body: Buffer.alloc(0) }, accept_stat: PROG_MISMATCH, mismatch_info: { low: 2, high: 3 } }, error: RpcProgMismatchError, errno: EPROGMISMATCH },
    { name: 'PROC_UNAVAIL', hex: '00000009 00000001 00000000 00000000 00000000 00000003',
      header: { xid: 9, reply_stat: MSG_ACCEPTED, verf: { flavor: 0, body: Buffer.alloc(0) }, accept_stat: PROC_UNAVAIL }, error: RpcProcUnavailError, errno: EPROCUNAVAIL },
    { name: 'GARBAGE_ARGS', hex: '00000009 00000001 00000000 00000000 00000000 00000004',
      header: { xid: 9, reply_stat: MSG_ACCEPTED, verf: { flavor: 0, body: Buffer.alloc(0) }, accept_stat: GARBAGE_ARGS }, error: RpcGarbageArgsError, errno: EBADRPC },
    { name: 'SYSTEM_ERR', hex: '00000009 00000001 00000000 00000000 00000000 00000005',
      header: { xid: 9, reply_stat: MSG_ACCEPTED, verf: { flavor: 0, body: Buffer.alloc(0) }, accept_stat: SYSTEM_ERR }, error: RpcSystemError, errno: EIO },
    { name: 'MSG_DENIED RPC_MISMATCH 2..2', hex: '00000009 00000001 00000001 00000000 00000002 00000002',
      header: { xid: 9, reply_stat: MSG_DENIED, reject_stat: RPC_MISMATCH, mismatch_info: { low: 2, high: 2 } }, error: RpcMismatchError, errno: ERPCMISMATCH },
    { name: 'MSG_DENIED AUTH_ERROR AUTH_TOOWEAK', hex: '00000009 00000001 00000001 00000001 00000005',
      header: { xid: 9, reply_stat: MSG_DENIED, reject_stat: AUTH_ERROR, auth_stat: AUTH_TOOWEAK }, error: RpcAuthError, errno: EAUTH },
  ];

  for (const c of cases) {
    it(`decodes ${c.name} and maps it through the table`, () => {
      for (const r of [XdrReader.fromBuffer(hex(c.hex)), new XdrReader(byteChain(hex(c.hex)))]) {
        const h = decodeReplyHeader(r);
        expect(h).toEqual(c.header);
        r.ensureInputConsumed();
        const e = replyError(h, { xid: 9, prog: 100003, vers: 3, proc: 6 });
        if (c.error === null) {
          expect(e).toBeNull();
        } else {
          expect(e).toBeInstanceOf(c.error);
          expect(e!.errno).toBe(c.errno);
          expect(RpcError.isRpcError(e)).toBe(true);
          expect(e!.call).toEqual({ xid: 9, prog: 100003, vers: 3, proc: 6 });
        }
      }
      const w = new XdrWriter();
      encodeReplyHeader(w, c.header);
      expect(m_tobuf(w.finish()).toString('hex')).toBe(hex(c.hex).toString('hex'));
    });
  }

  it('carries the mismatch range and auth_stat on the errors', () => {
    const pm = replyError(cases[2]!.header) as RpcProgMismatchError;
    expect([pm.low, pm.high, pm.code]).toEqual([2, 3, 'ERR_RPC_PROG_MISMATCH']);
    const rm = replyError(cases[6]!.header) as RpcMismatchError;
    expect([rm.low, rm.high, rm.code]).toEqual([2, 2, 'ERR_RPC_MISMATCH']);
    const ae = replyError(cases[7]!.header) as RpcAuthError;
    expect([ae.auth_stat, ae.code]).toEqual([AUTH_TOOWEAK, 'ERR_RPC_AUTH']);
    expect(ae.message).toMatch(/AUTH_TOOWEAK/);
  });

  it('skips a verifier by its encoded length whatever its flavor, leaving the reader at the results', () => {
    const buf = hex('00000009 00000001 00000000 00000006 00000005 0102030405000000 00000000 cafebabe');
    const r = new XdrReader(chainOf(buf, [17, 21]));
    const h = decodeSuccessfulReply(r);
    expect(h.verf.flavor).toBe(RPCSEC_GSS);
    expect(h.verf.body.toString('hex')).toBe('0102030405');
    expect(r.uint()).toBe(0xcafebabe);
  });

  it('decodeSuccessfulReply throws the typed error for a failed reply', () => {
    expect(() => decodeSuccessfulReply(XdrReader.fromBuffer(hex(cases[1]!.hex)))).toThrow(RpcProgUnavailError);
  });

  it('rejects a verifier over 400 bytes, an unknown accept_stat, reject_stat or reply_stat, and a CALL', () => {
    const bad: [string, number][] = [
      ['00000009 00000001 00000000 00000000 00000191', 16],
      ['00000009 00000001 00000000 00000000 00000000 00000006', 20],
      ['00000009 00000001 00000001 00000002', 12],
      ['00000009 00000001 00000002', 8],
      ['00000009 00000000 00000000', 4],
      ['00000009 00000001 00000000 00000000 00000000', 20],
    ];
    for (const [h, offset] of bad) {
      const e = thrown(() => decodeReplyHeader(XdrReader.fromBuffer(hex(h))));
      expect(e).toBeInstanceOf(XdrDecodeError);
      expect((e as XdrDecodeError).offset).toBe(offset);
    }
  });
});

describe('peekXid', () => {
  it('reads the xid in place from any chain shape', () => {
    const buf = hex('a1b2c3d4 00000001 00000000');
    expect(peekXid(chainOf(buf))).toBe(0xa1b2c3d4);
    expect(peekXid(byteChain(buf))).toBe(0xa1b2c3d4);
    expect(peekXid(chainOf(buf, [0, 0, 3]))).toBe(0xa1b2c3d4);
    expect(peekReplyXid(chainOf(buf, [6]))).toBe(0xa1b2c3d4);
  });

  it('answers null for chains too short, and peekReplyXid for a CALL', () => {
    expect(peekXid(null)).toBeNull();
    expect(peekXid(byteChain(hex('a1b2c3')))).toBeNull();
    expect(peekReplyXid(chainOf(hex('a1b2c3d4 00000000')))).toBeNull();
    expect(peekReplyXid(chainOf(hex('a1b2c3d4 000000')))).toBeNull();
  });
});
