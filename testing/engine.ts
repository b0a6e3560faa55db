import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerRuntimeClient } from 'testcontainers';
import { EngineUnavailableError } from './errors.js';
import { packageRoot } from './package-root.js';
import { testcontainers } from './testcontainers.js';

/*
 * Ryuk, testcontainers' reaper, is left as the user has it (TESTCONTAINERS_RYUK_DISABLED): this
 * module sets nothing process-wide. Where Ryuk's image cannot be pulled (no registry, as on the
 * project's own machines), set TESTCONTAINERS_RYUK_DISABLED=true: the fixture's own stop() and
 * reapOrphans() (containers labelled with their owner process) clean up without it. The project's
 * tests, bench and `sonfs demo` opt out so.
 */

function howToGetOne(): string {
  return 'The sonfs test servers need a Docker engine. Either run ' +
    `\`bash ${join(packageRoot(), 'scripts', 'prepare.sh')}\` (as root on Debian or Ubuntu it installs docker.io and starts dockerd), ` +
    'or start one yourself (`sudo systemctl start docker`, Docker Desktop, or DOCKER_HOST pointing at a reachable engine).';
}

/**
 * The container runtime client, once `docker info` (the engine's /info endpoint) has answered.
 * Waits at most `timeoutMs`; otherwise throws EngineUnavailableError saying how to get an engine.
 */
export async function requireEngine(timeoutMs = 30_000): Promise<ContainerRuntimeClient> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EngineUnavailableError(
      `the Docker engine did not answer within ${timeoutMs / 1000} s (${where()}). ${howToGetOne()}`)), timeoutMs);
    timer.unref();
  });
  const { getContainerRuntimeClient } = await testcontainers();
  try {
    return await Promise.race([getContainerRuntimeClient(), timeout]);
  } catch (err) {
    if (err instanceof EngineUnavailableError) throw err;
    throw new EngineUnavailableError(`no Docker engine answers (${where()}: ${message(err)}). ${howToGetOne()}`);
  } finally {
    clearTimeout(timer);
  }
}

function where(): string {
  const host = process.env['DOCKER_HOST'];
  if (host) return `DOCKER_HOST=${host}`;
  return existsSync('/var/run/docker.sock')
    ? '/var/run/docker.sock exists but nothing answers on it'
    : 'no DOCKER_HOST and no /var/run/docker.sock';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
