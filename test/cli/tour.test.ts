import { describe, expect, test } from 'vitest';
import { Tour } from '../../cli/demo/tour.js';
import { capture } from './helpers.js';

describe("the demo's step runner", () => {
  test('runs the steps in order, their details indented, each ending with ok', async () => {
    const c = capture();
    const tour = new Tour(c.io);
    const ran: string[] = [];
    const ok = await tour.run([
      { title: 'one', run: async (log) => { ran.push('one'); log('detail'); } },
      { title: 'two', run: async () => { ran.push('two'); } },
    ]);
    expect(ok).toBe(true);
    expect(ran).toEqual(['one', 'two']);
    expect(c.stdout.text).toMatch(/^\[1\/2\] one\n {6}detail\n {6}ok \(\d+ ms\)\n\[2\/2\] two\n {6}ok \(\d+ ms\)\n$/);
  });

  test('a failing step ends the tour: reported on stdout and stderr, later steps not run', async () => {
    const c = capture();
    const tour = new Tour(c.io);
    const ran: string[] = [];
    const ok = await tour.run([
      { title: 'breaks', run: async () => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); } },
      { title: 'never', run: async () => { ran.push('never'); } },
    ]);
    expect(ok).toBe(false);
    expect(ran).toEqual([]);
    expect(c.stdout.text).toContain('FAILED: No such file or directory');
    expect(c.stderr.text).toBe('sonfs demo: step 1 (breaks) failed: No such file or directory\n');
    expect(tour.failure?.step).toBe('breaks');
  });

  test('a step over its time limit fails, and what it logs afterwards is not printed', async () => {
    const c = capture();
    const tour = new Tour(c.io);
    let late: (() => void) | undefined;
    const ok = await tour.run([{
      title: 'slow', limitMs: 20,
      run: (log) => new Promise<void>((resolve) => { late = () => { log('too late'); resolve(); }; }),
    }]);
    late!();
    expect(ok).toBe(false);
    expect(c.stdout.text).toContain('FAILED: gave up after 0.02 s');
    expect(c.stdout.text).not.toContain('too late');
  });

  test('interrupt() ends the step in progress and the tour', async () => {
    const c = capture();
    const tour = new Tour(c.io);
    const ran: string[] = [];
    const p = tour.run([
      { title: 'waits', run: () => new Promise<void>(() => undefined) },
      { title: 'never', run: async () => { ran.push('never'); } },
    ]);
    setTimeout(() => tour.interrupt('interrupted (SIGINT)'), 10);
    expect(await p).toBe(false);
    expect(tour.interrupted).toBe(true);
    expect(ran).toEqual([]);
    expect(c.stdout.text).toContain('FAILED: interrupted (SIGINT)');
  });
});
