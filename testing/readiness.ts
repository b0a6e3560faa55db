import type { BoundPorts, ContainerRuntimeClient, WaitStrategy } from 'testcontainers';
import { readContainerLog, summarizeLog } from './container-logs.js';
import { GaneshaStartError } from './errors.js';

type Container = ReturnType<ContainerRuntimeClient['container']['getById']>;

/** Inside the image: the readiness probe also used by the Dockerfile's HEALTHCHECK. */
export const HEALTHCHECK = ['bash', '/usr/local/lib/sonfs/healthcheck.sh'];

const READY_LINE = /NFS SERVER INITIALIZED/;

/**
 * Ready means: ganesha logged "NFS SERVER INITIALIZED" after `startTime`, and then the image's
 * healthcheck passed (NULL calls to NFS and MOUNT over TCP and UDP, and the portmapper listing
 * them when rpcbind listens on 111). Rejects with GaneshaStartError, carrying the log tail, as soon
 * as the container exits, or when the startup timeout passes.
 */
export class GaneshaReady implements WaitStrategy {
  private timeoutMs = 60_000;
  private timeoutSet = false;
  /** Set once waitUntilReady has begun: from then on, an exit is reported by this strategy. */
  waiting = false;

  constructor(private readonly client: ContainerRuntimeClient) {}

  withStartupTimeout(ms: number): this {
    this.timeoutMs = ms;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }

  getStartupTimeout(): number {
    return this.timeoutMs;
  }

  async waitUntilReady(container: Container, _ports?: BoundPorts, startTime?: Date): Promise<void> {
    this.waiting = true;
    const deadline = Date.now() + this.timeoutMs;
    await this.waitForReadyLine(container, startTime, deadline);
    for (;;) {
      let problem: string;
      try {
        const probe = await this.client.container.exec(container, HEALTHCHECK, { log: false });
        if (probe.exitCode === 0) return;
        problem = probe.output.trim();
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
      if (!(await this.running(container))) {
        throw await this.failure(container, 'the container exited before the server was ready');
      }
      if (Date.now() >= deadline) {
        throw await this.failure(container, `the health check still fails after ${this.timeoutMs / 1000} s: ${problem}`);
      }
      await delay(100);
    }
  }

  private async running(container: Container): Promise<boolean> {
    try {
      return (await container.inspect()).State.Running;
    } catch {
      return false;
    }
  }

  private async waitForReadyLine(container: Container, startTime: Date | undefined, deadline: number): Promise<void> {
    const since = startTime ? startTime.getTime() / 1000 : 0;
    const stream = await this.client.container.logs(container, { since });
    const outcome = await new Promise<'ready' | 'ended' | 'timeout'>((resolve) => {
      let pending = '';
      const timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
      const done = (result: 'ready' | 'ended' | 'timeout') => {
        clearTimeout(timer);
        resolve(result);
      };
      stream.on('data', (chunk: Buffer | string) => {
        pending += chunk.toString();
        const nl = pending.lastIndexOf('\n');
        if (nl < 0) return;
        if (READY_LINE.test(pending.slice(0, nl))) done('ready');
        pending = pending.slice(nl + 1);
      });
      stream.on('end', () => done(READY_LINE.test(pending) ? 'ready' : 'ended'));
      stream.on('error', () => done('ended'));
    });
    stream.destroy();
    if (outcome === 'ready') return;
    if (outcome === 'timeout') {
      throw await this.failure(container, `ganesha did not report "NFS SERVER INITIALIZED" within ${this.timeoutMs / 1000} s`);
    }
    throw await this.failure(container, 'the container exited before the server was ready');
  }

  /** Builds the error while the container still exists (testcontainers removes it afterwards). */
  async failure(container: Container, reason: string): Promise<GaneshaStartError> {
    return describeFailure(this.client, container.id, reason);
  }
}

/** A GaneshaStartError for container `id`, with its exit status and log tail if it has stopped. */
export async function describeFailure(client: ContainerRuntimeClient, id: string, reason: string): Promise<GaneshaStartError> {
  let exitCode: number | undefined;
  try {
    const state = (await client.container.dockerode.getContainer(id).inspect()).State;
    if (!state.Running) exitCode = state.ExitCode;
  } catch {
    // Already removed: report without the status.
  }
  const tail = summarizeLog(await readContainerLog(client, id, 200));
  return new GaneshaStartError(exitCode === undefined ? reason : `${reason} (exit status ${exitCode})`, tail, exitCode);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
