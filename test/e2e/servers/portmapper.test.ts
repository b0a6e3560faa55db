import { describe, expect, test } from 'vitest';
import { parseRpcinfoP, parseShowmountE, rpcinfo, showmount } from '../../helpers/clients.js';
import { suiteServer } from '../../helpers/server.js';

// The suite server runs in host network mode with rpcbind on 111, so Debian's rpcinfo and showmount,
// which only know port 111, see it as any NFS server on this host.

describe('the portmapper of the shared server', () => {
  test('rpcinfo -p 127.0.0.1 lists portmapper, NFS and MOUNT over TCP and UDP at their ports', async () => {
    const { ports } = suiteServer();
    const run = await rpcinfo(['-p', '127.0.0.1']);
    expect(run.code, run.stderr).toBe(0);
    const rows = parseRpcinfoP(run.stdout.toString());
    for (const protocol of ['tcp', 'udp']) {
      expect(rows).toContainEqual(expect.objectContaining({ program: 100000, version: 2, protocol, port: 111 }));
      expect(rows).toContainEqual(expect.objectContaining({ program: 100003, version: 3, protocol, port: ports.nfs }));
      expect(rows).toContainEqual(expect.objectContaining({ program: 100005, version: 3, protocol, port: ports.mount }));
    }
    expect(rows).toContainEqual(expect.objectContaining({ program: 100003, version: 4, protocol: 'tcp', port: ports.nfs }));
    // NLM (100021) and RQUOTA (100011) are off.
    expect(rows.filter((r) => r.program === 100021 || r.program === 100011)).toEqual([]);
  });

  test('showmount -e 127.0.0.1 lists the three exports', async () => {
    const run = await showmount(['-e', '127.0.0.1']);
    expect(run.code, run.stderr).toBe(0);
    expect(parseShowmountE(run.stdout.toString()).map((e) => e.path).sort()).toEqual(['/export', '/ro', '/squash']);
  });
});
