import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { RO_ENTRIES, RO_PATTERN_SIZE, roPattern } from '../../../testing/index.js';
import { nfsCat, nfsCp, nfsLs, parseNfsLs } from '../../helpers/clients.js';
import { suiteServer } from '../../helpers/server.js';

const local = mkdtempSync(join(tmpdir(), 'sonfs-export-ro-'));
afterAll(() => rmSync(local, { recursive: true, force: true }));

describe('the /ro export', () => {
  test('lists the seeded content described by RO_ENTRIES', async () => {
    const listed = parseNfsLs(await nfsLs(suiteServer().url('/ro'), { recursive: true }));
    const byName = new Map(listed.map((e) => [e.name, e]));
    expect([...byName.keys()].sort()).toEqual(RO_ENTRIES.map((e) => e.path).sort());
    for (const entry of RO_ENTRIES) {
      const seen = byName.get(entry.path)!;
      expect(seen.mode[0], entry.path).toBe(entry.type === 'file' ? '-' : entry.type === 'directory' ? 'd' : 'l');
      expect([seen.uid, seen.gid], entry.path).toEqual([0, 0]);
      if (entry.type === 'file') expect(seen.size, entry.path).toBe(entry.size);
      if (entry.type === 'symlink') expect(seen.size, entry.path).toBe(entry.target.length);
    }
  });

  test('serves the files with their documented bytes', async () => {
    const server = suiteServer();
    for (const entry of RO_ENTRIES) {
      if (entry.type === 'file' && entry.content !== undefined) {
        expect((await nfsCat(server.url(`/ro/${entry.path}`))).toString(), entry.path).toBe(entry.content);
      }
    }
    const pattern = await nfsCat(server.url('/ro/pattern.bin'));
    expect(pattern.length).toBe(RO_PATTERN_SIZE);
    expect(pattern.equals(roPattern())).toBe(true);
    expect(roPattern(250, 3)).toEqual(Buffer.from([250, 0, 1]));
  });

  test('refuses writes', async () => {
    const source = join(local, 'attempt.txt');
    writeFileSync(source, 'must not land');
    const attempt = await nfsCp(source, suiteServer().url('/ro/attempt.txt'));
    expect(attempt.code).not.toBe(0);
    expect(attempt.stderr).toMatch(/NFS3ERR_ROFS/);
    const onServer = await suiteServer().exec(['test', '-e', '/ro/attempt.txt']);
    expect(onServer.exitCode).toBe(1);
  });
});
