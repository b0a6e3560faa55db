/*
 * npm run bench: sonfs against libnfs on the same nfs-ganesha, side by side.
 *
 * Starts ganesha in host network mode on 127.0.0.1 (startGanesha: non-default ports, rpcbind not
 * on 111, so it runs beside the test suite's server; docker-proxy would halve throughput), then
 * runs each workload with sonfs and with libnfs, alternating which goes first, --reps times after
 * one untimed checked run of each. Prints medians, min–max, ratios (sonfs / libnfs) and peak RSS;
 * writes everything (machine, versions, negotiated sizes, every sample) to a JSON file.
 *
 *   read-1g           sonfs cat        vs nfs-cat        (1 GiB to /dev/null)
 *   write-1g          sonfs cp         vs nfs-cp         (1 GiB from a local tmpfs file)
 *   ls-l-10k          sonfs ls -l      vs nfs-ls         (10,000 files)
 *   ls-R-20k          sonfs ls -R      vs nfs-ls -R      (20,000 entries)
 *   small-files       API: 2,000 × 4 KiB create then read, caches on   (libnfs: sync API helper)
 *   small-files-noac  the same with noac
 *   null-1, null-32   NULL calls per second, 1 and 32 in flight         (libnfs: async raw API)
 *   startup           sonfs ls vs nfs-ls of an empty directory: process start + mount, the fixed
 *                     cost inside every CLI figure
 *   lib-read-1g, lib-views-1g, lib-write-1g, lib-readdir-10k
 *                     the library rows: inside one warm process, sonfs's API against libnfs's async
 *                     API in C (bench/workloads/library.ts)
 *
 * The micro benchmarks run with --only: sockets (bench/sockets.ts), xdr (bench/xdr.ts), rpc
 * (bench/rpc.ts, on this run's server), fuse (bench/fuse.ts: dd through a sonfs mount against
 * sonfs cat and cp, root, a server of its own); each is also runnable on its own.
 *
 *   npm run bench [-- --reps N] [--only NAME,...] [--size MiB] [--out FILE] [--profile DIR]
 *                 [--null-calls N] [--quick] [--list]
 *
 * --quick is for iterating on a change: 2 repetitions, a 256 MiB big file and 5,000 NULL calls
 * unless --reps, --size or --null-calls say otherwise (its figures are not the issue's).
 *
 * --profile DIR runs every sonfs process with node --cpu-prof into DIR (for `node --cpu-prof`
 * analysis; the figures are then slower than usual). Exit status 1 if a workload failed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mount } from '../nfsclient/index.js';
import { EngineUnavailableError, startGanesha } from '../testing/index.js';
import type { StartedGanesha } from '../testing/index.js';
import { BenchArgs } from './lib/args.js';
import { requireGnuTime, runChild } from './lib/child.js';
import { serverExec } from './lib/context.js';
import type { BenchContext } from './lib/context.js';
import { libnfsHelper } from './lib/libnfs-helper.js';
import { machineInfo } from './lib/machine.js';
import { table } from './lib/report.js';
import { runWorkload } from './lib/workload.js';
import type { Workload, WorkloadResult } from './lib/workload.js';
import { nullWorkload, smallFilesWorkload } from './workloads/in-process.js';
import { libraryWorkloads } from './workloads/library.js';
import { listLongWorkload, listRecursiveWorkload, startupWorkload } from './workloads/listing.js';
import { readWorkload, writeWorkload } from './workloads/transfer.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/* The bench stops its own server; Ryuk (from Docker Hub, often unreachable) is not needed. */
process.env['TESTCONTAINERS_RYUK_DISABLED'] ??= 'true';
const MICRO = ['sockets', 'xdr', 'rpc', 'fuse'] as const;
const WORKLOADS = [
  'read-1g', 'write-1g', 'ls-l-10k', 'ls-R-20k', 'small-files', 'small-files-noac', 'null-1', 'null-32', 'startup',
  'lib-read-1g', 'lib-views-1g', 'lib-write-1g', 'lib-readdir-10k',
] as const;

