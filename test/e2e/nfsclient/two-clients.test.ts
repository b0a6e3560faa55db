/*
 * Two clients on one file, each in its own process, on ganesha: close-to-open consistency across
 * clients (RFC 1813 §4.12 as nfs(5) describes it: a file written and closed by one client is seen
 * whole at the other's next open, however long its attribute cache), with sonfs on both sides
 * and with libnfs's nfs-cat / nfs-cp as the other client.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { nfsCat, nfsCp } from '../../helpers/clients.js';
import { pattern, scratchMount } from './helpers.js';

const DIST = fileURLToPath(new URL('../../../dist/nfsclient/index.js', import.meta.url));
const LONG_CACHE = { acregmin: 600, acregmax: 600, acdirmin: 600, acdirmax: 600 };

/*
 * The other client: a process with a mount of its own (attribute cache 600 s) that answers one
 * command per line on stdin — `read PATH` (open, read it all, close: prints its sha256 and
 * size), `write PATH HEX` (open, write, close), `stat PATH` (prints the size the cache gives) —
 * with one line on stdout per command: `ok ...` or `error CODE`.
 */
class OtherClient {
  readonly #child: ChildProcessWithoutNullStreams;
  #buffer = '';
  readonly #waiting: ((line: string) => void)[] = [];

  constructor(url: string) {
    const program = `
      import { mount } from ${JSON.stringify(DIST)};
      import { createHash } from 'node:crypto';
      import { createInterface } from 'node:readline';
      const nfs = await mount(${JSON.stringify(url)}, ${JSON.stringify(LONG_CACHE)});
      console.log('ok ready');
      for await (const line of createInterface({ input: process.stdin })) {
        const [cmd, path, hex] = line.split(' ');
        try {
          if (cmd === 'read') {
            const b = await nfs.readFile(path);
            console.log('ok ' + createHash('sha256').update(b).digest('hex') + ' ' + b.length);
          } else if (cmd === 'write') {
            await nfs.writeFile(path, Buffer.from(hex, 'hex'));
            console.log('ok written');
          } else if (cmd === 'stat') {
            console.log('ok ' + (await nfs.stat(path)).size);
          } else if (cmd === 'quit') {
            await nfs.umount();
            console.log('ok bye');
            break;
          }
        } catch (e) {
          console.log('error ' + (e.code ?? e.message));
        }
      }
    `;
    this.#child = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdout.on('data', (c: Buffer) => {
      this.#buffer += c.toString();
      let nl: number;
      while ((nl = this.#buffer.indexOf('\n')) >= 0) {
        const line = this.#buffer.slice(0, nl);
        this.#buffer = this.#buffer.slice(nl + 1);
        this.#waiting.shift()?.(line);
      }
    });
    let err = '';
    this.#child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    this.#child.on('close', (code) => {
      for (const w of this.#waiting.splice(0)) w(`exited ${code}: ${err}`);
    });
  }

  #next(): Promise<string> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  ready(): Promise<string> {
    return this.#next();
  }

  async send(line: string): Promise<string> {
    const reply = this.#next();
    this.#child.stdin.write(`${line}\n`);
    return reply;
  }

  kill(): void {
    this.#child.kill('SIGKILL');
  }
}

const others: OtherClient[] = [];
const tmps: string[] = [];
afterEach(() => {
  for (const o of others.splice(0)) o.kill();
  for (const d of tmps.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sha = async (b: Buffer): Promise<string> => (await import('node:crypto')).createHash('sha256').update(b).digest('hex');

describe('close-to-open across two clients in two processes', () => {
  it('each client sees what the other wrote and closed at its next open, whatever its cache holds', async () => {
    const { nfs, dir, p } = await scratchMount('tcp', LONG_CACHE);
    const other = new OtherClient(dir.server.url('/export'));
    others.push(other);
    expect(await other.ready()).toBe('ok ready');
    const file = p('shared.bin');
    const v1 = pattern(300_000, 1);
    await nfs.writeFile(file, v1);
    expect(await other.send(`read ${file}`)).toBe(`ok ${await sha(v1)} ${v1.length}`);
    expect(await other.send(`stat ${file}`)).toBe(`ok ${v1.length}`); /* now in its attribute cache */

    /* This client rewrites it, shorter: the other's cache still says 300,000 bytes ... */
    const v2 = pattern(70_000, 2);
    await nfs.writeFile(file, v2);
    expect(await other.send(`stat ${file}`)).toBe(`ok ${v1.length}`);
    /* ... but its next open revalidates and reads v2 whole. */
    expect(await other.send(`read ${file}`)).toBe(`ok ${await sha(v2)} ${v2.length}`);

    /* The other way round: the other writes and closes; this client's stat is cached, its open is not. */
    const v3 = pattern(123_457, 3);
    expect(await nfs.stat(file)).toMatchObject({ size: v2.length });
    expect(await other.send(`write ${file} ${v3.toString('hex')}`)).toBe('ok written');
    expect((await nfs.stat(file)).size).toBe(v2.length);
    const fh = await nfs.open(file);
    expect((await fh.readFile() as Buffer).equals(v3)).toBe(true);
    await fh.close();
    expect(await nfsCat(dir.url('shared.bin', { version: 3 }))).toEqual(v3);
    expect(await other.send('quit')).toBe('ok bye');
  });

  it('libnfs as the other client: nfs-cp writes, sonfs opens and reads it; sonfs writes, nfs-cat reads it', async () => {
    const { nfs, dir, p } = await scratchMount('tcp', LONG_CACHE);
    const local = mkdtempSync(join(tmpdir(), 'sonfs-two-'));
    tmps.push(local);
    const data = pattern(2_000_000, 4);
    writeFileSync(join(local, 'in.bin'), data);
    expect(await nfs.readdir(p())).toEqual([]); /* the directory's listing is now cached for 600 s */
    const cp = await nfsCp(join(local, 'in.bin'), dir.url('from-libnfs.bin', { version: 3 }));
    expect(cp.code, cp.stderr).toBe(0);
    const fh = await nfs.open(p('from-libnfs.bin'));
    expect((await fh.readFile() as Buffer).equals(data)).toBe(true);
    await fh.close();
    const back = pattern(1_500_000, 5);
    await nfs.writeFile(p('from-libnfs.bin'), back);
    expect((await nfsCat(dir.url('from-libnfs.bin', { version: 3 }))).equals(back)).toBe(true);
  });
});
