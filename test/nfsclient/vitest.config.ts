/*
 * Runs the nfsclient unit and fake-server tests alone, without the suite's global setup (which
 * starts the shared NFS server they do not need):  npx vitest run --config test/nfsclient/vitest.config.ts
 * The end-to-end tests against real servers are in test/e2e/nfsclient/ and run with the default config.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/nfsclient/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
