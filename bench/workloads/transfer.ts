/*
 * Workloads 1 and 2: sequential read and write of the big file, each client as a process.
 *
 *   read-1g   sonfs cat URL > /dev/null      against   nfs-cat URL > /dev/null
 *   write-1g  sonfs cp LOCAL URL             against   nfs-cp LOCAL URL   (a fresh name each run)
 *
 * Throughput is the file's size over the process's wall time (start, mount, transfer, COMMIT,
 * exit: what a user waits for). Reads are checked by SHA-256 of stdout in the untimed run; every
 * written file is checked by SHA-256 in the server's container, then removed.
 */
import { BIG_ON_SERVER, bigFile, serverExec, serverSha256, urlOf } from '../lib/context.js';
import type { BenchContext } from '../lib/context.js';
import { runChild } from '../lib/child.js';
import type { Side, SideResult, Workload } from '../lib/workload.js';

const MB = 1e6;

function mib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${bytes / 2 ** 30} GiB` : `${bytes / 2 ** 20} MiB`;
}

export function readWorkload(ctx: BenchContext): Workload {
  const url = (): string => urlOf(ctx, BIG_ON_SERVER);
  const side = (client: 'sonfs' | 'libnfs'): Side => {
    const argv = (): string[] => (client === 'sonfs' ? [...ctx.sonfs, 'cat', url()] : ['nfs-cat', url()]);
    return {
      client,
      command: client === 'sonfs' ? 'sonfs cat URL > /dev/null' : 'nfs-cat URL > /dev/null',
      async verify() {
        const r = await runChild(argv(), { stdout: 'sha256' });
        if (r.stdout !== ctx.big!.sha256) throw new Error(`${client} read ${BIG_ON_SERVER} with SHA-256 ${r.stdout}, expected ${ctx.big!.sha256}`);
      },
      async run(): Promise<SideResult> {
        const r = await runChild(argv(), { stdout: 'null' });
        return { metrics: { throughput: ctx.bigBytes / r.seconds / MB }, seconds: r.seconds, peakRssKiB: r.peakRssKiB };
      },
    };
  };
  return {
    name: 'read-1g',
    title: `sequential read of a ${mib(ctx.bigBytes)} file (cat to /dev/null)`,
    metrics: [{ key: 'throughput', unit: 'MB/s' }],
    targets: { ratio: 1.0 },
    async setup() {
      await bigFile(ctx, true);
    },
    sides: () => [side('sonfs'), side('libnfs')],
    async teardown() {},
  };
}

export function writeWorkload(ctx: BenchContext): Workload {
  let n = 0;
  const side = (client: 'sonfs' | 'libnfs'): Side => {
    const once = async (): Promise<SideResult> => {
      const path = `/export/w-${client}-${process.pid}-${n++}.bin`;
      const local = ctx.big!.local;
      const argv = client === 'sonfs' ? [...ctx.sonfs, 'cp', local, urlOf(ctx, path)] : ['nfs-cp', local, urlOf(ctx, path)];
      try {
        const r = await runChild(argv, { stdout: 'null' });
        const sum = await serverSha256(ctx, path);
        if (sum !== ctx.big!.sha256) throw new Error(`${client} wrote ${path} with SHA-256 ${sum}, expected ${ctx.big!.sha256}`);
        return { metrics: { throughput: ctx.bigBytes / r.seconds / MB }, seconds: r.seconds, peakRssKiB: r.peakRssKiB };
      } finally {
        /* Truncated first: ganesha keeps recently used files open, and a removed file that is
           still open would keep its blocks in the tmpfs until ganesha closes it. */
        await serverExec(ctx, `truncate -s 0 ${path} 2>/dev/null; rm -f ${path}`);
      }
    };
    return {
      client,
      command: client === 'sonfs' ? 'sonfs cp LOCAL URL' : 'nfs-cp LOCAL URL',
      async verify() {
        await once();
      },
      run: once,
    };
  };
  return {
    name: 'write-1g',
    title: `sequential write of a ${mib(ctx.bigBytes)} file (cp from a local tmpfs file)`,
    metrics: [{ key: 'throughput', unit: 'MB/s' }],
    targets: { ratio: 1.0, peakRssMiB: 150 },
    note: 'Every written file is checked by SHA-256 in the server container, then removed. sonfs cp returns only after a COMMIT whose verifier matches (data on stable storage).',
    async setup() {
      await bigFile(ctx, false);
    },
    sides: () => [side('sonfs'), side('libnfs')],
    async teardown() {},
  };
}
