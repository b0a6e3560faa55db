import { existsSync } from 'node:fs';
import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';
import { EngineUnavailableError } from './errors.js';

// Ryuk, testcontainers' reaper, is an image from Docker Hub, which these machines cannot reach.
// Without it containers are removed only by our own stop(); labels let leftovers be found
// (see reapOrphans()). Respect an explicit setting.
process.env['TESTCONTAINERS_RYUK_DISABLED'] ??= 'true';

const HOW_TO_GET_ONE =
  'The sonfs test servers need a Docker engine. Either run `bash scripts/prepare.sh` from the sonfs ' +
  'checkout (as root on Debian or Ubuntu it installs docker.io and starts dockerd), or start one yourself ' +
  '(`sudo systemctl start docker`, Docker Desktop, or DOCKER_HOST pointing at a reachable engine).';

/**
 * The container runtime client, once `docker info` (the engine's /info endpoint) has answered.
 * Waits at most `timeoutMs`; otherwise throws EngineUnavailableError saying how to get an engine.
 */
export async function requireEngine(timeoutMs = 30_000): Promise<ContainerRuntimeClient> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EngineUnavailableError(
      `the Docker engine did not answer within ${timeoutMs / 1000} s (${where()}). ${HOW_TO_GET_ONE}`)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([getContainerRuntimeClient(), timeout]);
  } catch (err) {
    if (err instanceof EngineUnavailableError) throw err;
    throw new EngineUnavailableError(`no Docker engine answers (${where()}: ${message(err)}). ${HOW_TO_GET_ONE}`);
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
