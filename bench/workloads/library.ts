/*
 * The library rows: what an application sees inside one warm process, each side in a process of
 * its own and timed inside it, after the mount and the open (bench/workloads/library-child.ts for
 * sonfs; bench/native/libnfs-bench.c on libnfs's async API, INFLIGHT calls of readmax/writemax
 * outstanding, for libnfs):
 *
 *   lib-read-1g      fh.read into one reused 1 MiB buffer    vs  nfs_pread_async, each reply copied into a 1 MiB buffer
 *   lib-views-1g     fh.readViews of 1 MiB (no copy)          vs  nfs_pread_async, each reply looked at in place
 *   lib-write-1g     fh.writeFrom of a 4 MiB pattern, close   vs  nfs_pwrite_async of the pattern, fsync, close
 *   lib-readdir-10k  readdir(DIR, { withFileTypes: true })    vs  nfs_opendir_async, then every nfs_readdir entry
 *
 * Each side first does the same work untimed (a warm process: the first 128 MiB, a scratch
 * write, another directory's listing).
 * Reads are checked once per side by SHA-256 of the bytes read (the big file), writes after every
 * run by SHA-256 on the server, listings every run by their counts.
 */
import { BIG_ON_SERVER, bigFile, serverExec, serverSha256, urlOf } from '../lib/context.js';
import type { BenchContext } from '../lib/context.js';
import { runChild } from '../lib/child.js';
import { patternSha256 } from '../lib/data.js';
import type { Side, SideResult, Workload } from '../lib/workload.js';

const MB = 1e6;
const READDIR_DIR = '/export/lib10k';
/* The warm-up's directory: another one, so that no client's directory cache answers the timed listing. */
const WARM_DIR = '/export/lib10k-warm';
const READDIR_FILES = 10_000;

function lastJson(out: string, who: string): Record<string, number> {
  const line = out.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Record<string, number>;
  } catch {
    throw new Error(`${who} printed no JSON result: ${out.slice(0, 200)}`);
  }
}

function helper(ctx: BenchContext): string {
  if (!('path' in ctx.libnfs)) throw new Error(ctx.libnfs.unavailable);
  return ctx.libnfs.path;
}

/* Mount-relative path of a path in /export. */
const rel = (p: string): string => p.replace(/^\/export/, '');

function childArgv(ctx: BenchContext, client: 'sonfs' | 'libnfs', sonfsMode: string, libnfsArgs: string[], sonfsArgs: string[]): string[] {
  return client === 'sonfs'
    ? [...ctx.node, `${ctx.benchDir}/workloads/library-child.js`, sonfsMode, urlOf(ctx, '/export'), ...sonfsArgs]
    : [helper(ctx), ...libnfsArgs];
}

function readRow(ctx: BenchContext, views: boolean): Workload {
  const side = (client: 'sonfs' | 'libnfs'): Side => {
    const argv = (out: boolean): string[] => childArgv(ctx, client, views ? 'views' : 'read',
      ['read', urlOf(ctx, '/export'), rel(BIG_ON_SERVER), views ? 'nocopy' : 'copy', ...(out ? ['out'] : [])],
      [rel(BIG_ON_SERVER), ...(out ? ['out'] : [])]);
    return {
      client,
      command: client === 'sonfs'
        ? (views ? 'fh.readViews(1 MiB) to the end' : 'fh.read(one 1 MiB buffer) to the end')
        : `nfs_pread_async, 4 × readmax in flight, ${views ? 'replies looked at in place' : 'each reply copied into a 1 MiB buffer'}`,
      async verify() {
        const r = await runChild(argv(true), { stdout: 'sha256' });
        if (r.stdout !== ctx.big!.sha256) throw new Error(`${client} read ${BIG_ON_SERVER} with SHA-256 ${r.stdout}, expected ${ctx.big!.sha256}`);
      },
      async run(): Promise<SideResult> {
        const r = await runChild(argv(false), { stdout: 'capture' });
        const m = lastJson(r.stdout, client);
        if (m['bytes'] !== ctx.bigBytes) throw new Error(`${client} read ${m['bytes']} bytes, expected ${ctx.bigBytes}`);
        return { metrics: { throughput: ctx.bigBytes / m['seconds']! / MB }, seconds: m['seconds']!, peakRssKiB: r.peakRssKiB };
      },
    };
  };
  return {
    name: views ? 'lib-views-1g' : 'lib-read-1g',
    title: `library: sequential read of the big file ${views ? 'as views of the replies (no copy)' : 'into one reused buffer'}, in one warm process`,
    metrics: [{ key: 'throughput', unit: 'MB/s' }],
    targets: { ratio: 1.0 },
    async setup() {
      await bigFile(ctx, true);
    },
    sides: () => [side('sonfs'), side('libnfs')],
    async teardown() {},
  };
}

