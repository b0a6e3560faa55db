import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RpcUaddrError, XdrDecodeError } from '../../rpc/errors.js';
import { IPPROTO_TCP, IPPROTO_UDP, RPCB_MAXNETIDLEN } from '../../rpc/pmap/constants.js';
import { PMAP2_PROCEDURES, call_args, call_result, mapping, pmaplist } from '../../rpc/pmap/pmap2.js';
import {
  RPCB3_PROCEDURES, RPCB4_PROCEDURES, netbuf, rpcb, rpcb_entry_list_ptr, rpcb_rmtcallargs, rpcb_rmtcallres,
  rpcblist_ptr,
} from '../../rpc/pmap/rpcb.js';
import { formatUaddr, parseUaddr } from '../../rpc/pmap/uaddr.js';
import { arb, decode, encode, fcParams, roundTrips, thrown } from './xdr-helpers.js';

const arbMapping = fc.record({ prog: arb.uint32(), vers: arb.uint32(), prot: fc.constantFrom(IPPROTO_TCP, IPPROTO_UDP), port: fc.integer({ min: 0, max: 65535 }) });
const arbRpcb = fc.record({
  r_prog: arb.uint32(), r_vers: arb.uint32(), r_netid: arb.name(16), r_addr: arb.name(60), r_owner: arb.name(20),
});

describe('portmapper v2 codecs (RFC 1833 §3)', () => {
  it('encodes a mapping as four unsigned ints', () => {
    expect(encode(mapping, { prog: 100003, vers: 3, prot: IPPROTO_TCP, port: 2049 }).toString('hex')).toBe('000186a3' + '00000003' + '00000006' + '00000801');
  });

  it('decode(encode(pmaplist)) = pmaplist for any list, any chunking', () => {
    fc.assert(
      fc.property(fc.array(arbMapping, { maxLength: 30 }), arb.cuts(600), (list, cuts) => {
        for (const v of roundTrips(pmaplist, list, cuts).values) expect(v).toEqual(list);
      }),
      fcParams,
    );
  });

  it('reads a pmaplist as a linked list of optional-data', () => {
    const bytes = Buffer.from('00000001' + '000186a0' + '00000002' + '00000006' + '0000006f' + '00000000', 'hex');
    expect(decode(pmaplist, bytes)).toEqual([{ prog: 100000, vers: 2, prot: 6, port: 111 }]);
  });

  it('round-trips call_args and call_result', () => {
    const a = { prog: 100005, vers: 3, proc: 0, args: Buffer.from([1, 2, 3]) };
    for (const v of roundTrips(call_args, a, [13]).values) expect({ ...v, args: Buffer.from(v.args) }).toEqual(a);
    const r = { port: 635, res: Buffer.alloc(0) };
    for (const v of roundTrips(call_result, r).values) expect({ ...v, res: Buffer.from(v.res) }).toEqual(r);
  });

  it('has the procedure numbers of RFC 1833', () => {
    expect(Object.values(PMAP2_PROCEDURES).map((p) => [p.name, p.proc])).toEqual([
      ['PMAPPROC_NULL', 0], ['PMAPPROC_SET', 1], ['PMAPPROC_UNSET', 2], ['PMAPPROC_GETPORT', 3], ['PMAPPROC_DUMP', 4], ['PMAPPROC_CALLIT', 5],
    ]);
    expect(decode(PMAP2_PROCEDURES.GETPORT.res, Buffer.from('00000801', 'hex'))).toBe(2049);
  });
});

