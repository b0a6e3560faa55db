import { randomBytes } from 'node:crypto';
import { expect, onTestFinished } from 'vitest';
import { suiteServer, type SuiteServer } from './server.js';

/**
 * A directory of its own under the shared server's /export, so that tests sharing the server (and
 * concurrent runs) never see each other's files. Created mode 0777, owned by root, through docker
 * exec for now (later through sonfs itself).
 */
export interface ScratchDir {
  /** The directory's name inside /export. */
  readonly name: string;
  /** Its path on the server, '/export/<name>': the NFS path, and the path for server.exec(). */
  readonly path: string;
  /** The server it lives on. */
  readonly server: SuiteServer;
  /** URL of `rel` inside the directory (the directory itself when omitted). */
  url(rel?: string, params?: Record<string, string | number>): string;
  /** Removes the directory and everything in it. */
  remove(): Promise<void>;
}

let counter = 0;

/**
 * Creates a scratch directory for the current test and removes it when the test ends (pass or
 * fail). Call it inside a test; in beforeAll use createScratchDir() and remove it yourself.
 */
export async function scratchDir(label?: string): Promise<ScratchDir> {
  const dir = await createScratchDir(label ?? expect.getState().currentTestName ?? 'scratch');
  onTestFinished(() => dir.remove());
  return dir;
}

/** Creates a scratch directory that the caller removes. `label` becomes part of its name. */
export async function createScratchDir(label = 'scratch'): Promise<ScratchDir> {
  const server = suiteServer();
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'scratch';
  const name = `${safe}-${process.pid}-${++counter}-${randomBytes(3).toString('hex')}`;
  const path = `/export/${name}`;
  const made = await server.exec(['mkdir', '-m', '0777', path]);
  if (made.exitCode !== 0) throw new Error(`could not create scratch directory ${path}: ${made.output.trim()}`);
  return {
    name,
    path,
    server,
    url: (rel, params) => server.url(rel ? `${path}/${rel.replace(/^\/+/, '')}` : path, params),
    async remove() {
      const removed = await server.exec(['rm', '-rf', '--', path]);
      if (removed.exitCode !== 0) throw new Error(`could not remove scratch directory ${path}: ${removed.output.trim()}`);
    },
  };
}
