/*
 * Runs the NFSv4 module's codec, fuzz and fake-server tests alone, without the suite's global
 * setup (which starts the shared NFS server they do not need):
 *   npx vitest run --config test/nfs4/vitest.config.ts
 * The end-to-end tests against ganesha are in test/e2e/nfs4/ and run with the default config.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/nfs4/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
