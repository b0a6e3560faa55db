import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { nfsCp } from '../../helpers/clients.js';
import { scratchDir } from '../../helpers/scratch.js';
import { suiteServer } from '../../helpers/server.js';

const local = mkdtempSync(join(tmpdir(), 'sonfs-export-squash-'));
afterAll(() => rmSync(local, { recursive: true, force: true }));

// libnfs sends AUTH_SYS with the caller's uid unless the URL says otherwise: claim root explicitly,
// so the tests mean the same whoever runs them.
const ROOT = { uid: 0, gid: 0 };

describe('root squash', () => {
  test('/squash maps files created by root to 65534:65534', async () => {
    const server = suiteServer();
    const name = `squashed-${process.pid}-${Date.now()}.txt`;
    const source = join(local, 'file.txt');
    writeFileSync(source, 'squash me');
    try {
      const copied = await nfsCp(source, server.url(`/squash/${name}`, ROOT));
      expect(copied.code, copied.stderr).toBe(0);
      const owner = await server.exec(['stat', '-c', '%u:%g', `/squash/${name}`]);
      expect(owner.stdout.trim()).toBe('65534:65534');
    } finally {
      await server.exec(['rm', '-f', `/squash/${name}`]);
    }
  });

  test('/squash keeps other users as they are', async () => {
    const server = suiteServer();
    const name = `user-${process.pid}-${Date.now()}.txt`;
    const source = join(local, 'user.txt');
    writeFileSync(source, 'not root');
    try {
      const copied = await nfsCp(source, server.url(`/squash/${name}`, { uid: 1234, gid: 4321 }));
      expect(copied.code, copied.stderr).toBe(0);
      const owner = await server.exec(['stat', '-c', '%u:%g', `/squash/${name}`]);
      expect(owner.stdout.trim()).toBe('1234:4321');
    } finally {
      await server.exec(['rm', '-f', `/squash/${name}`]);
    }
  });

  test('/export keeps root as root', async () => {
    const dir = await scratchDir();
    const source = join(local, 'root.txt');
    writeFileSync(source, 'stay root');
    const copied = await nfsCp(source, dir.url('root.txt', ROOT));
    expect(copied.code, copied.stderr).toBe(0);
    const owner = await dir.server.exec(['stat', '-c', '%u:%g', `${dir.path}/root.txt`]);
    expect(owner.stdout.trim()).toBe('0:0');
  });
});
