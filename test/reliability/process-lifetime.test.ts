/*
 * Regression test: a process whose only work is a hard RPC call to a server that is down must
 * stay alive until the server is back and the call is answered. Found by the restart-mid-copy
 * test (server-restart.test.ts): between two connection attempts no socket exists, and the RPC
 * client's only timer was unref'd, so Node's event loop emptied and `sonfs cp` exited with status
 * 13 ("unsettled top-level await") in the middle of the copy. The client runs in a child process
 * (from dist/, as the CLI does), against the scripted fake server on a port that refuses at first.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { FakeRpcServer } from '../rpc/helpers/fake-rpc-server.js';
import { closeLater, sleep } from './helpers/mounts.js';

const DIST_RPC = fileURLToPath(new URL('../../dist/rpc/index.js', import.meta.url));

it('a hard call keeps its process alive while the server is down, and completes when it is back', async () => {
  const probe = await FakeRpcServer.tcp();
  const port = probe.port;
  await probe.close(); /* nothing listens there now: connections are refused */
  const program = `
    import { RpcClient } from ${JSON.stringify(DIST_RPC)};
    const c = new RpcClient({ host: '127.0.0.1', port: ${port}, proto: 'tcp', maxReconnectDelay: 200 });
    await c.ping(100003, 3);
    console.log('answered after', c.stats.connectFailures, 'refused connections');
    await c.close();
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await sleep(1500); /* the client is retrying against the closed port */
    expect(child.exitCode, out).toBe(null); /* still alive */
    closeLater(await FakeRpcServer.tcp(undefined, port));
    const code = await Promise.race([exited, sleep(30_000).then(() => 'hung' as const)]);
    expect(code, out).toBe(0);
    expect(out).toMatch(/^answered after \d+ refused connections\n$/);
  } finally {
    child.kill('SIGKILL');
  }
});
