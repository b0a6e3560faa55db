import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import {
  GaneshaStartError, pickFreePort, PortInUseError, reapOrphans, requireEngine, startGanesha, type GaneshaOptions, type StartedGanesha,
} from '../../../testing/index.js';
import { nfsCat, nfsCp, nfsLs, parseNfsLs, runTool } from '../../helpers/clients.js';
import { suiteServer } from '../../helpers/server.js';

// The sonfs/testing fixture itself: each test starts its own short-lived server.

const local = mkdtempSync(join(tmpdir(), 'sonfs-fixture-'));
const running: StartedGanesha[] = [];
/** Label put on every container started here, to prove failed starts leave nothing behind. */
const runLabel = `fixture-test-${process.pid}-${randomBytes(3).toString('hex')}`;

async function start(options: GaneshaOptions = {}): Promise<StartedGanesha> {
  const server = await startGanesha({ ...options, labels: { 'sonfs.test': runLabel, ...options.labels } });
  running.push(server);
  return server;
}

async function leftovers(): Promise<string[]> {
  const docker = (await requireEngine()).container.dockerode;
  const containers = await docker.listContainers({ all: true, filters: { label: [`sonfs.test=${runLabel}`] } });
  return containers.map((c) => c.Id);
}

async function copyIn(server: StartedGanesha, path: string, data: Buffer): Promise<void> {
  const source = join(local, 'upload.bin');
  writeFileSync(source, data);
  const copied = await nfsCp(source, server.url(path));
  expect(copied.code, copied.stderr).toBe(0);
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});
afterAll(() => rmSync(local, { recursive: true, force: true }));

