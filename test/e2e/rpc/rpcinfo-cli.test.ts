/*
 * `sonfs rpcinfo` against Debian's rpcinfo on the same server: same output, same exit status.
 */
import { describe, expect, test } from 'vitest';
import { rpcinfo } from '../../helpers/clients.js';
import { sonfs } from './helpers.js';

async function both(args: string[]): Promise<{ ours: Awaited<ReturnType<typeof sonfs>>; theirs: { code: number | null; stdout: string; stderr: string } }> {
  const [ours, run] = await Promise.all([sonfs(['rpcinfo', ...args]), rpcinfo(args)]);
  return { ours, theirs: { code: run.code, stdout: run.stdout.toString(), stderr: run.stderr } };
}

describe('sonfs rpcinfo', () => {
  test('-p prints the same table as rpcinfo -p', async () => {
    const { ours, theirs } = await both(['-p', '127.0.0.1']);
    expect(theirs.code).toBe(0);
    expect(ours.code).toBe(0);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stdout.split('\n')[0]).toBe('   program vers proto   port  service');
  });

  test.each([
    ['-t', '127.0.0.1', '100003', '3'],
    ['-u', '127.0.0.1', 'nfs', '3'],
    ['-t', '127.0.0.1', 'mountd', '3'],
    ['-t', '127.0.0.1', '100003'],
    ['-u', '127.0.0.1', 'portmapper'],
  ])('a ping that succeeds (%s %s %s %s) prints what rpcinfo prints and exits 0', async (...args) => {
    const { ours, theirs } = await both(args.filter((a): a is string => a !== undefined));
    expect(theirs.code).toBe(0);
    expect(ours).toEqual({ code: 0, stdout: theirs.stdout, stderr: theirs.stderr });
    expect(ours.stdout).toMatch(/^program \d+ version \d+ ready and waiting$/m);
  });

  test.each([
    ['-t', '127.0.0.1', '100003', '5'],
    ['-u', '127.0.0.1', '100003', '5'],
    ['-u', '127.0.0.1', 'mountd'],
    ['-t', '127.0.0.1', '100099'],
    ['-u', '127.0.0.1', '100099', '1'],
    ['-t', '127.0.0.1', 'bogusname'],
    ['-t', '127.0.0.1', '100003', 'x'],
  ])('a ping that fails (%s %s %s %s) prints what rpcinfo prints and exits 1', async (...args) => {
    const { ours, theirs } = await both(args.filter((a): a is string => a !== undefined));
    expect(theirs.code).toBe(1);
    expect(ours).toEqual({ code: 1, stdout: theirs.stdout, stderr: theirs.stderr });
  });

  test('a port where nothing listens: the connection is refused, exit 1', async () => {
    const ours = await sonfs(['rpcinfo', '-n', '9', '-t', '127.0.0.1', '100003', '3']);
    expect(ours.code).toBe(1);
    expect(ours.stderr).toBe('127.0.0.1: RPC: Remote system error - Connection refused\n');
    expect(ours.stdout).toBe('');
  });

  test('bad usage exits 2 with the usage line', async () => {
    const r = await sonfs(['rpcinfo', '-t', '127.0.0.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: sonfs rpcinfo');
  });
});
