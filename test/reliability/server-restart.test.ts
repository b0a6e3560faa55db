/*
 * The server dies in the middle of a copy. A ganesha of our own (host network, free ports) with
 * /export on a named volume on the host's tmpfs, so restart() keeps its data and 1 GiB moves
 * quickly (helpers/ganesha.ts):
 *
 * - hard mount: the container is killed (SIGKILL) and restarted while `sonfs cp` copies 1 GiB to
 *   it; cp carries on once the server is back (reconnect, resend, write verifier changed:
 *   uncommitted data written again) and exits 0, and the server's bytes equal the source;
 * - soft mount: the container is killed and left down; cp fails with ETIMEDOUT once its calls'
 *   retransmissions are spent, and — through the library — everything a sync() reported as
 *   written is on the server once it is back;
 * - a write verifier change: a restart between WRITE and COMMIT with the uncommitted range really
 *   lost on the server; the client detects the new verifier and writes exactly that range again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNfsError } from '../../nfsclient/index.js';
import type { NfsClient } from '../../nfsclient/index.js';
import { startSonfs } from './helpers/cli.js';
import { streamBytes, streamDigest, writeStreamFile } from './helpers/data.js';
import { startOwnGanesha } from './helpers/ganesha.js';
import type { OwnServer } from './helpers/ganesha.js';
import { mounted, until } from './helpers/mounts.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const SEED = 7;

/**
 * How long a soft call keeps trying, in ms: timeo (deciseconds) for the first transmission, then
 * doubled for each of the `retrans` retransmissions (rpc/client/rtt.ts backoffTimeout) —
 * nfs(5)'s "timeo × retrans" with the kernel's exponential backoff: 1 s, retrans 2 → 1 + 2 + 4 s.
 */
function softBudgetMs(timeo: number, retrans: number): number {
  return timeo * 100 * (2 ** (retrans + 1) - 1);
}

let own: OwnServer;
let tmp: string;
let src: string;
let srcDigest: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sonfs-restart-'));
  src = join(tmp, 'src.bin');
  [own, srcDigest] = await Promise.all([startOwnGanesha(), writeStreamFile(src, GiB, SEED)]);
}, 180_000);

afterAll(async () => {
  await own?.stop();
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
});

/** The size of a file on the server (-1: none). */
async function serverSize(path: string): Promise<number> {
  const r = await own.server.exec(['stat', '-c', '%s', path]);
  return r.exitCode === 0 ? Number(r.stdout.trim()) : -1;
}

async function serverDigest(path: string): Promise<string> {
  const r = await own.server.exec(['sha256sum', path], 120_000);
  return r.stdout.split(' ')[0]!;
}

describe('the server is killed and restarted in the middle of a 1 GiB sonfs cp', () => {
  it('hard mount: the copy completes once the server is back, and the bytes on the server equal the source', async () => {
    const dst = '/export/hard.bin';
    const t0 = Date.now();
    const cp = startSonfs(['cp', src, own.server.url(dst)], { timeoutMs: 600_000 });
    await until(async () => cp.exited || (await serverSize(dst)) >= 256 * MiB, 300_000, '256 MiB on the server');
    expect(cp.exited, 'cp finished before the restart').toBe(false);
    const before = await serverSize(dst);
    const tKill = Date.now();
    await own.server.restart();
    const down = Date.now() - tKill;
    const r = await cp.done;
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(await serverSize(dst)).toBe(GiB);
    expect(await serverDigest(dst)).toBe(srcDigest);
    console.log(`restart mid-copy (hard): killed at ${(before / MiB).toFixed(0)} MiB, server back after ${down} ms, ` +
      `cp exit 0 after ${r.ms} ms, 1 GiB verified (sha256), test ${Date.now() - t0} ms`);
    await own.server.exec(['rm', '-f', dst]);
  }, 600_000);

  it('soft mount: the copy fails with ETIMEDOUT within its retransmission budget', async () => {
    const dst = '/export/soft.bin';
    /* timeo 1 s, retrans 2: a call is sent at 0 s and again at 1 s and 3 s (backoff), and fails at 7 s. */
    const budget = softBudgetMs(10, 2);
    const cp = startSonfs(['cp', src, own.server.url(dst, { soft: 1, timeo: 10, retrans: 2 })], { timeoutMs: 300_000 });
    await until(async () => cp.exited || (await serverSize(dst)) >= 256 * MiB, 300_000, '256 MiB on the server');
    expect(cp.exited, 'cp finished before the server was killed').toBe(false);
    const tKill = Date.now();
    await own.kill();
    const r = await cp.done;
    const failedAfter = Date.now() - tKill;
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    /* ETIMEDOUT, not ECONNREFUSED: the calls were retransmitted until their budget was spent, not
     * failed at the first refused connection. The test's own timeout bounds how long that took:
     * a WRITE in flight at the kill fails after one budget, and close's COMMIT after another. */
    expect(r.stderr).toMatch(/^sonfs cp: cannot .*'\/export\/soft\.bin': Operation timed out\n$/);
    console.log(`restart mid-copy (soft): cp failed ${failedAfter} ms after the kill (budget ${budget} ms per call): ${r.stderr.trim()}`);
    await own.server.restart();
    await own.server.exec(['rm', '-f', dst]);
  }, 600_000);
});

