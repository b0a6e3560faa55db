/*
 * sonfs demo: what `npm start` runs — a tour of sonfs against a server of its own.
 *
 * Starts nfs-ganesha + rpcbind in Docker (sonfs/testing's startGanesha, ports published on
 * 127.0.0.1 and picked free, so a test suite's server on 111/2049/20048 is undisturbed), then
 * the steps of demo/steps.ts: portmapper and export list, mount, a 32 MiB write and read-back
 * with SHA-256, small files, a link, a rename, a listing, removal, the read-only export, free
 * space, the client's statistics, unmount and stop.
 *
 * The server is stopped whatever happens: a failed step, an exception, Ctrl-C or SIGTERM (the
 * step in progress is abandoned, the mounts closed, the container stopped and removed; a second
 * Ctrl-C while that happens is ignored, with a note). Exit status 0 only if every step
 * succeeded; 1 if one failed; 130 after Ctrl-C (143 after SIGTERM).
 */
import type { Command } from '../io.js';
import { UsageError } from '../io.js';
import { helpText } from '../lib/args.js';
import { Mounts } from '../lib/mounts.js';
import { demoSteps } from '../demo/steps.js';
import type { DemoState } from '../demo/steps.js';
import { Tour } from '../demo/tour.js';

const USAGE = 'sonfs demo';
const DESCRIPTION = `
A tour of sonfs: start nfs-ganesha in Docker (published on 127.0.0.1, free ports), mount it,
write, read back and verify, list, rename, remove, read the read-only export, show the
client's statistics, unmount and stop the server. Needs a Docker engine (npm start provisions
it). Exits 0 only if every step succeeded; the server is stopped even on failure or Ctrl-C.`;

/** Bound on the cleanup after a failure (unmount, then stop the container). */
const CLEANUP_MS = 30_000;

function bounded<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); })])
    .finally(() => clearTimeout(timer));
}

export const demo: Command = {
  summary: 'a tour against a containerised nfs-ganesha of its own (what npm start runs)',
  usage: USAGE,
  async run(args, io, globals) {
    if (args.includes('--help')) {
      io.stdout.write(helpText(USAGE, DESCRIPTION));
      return 0;
    }
    if (args.length > 0) throw new UsageError(`demo takes no arguments (got ${args.join(' ')})`);
    const tour = new Tour(io);
    const state: DemoState = { server: null, starting: null, mounts: new Mounts(globals) };
    let signal: NodeJS.Signals | null = null;
    const onSignal = (sig: NodeJS.Signals): void => {
      if (signal !== null) {
        io.stderr.write(`sonfs demo: still stopping the server, please wait\n`);
        return;
      }
      signal = sig;
      io.stderr.write(`\nsonfs demo: ${sig}: stopping\n`);
      tour.interrupt(`interrupted (${sig})`);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const t0 = performance.now();
    let ok = false;
    try {
      tour.say('sonfs demo: a tour of the NFSv3 client (RFC 1813) on its own RPC and socket layers, against nfs-ganesha in Docker');
      tour.say('');
      const { startGanesha } = await import('../../testing/index.js');
      ok = await tour.run(demoSteps(state, () => startGanesha({ labels: { 'sonfs.demo': String(process.pid) } })));
    } finally {
      if (!ok) {
        tour.say('cleaning up: unmounting and stopping the server');
        await bounded(state.mounts.closeAll().catch(() => undefined), CLEANUP_MS);
        /* A start still in progress (Ctrl-C during it) is waited for, so its container is stopped too. */
        const server = state.server ?? await state.starting?.catch(() => null) ?? null;
        await bounded(server?.stop().catch((e: unknown) => {
          io.stderr.write(`sonfs demo: could not stop the server (container ${server.containerId.slice(0, 12)}): ${(e as Error).message}\n`);
        }) ?? Promise.resolve(), CLEANUP_MS);
      }
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    if (ok) {
      tour.say('');
      tour.say(`sonfs demo: every step succeeded in ${secs} s`);
      return 0;
    }
    tour.say(`sonfs demo: stopped after ${secs} s`);
    if (signal === 'SIGINT') return 130;
    if (signal === 'SIGTERM') return 143;
    return 1;
  },
};