const args = new BenchArgs();

/* The options; a bad one (`--reps 0`, `--size x`) ends the program with its message, status 2. */
function options() {
  try {
    const quick = args.flag('--quick');
    return {
      QUICK: quick,
      REPS: args.number('--reps', quick ? 2 : 5),
      SIZE_MIB: args.number('--size', quick ? 256 : 1024),
      NULL_CALLS: args.number('--null-calls', quick ? 5_000 : 20_000),
      ONLY: args.list('--only'),
      OUT: resolve(args.string('--out') ?? join(process.cwd(), 'bench', 'results', 'nfs.json')),
      PROFILE: args.string('--profile'),
    };
  } catch (e) {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
}
const { QUICK, REPS, SIZE_MIB, NULL_CALLS, ONLY, OUT, PROFILE } = options();

function log(line: string): void {
  console.log(line);
}

function makeWorkloads(ctx: BenchContext): Workload[] {
  return [
    readWorkload(ctx), writeWorkload(ctx), listLongWorkload(ctx), listRecursiveWorkload(ctx),
    smallFilesWorkload(ctx, false), smallFilesWorkload(ctx, true),
    nullWorkload(ctx, 1, Math.ceil(NULL_CALLS / 4)), nullWorkload(ctx, 32, NULL_CALLS), startupWorkload(ctx),
    ...libraryWorkloads(ctx),
  ];
}

/* A micro benchmark of its own file, as a child with this terminal. */
async function micro(name: string, server: StartedGanesha | undefined): Promise<void> {
  const extra = name === 'rpc' && server ? ['--host', server.host, '--port', String(server.ports.nfs)] : [];
  const repArgs = args.string('--reps') !== undefined ? ['--reps', String(REPS)] : [];
  log(`\n== ${name} (bench/${name}.ts)`);
  const child = spawn(process.execPath, [join(HERE, `${name}.js`), ...repArgs, ...extra], { stdio: 'inherit' });
  const code = await new Promise<number | null>((r) => child.once('close', r));
  if (code !== 0) throw new Error(`bench/${name}.ts exited with status ${code}`);
}

function requireTools(): void {
  requireGnuTime();
  for (const t of ['nfs-cat', 'nfs-cp', 'nfs-ls']) {
    if (!['/usr/bin', '/usr/local/bin', '/bin'].some((d) => existsSync(join(d, t)))) {
      throw new Error(`${t} (Debian package libnfs-utils) is missing: run 'bash scripts/ensure-client-tools.sh' (npm run bench's prebench does)`);
    }
  }
}

async function main(): Promise<number> {
  if (args.flag('--list')) {
    log([...WORKLOADS, ...MICRO].join('\n'));
    return 0;
  }
  const known = new Set<string>([...WORKLOADS, ...MICRO]);
  const unknown = (ONLY ?? []).filter((x) => !known.has(x));
  if (unknown.length > 0) throw new Error(`--only: unknown ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  const selected = (name: string): boolean => (ONLY === undefined ? (WORKLOADS as readonly string[]).includes(name) : ONLY.includes(name));
  const wantWorkloads = WORKLOADS.some(selected);
  const needServer = wantWorkloads || selected('rpc');

  if (wantWorkloads) requireTools();
  const machine = machineInfo();
  const shm = '/dev/shm';
  const tmp = mkdtempSync(join(existsSync(shm) ? shm : tmpdir(), 'sonfs-bench-'));
  let server: StartedGanesha | undefined;
  let stopping = false;
  const cleanup = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    rmSync(tmp, { recursive: true, force: true });
    await server?.stop();
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      log(`\n${sig}: stopping the server and removing the files`);
      void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  }

  let failed = 0;
  try {
    for (const m of MICRO) if (selected(m) && m !== 'rpc') await micro(m, undefined);
    if (!needServer) return 0;
    const size = SIZE_MIB * 2 ** 20;
    /*
     * Room for the source file and two written copies. Ganesha keeps recently used files open,
     * so the write workload truncates each copy before removing it (a removed file still open
     * would hold its blocks). tmpfs takes memory only for what is stored.
     */
    const tmpfsGiB = Math.ceil((3 * size) / 2 ** 30) + 1;
    log(`starting ganesha in host network mode (tmpfs /export ${tmpfsGiB}g) ...`);
    server = await startGanesha({ network: 'host', tmpfsSize: `${tmpfsGiB}g`, name: `sonfs-bench-${process.pid}` });
    log(`ganesha on ${server.host}: NFS ${server.ports.nfs}, MOUNT ${server.ports.mount}`);
    if (selected('rpc')) await micro('rpc', server);
    if (!wantWorkloads) return 0;

    const nodeFlags = PROFILE ? ['--cpu-prof', '--cpu-prof-dir', resolve(PROFILE)] : [];
    if (PROFILE) mkdirSync(resolve(PROFILE), { recursive: true });
    const ctx: BenchContext = {
      server, node: [process.execPath, ...nodeFlags], sonfs: [process.execPath, ...nodeFlags, join(HERE, '..', 'cli', 'sonfs.js')],
      benchDir: HERE, libnfs: await libnfsHelper(), tmp, bigBytes: size, log,
    };
    const ganesha = (await serverExec(ctx, 'ganesha.nfsd -v 2>&1 | grep -m1 Release || true')).trim();
    const sonfsClient = await mount(server.url('/export'));
    const sonfsSizes = { ...sonfsClient.limits, maxfilesize: String(sonfsClient.limits.maxfilesize) };
    await sonfsClient.umount();
    let libnfsSizes: unknown = 'path' in ctx.libnfs ? undefined : ctx.libnfs.unavailable;
    if ('path' in ctx.libnfs) libnfsSizes = JSON.parse((await runChild([ctx.libnfs.path, 'info', server.url('/export')], { stdout: 'capture' })).stdout);
    log(`${ganesha}; sonfs rsize/wsize ${sonfsSizes.rsize}/${sonfsSizes.wsize}, READDIRPLUS ${sonfsSizes.dircount}/${sonfsSizes.maxcount}; libnfs ${JSON.stringify(libnfsSizes)}`);

    const results: (WorkloadResult | { name: string; error: string })[] = [];
    for (const w of makeWorkloads(ctx)) {
      if (!selected(w.name)) continue;
      log(`\n== ${w.name}: ${w.title}`);
      try {
        results.push(await runWorkload(w, REPS, log));
      } catch (e) {
        failed++;
        const error = e instanceof Error ? e.message : String(e);
        console.error(`${w.name} FAILED: ${error}`);
        results.push({ name: w.name, error });
      }
    }
    const ok = results.filter((r): r is WorkloadResult => !('error' in r));
    log(`\n${table(ok)}`);
    for (const r of results) if ('error' in r) log(`${r.name}: FAILED: ${r.error}`);
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify({
      date: new Date().toISOString(),
      machine: { ...machine, loadAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
      server: { ganesha, network: 'host', host: server.host, ports: server.ports, export: '/export (tmpfs)' },
      negotiated: { sonfs: sonfsSizes, libnfs: libnfsSizes },
      reps: REPS, quick: QUICK, bigFileBytes: size, nullCalls: NULL_CALLS, profiled: PROFILE !== undefined,
      results,
    }, null, 2)}\n`);
    log(`wrote ${OUT}`);
  } finally {
    await cleanup();
  }
  return failed > 0 ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (e) {
  if (e instanceof EngineUnavailableError) {
    console.error(`bench: no Docker engine: ${e.message}\n(npm run bench's prebench runs scripts/prepare.sh, which installs and starts one on Debian)`);
  } else {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  }
  process.exitCode = 1;
}