describe('startGanesha()', () => {
  test('publishes NFS, MOUNT and rpcbind on 127.0.0.1 only, NFS and MOUNT at the same numbers inside', async () => {
    const server = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.ports.rpcbind).toEqual(expect.any(Number));

    const names = parseNfsLs(await nfsLs(server.url('/ro'))).map((e) => e.name);
    expect(names).toContain('pattern.bin');

    // What the container's portmapper registers is what a host client must use.
    const map = await server.exec('rpcinfo -p 127.0.0.1');
    expect(map.stdout).toMatch(new RegExp(`\\s100003\\s+3\\s+tcp\\s+${server.ports.nfs}\\s`));
    expect(map.stdout).toMatch(new RegExp(`\\s100005\\s+3\\s+udp\\s+${server.ports.mount}\\s`));

    const docker = (await requireEngine()).container.dockerode;
    const bindings = (await docker.getContainer(server.containerId).inspect()).HostConfig.PortBindings as
      Record<string, { HostIp: string; HostPort: string }[]>;
    expect(Object.keys(bindings).sort()).toEqual([
      `${server.ports.mount}/tcp`, `${server.ports.mount}/udp`, `${server.ports.nfs}/tcp`, `${server.ports.nfs}/udp`,
      '111/tcp', '111/udp',
    ].sort());
    for (const list of Object.values(bindings)) for (const b of list) expect(b.HostIp).toBe('127.0.0.1');
    expect(bindings['111/udp']![0]!.HostPort).toBe(String(server.ports.rpcbind));
  });

  test('fails at once, with the reason and no container left, on an invalid setting', async () => {
    const failure = await start({ env: { NFS_PORT: 'not-a-port' }, startupTimeoutMs: 45_000 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GaneshaStartError);
    const err = failure as GaneshaStartError;
    expect(err.exitCode).toBe(64);
    expect(err.message).toMatch(/exited before the server was ready/);
    expect(err.message).toMatch(/NFS_PORT must be a port number from 1 to 65535, got 'not-a-port'/);
    expect(await leftovers()).toEqual([]);
  });

  test('fails at once, quoting ganesha, on a configuration ganesha rejects', async () => {
    const failure = await start({ exportParams: 'Squash = banana;', startupTimeoutMs: 45_000 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GaneshaStartError);
    const err = failure as GaneshaStartError;
    expect(err.exitCode).toBe(65);
    expect(err.message).toMatch(/ganesha rejected its configuration/);
    expect(err.message).toMatch(/Unknown token \(banana\)/);
    expect(await leftovers()).toEqual([]);
  });

  test('uses a complete configuration given as text instead of the rendered one', async () => {
    const config = [
      'NFS_CORE_PARAM { Protocols = 3; NFS_Port = ${NFS_PORT}; MNT_Port = ${MOUNT_PORT}; Enable_NLM = false; Enable_RQUOTA = false; fsid_device = true; }',
      'NFSV4 { Graceless = true; }',
      'EXPORT { Export_Id = 7; Path = /export; Pseudo = /export; Access_Type = RW; Squash = No_Root_Squash; FSAL { Name = VFS; } }',
    ].join('\n');
    // The fixture copies the text as is: choose the ports first and write them in.
    const ports = { nfs: await pickFreePort(), mount: await pickFreePort() };
    const server = await start({
      ports,
      config: config.replace('${NFS_PORT}', String(ports.nfs)).replace('${MOUNT_PORT}', String(ports.mount)),
    });
    const exports = await server.exec('showmount -e 127.0.0.1');
    expect(exports.stdout.split('\n').slice(1).map((l) => l.split(/\s+/)[0]).filter(Boolean)).toEqual(['/export']);
    const ro = await runTool('nfs-ls', [server.url('/ro')]);
    expect(ro.code).not.toBe(0);
  });

  test('gives up after startupTimeoutMs, with the log so far, leaving nothing behind', async () => {
    const failure = await start({ startupTimeoutMs: 1 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GaneshaStartError);
    expect(String(failure)).toMatch(/did not report "NFS SERVER INITIALIZED" within 0.001 s/);
    expect(await leftovers()).toEqual([]);
  });

  test('refuses a port that is taken, naming it', async () => {
    const taken = suiteServer().ports.nfs;
    const failure = await start({ network: 'host', ports: { nfs: taken } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PortInUseError);
    expect((failure as PortInUseError).port).toBe(taken);
    expect(String(failure)).toMatch(new RegExp(`port ${taken}/tcp is already in use`));
    expect(await leftovers()).toEqual([]);
  });

  test('runs in host network mode beside the shared server, rpcbind listening on its unix socket only', async () => {
    const server = await start({ network: 'host' });
    expect(server.ports.rpcbind).toBeNull();
    const data = randomBytes(200_000);
    await copyIn(server, '/export/host-mode.bin', data);
    expect((await nfsCat(server.url('/export/host-mode.bin'))).equals(data)).toBe(true);
    // ganesha registered with its own rpcbind, which the host's port 111 (the shared server's) does not see.
    const own = await server.exec('rpcinfo');
    expect(own.stdout).toMatch(/100003\s+3\s+tcp/);
    expect(own.stdout).not.toMatch(/\b0\.0\.0\.0\.0\.111\b/);
  });
});

describe('reapOrphans()', () => {
  test('removes servers whose owner process is gone and keeps the others', async () => {
    const dead = spawnSync('true').pid!;
    const ns = readlinkSync('/proc/self/ns/pid');
    const orphan = await start({ reapWithOwner: false, labels: { 'sonfs.owner': `${ns}:${dead}` } });
    const owned = await start();

    expect(await reapOrphans(await requireEngine())).toBeGreaterThanOrEqual(1);

    const docker = (await requireEngine()).container.dockerode;
    await expect(docker.getContainer(orphan.containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await docker.getContainer(owned.containerId).inspect()).State.Running).toBe(true);
  });
});

describe('StartedGanesha', () => {
  test.each(['bridge', 'host'] as const)('restart() kills and restarts the server (%s network) on the same ports, keeping a volume-backed /export', async (network) => {
    const server = await start({ volume: true, network });
    const before = { ...server.ports };
    const data = randomBytes(500_000);
    await copyIn(server, '/export/kept.bin', data);

    await server.restart();

    expect(server.ports).toEqual(before);
    expect((await nfsCat(server.url('/export/kept.bin'))).equals(data)).toBe(true);
    expect(await server.healthy()).toBe(true);
    // The log shows two starts, the first one killed without a clean exit.
    const log = await server.logs();
    expect(log.match(/NFS SERVER INITIALIZED/g)).toHaveLength(2);
    expect(log).not.toMatch(/NFS EXIT: regular exit/);
  });

  test('restart() of a tmpfs /export comes back empty, /ro seeded again', async () => {
    const server = await start();
    await copyIn(server, '/export/lost.bin', randomBytes(1000));
    await server.restart();
    expect(parseNfsLs(await nfsLs(server.url('/export')))).toEqual([]);
    expect(parseNfsLs(await nfsLs(server.url('/ro'))).map((e) => e.name)).toContain('hello.txt');
  });

  test('exec() reports exit status and output; stop() removes the container and the volume it made', async () => {
    const server = await start({ volume: true });
    const ok = await server.exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(ok).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    const volume = server.ownedVolume!;
    expect(volume).toMatch(/^sonfs-export-/);

    await server.stop();
    await server.stop(); // idempotent
    const docker = (await requireEngine()).container.dockerode;
    await expect(docker.getContainer(server.containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.getVolume(volume).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
