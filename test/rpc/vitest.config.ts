/*
 * Runs the rpc/ loopback and codec tests alone, without the suite's global setup (which starts
 * the shared NFS server they do not need):  npx vitest run --config test/rpc/vitest.config.ts
 * The end-to-end tests against real servers are in test/e2e/rpc/ and run with the default config.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/rpc/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
