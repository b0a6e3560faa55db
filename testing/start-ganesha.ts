import { randomBytes } from 'node:crypto';
import type { ContainerRuntimeClient } from 'testcontainers';
import { requireEngine } from './engine.js';
import { GaneshaStartError } from './errors.js';
import { newGaneshaContainer, type GaneshaContainer } from './ganesha-container.js';
import {
  DEFAULT_STARTUP_TIMEOUT_MS, LABELS, SERVER_HOST, type GaneshaNetwork, type GaneshaOptions, type GaneshaPorts,
} from './ganesha-types.js';
import { ensureGaneshaImage } from './image.js';
import { ownerLabel } from './owner.js';
import { assertPortsFree, pickFreePort, releasePorts, type PortClaim } from './ports.js';
import { describeFailure, GaneshaReady } from './readiness.js';
import { removeVolume, StartedGanesha } from './started-ganesha.js';

const PORT_CLASH = /port is already allocated|address already in use/i;

/**
 * Starts nfs-ganesha (NFSv3 + v4, TCP + UDP, exports /export, /ro and /squash) with rpcbind in a
 * container built from servers/ganesha, and resolves once it answers; see docs/servers.md.
 *
 *     const nfs = await startGanesha();
 *     // nfs.url('/export') === 'nfs://127.0.0.1/export?nfsport=…&mountport=…&version=3'
 *     await nfs.stop();
 *
 * Throws EngineUnavailableError (no Docker), ImageBuildError, PortInUseError (a requested port is
 * taken) or GaneshaStartError (exited or not ready within startupTimeoutMs; with the log tail). A
 * failed start leaves no container or volume behind.
 */
export async function startGanesha(options: GaneshaOptions = {}): Promise<StartedGanesha> {
  validate(options);
  const client = await requireEngine();
  const image = await ensureGaneshaImage(client);
  const autoPorts = options.ports?.nfs === undefined || options.ports?.mount === undefined ||
    ((options.network ?? 'bridge') === 'bridge' && options.ports?.rpcbind === undefined);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(client, image, options);
    } catch (err) {
      // Another process took an automatically picked port between our check and Docker's bind.
      const clash = err instanceof GaneshaStartError ? PORT_CLASH.test(err.logTail) || PORT_CLASH.test(err.message)
        : err instanceof Error && PORT_CLASH.test(err.message);
      if (!autoPorts || !clash || attempt >= 3) throw err;
    }
  }
}

async function startOnce(client: ContainerRuntimeClient, image: string, options: GaneshaOptions): Promise<StartedGanesha> {
  const network = options.network ?? 'bridge';
  const timeoutMs = options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  const picked: number[] = [];
  const pick = async (): Promise<number> => {
    const port = await pickFreePort(SERVER_HOST);
    picked.push(port);
    return port;
  };
  let volume: { name: string; owned: boolean } | undefined;
  let container: GaneshaContainer | undefined;
  try {
    const nfs = options.ports?.nfs ?? await pick();
    const mount = options.ports?.mount ?? await pick();
    const rpcbindOption = options.ports?.rpcbind;
    const rpcbind = network === 'host'
      ? (rpcbindOption === 111 ? 111 : null)
      : (rpcbindOption === false ? null : rpcbindOption ?? await pick());
    const ports: GaneshaPorts = { nfs, mount, rpcbind };
    await assertPortsFree(claims(network, ports, options));

    volume = await prepareVolume(client, options.volume, options.reapWithOwner ?? true);
    container = await configure(image, network, ports, volume, options, timeoutMs);
    const ready = new GaneshaReady(client).withStartupTimeout(timeoutMs);
    container.withWaitStrategy(ready).withStartupTimeout(timeoutMs);
    const started = container.start();
    const current = container;
    const earlyExit = watchForEarlyExit(client, () => current.createdId, ready);
    try {
      await Promise.race([started, earlyExit.failure]);
    } finally {
      earlyExit.stop();
      started.catch(() => undefined);
    }
    const id = container.createdId;
    if (id === undefined) throw new Error('testcontainers started a container without reporting its id');
    return new StartedGanesha(client, id, image, network, ports, volume?.owned ? volume.name : undefined, timeoutMs);
  } catch (err) {
    await removeQuietly(client, container?.createdId);
    if (volume?.owned) await removeVolume(client, volume.name).catch(() => undefined);
    releasePorts(picked);
    throw err;
  }
}

function validate(options: GaneshaOptions): void {
  const network = options.network ?? 'bridge';
  if (network !== 'bridge' && network !== 'host') throw new Error(`startGanesha: network must be 'bridge' or 'host', got '${String(network)}'`);
  for (const [name, value] of Object.entries(options.ports ?? {})) {
    if (value === undefined || (name === 'rpcbind' && value === false)) continue;
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 65535) {
      throw new Error(`startGanesha: ports.${name} must be a port number from 1 to 65535, got ${String(value)}`);
    }
  }
  const dirChunk = options.dirChunk;
  if (dirChunk !== undefined && (!Number.isInteger(dirChunk) || dirChunk < 0 || dirChunk > 65536)) {
    throw new Error(`startGanesha: dirChunk must be an integer from 0 to 65536, got ${String(dirChunk)}`);
  }
  const rpcbind = options.ports?.rpcbind;
  if (network === 'host' && rpcbind !== undefined && rpcbind !== false && rpcbind !== 111) {
    throw new Error(`startGanesha: in host network mode rpcbind can only listen on 111 (or not at all), got ports.rpcbind = ${rpcbind}`);
  }
}

