/*
 * A workload of the side-by-side bench: the same job done by each client ("side"), each side
 * run `reps` times, alternating which goes first, after one untimed run per side that also
 * checks its output. Figures are summarised per side and metric; ratios are sonfs / libnfs of
 * each repetition's pair (so one slow moment of the machine hits both sides of a pair).
 */
import { summarize } from './stats.js';
import type { Summary } from './stats.js';

export interface Metric {
  key: string;
  unit: string;
}

/** What one run of one side measured. */
export interface SideResult {
  metrics: Record<string, number>;
  /** Wall time of the run (of the child process, for CLI workloads). */
  seconds: number;
  /** Peak RSS of the process doing the work, KiB. */
  peakRssKiB: number;
}

export interface Side {
  /** 'sonfs' or 'libnfs' (the ratio is sonfs / libnfs). */
  client: 'sonfs' | 'libnfs';
  /** The command it runs, as recorded in the JSON. */
  command: string;
  /** One timed run (output checked where cheap). */
  run(rep: number): Promise<SideResult>;
  /** One untimed run whose output is checked in full (a fast wrong answer must not win). */
  verify(): Promise<void>;
}

export interface Targets {
  /** sonfs / libnfs of the first metric, at least. */
  ratio?: number;
  /** sonfs's peak RSS at most, MiB. */
  peakRssMiB?: number;
}

export interface Workload {
  name: string;
  title: string;
  metrics: Metric[];
  targets?: Targets;
  /** Printed under the table and kept in the JSON. */
  note?: string;
  setup(): Promise<void>;
  /** The sides, once set up; a side that cannot run here is left out and `unavailable` says why. */
  sides(): Side[];
  unavailable?: string;
  teardown(): Promise<void>;
}

export interface SideSummary {
  client: string;
  command: string;
  metrics: Record<string, Summary>;
  seconds: Summary;
  peakRssMiB: Summary;
}

export interface WorkloadResult {
  name: string;
  title: string;
  metrics: Metric[];
  targets?: Targets;
  note?: string;
  unavailable?: string;
  reps: number;
  sides: SideSummary[];
  /** Per metric: sonfs / libnfs of each repetition, summarised. */
  ratios: Record<string, Summary>;
  /** Whether each target was met (ratio: median of the paired ratios; RSS: the largest run). */
  met: Record<string, boolean>;
}

export async function runWorkload(w: Workload, reps: number, log: (line: string) => void): Promise<WorkloadResult> {
  await w.setup();
  try {
    const sides = w.sides();
    for (const s of sides) {
      log(`  ${w.name}: checking ${s.client}'s output (untimed)`);
      await s.verify();
    }
    const runs = new Map<Side, SideResult[]>(sides.map((s) => [s, []]));
    for (let rep = 0; rep < reps; rep++) {
      const order = rep % 2 === 0 ? sides : [...sides].reverse();
      for (const s of order) {
        const r = await s.run(rep);
        runs.get(s)!.push(r);
        log(`  ${w.name} #${rep + 1} ${s.client.padEnd(6)} ${w.metrics.map((m) => `${fmt(r.metrics[m.key]!)} ${m.unit}`).join(', ')}` +
          `  (${r.seconds.toFixed(2)} s, peak RSS ${(r.peakRssKiB / 1024).toFixed(0)} MiB)`);
      }
    }
    const summaries: SideSummary[] = sides.map((s) => {
      const rs = runs.get(s)!;
      return {
        client: s.client,
        command: s.command,
        metrics: Object.fromEntries(w.metrics.map((m) => [m.key, summarize(rs.map((r) => r.metrics[m.key]!))])),
        seconds: summarize(rs.map((r) => r.seconds)),
        peakRssMiB: summarize(rs.map((r) => r.peakRssKiB / 1024)),
      };
    });
    const so = sides.find((s) => s.client === 'sonfs');
    const ln = sides.find((s) => s.client === 'libnfs');
    const ratios: Record<string, Summary> = {};
    if (so && ln) {
      for (const m of w.metrics) {
        const a = runs.get(so)!;
        const b = runs.get(ln)!;
        ratios[m.key] = summarize(a.map((r, i) => r.metrics[m.key]! / b[i]!.metrics[m.key]!));
      }
    }
    const met: Record<string, boolean> = {};
    const first = w.metrics[0]!.key;
    if (w.targets?.ratio !== undefined && ratios[first]) met.ratio = ratios[first].median >= w.targets.ratio;
    const soSummary = summaries.find((s) => s.client === 'sonfs');
    if (w.targets?.peakRssMiB !== undefined && soSummary) met.peakRss = soSummary.peakRssMiB.max <= w.targets.peakRssMiB;
    return {
      name: w.name, title: w.title, metrics: w.metrics, targets: w.targets, note: w.note, unavailable: w.unavailable,
      reps, sides: summaries, ratios, met,
    };
  } finally {
    await w.teardown();
  }
}

/** 1234567 → "1234567", 12.345 → "12.3", 1.2345 → "1.23". */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1000 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}
