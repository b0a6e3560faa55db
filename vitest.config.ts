import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  /* The package's own entry points (package.json "exports"), as examples/ imports them: the
     sources, one module instance shared with the tests (tsconfig.json's "paths" likewise). */
  resolve: {
    alias: [
      { find: /^sonfs\/sockets\/current$/, replacement: `${root}sockets/current.ts` },
      { find: /^sonfs\/(sockets|rpc|nfsclient|trace|testing)$/, replacement: `${root}$1/index.ts` },
      { find: /^sonfs$/, replacement: `${root}nfsclient/index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