describe('rpcbind v3/v4 codecs (RFC 1833 §2)', () => {
  it('decode(encode(rpcblist_ptr)) = rpcblist_ptr for any list, any chunking', () => {
    fc.assert(
      fc.property(fc.array(arbRpcb, { maxLength: 12 }), arb.cuts(1500), (list, cuts) => {
        for (const v of roundTrips(rpcblist_ptr, list, cuts).values) expect(v).toEqual(list);
      }),
      fcParams,
    );
  });

  it('round-trips rpcb_rmtcallargs, rpcb_rmtcallres, rpcb_entry lists and netbuf', () => {
    const args = { prog: 1, vers: 2, proc: 3, args: Buffer.from('xyz') };
    expect(roundTrips(rpcb_rmtcallargs, args).values.map((v) => ({ ...v, args: Buffer.from(v.args) }))).toEqual([args, args, args]);
    const res = { addr: '127.0.0.1.8.1', results: Buffer.from('r') };
    expect(roundTrips(rpcb_rmtcallres, res).values.map((v) => ({ ...v, results: Buffer.from(v.results) }))).toEqual([res, res, res]);
    const entries = [{ r_maddr: '::1.8.1', r_nc_netid: 'tcp6', r_nc_semantics: 3, r_nc_protofmly: 'inet6', r_nc_proto: 'tcp' }];
    expect(roundTrips(rpcb_entry_list_ptr, entries, [9]).values).toEqual([entries, entries, entries]);
    const nb = { maxlen: 16, buf: Buffer.from('0002', 'hex') };
    expect(roundTrips(netbuf, nb).values.map((v) => ({ ...v, buf: Buffer.from(v.buf) }))).toEqual([nb, nb, nb]);
  });

  it('rejects a netid longer than its declared maximum', () => {
    const bad = Buffer.concat([Buffer.from('0000000100000001', 'hex'), Buffer.from('00000100', 'hex'), Buffer.alloc(256 + 8)]);
    const e = thrown(() => decode(rpcb, bad));
    expect(e).toBeInstanceOf(XdrDecodeError);
    expect((e as XdrDecodeError).offset).toBe(8);
    expect((e as XdrDecodeError).what).toBe('rpcb.r_netid');
    expect(RPCB_MAXNETIDLEN).toBe(255);
  });

  it('has the version 3 and 4 procedure numbers of RFC 1833', () => {
    expect(RPCB3_PROCEDURES.GETADDR.proc).toBe(3);
    expect(RPCB3_PROCEDURES.CALLIT.proc).toBe(5);
    expect(RPCB4_PROCEDURES.BCAST.proc).toBe(5);
    expect(RPCB4_PROCEDURES.GETVERSADDR.proc).toBe(9);
    expect(RPCB4_PROCEDURES.GETADDRLIST.proc).toBe(11);
    expect(decode(RPCB3_PROCEDURES.GETADDR.res, encode(RPCB3_PROCEDURES.GETADDR.res, ''))).toBe('');
  });
});

describe('universal addresses (RFC 1833 §2.2, RFC 5665 §5.2.3)', () => {
  it('parses IPv4 and IPv6 universal addresses', () => {
    expect(parseUaddr('127.0.0.1.8.1')).toEqual({ family: 'inet', address: '127.0.0.1', port: 2049 });
    expect(parseUaddr('0.0.0.0.0.111')).toEqual({ family: 'inet', address: '0.0.0.0', port: 111 });
    expect(parseUaddr('::1.8.1')).toEqual({ family: 'inet6', address: '::1', port: 2049 });
    expect(parseUaddr('::.0.111')).toEqual({ family: 'inet6', address: '::', port: 111 });
    expect(parseUaddr('fe80::1:2.255.255')).toEqual({ family: 'inet6', address: 'fe80::1:2', port: 65535 });
    expect(parseUaddr('::ffff:10.1.2.3.4.0')).toEqual({ family: 'inet6', address: '::ffff:10.1.2.3', port: 1024 });
  });

  it('formats them, and the two are inverse', () => {
    expect(formatUaddr('127.0.0.1', 2049)).toBe('127.0.0.1.8.1');
    expect(formatUaddr('::1', 20048)).toBe('::1.78.80');
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 65535 }), (ip, port) => {
        const u = parseUaddr(formatUaddr(ip, port));
        expect(u.address).toBe(ip);
        expect(u.port).toBe(port);
      }),
      fcParams,
    );
  });

  it('rejects malformed addresses with RpcUaddrError', () => {
    for (const bad of [
      '', '127.0.0.1', '127.0.0.1.8', '127.0.0.1.8.256', '127.0.0.1.08.1', '127.0.0.01.8.1', '127.0.0.1.8.-1',
      '256.0.0.1.8.1', '1.2.3.8.1', '1.2.3.4.5.8.1', 'localhost.8.1', '::1', ':::1.8.1', 'fe80::1%eth0.8.1',
      ' 127.0.0.1.8.1', '127.0.0.1.8.1 ', '127.0.0.1..1', '.8.1', '1.2.3.4.+8.1',
    ]) {
      const e = thrown(() => parseUaddr(bad));
      expect(e, bad).toBeInstanceOf(RpcUaddrError);
      expect((e as RpcUaddrError).code).toBe('ERR_RPC_UADDR');
    }
    expect(() => formatUaddr('127.0.0.1', 65536)).toThrow(RpcUaddrError);
    expect(() => formatUaddr('example.com', 1)).toThrow(RpcUaddrError);
  });
});
