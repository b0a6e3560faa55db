import type { GenericContainer } from 'testcontainers';
import { testcontainers } from './testcontainers.js';

/**
 * testcontainers' GenericContainer with what the ganesha fixture needs beyond it: ports published
 * on 127.0.0.1 only (never on every interface: the exports grant root access), with the same
 * number for TCP and UDP; the id of the created container, known even when start() fails before
 * returning, so the fixture can read its log and remove it; and no periodic health probe.
 */
export interface GaneshaContainer extends GenericContainer {
  readonly createdId: string | undefined;
  /** Publishes each container port on 127.0.0.1:host, TCP and UDP. */
  publishOnLoopback(bindings: readonly { container: number; host: number }[]): this;
  /**
   * Turns off the image's periodic Docker HEALTHCHECK (a probe exec'd every 5 s: noise in
   * benchmarks). The fixture checks readiness itself and runs the same probe on demand.
   */
  withoutPeriodicHealthcheck(): this;
}

let Ganesha: (new (image: string) => GaneshaContainer) | undefined;

/** A GaneshaContainer for `image` (testcontainers, an optional peer dependency, is loaded on the first call). */
export async function newGaneshaContainer(image: string): Promise<GaneshaContainer> {
  Ganesha ??= ganeshaContainerClass((await testcontainers()).GenericContainer);
  return new Ganesha(image);
}

/* The class, made once GenericContainer has been loaded. */
function ganeshaContainerClass(Base: typeof GenericContainer): new (image: string) => GaneshaContainer {
  return class extends Base implements GaneshaContainer {
    createdId: string | undefined;

    publishOnLoopback(bindings: readonly { container: number; host: number }[]): this {
      const exposed: Record<string, object> = { ...this.createOpts.ExposedPorts };
      const published: Record<string, { HostIp: string; HostPort: string }[]> = { ...this.hostConfig.PortBindings };
      for (const { container, host } of bindings) {
        for (const protocol of ['tcp', 'udp']) {
          exposed[`${container}/${protocol}`] = {};
          published[`${container}/${protocol}`] = [{ HostIp: '127.0.0.1', HostPort: String(host) }];
        }
      }
      this.createOpts.ExposedPorts = exposed;
      this.hostConfig.PortBindings = published;
      return this;
    }

    withoutPeriodicHealthcheck(): this {
      this.createOpts.Healthcheck = { Test: ['NONE'] };
      return this;
    }

    protected override async containerCreated(containerId: string): Promise<void> {
      this.createdId = containerId;
    }
  };
}
