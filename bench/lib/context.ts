/*
 * What every workload of bench/run.ts shares: the server (ganesha in host network mode), how to
 * run each client, the local scratch directory, and the 1 GiB source file — made once per run,
 * locally and on the server, with its SHA-256 checked on both.
 */
import { join } from 'node:path';
import type { StartedGanesha } from '../../testing/index.js';
import { runChild } from './child.js';
import { makeBigFile } from './data.js';
import type { LibnfsHelper } from './libnfs-helper.js';

export interface BenchContext {
  server: StartedGanesha;
  /** node and its flags (--cpu-prof ... when profiling) for sonfs processes. */
  node: readonly string[];
  /** argv prefix of the sonfs CLI: node, flags, dist/cli/sonfs.js. */
  sonfs: readonly string[];
  /** dist/bench, where the in-process workload programs are. */
  benchDir: string;
  libnfs: LibnfsHelper;
  /** Local scratch directory (removed at the end). */
  tmp: string;
  /** Size of the big file (1 GiB unless --size). */
  bigBytes: number;
  log(line: string): void;
  /** Filled by bigFile(). */
  big?: { local: string; sha256: string; onServer: boolean };
}

/** Both clients' URL of `path` on the server: NFSv3, explicit NFS and MOUNT ports. */
export function urlOf(ctx: BenchContext, path: string): string {
  return ctx.server.url(path);
}

/** Runs a shell command in the server's container; rejects on a non-zero status. */
export async function serverExec(ctx: BenchContext, cmd: string, timeoutMs = 300_000): Promise<string> {
  const r = await ctx.server.exec(cmd, timeoutMs);
  if (r.exitCode !== 0) throw new Error(`in the server container: ${cmd}: status ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** SHA-256 of a file in the server's export, computed in the container. */
export async function serverSha256(ctx: BenchContext, path: string): Promise<string> {
  return (await serverExec(ctx, `sha256sum ${path}`)).split(/\s/)[0]!;
}

export const BIG_ON_SERVER = '/export/big.bin';

/**
 * The big source file: made locally (deterministic bytes) on first use; with `onServer`, also
 * copied to /export/big.bin with libnfs's nfs-cp (a third-party client, so neither side's
 * writer makes the other's input) and checked there.
 */
export async function bigFile(ctx: BenchContext, onServer: boolean): Promise<{ local: string; sha256: string }> {
  if (ctx.big === undefined) {
    const local = join(ctx.tmp, 'big.bin');
    ctx.log(`  making the ${ctx.bigBytes / 2 ** 20} MiB source file ${local}`);
    ctx.big = { local, sha256: await makeBigFile(local, ctx.bigBytes), onServer: false };
  }
  if (onServer && !ctx.big.onServer) {
    ctx.log(`  copying it to ${BIG_ON_SERVER} (nfs-cp)`);
    await serverExec(ctx, `rm -f ${BIG_ON_SERVER}`);
    await runChild(['nfs-cp', ctx.big.local, urlOf(ctx, BIG_ON_SERVER)], { stdout: 'null' });
    const sum = await serverSha256(ctx, BIG_ON_SERVER);
    if (sum !== ctx.big.sha256) throw new Error(`${BIG_ON_SERVER} on the server has SHA-256 ${sum}, expected ${ctx.big.sha256}`);
    ctx.big.onServer = true;
  }
  return ctx.big;
}
