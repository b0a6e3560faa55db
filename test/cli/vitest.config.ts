/*
 * Runs the CLI's unit tests alone, without the suite's global setup (which starts the shared NFS
 * server they do not need):  npx vitest run --config test/cli/vitest.config.ts
 * The end-to-end tests against the suite's server are in test/e2e/cli/ (default config).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/cli/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
