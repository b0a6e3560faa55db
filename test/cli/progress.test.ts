import { describe, expect, test } from 'vitest';
import { Progress, REDRAW_MS } from '../../cli/lib/progress.js';

function tty(columns = 100): { isTTY: boolean; columns: number; out: string[]; write(s: string): void } {
  const t = { isTTY: true, columns, out: [] as string[], write(s: string) { t.out.push(s); } };
  return t;
}

describe('the progress bar', () => {
  test('draws nothing at all when the stream is not a terminal', () => {
    const out: string[] = [];
    const p = new Progress({ isTTY: false, write: (s: string) => out.push(s) }, 'f', 100, () => 0);
    p.update(50);
    p.finish(100);
    p.clear();
    expect(out).toEqual([]);
    expect(p.enabled).toBe(false);
  });

  test('redraws at most once per REDRAW_MS however often it is updated', () => {
    let now = 0;
    const t = tty();
    const p = new Progress(t, 'big', 10_000_000, () => now);
    for (let i = 1; i <= 1000; i++) {
      now += 3; /* 3 s of updates every 3 ms */
      p.update(i * 10_000);
    }
    expect(p.draws).toBeLessThanOrEqual(Math.ceil(3000 / REDRAW_MS) + 1);
    expect(p.draws).toBeGreaterThanOrEqual(Math.floor(3000 / REDRAW_MS) - 1);
  });

  test('shows the percentage, bytes, rate and ETA, redrawn in place within the terminal width', () => {
    let now = 0;
    const t = tty(80);
    const p = new Progress(t, '/export/a/rather/long/name/of/a/file.bin', 4 * 1024 * 1024, () => now);
    now = 1000;
    p.update(1024 * 1024);
    const line = t.out.at(-1)!;
    expect(line.startsWith('\r')).toBe(true);
    expect(line.endsWith('\x1b[K')).toBe(true);
    const text = line.slice(1, -3);
    expect(text.length).toBeLessThanOrEqual(79);
    expect(text).toContain(' 25%');
    expect(text).toContain('1.0 MiB');
    expect(text).toContain('1.0 MiB/s');
    expect(text).toContain('ETA 0:03');
    expect(text).toContain('file.bin');
  });

  test('finish() draws 100 % with the elapsed time and ends the line', () => {
    let now = 0;
    const t = tty();
    const p = new Progress(t, 'f', 2048, () => now);
    now = 2000;
    p.finish(2048);
    expect(t.out.at(-1)).toBe('\n');
    expect(t.out.at(-2)).toMatch(/100% .* 0:02/);
  });
});
