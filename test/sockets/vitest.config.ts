/*
 * Runs the sockets/ tests alone, without the suite's global setup (which starts the shared NFS
 * server these tests do not need):  npx vitest run --config test/sockets/vitest.config.ts
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/sockets/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
