/*
 * The portmapper and rpcbind clients against the container's rpcbind, checked against what
 * Debian's rpcinfo reports for the same server.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { sostat } from '../../../sockets/index.js';
import { RpcClient } from '../../../rpc/client/index.js';
import type { RpcProto } from '../../../rpc/client/index.js';
import {
  IPPROTO_TCP, IPPROTO_UDP, PortmapClient, RpcProgNotRegisteredError, RpcbindClient, getport, parseUaddr,
} from '../../../rpc/index.js';
import { parseRpcinfoP, rpcinfo } from '../../helpers/clients.js';
import { host, ports } from './helpers.js';

const clients: RpcClient[] = [];
const base = sostat.so_live;

function pmapClient(proto: RpcProto): RpcClient {
  const c = new RpcClient({ host, port: 111, proto, hard: false, timeo: proto === 'udp' ? 10 : 50, retrans: 3 });
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  expect(sostat.so_live).toBe(base);
});

async function rpcinfoRows(): Promise<ReturnType<typeof parseRpcinfoP>> {
  const run = await rpcinfo(['-p', host]);
  expect(run.code, run.stderr).toBe(0);
  return parseRpcinfoP(run.stdout.toString());
}

describe.each(['tcp', 'udp'] as const)('over %s', (proto) => {
  test('PMAPPROC_DUMP lists exactly the rows rpcinfo -p prints, in the same order', async () => {
    const rows = await rpcinfoRows();
    const dump = await new PortmapClient(pmapClient(proto)).dump();
    expect(dump.map((m) => [m.prog, m.vers, m.prot === IPPROTO_TCP ? 'tcp' : 'udp', m.port]))
      .toEqual(rows.map((r) => [r.program, r.version, r.protocol, r.port]));
  });

  test('PMAPPROC_GETPORT gives the port rpcinfo -p shows for NFS v3 and MOUNT v3 on both transports', async () => {
    const rows = await rpcinfoRows();
    const pm = new PortmapClient(pmapClient(proto));
    for (const prog of [100003, 100005]) {
      for (const [prot, name] of [[IPPROTO_TCP, 'tcp'], [IPPROTO_UDP, 'udp']] as const) {
        const want = rows.find((r) => r.program === prog && r.version === 3 && r.protocol === name)!.port;
        expect(await pm.getport(prog, 3, prot)).toBe(want);
      }
    }
    expect(await pm.getport(100099, 1, IPPROTO_TCP)).toBe(0);
  });

  test('RPCBPROC_GETADDR (v3 and v4) gives universal addresses that parse to the same ports', async () => {
    const rows = await rpcinfoRows();
    const rpc = pmapClient(proto);
    for (const vers of [3, 4] as const) {
      const rb = new RpcbindClient(rpc, vers);
      for (const netid of ['tcp', 'udp']) {
        const uaddr = await rb.getaddr({ r_prog: 100003, r_vers: 3, r_netid: netid, r_addr: '', r_owner: '' });
        const want = rows.find((r) => r.program === 100003 && r.version === 3 && r.protocol === netid)!.port;
        expect(parseUaddr(uaddr).port).toBe(want);
      }
      expect(await rb.getaddr({ r_prog: 100099, r_vers: 1, r_netid: 'tcp', r_addr: '', r_owner: '' })).toBe('');
    }
  });

  test('RPCBPROC_DUMP (v4) lists every (program, version, transport) rpcinfo -p shows, at the same ports', async () => {
    const rows = await rpcinfoRows();
    /* rpcbind itself, NFS and MOUNT at least, over both transports */
    for (const prog of [100000, 100003, 100005]) {
      for (const netid of ['tcp', 'udp']) expect(rows.some((r) => r.program === prog && r.protocol === netid), `${prog} ${netid}`).toBe(true);
    }
    const dump = await new RpcbindClient(pmapClient(proto), 4).dump();
    for (const r of rows) {
      const e = dump.find((d) => d.r_prog === r.program && d.r_vers === r.version && d.r_netid === r.protocol);
      expect(e, `${r.program} ${r.version} ${r.protocol}`).toBeDefined();
      expect(parseUaddr(e!.r_addr).port).toBe(r.port);
    }
  });

  test('GETVERSADDR and GETTIME (v4) answer', async () => {
    const rb = new RpcbindClient(pmapClient(proto), 4);
    const uaddr = await rb.getversaddr({ r_prog: 100005, r_vers: 3, r_netid: proto, r_addr: '', r_owner: '' });
    expect(parseUaddr(uaddr).port).toBe(ports().mount);
    const t = await rb.gettime();
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(600);
  });

  test('getport() finds NFS and MOUNT, and says when a program is not registered', async () => {
    expect(await getport(host, 100003, 3, proto)).toBe(ports().nfs);
    expect(await getport(host, 100005, 3, proto)).toBe(ports().mount);
    await expect(getport(host, 100099, 1, proto)).rejects.toBeInstanceOf(RpcProgNotRegisteredError);
  });
});
