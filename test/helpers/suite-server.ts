import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  attachGanesha, ensureGaneshaImage, PortInUseError, reapOrphans, requireEngine, startGanesha,
  type GaneshaPorts, type StartedGanesha,
} from '../../testing/index.js';
import { pidAlive, withDirLock } from './dir-lock.js';

/**
 * The one nfs-ganesha server the whole test suite shares (started by test/global-setup.ts).
 *
 * It runs in host network mode bound to 127.0.0.1 with rpcbind on 111, NFS on 2049 and MOUNT on
 * 20048, so that what the portmapper says is true on this host (rpcinfo -p, showmount -e and the
 * sonfs portmapper client need 111 and the registered ports to be reachable as registered), and so
 * that throughput is not halved by docker-proxy.
 *
 * Several vitest runs on one machine (engineers running their own test files at the same time)
 * share it rather than fight over the fixed ports: each run holds a lease (a file named after its
 * pid); the first run starts the container, the last one to leave stops it. Leases of dead
 * processes are ignored. A lock directory makes each check-and-act step atomic.
 */
export const SUITE_SERVER_NAME = 'sonfs-suite-server';
export const SUITE_PORTS: GaneshaPorts = { nfs: 2049, mount: 20048, rpcbind: 111 };

/** What globalSetup provides to the tests (see test/helpers/server.ts). */
export interface SuiteServerInfo {
  host: string;
  ports: GaneshaPorts;
  containerId: string;
  containerName: string;
  network: 'host';
}

export interface SuiteServerLease {
  info: SuiteServerInfo;
  /** Gives the lease back; stops the server if no other live run holds one. */
  release(): Promise<void>;
}

const STATE_DIR = join(tmpdir(), 'sonfs-suite-server');
const LOCK_DIR = join(STATE_DIR, 'lock');
const LEASE_DIR = join(STATE_DIR, 'leases');
const LOCK_TIMEOUT_MS = 180_000;

export async function acquireSuiteServer(): Promise<SuiteServerLease> {
  const client = await requireEngine();
  await reapOrphans(client);
  const image = await ensureGaneshaImage(client); // may build for minutes: outside the lock
  mkdirSync(LEASE_DIR, { recursive: true });
  const lease = join(LEASE_DIR, `${process.pid}-${Date.now()}`);

  const server = await withDirLock(LOCK_DIR, LOCK_TIMEOUT_MS, async () => {
    let current = await findSuiteServer();
    if (current !== undefined) {
      const problem = await whyNotReusable(current, image);
      if (problem !== undefined) {
        const holders = liveLeaseHolders();
        if (holders.length > 0) {
          throw new Error(
            `the shared test server (container ${SUITE_SERVER_NAME}) ${problem}, but test runs with pid ${holders.join(', ')} ` +
            `are still using it. Wait for them to finish, or remove it: docker rm -f ${SUITE_SERVER_NAME}`);
        }
        await current.stop();
        current = undefined;
      }
    }
    current ??= await startSuiteServer();
    writeFileSync(lease, JSON.stringify({ pid: process.pid, container: current.containerId }));
    return current;
  });

  return {
    info: {
      host: server.host, ports: server.ports, containerId: server.containerId,
      containerName: SUITE_SERVER_NAME, network: 'host',
    },
    release: () => withDirLock(LOCK_DIR, LOCK_TIMEOUT_MS, async () => {
      rmSync(lease, { force: true });
      if (liveLeaseHolders().length > 0) return;
      const current = await findSuiteServer();
      await current?.stop();
    }),
  };
}

async function startSuiteServer(): Promise<StartedGanesha> {
  try {
    return await startGanesha({
      network: 'host',
      name: SUITE_SERVER_NAME,
      ports: { ...SUITE_PORTS, rpcbind: 111 },
      reapWithOwner: false,
      labels: { 'sonfs.role': 'suite-server' },
    });
  } catch (err) {
    if (!(err instanceof PortInUseError)) throw err;
    throw new PortInUseError(
      `${err.message}\nThe shared test server runs in host network mode on 127.0.0.1 with rpcbind on 111, ` +
      'NFS on 2049 and MOUNT on 20048, so that rpcinfo -p and showmount -e on 127.0.0.1 see it. Free the port: ' +
      'if it is the compose server, run `docker compose down` (or `docker-compose down`) in the sonfs checkout; ' +
      'if it is the host\'s rpcbind or NFS server, stop it (`systemctl stop rpcbind.socket rpcbind nfs-server`).',
      err.port, err.protocol);
  }
}

async function findSuiteServer(): Promise<StartedGanesha | undefined> {
  try {
    return await attachGanesha(SUITE_SERVER_NAME);
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

async function whyNotReusable(server: StartedGanesha, image: string): Promise<string | undefined> {
  if (server.image !== image) return `was built from another version of servers/ganesha (${server.image}, now ${image})`;
  if (!(await server.healthy())) return 'is not running or not healthy';
  return undefined;
}

/** Pids of live processes holding a lease; removes the leases of dead ones. */
function liveLeaseHolders(): number[] {
  const live: number[] = [];
  let names: string[];
  try {
    names = readdirSync(LEASE_DIR);
  } catch {
    return live;
  }
  for (const name of names) {
    const path = join(LEASE_DIR, name);
    let pid = NaN;
    try {
      pid = Number((JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid);
    } catch {
      // Unreadable lease: treat as dead.
    }
    if (pidAlive(pid)) live.push(pid);
    else rmSync(path, { force: true });
  }
  return live;
}
