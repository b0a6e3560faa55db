/*
 * The tour's steps (sonfs demo, what npm start runs) several times in a row against one server:
 * what a user does when they run npm start again, and what made ganesha 4.3's directory cache list
 * in a circle (the same directory made, filled, listed and removed again). With the project's
 * server every run passes; with the directory cache that loops, every run still ends in bounded
 * time — passing, or failing its removal step with ELOOP — and never hangs.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSteps } from '../../../cli/demo/steps.js';
import type { DemoState } from '../../../cli/demo/steps.js';
import { Tour } from '../../../cli/demo/tour.js';
import type { CliIo } from '../../../cli/io.js';
import { Mounts } from '../../../cli/lib/mounts.js';
import { startGanesha } from '../../../testing/index.js';
import type { StartedGanesha } from '../../../testing/index.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** One run of the tour's steps between the server's start and stop. */
async function tourRun(server: StartedGanesha): Promise<{ ok: boolean; out: string; failure: Tour['failure'] }> {
  const out = new Capture();
  const io = { stdout: out, stderr: out, stdin: process.stdin } as unknown as CliIo;
  const state: DemoState = { server, starting: null, mounts: new Mounts() };
  const steps = demoSteps(state, () => Promise.resolve(server));
  expect(steps[0]!.title).toMatch(/^start nfs-ganesha/);
  expect(steps.at(-1)!.title).toMatch(/stop the server$/);
  const tour = new Tour(io);
  try {
    const ok = await tour.run(steps.slice(1, -1));
    return { ok, out: out.text, failure: tour.failure };
  } finally {
    await state.mounts.closeAll();
  }
}

describe('the tour five times in a row against one server', () => {
  let server: StartedGanesha;
  beforeAll(async () => {
    server = await startGanesha();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('passes every time', async () => {
    for (let run = 1; run <= 5; run++) {
      const r = await tourRun(server);
      expect(r.ok, `run ${run}:\n${r.out}`).toBe(true);
      expect(r.out.match(/^ +ok \(/gm)?.length, `run ${run}`).toBe(10);
    }
  }, 240_000);
});

describe('the tour against a ganesha whose directory cache loops (dirChunk 128)', () => {
  let server: StartedGanesha;
  beforeAll(async () => {
    server = await startGanesha({ dirChunk: 128 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('every run ends, passing or failing its removal step with ELOOP; none hangs', async () => {
    const outcomes: string[] = [];
    for (let run = 1; run <= 5; run++) {
      const r = await tourRun(server);
      if (r.ok) {
        outcomes.push('passed');
        continue;
      }
      expect(r.failure?.step, r.out).toMatch(/^remove everything/);
      expect(r.failure?.error, r.out).toMatchObject({ code: 'ELOOP' });
      outcomes.push('ELOOP');
      /* What the failed run left behind, removed by hand for the next one (the loop is in the listing only). */
      const rm = await server.exec('rm -rf /export/sonfs-demo');
      expect(rm.exitCode).toBe(0);
    }
    console.log(`tour against the looping server: ${outcomes.join(', ')}`);
    expect(outcomes).toHaveLength(5);
  }, 240_000);
});
