import { readlinkSync } from 'node:fs';
import type { ContainerRuntimeClient } from 'testcontainers';

/**
 * `<pid namespace>:<pid>` of this process: the value of the sonfs.owner label on containers and
 * volumes the fixture creates, so that reapOrphans() can tell which ones outlived their process.
 */
export function ownerLabel(): string {
  return `${pidNamespace()}:${process.pid}`;
}

/**
 * Removes sonfs containers and volumes whose owner process (in this pid namespace) no longer
 * exists: leftovers of a test run that was killed before its teardown (testcontainers' reaper,
 * Ryuk, is disabled here). Resources of live processes, or of other pid namespaces, are left alone.
 * Resolves with the number of containers removed.
 */
export async function reapOrphans(client: ContainerRuntimeClient): Promise<number> {
  const docker = client.container.dockerode;
  const ns = pidNamespace();
  const dead = (owner: string | undefined): boolean => {
    if (owner === undefined) return false;
    const sep = owner.lastIndexOf(':');
    if (owner.slice(0, sep) !== ns) return false;
    return !alive(Number(owner.slice(sep + 1)));
  };
  let removed = 0;
  for (const info of await docker.listContainers({ all: true, filters: { label: ['sonfs.owner'] } })) {
    if (!dead(info.Labels['sonfs.owner'])) continue;
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      removed++;
    } catch {
      // Removed concurrently by someone else.
    }
  }
  const { Volumes } = await docker.listVolumes({ filters: { label: ['sonfs.owner'] } });
  for (const volume of Volumes ?? []) {
    if (!dead(volume.Labels?.['sonfs.owner'])) continue;
    try {
      await docker.getVolume(volume.Name).remove();
    } catch {
      // In use by a container that is not ours to judge, or already gone.
    }
  }
  return removed;
}

function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return 'unknown';
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // unparseable: never reap
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