function claims(network: GaneshaNetwork, ports: GaneshaPorts, options: GaneshaOptions): PortClaim[] {
  const list: PortClaim[] = [];
  const purpose = options.name ? `the ganesha server '${options.name}'` : 'the ganesha server';
  for (const [what, port] of [['NFS', ports.nfs], ['MOUNT', ports.mount]] as const) {
    for (const protocol of ['tcp', 'udp'] as const) list.push({ port, protocol, host: SERVER_HOST, purpose: `${purpose} (${what})` });
  }
  if (ports.rpcbind !== null) {
    // In host mode rpcbind binds the wildcard address (Debian's rpcbind -h crashes, so it cannot be narrowed).
    const host = network === 'host' ? '0.0.0.0' : SERVER_HOST;
    for (const protocol of ['tcp', 'udp'] as const) list.push({ port: ports.rpcbind, protocol, host, purpose: `${purpose} (rpcbind)` });
  }
  return list;
}

async function configure(
  image: string, network: GaneshaNetwork, ports: GaneshaPorts, volume: { name: string; owned: boolean } | undefined,
  options: GaneshaOptions, timeoutMs: number,
): Promise<GaneshaContainer> {
  const env: Record<string, string> = {
    NFS_PORT: String(ports.nfs),
    MOUNT_PORT: String(ports.mount),
    BIND_ADDR: network === 'host' ? SERVER_HOST : '0.0.0.0',
    RPCBIND_LISTEN: network === 'host' ? String(ports.rpcbind === 111) : 'true',
    LOG_LEVEL: options.logLevel ?? 'NIV_EVENT',
    DIR_CHUNK: String(options.dirChunk ?? 0),
  };
  if (options.coreParams) env['CORE_PARAMS'] = options.coreParams;
  if (options.exportParams) env['EXPORT_PARAMS'] = options.exportParams;
  if (options.extraConfig) env['EXTRA_CONFIG'] = options.extraConfig;
  if (options.config !== undefined) env['GANESHA_CONFIG'] = '/etc/ganesha/custom.conf';
  Object.assign(env, options.env);

  const labels: Record<string, string> = {
    ...options.labels,
    [LABELS.server]: 'ganesha',
    [LABELS.ports]: JSON.stringify(ports),
    [LABELS.network]: network,
    [LABELS.timeout]: String(timeoutMs),
  };
  if (volume?.owned) labels[LABELS.volume] = volume.name;
  if (options.reapWithOwner ?? true) labels[LABELS.owner] = ownerLabel();

  const container = (await newGaneshaContainer(image))
    .withoutPeriodicHealthcheck()
    .withEnvironment(env)
    .withLabels(labels)
    .withAddedCapabilities('DAC_READ_SEARCH', ...(options.seccompUnconfined ? [] : ['SYS_ADMIN']))
    .withTmpFs({
      '/ro': 'rw,mode=0755,size=16m',
      '/squash': 'rw,mode=1777',
      ...(volume ? {} : { '/export': `rw,mode=1777${options.tmpfsSize ? `,size=${options.tmpfsSize}` : ''}` }),
    });
  if (options.seccompUnconfined) container.withSecurityOpt('seccomp=unconfined');
  if (volume) container.withBindMounts([{ source: volume.name, target: '/export' }]);
  if (options.config !== undefined) container.withCopyContentToContainer([{ content: options.config, target: '/etc/ganesha/custom.conf' }]);
  if (options.name) container.withName(options.name);
  if (network === 'host') {
    container.withNetworkMode('host');
  } else {
    const bindings = [{ container: ports.nfs, host: ports.nfs }, { container: ports.mount, host: ports.mount }];
    if (ports.rpcbind !== null) bindings.push({ container: 111, host: ports.rpcbind });
    container.publishOnLoopback(bindings);
  }
  return container;
}

async function prepareVolume(client: ContainerRuntimeClient, option: boolean | string | undefined, reapable: boolean):
  Promise<{ name: string; owned: boolean } | undefined> {
  if (option === undefined || option === false) return undefined;
  if (typeof option === 'string') return { name: option, owned: false };
  const name = `sonfs-export-${randomBytes(6).toString('hex')}`;
  const labels: Record<string, string> = { [LABELS.server]: 'ganesha-export' };
  if (reapable) labels[LABELS.owner] = ownerLabel();
  await client.container.dockerode.createVolume({ Name: name, Labels: labels });
  return { name, owned: true };
}

/**
 * Until the readiness wait begins (it watches for exits itself), polls the container's state so a
 * container that exits at once (invalid setting: the entrypoint exits 64) fails the start within
 * a fraction of a second instead of after testcontainers' 10 s wait for published ports.
 */
function watchForEarlyExit(client: ContainerRuntimeClient, id: () => string | undefined, ready: GaneshaReady):
  { failure: Promise<never>; stop(): void } {
  let stopped = false;
  const failure = new Promise<never>((_, reject) => {
    const poll = async (): Promise<void> => {
      while (!stopped && !ready.waiting) {
        const current = id();
        if (current !== undefined) {
          try {
            const state = (await client.container.dockerode.getContainer(current).inspect()).State;
            if (!stopped && !ready.waiting && (state.Status === 'exited' || state.Status === 'dead')) {
              reject(await describeFailure(client, current, 'the container exited before the server was ready'));
              return;
            }
          } catch {
            // Not inspectable (being created or already removed): keep polling until stopped.
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    };
    void poll();
  });
  failure.catch(() => undefined);
  return { failure, stop: () => { stopped = true; } };
}

async function removeQuietly(client: ContainerRuntimeClient, id: string | undefined): Promise<void> {
  if (id === undefined) return;
  try {
    await client.container.dockerode.getContainer(id).remove({ force: true, v: true });
  } catch {
    // Already gone.
  }
}
