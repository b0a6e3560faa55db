import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The sonfs package root: the nearest ancestor of this module's directory whose package.json is
 * named "sonfs". Found from the module's own location, never from process.cwd(), so it is the same
 * for testing/*.ts run by vitest, for dist/testing/*.js, and for node_modules/sonfs/dist/testing/*.js.
 * Throws if no such directory exists (a broken install).
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readName(manifest) === 'sonfs') {
      root = dir;
      return dir;
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(`sonfs/testing: no package.json named "sonfs" above ${start}; is the package installed intact?`);
}

/** servers/ganesha inside the package: the Docker build context of the test server. */
export function ganeshaContextDir(): string {
  return join(packageRoot(), 'servers', 'ganesha');
}

function readName(manifest: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string') {
      return parsed.name;
    }
  } catch {
    // An unreadable or invalid package.json is simply not ours: keep climbing.
  }
  return undefined;
}
