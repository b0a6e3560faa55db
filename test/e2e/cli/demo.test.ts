/*
 * sonfs demo (what npm start runs): the whole tour against a server of its own, and Ctrl-C in
 * the middle of it. Either way no container is left behind.
 */
import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { requireEngine } from '../../../testing/index.js';
import { SONFS_JS, sonfsBin } from './helpers.js';

/* Containers the demo started (label sonfs.demo=<its pid>) still present, running or not. */
async function leftovers(pid: number): Promise<number> {
  const client = await requireEngine();
  const list = await client.container.dockerode.listContainers({ all: true, filters: { label: [`sonfs.demo=${pid}`] } });
  return list.length;
}

describe('sonfs demo', () => {
  test('runs every step against its own server, exits 0 and stops the server', async () => {
    const r = await sonfsBin(['demo'], { timeoutMs: 240_000 });
    const out = r.stdout.toString();
    expect(r.stderr, out).toBe('');
    expect(r.code, out).toBe(0);
    expect(out).toMatch(/^\[ 1\/12\] start nfs-ganesha/m);
    expect(out).toContain('sha256');
    expect(out).toContain('matches');
    expect(out).toContain('EROFS (Read-only file system), as it should be');
    expect(out).toMatch(/READDIRPLUS +\d+ calls/);
    expect(out).toMatch(/attribute cache: \d+ hits/);
    expect(out).toContain('server stopped and its container removed');
    expect(out).toMatch(/sonfs demo: every step succeeded in [\d.]+ s\n$/);
    expect(out.match(/^ +ok \(/gm)?.length).toBe(12);
    const id = /container ([0-9a-f]{12})/.exec(out)?.[1];
    expect(id).toBeDefined();
    const client = await requireEngine();
    expect(await client.container.dockerode.listContainers({ all: true, filters: { id: [id!] } })).toEqual([]);
  }, 300_000);

  test('Ctrl-C during the tour stops the server and exits 130', async () => {
    const child = spawn(process.execPath, [SONFS_JS, 'demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the demo did not reach step 3: ${out}${err}`)), 240_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('[ 3/12]')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    const code = await closed;
    expect(code, out + err).toBe(130);
    expect(err).toContain('SIGINT: stopping');
    expect(out).toContain('cleaning up: unmounting and stopping the server');
    expect(await leftovers(child.pid!)).toBe(0);
  }, 300_000);
});

describe('sonfs demo against a server that stops answering', () => {
  /*
   * Regression: with the server frozen (docker pause) in the middle of a step, that step's hard
   * RPC calls never complete; after Ctrl-C the tour cleaned up and returned 130, but those
   * abandoned calls' retransmission timer kept the process alive for ever. The executable now
   * ends when its command does.
   */
  test('Ctrl-C while the server is frozen still stops the server and exits 130', async () => {
    const child = spawn(process.execPath, [SONFS_JS, 'demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the demo did not reach step 2: ${out}${err}`)), 240_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('[ 2/12]')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const client = await requireEngine();
    const [info] = await client.container.dockerode.listContainers({ filters: { label: [`sonfs.demo=${child.pid}`] } });
    expect(info).toBeDefined();
    await client.container.dockerode.getContainer(info!.Id).pause();
    /* Long enough for the tour to be waiting on the frozen server. */
    await new Promise((r) => setTimeout(r, 3000));
    child.kill('SIGINT');
    const code = await closed;
    expect(code, out + err).toBe(130);
    expect(err).toContain('SIGINT: stopping');
    expect(await leftovers(child.pid!)).toBe(0);
  }, 300_000);
});
