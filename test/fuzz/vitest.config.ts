/*
 * `npm run fuzz`: the fuzz properties of test/fuzz/ run long, without the suite's NFS server
 * (they need none): SONFS_FUZZ_RUNS scales every property's runs (here 100 × the count npm test
 * uses), with a fresh seed per run printed at the end — replay a failure with SONFS_FUZZ_SEED=<seed>.
 * Both can be overridden from the environment:  SONFS_FUZZ_RUNS=3000 npm run fuzz
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/fuzz/**/*.test.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { SONFS_FUZZ_RUNS: process.env['SONFS_FUZZ_RUNS'] ?? '30000' },
  },
});
