/*
 * NULL calls to NFSv3 (program 100003 version 3, procedure 0) with RpcClient: `calls` calls with
 * `inflight` outstanding at any time, after a warm-up of a tenth (at most 1,000). Shared by
 * bench/rpc.ts and bench/workloads/null-child.ts.
 */
import { RpcClient } from '../../rpc/index.js';
import type { RpcProto } from '../../rpc/index.js';

export const NFS_PROGRAM = 100003;

export interface NullSample {
  /** Calls per second. */
  rate: number;
  /** This process's CPU time (user + system) per call, µs. */
  cpuUs: number;
}

/** Time and CPU of `fn`, which makes `calls` calls. */
export async function measureCalls(calls: number, fn: () => Promise<void>): Promise<NullSample> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  return { rate: calls / secs, cpuUs: (cpu.user + cpu.system) / calls };
}

/** `calls` pings with `inflight` workers. */
export async function pingLoop(c: RpcClient, inflight: number, calls: number): Promise<void> {
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < calls) {
      started++;
      await c.ping(NFS_PROGRAM, 3);
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
}

export async function nullCalls(host: string, port: number, proto: RpcProto, inflight: number, calls: number): Promise<NullSample> {
  const c = new RpcClient({ host, port, proto, maxInFlight: Math.max(inflight, 1) });
  try {
    await pingLoop(c, inflight, Math.min(1000, Math.ceil(calls / 10)));
    const s = await measureCalls(calls, () => pingLoop(c, inflight, calls));
    if (c.stats.retransmits > 0) console.error(`  (${proto}: ${c.stats.retransmits} retransmissions)`);
    return s;
  } finally {
    await c.close();
  }
}
