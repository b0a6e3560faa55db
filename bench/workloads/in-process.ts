/*
 * Workloads 5 and 6, run through the clients' APIs rather than their tools, each side in a
 * process of its own (for its peak RSS): sonfs by bench/workloads/*-child.ts, libnfs by
 * bench/native/libnfs-bench.c (compiled here against Debian's libnfs).
 *
 *   small-files        2,000 files of 4 KiB: writeFile each, then readFile each (serial), caches on
 *   small-files-noac   the same with noac (no attribute cache) — libnfs has no attribute or name
 *                      cache at all, so its side is the same program in both rows
 *   null-1, null-32    NFSv3 NULL calls per second with 1 and 32 in flight
 *
 * Times are taken inside the programs, after the mount (and a warm-up for NULL).
 */
import { join } from 'node:path';
import { serverExec, urlOf } from '../lib/context.js';
import type { BenchContext } from '../lib/context.js';
import { runChild } from '../lib/child.js';
import type { Side, SideResult, Workload } from '../lib/workload.js';

export const SMALL_COUNT = 2000;
export const SMALL_SIZE = 4096;

function parseJson(out: string, who: string): Record<string, number> {
  const line = out.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Record<string, number>;
  } catch {
    throw new Error(`${who} printed no JSON result: ${out.slice(0, 200)}`);
  }
}

function helperPath(ctx: BenchContext): string | undefined {
  return 'path' in ctx.libnfs ? ctx.libnfs.path : undefined;
}

export function smallFilesWorkload(ctx: BenchContext, noac: boolean): Workload {
  let n = 0;
  const side = (client: 'sonfs' | 'libnfs'): Side => {
    const once = async (): Promise<SideResult> => {
      const dir = `/sf-${client}-${process.pid}-${n++}`;
      const args = [urlOf(ctx, '/export'), dir, String(SMALL_COUNT), String(SMALL_SIZE)];
      const argv = client === 'sonfs'
        ? [...ctx.node, join(ctx.benchDir, 'workloads', 'small-files-child.js'), ...args, ...(noac ? ['noac'] : [])]
        : [helperPath(ctx)!, 'small', ...args];
      try {
        const r = await runChild(argv, { stdout: 'capture' });
        const m = parseJson(r.stdout, client);
        return { metrics: { create: m.createPerSec!, read: m.readPerSec! }, seconds: r.seconds, peakRssKiB: r.peakRssKiB };
      } finally {
        await serverExec(ctx, `rm -rf /export${dir}`);
      }
    };
    return {
      client,
      command: client === 'sonfs'
        ? `small-files-child.js (writeFile, then readFile)${noac ? ' with noac' : ''}`
        : 'libnfs-bench small (nfs_creat+nfs_write+nfs_close, then nfs_open+nfs_read+nfs_close)',
      verify: async () => void (await once()),
      run: once,
    };
  };
  const helper = helperPath(ctx);
  return {
    name: noac ? 'small-files-noac' : 'small-files',
    title: `${SMALL_COUNT.toLocaleString('en-US')} files of ${SMALL_SIZE / 1024} KiB created then read back through the API, one at a time${noac ? ', noac' : ', caches on'}`,
    metrics: [{ key: 'create', unit: 'files/s' }, { key: 'read', unit: 'files/s' }],
    note: 'libnfs has no attribute or name cache: its side is the same program (sync API) in the caches-on and noac rows.',
    unavailable: helper === undefined && 'unavailable' in ctx.libnfs ? `libnfs side: ${ctx.libnfs.unavailable}` : undefined,
    async setup() {},
    sides: () => (helper === undefined ? [side('sonfs')] : [side('sonfs'), side('libnfs')]),
    async teardown() {},
  };
}

export function nullWorkload(ctx: BenchContext, inflight: number, calls: number): Workload {
  const side = (client: 'sonfs' | 'libnfs'): Side => {
    const once = async (): Promise<SideResult> => {
      const argv = client === 'sonfs'
        ? [...ctx.node, join(ctx.benchDir, 'workloads', 'null-child.js'), ctx.server.host, String(ctx.server.ports.nfs), String(calls), String(inflight)]
        : [helperPath(ctx)!, 'null', urlOf(ctx, '/export'), String(calls), String(inflight)];
      const r = await runChild(argv, { stdout: 'capture' });
      const m = parseJson(r.stdout, client);
      return { metrics: { calls: m.callsPerSec! }, seconds: r.seconds, peakRssKiB: r.peakRssKiB };
    };
    return {
      client,
      command: client === 'sonfs' ? `RpcClient.ping over TCP, ${inflight} in flight` : `rpc_nfs3_null_async, ${inflight} in flight`,
      verify: async () => void (await once()),
      run: once,
    };
  };
  const helper = helperPath(ctx);
  return {
    name: `null-${inflight}`,
    title: `NFSv3 NULL calls, ${inflight} in flight (${calls.toLocaleString('en-US')} calls)`,
    metrics: [{ key: 'calls', unit: 'calls/s' }],
    unavailable: helper === undefined && 'unavailable' in ctx.libnfs ? `libnfs side: ${ctx.libnfs.unavailable}` : undefined,
    async setup() {},
    sides: () => (helper === undefined ? [side('sonfs')] : [side('sonfs'), side('libnfs')]),
    async teardown() {},
  };
}
