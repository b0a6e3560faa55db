import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { nfsCat, nfsCp, nfsLs, parseNfsLs, rpcinfo } from '../../helpers/clients.js';
import { scratchDir } from '../../helpers/scratch.js';
import { suiteServer } from '../../helpers/server.js';

// The shared server's read-write export, checked with Debian's libnfs clients (a third-party
// implementation), so that later failures of sonfs's own client can be blamed on sonfs.

const local = mkdtempSync(join(tmpdir(), 'sonfs-export-rw-'));
afterAll(() => rmSync(local, { recursive: true, force: true }));

describe('the /export export', () => {
  test('nfs-ls lists what the server holds, over NFSv3 and NFSv4', async () => {
    const dir = await scratchDir();
    await dir.server.exec(['bash', '-c', `printf 'abc' >${dir.path}/three.txt && mkdir ${dir.path}/sub`]);

    const root = parseNfsLs(await nfsLs(suiteServer().url('/export')));
    expect(root.map((e) => e.name)).toContain(dir.name);

    for (const version of [3, 4]) {
      const listed = parseNfsLs(await nfsLs(dir.url(undefined, { version })));
      expect(listed.map((e) => [e.name, e.size, e.mode[0]]).sort()).toEqual([['sub', expect.any(Number), 'd'], ['three.txt', 3, '-']]);
    }
  });

  test('a 3 MiB file written with nfs-cp reads back identical with nfs-cat', async () => {
    const dir = await scratchDir();
    const data = randomBytes(3 * 1024 * 1024);
    const source = join(local, 'random.bin');
    writeFileSync(source, data);

    const copied = await nfsCp(source, dir.url('random.bin'));
    expect(copied.code, copied.stderr).toBe(0);

    const back = await nfsCat(dir.url('random.bin'));
    expect(back.length).toBe(data.length);
    expect(back.equals(data)).toBe(true);
    // And the server stored exactly those bytes.
    const onServer = await dir.server.exec(`sha256sum <${dir.path}/random.bin`);
    expect(onServer.stdout.slice(0, 64)).toBe(sha256(data));
  });

  test('nfs-cp refuses to overwrite a file that exists', async () => {
    const dir = await scratchDir();
    const source = join(local, 'small.txt');
    writeFileSync(source, 'first');
    expect((await nfsCp(source, dir.url('small.txt'))).code).toBe(0);
    writeFileSync(source, 'second');
    const again = await nfsCp(source, dir.url('small.txt'));
    expect(again.code).not.toBe(0);
    expect((await nfsCat(dir.url('small.txt'))).toString()).toBe('first');
  });

  test('NFSv3 and MOUNT v3 answer NULL calls over TCP and UDP on the provided ports', async () => {
    const { host, ports } = suiteServer();
    for (const [port, program] of [[ports.nfs, '100003'], [ports.mount, '100005']] as const) {
      for (const proto of ['-t', '-u']) {
        const ping = await rpcinfo(['-n', String(port), proto, host, program, '3']);
        expect(ping.code, ping.stderr).toBe(0);
        expect(ping.stdout.toString()).toMatch(/version 3 ready and waiting/);
      }
    }
  });
});

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
