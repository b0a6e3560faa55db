#!/usr/bin/env node
/*
 * npm run test:repeat -- N [vitest filters...]
 *
 * Runs the end-to-end suite (the tests against real servers: test/e2e, test/reliability, and the
 * trace and CLI tests that start ganesha) N times in a row, then reports every test that failed
 * in any run, with the runs it failed in: a flake shows up as a test failing in some runs and not
 * others. Exits 1 if any test failed in any run. Extra arguments narrow the files, as for vitest.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const n = Number(args[0] ?? '');
if (!Number.isInteger(n) || n < 1) {
  console.error('usage: npm run test:repeat -- N [test files or filters]');
  process.exit(2);
}
const filters = args.length > 1 ? args.slice(1) : ['test/e2e', 'test/reliability', 'test/trace/ganesha.test.ts'];
const dir = mkdtempSync(join(tmpdir(), 'sonfs-repeat-'));
const failures = new Map(); /* test name -> runs it failed in */
const seen = new Set();
const summary = [];
try {
  for (let run = 1; run <= n; run++) {
    const out = join(dir, `run-${run}.json`);
    const t0 = Date.now();
    const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...filters], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const secs = ((Date.now() - t0) / 1000).toFixed(0);
    let report;
    try {
      report = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      summary.push(`run ${run}: no report (vitest exited with status ${r.status ?? r.signal}) after ${secs} s`);
      failures.set('(the run itself)', [...(failures.get('(the run itself)') ?? []), run]);
      continue;
    }
    let failed = 0;
    for (const file of report.testResults ?? []) {
      if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
        const name = `${file.name}: ${file.message ?? 'failed to run'}`.slice(0, 300);
        failures.set(name, [...(failures.get(name) ?? []), run]);
        failed++;
      }
      for (const t of file.assertionResults ?? []) {
        const name = `${file.name.replace(`${process.cwd()}/`, '')} > ${t.fullName}`;
        seen.add(name);
        if (t.status === 'failed') {
          failures.set(name, [...(failures.get(name) ?? []), run]);
          failed++;
        }
      }
    }
    summary.push(`run ${run}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + (report.numTodoTests ?? 0)} skipped, in ${secs} s`);
    if (failed === 0 && r.status !== 0) failures.set(`(run ${run} exited with status ${r.status})`, [run]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\n${n} runs of ${filters.join(' ')} (${seen.size} tests):`);
for (const line of summary) console.log(`  ${line}`);
if (failures.size === 0) {
  console.log('no test failed in any run');
  process.exit(0);
}
console.log('failed:');
for (const [name, runs] of failures) console.log(`  ${name}\n    in run${runs.length > 1 ? 's' : ''} ${runs.join(', ')} of ${n}`);
process.exit(1);
