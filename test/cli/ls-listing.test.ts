/*
 * The pieces ls -l and ls -R are built from: the long format's lines, the per-listing date
 * strings, and Ahead (listings fetched ahead of the one being printed, in depth-first order).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { longLines } from '../../cli/commands/ls.js';
import { columns, lsDate, lsDates, modeString } from '../../cli/lib/format.js';
import { Ahead } from '../../cli/lib/pool.js';

const SIX_MONTHS_MS = (365.2425 / 2) * 24 * 3600 * 1000;

describe('lsDates', () => {
  test('gives what lsDate gives, around the six-month and the future boundaries and within one second', () => {
    const now = new Date(2025, 6, 15, 12, 30, 45, 500).getTime();
    const date = lsDates(now);
    const times: number[] = [];
    for (const base of [now, now - SIX_MONTHS_MS, now - 1000, now + 1, 0, new Date(2000, 0, 1).getTime()]) {
      for (const d of [-1001, -1000, -999, -500, -1, 0, 1, 499, 999, 1000, 60_000]) times.push(Math.max(0, base + d));
    }
    for (const t of [...times, ...times]) expect(date(t), String(t)).toBe(lsDate(t, now));
  });
});

describe('longLines', () => {
  const st = (mode: number, size: number, nlink = 1, rdev = 0) => ({
    mode, nlink, uid: 1000, gid: 100, rdev, size, blocks: 0, mtimeMs: new Date(2025, 0, 2, 3, 4).getTime(),
  });

  test('lines as columns() aligns them: mode and date left, numbers right, device numbers, link targets', () => {
    const now = new Date(2025, 2, 1).getTime();
    const entries = [
      { name: 'a', st: st(0o100644, 5), isDir: false },
      { name: 'dir', st: st(0o040755, 4096, 12), isDir: true },
      { name: 'tty', st: st(0o020620, 0, 1, (4 << 8) | 1), isDir: false },
      { name: 'ln', st: st(0o120777, 1), isDir: false, target: 'a' },
    ];
    const rows = entries.map((e) => [
      modeString(e.st.mode), String(e.st.nlink), '1000', '100',
      e.name === 'tty' ? '4, 1' : String(e.st.size), lsDate(e.st.mtimeMs, now), e.target === undefined ? e.name : `${e.name} -> ${e.target}`,
    ]);
    expect(longLines(entries, now)).toEqual(columns(rows, new Set([0, 5, 6])));
    expect(longLines(entries, now)[3]).toBe('lrwxrwxrwx  1 1000 100    1 Jan  2 03:04 ln -> a');
    expect(longLines([], now)).toEqual([]);
  });
});

/* A controllable piece of work per node: resolve or reject it by id. */
function works() {
  const started: string[] = [];
  const pending = new Map<string, { resolve: (v: string) => void; reject: (e: Error) => void }>();
  const run = (id: string): Promise<string> => new Promise((resolve, reject) => {
    started.push(id);
    pending.set(id, { resolve, reject });
  });
  return { started, pending, run };
}

describe('Ahead', () => {
  test('starts offered nodes earliest depth-first position first, at most `window` not yet taken', async () => {
    const w = works();
    const ahead = new Ahead<string>(w.run, 2);
    ahead.offer('b', [1]);
    ahead.offer('c', [2]);
    ahead.offer('a/x', [0, 0]);
    ahead.offer('a', [0]);
    expect(w.started).toEqual(['b', 'c']); /* the window filled before 'a' was offered */
    const b = ahead.take('b', [1]);
    expect(w.started).toEqual(['b', 'c', 'a']); /* a place freed: the earliest offered, 'a' [0] before 'a/x' [0, 0] */
    w.pending.get('b')!.resolve('B');
    expect(await b).toBe('B');
    const x = ahead.take('a/x', [0, 0]); /* not started: started now, whatever the window */
    expect(w.started).toEqual(['b', 'c', 'a', 'a/x']);
    w.pending.get('a/x')!.resolve('X');
    expect(await x).toBe('X');
    for (const id of ['a', 'c']) w.pending.get(id)!.resolve(id);
    await ahead.settle();
    expect(w.started).toEqual(['b', 'c', 'a', 'a/x']); /* 'a/x', taken already, is not started again */
  });

  test('with room for one, nodes start in depth-first order whatever order they were offered in', async () => {
    fc.assert(fc.property(fc.uniqueArray(fc.array(fc.nat(5), { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 40, selector: (p) => p.join('.') }), (positions) => {
      const w = works();
      const ahead = new Ahead<string>(w.run, 1);
      for (const p of positions) ahead.offer(p.join('.'), p);
      /* The first offered started at once; each take frees the place for the earliest left. */
      for (let k = 0; k < positions.length; k++) {
        const id = w.started[k]!;
        void ahead.take(id, id.split('.').map(Number));
      }
      const rest = positions.slice(1).map((p) => p.join('.'));
      const dfs = (a: string, b: string): number => {
        const x = a.split('.').map(Number);
        const y = b.split('.').map(Number);
        for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
        return x.length - y.length;
      };
      expect(w.started).toEqual([positions[0]!.join('.'), ...rest.sort(dfs)]);
    }), { seed: 0x5eed, numRuns: 200 });
  });

  test('a failure reaches whoever takes the result, and settle() waits for what is running', async () => {
    const w = works();
    const ahead = new Ahead<string>(w.run, 4);
    ahead.offer('p', [0]);
    ahead.offer('q', [1]);
    w.pending.get('p')!.reject(new Error('no such directory'));
    await new Promise((r) => setImmediate(r)); /* an unhandled rejection would surface here */
    await expect(ahead.take('p', [0])).rejects.toThrow('no such directory');
    let settled = false;
    const s = ahead.settle().then(() => { settled = true; });
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false); /* 'q' is still running */
    ahead.offer('r', [2]);
    expect(w.started).toEqual(['p', 'q']); /* nothing new starts once settling */
    w.pending.get('q')!.resolve('Q');
    await s;
    expect(settled).toBe(true);
  });
});
