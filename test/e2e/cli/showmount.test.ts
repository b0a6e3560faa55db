/*
 * sonfs showmount against Debian's showmount on the suite's server (rpcbind on 111).
 */
import { describe, expect, test } from 'vitest';
import { showmount } from '../../helpers/clients.js';
import { suiteServer } from '../../helpers/server.js';
import { sonfs, sonfsBin } from './helpers.js';

describe('sonfs showmount', () => {
  test.each([
    [['-e', '127.0.0.1']],
    [['--exports', '127.0.0.1']],
    [['-e', '--no-headers', '127.0.0.1']],
  ])('%j prints exactly what showmount prints', async (args) => {
    const [ours, theirs] = await Promise.all([sonfsBin(['showmount', ...args]), showmount(args)]);
    expect(theirs.code).toBe(0);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout.toString()).toBe(theirs.stdout.toString());
    expect(ours.stderr).toBe(theirs.stderr);
  });

  test('the export list names the three exports, padded to the longest', async () => {
    const r = await sonfs(['showmount', '-e', '127.0.0.1']);
    expect(r.stdout).toBe('Export list for 127.0.0.1:\n/export (everyone)\n/ro     (everyone)\n/squash (everyone)\n');
  });

  test('an unknown host is reported as showmount reports it, exit 1', async () => {
    const [ours, theirs] = await Promise.all([sonfs(['showmount', '-e', 'nosuchhost.invalid']), showmount(['-e', 'nosuchhost.invalid'])]);
    expect(theirs.code).toBe(1);
    expect(ours).toEqual({ code: 1, stdout: theirs.stdout.toString(), stderr: theirs.stderr });
  });

  test('-a, -d and the hosts form have showmount\'s titles', async () => {
    for (const [flag, title] of [['-a', 'All mount points on 127.0.0.1:'], ['-d', 'Directories on 127.0.0.1:'], [null, 'Hosts on 127.0.0.1:']] as const) {
      const args = flag === null ? ['127.0.0.1'] : [flag, '127.0.0.1'];
      const [ours, theirs] = await Promise.all([sonfs(['showmount', ...args]), showmount(args)]);
      expect(theirs.code).toBe(0);
      expect(ours.code).toBe(0);
      expect(ours.stdout.split('\n')[0]).toBe(title);
      expect(theirs.stdout.toString().split('\n')[0]).toBe(title);
    }
  });

  test('--mountport asks MOUNT directly; a port with nothing behind it fails with clnt_create, exit 1', async () => {
    const direct = await sonfs(['showmount', '-e', '--mountport', String(suiteServer().ports.mount), '127.0.0.1']);
    expect(direct.code).toBe(0);
    expect(direct.stdout).toContain('/ro     (everyone)');
    const dead = await sonfs(['showmount', '-e', '--mountport', '9', '127.0.0.1']);
    expect(dead.code).toBe(1);
    expect(dead.stderr).toBe('clnt_create: RPC: Unable to receive; errno = Connection refused\n');
  });
});
