/*
 * UDP faults: a datagram proxy (helpers/udp-fault-proxy.ts) between sonfs (proto=udp) and
 * ganesha loses, duplicates and reorders datagrams in both directions. Every call still completes
 * with the right result: the RPC client retransmits lost calls with their xids (ganesha's
 * duplicate request cache answers repeated non-idempotent calls), drops duplicate and late
 * replies, and matches reordered ones by xid; the workload checks each result against its model.
 */
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/scratch.js';
import { suiteServer } from '../helpers/server.js';
import { closeLater, mounted } from './helpers/mounts.js';
import { UdpFaultProxy } from './helpers/udp-fault-proxy.js';
import { runWorkload, sumResults } from './helpers/workload.js';

const MOUNTS = 6;
const OPS = 150;

describe('NFS over UDP through a lossy, duplicating, reordering datagram proxy', () => {
  it(`every call completes with the right result: ${MOUNTS} mounts × ${OPS} operations checked against a model`, async () => {
    const server = suiteServer();
    const seed = Number(process.env['SONFS_FAULT_SEED'] ?? 0x5eed);
    const proxy = closeLater(await UdpFaultProxy.start({ port: server.ports.nfs }, seed));
    const dir = await scratchDir();
    const mounts = await Promise.all(Array.from({ length: MOUNTS }, async (_, i) => {
      /* timeo 0.3 s: procedures the RTT estimator does not time wait that long before a retransmission */
      const nfs = await mounted(server.url('/export', { nfsport: proxy.port, proto: 'udp', mountproto: 'tcp', uid: 0, gid: 0, timeo: 3 }));
      await nfs.mkdir(`/${dir.name}/w${i}`);
      return nfs;
    }));
    proxy.rates = { loss: 0.05, duplicate: 0.05, reorder: 0.1 };
    const results = await Promise.all(mounts.map((nfs, i) =>
      runWorkload(nfs, `/${dir.name}/w${i}`, { ops: OPS, seed: seed + i, maxFile: 48 * 1024 })));
    proxy.rates = { loss: 0, duplicate: 0, reorder: 0 };
    const total = sumResults(results);
    const st = mounts.map((m) => m.stats().rpc);
    const sum = (k: 'retransmits' | 'duplicateReplies' | 'lateReplies' | 'strayReplies' | 'calls'): number => st.reduce((n, s) => n + s[k], 0);
    expect(total.ops).toBe(MOUNTS * OPS);
    expect(proxy.counts.lost).toBeGreaterThan(20);
    expect(proxy.counts.duplicated).toBeGreaterThan(20);
    expect(proxy.counts.reordered).toBeGreaterThan(40);
    expect(sum('retransmits')).toBeGreaterThan(0);
    expect(sum('duplicateReplies') + sum('lateReplies')).toBeGreaterThan(0);
    console.log(`UDP faults: ${proxy.injected} injected (${JSON.stringify(proxy.counts)}), ${total.ops} operations ` +
      `(${sum('calls')} calls), ${total.bytesVerified} bytes verified, ${sum('retransmits')} retransmissions, ` +
      `${sum('duplicateReplies')} duplicate and ${sum('lateReplies')} late replies dropped`);
  }, 300_000);
});
