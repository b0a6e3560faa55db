/*
 * testcontainers is an optional peer dependency of sonfs: only sonfs/testing and `sonfs demo` use
 * it, so `import { mount } from 'sonfs'` installs and loads nothing of it. It is imported here, on
 * first use (a server started, an engine looked for); where it is not installed, that use fails
 * with a MissingDependencyError saying what to install. Everything else in testing/ imports its
 * types only.
 */
import type * as Testcontainers from 'testcontainers';
import { MissingDependencyError } from './errors.js';

/** The version line sonfs/testing is written and tested against (Node 20: testcontainers 12 needs Node 22). */
export const TESTCONTAINERS_RANGE = '^11.14.0';

let loaded: Promise<typeof Testcontainers> | undefined;

/** The testcontainers module. @throws MissingDependencyError when it cannot be imported. */
export function testcontainers(): Promise<typeof Testcontainers> {
  loaded ??= import('testcontainers').catch((err: unknown) => {
    loaded = undefined;
    const code = (err as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new MissingDependencyError(
      `sonfs/testing (and sonfs demo) run nfs-ganesha through testcontainers, an optional peer dependency that is not installed: ` +
      `npm install --save-dev testcontainers@'${TESTCONTAINERS_RANGE}'`, { cause: err });
  });
  return loaded;
}
