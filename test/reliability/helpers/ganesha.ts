/*
 * Servers of the reliability tests' own (never the suite's shared one, which must not be
 * restarted): nfs-ganesha from sonfs/testing in host network mode on free ports, its /export on a
 * named volume bound to a directory on the host's tmpfs (/dev/shm), so that restart() keeps the
 * data and the file handles (the same file system: a Docker volume of type tmpfs would be
 * unmounted, and emptied, when its container is killed) and a 1 GiB copy is quick. The volume is
 * labelled with this process as owner, so that reapOrphans() removes it if the run is killed
 * before its teardown (the directory under /dev/shm is then left; its name says whose it is).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABELS, requireEngine, startGanesha } from '../../../testing/index.js';
import type { GaneshaOptions, StartedGanesha } from '../../../testing/index.js';
import { ownerLabel } from '../../../testing/owner.js';
import { removeVolume } from '../../../testing/started-ganesha.js';

export interface OwnServer {
  server: StartedGanesha;
  volume: string;
  /** Kill the container (SIGKILL) and leave it down; restart() brings it back. */
  kill(): Promise<void>;
  /** Stop the server and remove its volume. */
  stop(): Promise<void>;
}

/** A ganesha whose /export is a named volume on the host's tmpfs (or the temporary directory). */
export async function startOwnGanesha(options: GaneshaOptions = {}): Promise<OwnServer> {
  const client = await requireEngine();
  const volume = `sonfs-reliability-${process.pid}-${randomBytes(4).toString('hex')}`;
  const dir = join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), volume);
  mkdirSync(dir, { mode: 0o1777 });
  chmodSync(dir, 0o1777);
  const cleanup = async (): Promise<void> => {
    await removeVolume(client, volume).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  let server: StartedGanesha;
  try {
    await client.container.dockerode.createVolume({
      Name: volume,
      Driver: 'local',
      DriverOpts: { type: 'none', o: 'bind', device: dir },
      Labels: { [LABELS.server]: 'ganesha-export', [LABELS.owner]: ownerLabel() },
    });
    server = await startGanesha({ network: 'host', ...options, volume });
  } catch (e) {
    await cleanup();
    throw e;
  }
  return {
    server,
    volume,
    async kill() {
      const c = client.container.dockerode.getContainer(server.containerId);
      await c.kill({ signal: 'SIGKILL' });
      await c.wait({ condition: 'not-running' });
    },
    async stop() {
      await server.stop();
      await cleanup();
    },
  };
}