function writeRow(ctx: BenchContext): Workload {
  let n = 0;
  const side = (client: 'sonfs' | 'libnfs'): Side => {
    const once = async (): Promise<SideResult> => {
      const path = `/export/lw-${client}-${process.pid}-${n++}.bin`;
      try {
        const r = await runChild(childArgv(ctx, client, 'write', ['write', urlOf(ctx, '/export'), rel(path), String(ctx.bigBytes)],
          [rel(path), String(ctx.bigBytes)]), { stdout: 'capture' });
        const m = lastJson(r.stdout, client);
        const sum = await serverSha256(ctx, path);
        if (sum !== want) throw new Error(`${client} wrote ${path} with SHA-256 ${sum}, expected ${want}`);
        return { metrics: { throughput: ctx.bigBytes / m['seconds']! / MB }, seconds: m['seconds']!, peakRssKiB: r.peakRssKiB };
      } finally {
        await serverExec(ctx, `truncate -s 0 ${path} 2>/dev/null; rm -f ${path}`);
      }
    };
    return {
      client,
      command: client === 'sonfs' ? 'fh.writeFrom(pattern) to the size, then close (COMMIT)' : 'nfs_pwrite_async, 4 × writemax in flight, then fsync and close',
      verify: async () => void (await once()),
      run: once,
    };
  };
  let want = '';
  return {
    name: 'lib-write-1g',
    title: 'library: sequential write of the big size from memory, then close (data on stable storage), in one warm process',
    metrics: [{ key: 'throughput', unit: 'MB/s' }],
    targets: { ratio: 1.1 },
    note: 'Every written file is checked by SHA-256 in the server container, then removed.',
    async setup() {
      want = patternSha256(ctx.bigBytes);
    },
    sides: () => [side('sonfs'), side('libnfs')],
    async teardown() {},
  };
}

function readdirRow(ctx: BenchContext): Workload {
  const side = (client: 'sonfs' | 'libnfs'): Side => {
    const once = async (): Promise<SideResult> => {
      const r = await runChild(childArgv(ctx, client, 'readdir', ['readdir', urlOf(ctx, '/export'), rel(READDIR_DIR), rel(WARM_DIR)],
        [rel(READDIR_DIR), rel(WARM_DIR)]),
        { stdout: 'capture' });
      const m = lastJson(r.stdout, client);
      if (m['entries'] !== READDIR_FILES || m['files'] !== READDIR_FILES) {
        throw new Error(`${client} listed ${m['entries']} entries (${m['files']} files), expected ${READDIR_FILES}`);
      }
      return { metrics: { entries: READDIR_FILES / m['seconds']! }, seconds: m['seconds']!, peakRssKiB: r.peakRssKiB };
    };
    return {
      client,
      command: client === 'sonfs' ? 'readdir(DIR, { withFileTypes: true })' : 'nfs_opendir_async, then nfs_readdir of every entry',
      verify: async () => void (await once()),
      run: once,
    };
  };
  return {
    name: 'lib-readdir-10k',
    title: `library: a directory of ${READDIR_FILES.toLocaleString('en-US')} files listed with types, in one warm process`,
    metrics: [{ key: 'entries', unit: 'entries/s' }],
    targets: { ratio: 1.0 },
    async setup() {
      for (const d of [READDIR_DIR, WARM_DIR]) {
        await serverExec(ctx, `rm -rf ${d} && mkdir ${d} && cd ${d} && seq -f 'f%05g' 0 ${READDIR_FILES - 1} | xargs touch`);
      }
    },
    sides: () => [side('sonfs'), side('libnfs')],
    async teardown() {
      await serverExec(ctx, `rm -rf ${READDIR_DIR} ${WARM_DIR}`);
    },
  };
}

export function libraryWorkloads(ctx: BenchContext): Workload[] {
  return [readRow(ctx, false), readRow(ctx, true), writeRow(ctx), readdirRow(ctx)];
}
