import type { ContainerRuntimeClient } from 'testcontainers';
import { readContainerLog } from './container-logs.js';
import { requireEngine } from './engine.js';
import {
  DEFAULT_STARTUP_TIMEOUT_MS, LABELS, SERVER_HOST, type ExecResult, type GaneshaNetwork, type GaneshaPorts,
} from './ganesha-types.js';
import { releasePorts } from './ports.js';
import { GaneshaReady, HEALTHCHECK } from './readiness.js';
import { nfsUrl } from './url.js';

/**
 * A running ganesha container. `host` is always 127.0.0.1; `ports` are host ports, each valid for
 * TCP and UDP. Methods are safe to call concurrently with NFS traffic; stop() is idempotent.
 */
export class StartedGanesha {
  readonly host = SERVER_HOST;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly client: ContainerRuntimeClient,
    readonly containerId: string,
    readonly image: string,
    readonly network: GaneshaNetwork,
    readonly ports: GaneshaPorts,
    /** The named volume behind /export that stop() removes, if the fixture created it. */
    readonly ownedVolume: string | undefined,
    private readonly startupTimeoutMs = DEFAULT_STARTUP_TIMEOUT_MS,
  ) {}

  /**
   * A libnfs-style URL for `path` on this server ('/export', '/export/dir/file', '/ro', ...), with the
   * NFS and MOUNT ports and NFSv3 unless `params` says otherwise.
   */
  url(path = '/export', params: Record<string, string | number> = {}): string {
    return nfsUrl(this.host, this.ports, path, params);
  }

  /**
   * Runs a command in the container as root: an argv array as is, a string through `bash -c`.
   * Resolves with its exit status and output (never rejects on a non-zero status); rejects if it
   * has not finished within `timeoutMs` (default 60 s).
   */
  async exec(command: string | readonly string[], timeoutMs = 60_000): Promise<ExecResult> {
    const argv = typeof command === 'string' ? ['bash', '-c', command] : [...command];
    const container = this.client.container.getById(this.containerId);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`exec ${JSON.stringify(argv)} did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.client.container.exec(container, argv, { log: false }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Kills the container (SIGKILL: ganesha gets no chance to clean up, as in a crash) and starts it
   * again with the same ports and the same /export volume, then waits until it is ready. Clients
   * see their connections reset and can reconnect to the same ports. A tmpfs /export comes back
   * empty; /ro is seeded again. Rejects with GaneshaStartError if the server does not come back.
   */
  async restart(): Promise<void> {
    const container = this.client.container.dockerode.getContainer(this.containerId);
    try {
      await container.kill({ signal: 'SIGKILL' });
    } catch (err) {
      if (statusOf(err) !== 409) throw err; // 409: not running, nothing to kill
    }
    await container.wait({ condition: 'not-running' });
    await container.start();
    const startedAt = new Date((await container.inspect()).State.StartedAt);
    await new GaneshaReady(this.client).withStartupTimeout(this.startupTimeoutMs)
      .waitUntilReady(this.client.container.getById(this.containerId), undefined, startedAt);
  }

  /** The whole container log so far: the entrypoint's lines and ganesha's. */
  logs(): Promise<string> {
    return readContainerLog(this.client, this.containerId);
  }

  /** True if the image's health check passes now. */
  async healthy(): Promise<boolean> {
    try {
      return (await this.exec(HEALTHCHECK, 15_000)).exitCode === 0;
    } catch {
      return false;
    }
  }

  /**
   * Stops ganesha (SIGTERM, clean shutdown, SIGKILL after 5 s), removes the container and the
   * volume the fixture created. Idempotent; leaves nothing behind.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const container = this.client.container.dockerode.getContainer(this.containerId);
      try {
        await container.stop({ t: 5 });
      } catch (err) {
        if (statusOf(err) !== 304 && statusOf(err) !== 404) throw err;
      }
      try {
        await container.remove({ v: true, force: true });
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
      if (this.ownedVolume !== undefined) await removeVolume(this.client, this.ownedVolume);
      releasePorts([this.ports.nfs, this.ports.mount, this.ports.rpcbind]);
    })();
    return this.stopping;
  }
}

/**
 * A StartedGanesha for a server container that already runs (started by startGanesha, possibly in
 * another process), found by id or name. Its stop() removes that container.
 */
export async function attachGanesha(idOrName: string): Promise<StartedGanesha> {
  const client = await requireEngine();
  const info = await client.container.dockerode.getContainer(idOrName).inspect();
  const labels = info.Config.Labels ?? {};
  if (labels[LABELS.server] !== 'ganesha') throw new Error(`container ${idOrName} is not a sonfs ganesha server`);
  const ports = JSON.parse(labels[LABELS.ports] ?? 'null') as GaneshaPorts | null;
  if (ports === null) throw new Error(`container ${idOrName} has no ${LABELS.ports} label`);
  const network: GaneshaNetwork = labels[LABELS.network] === 'host' ? 'host' : 'bridge';
  const timeout = Number(labels[LABELS.timeout] ?? DEFAULT_STARTUP_TIMEOUT_MS);
  return new StartedGanesha(client, info.Id, info.Config.Image, network, ports, labels[LABELS.volume] || undefined, timeout);
}

/** Removes a named volume; a missing one is fine, one still held by a dying container is retried for 2 s. */
export async function removeVolume(client: ContainerRuntimeClient, name: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await client.container.dockerode.getVolume(name).remove();
      return;
    } catch (err) {
      if (statusOf(err) === 404) return;
      if (statusOf(err) !== 409) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100)); // 409: still in use by a container being removed
    }
  }
}

function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number'
    ? err.statusCode : undefined;
}
