/*
 * The portmapper client's wire behaviour against the fake server (what it sends for SET, UNSET,
 * GETPORT, DUMP; how getport() reads port 0), rpcinfo's row format and the rpc(5) database.
 */
import { describe, expect, test } from 'vitest';
import {
  IPPROTO_TCP, IPPROTO_UDP, PMAPPROC_GETPORT, PMAPPROC_SET, PMAP_PROG, PortmapClient, RpcProgNotRegisteredError,
  XdrReader, XdrWriter, getport, getrpcbyname, getrpcbynumber, mapping, parseRpcDatabase, pmaplist,
} from '../../rpc/index.js';
import { m_tobuf } from '../../sockets/index.js';
import { formatPmapRow, PMAP_HEADER } from '../../cli/commands/rpcinfo.js';
import { FakeRpcServer } from './helpers/fake-rpc-server.js';
import { client, serve } from './helpers/clients.js';

function encode<T>(c: { encode(w: XdrWriter, v: T): void }, v: T): Buffer {
  const w = new XdrWriter();
  c.encode(w, v);
  return Buffer.from(m_tobuf(w.finish()));
}

const table = [
  { prog: 100000, vers: 2, prot: IPPROTO_TCP, port: 111 },
  { prog: 100003, vers: 3, prot: IPPROTO_UDP, port: 2049 },
];

/* A portmapper: GETPORT knows NFS v3/tcp only, SET answers true, DUMP answers `table`. */
const portmapper = (call: Parameters<Parameters<typeof FakeRpcServer.tcp>[0] & object>[0], srv: FakeRpcServer): void => {
  const r = XdrReader.fromBuffer(call.args);
  if (call.proc === PMAPPROC_GETPORT) {
    const m = mapping.decode(r);
    const port = m.prog === 100003 && m.vers === 3 && m.prot === IPPROTO_TCP ? 2049 : 0;
    const b = Buffer.alloc(4);
    b.writeUInt32BE(port, 0);
    return srv.reply(call, b);
  }
  if (call.proc === 4) return srv.reply(call, encode(pmaplist, table));
  return srv.reply(call, Buffer.from([0, 0, 0, 1]));
};

describe.each(['tcp', 'udp'] as const)('portmapper client over %s', (proto) => {
  test('GETPORT, SET, UNSET and DUMP send and read RFC 1833 mappings', async () => {
    const s = serve(proto === 'tcp' ? await FakeRpcServer.tcp(portmapper) : await FakeRpcServer.udp(portmapper));
    const pm = new PortmapClient(client(s));
    expect(await pm.getport(100003, 3, IPPROTO_TCP)).toBe(2049);
    expect(await pm.getport(100003, 3, IPPROTO_UDP)).toBe(0);
    const m = { prog: 0x20000001, vers: 1, prot: IPPROTO_UDP, port: 4321 };
    expect(await pm.set(m)).toBe(true);
    expect(await pm.unset(m)).toBe(true);
    expect(await pm.dump()).toEqual(table);
    await pm.null();
    expect(s.calls.map((c) => [c.prog, c.vers, c.proc])).toEqual([
      [PMAP_PROG, 2, 3], [PMAP_PROG, 2, 3], [PMAP_PROG, 2, PMAPPROC_SET], [PMAP_PROG, 2, 2], [PMAP_PROG, 2, 4], [PMAP_PROG, 2, 0],
    ]);
    expect(mapping.decode(XdrReader.fromBuffer(s.calls[2]!.args))).toEqual(m);
  });

  test('getport() returns the port, and RpcProgNotRegisteredError for port 0', async () => {
    const s = serve(proto === 'tcp' ? await FakeRpcServer.tcp(portmapper) : await FakeRpcServer.udp(portmapper));
    expect(await getport('127.0.0.1', 100003, 3, 'tcp', { pmapPort: s.port, via: proto })).toBe(2049);
    const e = await getport('127.0.0.1', 100003, 3, 'udp', { pmapPort: s.port, via: proto }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcProgNotRegisteredError);
    expect((e as RpcProgNotRegisteredError).code).toBe('ERR_RPC_PROG_NOT_REGISTERED');
  });
});

describe('rpcinfo -p rows and program names', () => {
  test('rows are %10u%5u%6s%7u plus two spaces and the name, when the program has one', () => {
    const db = parseRpcDatabase('portmapper 100000 portmap sunrpc\n# comment\nnfs\t100003\tnfsprog\n');
    expect(PMAP_HEADER).toBe('   program vers proto   port  service');
    expect(formatPmapRow(100000, 4, IPPROTO_TCP, 111, db)).toBe('    100000    4   tcp    111  portmapper');
    expect(formatPmapRow(100003, 3, IPPROTO_UDP, 2049, db)).toBe('    100003    3   udp   2049  nfs');
    expect(formatPmapRow(536870913, 1, 99, 40000, db)).toBe(' 536870913    1    99  40000');
  });

  test('names and aliases resolve both ways; unknown ones do not', () => {
    const db = parseRpcDatabase('mountd 100005 mount showmount\nbad line\n');
    expect(getrpcbyname('showmount', db)?.number).toBe(100005);
    expect(getrpcbynumber(100005, db)?.name).toBe('mountd');
    expect(getrpcbyname('nfs', db)).toBeUndefined();
  });
});
