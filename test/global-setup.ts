import type { TestProject } from 'vitest/node';

/*
 * testcontainers' reaper, Ryuk, is an image from Docker Hub, which the project's machines cannot
 * reach: the suite opts out (sonfs/testing leaves the choice to its users) and cleans up itself
 * (every server is stopped by its test; reapOrphans() removes those of dead runs). Set here, in the
 * main process, before the test workers are forked, so that they inherit it.
 */
process.env['TESTCONTAINERS_RYUK_DISABLED'] ??= 'true';
import { acquireSuiteServer } from './helpers/suite-server.js';

/**
 * Starts (or joins) the one nfs-ganesha server the suite shares, and provides where it is as
 * inject('ganesha') (read it through suiteServer() in test/helpers/server.ts). The server runs in
 * host network mode on 127.0.0.1: rpcbind 111, NFS 2049, MOUNT 20048; see test/helpers/suite-server.ts
 * for why, and for how concurrent runs share it. With no Docker engine, or with those ports taken,
 * setup fails with a message saying what to do: the suite never silently runs without its server.
 * The type of inject('ganesha') is declared in test/helpers/server.ts (ProvidedContext).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const lease = await acquireSuiteServer();
  project.provide('ganesha', lease.info);
  if (process.env['SONFS_VERBOSE_SETUP']) {
    console.log(`sonfs: shared ganesha ${lease.info.containerName} ready in ${Date.now() - started} ms`);
  }
  return () => lease.release();
}
