/* The side-by-side table printed at the end of bench/run.ts. */
import { fmt } from './workload.js';
import type { WorkloadResult } from './workload.js';
import type { Summary } from './stats.js';

function range(s: Summary): string {
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

export function table(results: readonly WorkloadResult[]): string {
  const rows: string[][] = [['workload', 'metric', 'sonfs median (min–max)', 'libnfs median (min–max)', 'ratio (min–max)', 'target', 'peak RSS MiB sonfs / libnfs']];
  for (const r of results) {
    const so = r.sides.find((s) => s.client === 'sonfs');
    const ln = r.sides.find((s) => s.client === 'libnfs');
    r.metrics.forEach((m, i) => {
      const ratio = r.ratios[m.key];
      let target = '';
      if (i === 0 && r.targets?.ratio !== undefined) target = `≥${r.targets.ratio} ${r.met.ratio ? 'met' : 'MISSED'}`;
      if (i === 0 && r.targets?.peakRssMiB !== undefined) target += `${target ? '; ' : ''}RSS ≤${r.targets.peakRssMiB} ${r.met.peakRss ? 'met' : 'MISSED'}`;
      rows.push([
        i === 0 ? r.name : '',
        `${m.key} (${m.unit})`,
        so ? range(so.metrics[m.key]!) : '—',
        ln ? range(ln.metrics[m.key]!) : 'n/a',
        ratio ? `${ratio.median.toFixed(2)} (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})` : '—',
        target,
        i === 0 ? `${so ? fmt(so.peakRssMiB.max) : '—'} / ${ln ? fmt(ln.peakRssMiB.max) : '—'}` : '',
      ]);
    });
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const notes = results.flatMap((r) => [
    ...(r.note ? [`${r.name}: ${r.note}`] : []),
    ...(r.unavailable ? [`${r.name}: ${r.unavailable}`] : []),
  ]);
  return [...lines, '', 'ratio = sonfs / libnfs of each repetition\'s pair (higher is better for sonfs); peak RSS = the largest of the timed runs.', ...notes].join('\n');
}
