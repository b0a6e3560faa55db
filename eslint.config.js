/*
 * ESLint, run by `npm run lint` (and so by `npm test`, from pretest). What it enforces:
 * - promises are awaited, returned or explicitly voided, and never passed where a plain
 *   callback is expected (typescript-eslint no-floating-promises, no-misused-promises);
 * - the layering of docs/architecture.md: imports go down only, into a lower layer only through
 *   its index.ts or internal.ts, and never round a cycle (scripts/lint/plugin.mjs).
 * A rule is disabled on a line only with a comment saying why.
 */
import tseslint from 'typescript-eslint';
import sonfs from './scripts/lint/plugin.mjs';

export default [
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin, sonfs },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'sonfs/layers': 'error',
      'sonfs/no-cycle': 'error',
    },
  },
];
