/*
 * A process using sonfs when its server goes away, on a real ganesha of its own (never the
 * suite's shared one): the client runs in a child process, as an application would.
 *
 * - The server is removed (its container stopped): umount() still returns, and the process then
 *   exits 0 by itself — nothing (a timer, a socket) keeps it alive.
 * - The server is frozen (docker pause) under a hard call: the process stays alive waiting, and
 *   when the server thaws the call completes with the right data and the process exits 0.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { requireEngine, startGanesha } from '../../testing/index.js';
import type { StartedGanesha } from '../../testing/index.js';
import { sleep, until } from './helpers/mounts.js';

const DIST = fileURLToPath(new URL('../../dist/nfsclient/index.js', import.meta.url));

interface Child {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  exited: Promise<number | null>;
}

/* A child process running `body` with `nfs` mounted on `url`; it reads commands from stdin line by line. */
function client(url: string, body: string): Child {
  const program = `
    import { mount } from ${JSON.stringify(DIST)};
    import { createInterface } from 'node:readline';
    const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
    const nfs = await mount(${JSON.stringify(url)});
    ${body}
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, out: () => out, exited };
}

const servers: StartedGanesha[] = [];
const children: Child[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  for (const s of servers.splice(0)) {
    await (await requireEngine()).container.dockerode.getContainer(s.containerId).unpause().catch(() => undefined);
    await s.stop().catch(() => undefined);
  }
});

describe('a process whose server goes away', () => {
  it('the server removed: umount() returns and the process exits 0 by itself', async () => {
    const server = await startGanesha();
    servers.push(server);
    const c = client(server.url('/export'), `
      await nfs.writeFile('/gone.txt', 'written before the server went away');
      console.log('ready');
      await lines.next();
      await nfs.umount();
      console.log('unmounted');
    `);
    children.push(c);
    await until(() => c.out().includes('ready') || c.child.exitCode !== null, 60_000, 'the client to mount and write');
    expect(c.out()).toBe('ready\n');
    await server.stop();
    c.child.stdin.end('go\n');
    expect(await c.exited, c.out()).toBe(0);
    expect(c.out()).toBe('ready\nunmounted\n');
  }, 120_000);

  it('the server frozen under a hard call: the process waits, alive, and completes when it thaws', async () => {
    const server = await startGanesha();
    servers.push(server);
    const c = client(server.url('/export'), `
      await nfs.writeFile('/frozen.txt', 'still here');
      console.log('ready');
      await lines.next();
      console.log(await nfs.readFile('/frozen.txt', 'utf8'));
      await nfs.umount();
    `);
    children.push(c);
    await until(() => c.out().includes('ready') || c.child.exitCode !== null, 60_000, 'the client to mount and write');
    expect(c.out()).toBe('ready\n');
    const container = (await requireEngine()).container.dockerode.getContainer(server.containerId);
    await container.pause();
    c.child.stdin.end('go\n');
    await sleep(3000); /* the call is outstanding (its open revalidates with GETATTR) */
    expect(c.child.exitCode, c.out()).toBe(null);
    expect(c.out()).toBe('ready\n');
    await container.unpause();
    expect(await c.exited, c.out()).toBe(0);
    expect(c.out()).toBe('ready\nstill here\n');
  }, 120_000);
});
