/*
 * The dispatcher and every command's argument checks, without a server: usage errors exit 2
 * with the command's usage, --help exits 0, malformed URLs are explained.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { commands } from '../../cli/commands/index.js';
import { run } from './helpers.js';

describe('sonfs usage', () => {
  test('every command of the brief is registered, rpcinfo included', () => {
    expect(Object.keys(commands).sort()).toEqual(
      ['cat', 'cp', 'demo', 'df', 'ln', 'ls', 'mkdir', 'mount', 'mv', 'rm', 'rpcinfo', 'shell', 'showmount', 'stat', 'trace', 'umount'].sort());
  });

  test("the command list shows each command's own summary (the registry's copy matches the module's)", async () => {
    for (const [name, entry] of Object.entries(commands)) expect((await entry.load()).summary, name).toBe(entry.summary);
  });

  test('a name inherited from Object (constructor, toString) is an unknown command, exit 2', async () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      const r = await run([name]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`unknown command '${name}'`);
    }
  });

  test.each(Object.keys(commands))('sonfs %s --help prints its usage and exits 0', async (name) => {
    const r = await run([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`usage: sonfs ${name}`);
    expect(r.stderr).toBe('');
  });

  test('no command, or an unknown one, exits 2 with the list of commands', async () => {
    for (const args of [[], ['frobnicate']]) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('usage: sonfs');
      expect(r.stderr).toContain('showmount');
    }
  });

  test.each([
    [['ls']],
    [['ls', '-Q', 'nfs://h/x']],
    [['cat']],
    [['cp', 'only-one']],
    [['mv', 'nfs://h/a']],
    [['ln', '-s', 'x']],
    [['stat']],
    [['mkdir', '-m', '99', 'nfs://h/x']],
    [['rm']],
    [['df']],
    [['showmount', '-x']],
    [['showmount', 'a', 'b']],
    [['shell', 'a', 'b']],
    [['demo', 'extra']],
    [['mount']],
    [['mount', 'nfs://h/x']],
    [['mount', '-o']],
    [['mount', '--frob', 'nfs://h/x', '/mnt']],
    [['umount']],
    [['umount', '/a', '/b']],
  ])('%j is a usage error: exit 2 and the usage line', async (args) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: sonfs \w+/);
    expect(r.stdout).toBe('');
  });

  test.each([
    ['ls', 'just-a-path', "'just-a-path' is not an nfs:// URL"],
    ['cat', 'http://example.com/x', 'is not an nfs:// URL'],
    ['ls', 'nfs:///export', 'no server name'],
    ['stat', 'nfs://127.0.0.1/export?acregmax=soon', 'acregmax=soon: not a non-negative integer'],
    ['ls', 'nfs://127.0.0.1/export?bogus=1', "unknown option 'bogus'"],
    ['ls', 'nfs://127.0.0.1/export?version=4', 'NFSv4 is not implemented'],
    ['rm', 'nfs://127.0.0.1/a%zz', 'bad %-escape'],
  ])('a bad URL (%s %s) is explained before anything is sent, exit 2', async (cmd, url, message) => {
    const r = await run([cmd, url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('cp checks every URL before copying anything', async () => {
    const r = await run(['cp', '/etc/hostname', 'nfs://127.0.0.1/export/x?nope=1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option 'nope'");
  });

  test('mount checks the URL with -o\'s options before anything else (root or not)', async () => {
    const r = await run(['mount', '-o', 'ro,bogus=1', 'nfs://127.0.0.1/export', os.tmpdir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option 'bogus'");
    const p = await run(['mount', 'just-a-path', os.tmpdir()]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain("'just-a-path' is not an nfs:// URL");
  });

  test('global options need their file name', async () => {
    const r = await run(['--trace']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--trace needs a file name');
  });
});

describe('global options reach the mount', () => {
  test('--trace FILE records the command, even one whose mount fails, into a readable trace', async () => {
    const file = path.join(os.tmpdir(), `sonfs-usage-trace-${process.pid}.pb`);
    try {
      const r = await run(['--trace', file, 'ls', 'nfs://127.0.0.1/x?nfsport=9&mountport=9&soft&timeo=5&retrans=0']);
      expect(r.code).toBe(1);
      expect(fs.statSync(file).size).toBeGreaterThan(0);
      const shown = await run(['trace', 'show', file]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('SOCREATE');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
