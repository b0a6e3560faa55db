/*
 * `npm run soak`: the 10-minute soak (test/reliability/soak/soak.ts) alone, against a server of
 * its own (no suite server), with --expose-gc so that heap samples are taken after a collection.
 * SONFS_SOAK_MINUTES (default 10) shortens or lengthens it:  SONFS_SOAK_MINUTES=1 npm run soak
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/reliability/soak/soak.ts'],
    testTimeout: 7_200_000,
    hookTimeout: 180_000,
    pool: 'forks',
    execArgv: ['--expose-gc'],
    /* No Ryuk (its image is on Docker Hub): the soak stops its own server. */
    env: { TESTCONTAINERS_RYUK_DISABLED: process.env['TESTCONTAINERS_RYUK_DISABLED'] ?? 'true' },
  },
});