describe('a soft mount losing its server while writing', () => {
  it('fails with ETIMEDOUT, and nothing a sync() reported as written is lost', async () => {
    const nfs: NfsClient = await mounted(own.server.url('/export'), { soft: true, timeo: 5, retrans: 2 });
    const fh = await nfs.open('/synced.bin', 'w');
    const CHUNK = 4 * MiB;
    let pos = 0;
    let durable = 0;
    let failure: unknown = null;
    let killedAt = -1;
    let tKill = 0;
    try {
      for (;;) {
        await fh.write(streamBytes(SEED, pos, CHUNK), 0, CHUNK, pos);
        pos += CHUNK;
        if (pos % (16 * MiB) === 0) {
          await fh.sync();
          durable = pos; /* reported as written: committed to stable storage */
        }
        if (killedAt < 0 && durable >= 64 * MiB) {
          killedAt = pos;
          tKill = Date.now();
          await own.kill();
        }
        if (pos > 4 * GiB) throw new Error('writes kept succeeding with the server down');
      }
    } catch (e) {
      failure = e;
    }
    const failedAfter = Date.now() - tKill;
    expect(killedAt).toBeGreaterThan(0);
    /* The first WRITE after the kill fails once its retransmissions are spent (see the cp test):
     * an RPC timeout after exactly `retrans` retransmissions, not a refused connection. */
    expect(isNfsError(failure, 'ETIMEDOUT') || isNfsError(failure, 'EIO'), String(failure)).toBe(true);
    let cause: unknown = failure;
    while (cause instanceof Error && cause.name !== 'RpcTimeoutError') cause = cause.cause;
    expect(cause, String(failure)).toMatchObject({ name: 'RpcTimeoutError', retransmits: 2 });
    await fh.close().catch(() => undefined);
    await own.server.restart();
    const again = await mounted(own.server.url('/export'));
    const got = await again.readFile('/synced.bin') as Buffer;
    expect(got.length).toBeGreaterThanOrEqual(durable);
    expect(got.subarray(0, durable).equals(streamBytes(SEED, 0, durable))).toBe(true);
    console.log(`soft mount: ${(durable / MiB).toFixed(0)} MiB synced before the kill, ${(pos / MiB).toFixed(0)} MiB written; ` +
      `${(failure as Error).message} after ${failedAfter} ms (budget ${softBudgetMs(5, 2)} ms); every synced byte verified`);
    await own.server.exec(['rm', '-f', '/export/synced.bin']);
  }, 300_000);
});

describe('a restart between WRITE and COMMIT that really loses the uncommitted data', () => {
  it('is detected by the changed write verifier, and exactly the uncommitted range is written again', async () => {
    const nfs = await mounted(own.server.url('/export'));
    const fh = await nfs.open('/verf.bin', 'w');
    await fh.write(streamBytes(SEED, 0, 40 * MiB), 0, 40 * MiB, 0);
    await fh.sync(); /* 40 MiB committed */
    await fh.write(streamBytes(SEED, 40 * MiB, 24 * MiB), 0, 24 * MiB, 40 * MiB);
    await fh.stat(); /* every WRITE sent and answered UNSTABLE; no COMMIT since */
    const commits = nfs.stats().commits;
    await own.server.restart();
    /* A crash loses what was not committed: zero it (the tmpfs volume would otherwise keep it). */
    const lost = await own.server.exec(['dd', 'if=/dev/zero', 'of=/export/verf.bin', 'bs=1M', 'seek=40', 'count=24', 'conv=notrunc']);
    expect(lost.exitCode, lost.output).toBe(0);
    await fh.close();
    const st = nfs.stats();
    expect(st.commits).toBeGreaterThan(commits);
    expect(st.verifierMismatches).toBe(1);
    expect(st.verifierResends).toBe(24); /* the 24 uncommitted 1 MiB WRITEs, not the committed 40 */
    expect(await serverDigest('/export/verf.bin')).toBe(streamDigest(SEED, 64 * MiB));
    await own.server.exec(['rm', '-f', '/export/verf.bin']);
  }, 300_000);
});
