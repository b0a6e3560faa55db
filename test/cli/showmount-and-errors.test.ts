import { describe, expect, test } from 'vitest';
import { dumpLines, exportLines } from '../../cli/commands/showmount.js';
import { usePercent } from '../../cli/commands/df.js';
import { cannot, reason } from '../../cli/lib/errors.js';
import { NfsError } from '../../nfsclient/errors.js';
import { ECONNREFUSED, ENOENT, ESTALE } from '../../sockets/errno.js';

describe('showmount formats', () => {
  test('-e pads each directory to the longest and shows (everyone) for an empty group list', () => {
    expect(exportLines('srv', [
      { ex_dir: '/export', ex_groups: [] },
      { ex_dir: '/ro', ex_groups: ['10.0.0.0/8', 'host1'] },
    ])).toEqual(['Export list for srv:', '/export (everyone)', '/ro     10.0.0.0/8,host1']);
  });

  test('-a, -d and hosts sort in byte order, drop duplicates, and --no-headers drops the title', () => {
    const list = [
      { ml_hostname: 'b', ml_directory: '/x' },
      { ml_hostname: 'a', ml_directory: '/y' },
      { ml_hostname: 'b', ml_directory: '/x' },
      { ml_hostname: 'B', ml_directory: '/x' },
    ];
    expect(dumpLines('s', list, 'all')).toEqual(['All mount points on s:', 'B:/x', 'a:/y', 'b:/x']);
    expect(dumpLines('s', list, 'dirs')).toEqual(['Directories on s:', '/x', '/y']);
    expect(dumpLines('s', list, 'hosts', false)).toEqual(['B', 'a', 'b']);
  });

  test("df's Use% is used / (used + available), rounded up", () => {
    expect(usePercent(0n, 100n)).toBe('0%');
    expect(usePercent(1n, 1000n)).toBe('1%');
    expect(usePercent(50n, 50n)).toBe('50%');
    expect(usePercent(0n, 0n)).toBe('-');
  });
});

describe('error wording', () => {
  test("file errors read as coreutils': strerror of the BSD errno", () => {
    const e = new NfsError(ENOENT, { syscall: 'stat', path: '/a', nfsstat3: 2, detail: 'NFS3ERR_NOENT' });
    expect(cannot('stat', '/export/a', e)).toBe("cannot stat '/export/a': No such file or directory");
    expect(reason(new NfsError(ESTALE, { syscall: 'open', path: '/a' }))).toBe('Stale NFS file handle');
  });

  test('mount failures keep the explanation, connection failures the address', () => {
    const refused = new NfsError(ENOENT, { syscall: 'mount', path: '/nope', detail: 'no export of h contains /nope; the server exports /export' });
    expect(reason(refused)).toBe('No such file or directory (no export of h contains /nope; the server exports /export)');
    const conn = new NfsError(ECONNREFUSED, {
      syscall: 'mount', path: '/export',
      detail: 'RPC: Remote system error - Connection refused (connecting to 127.0.0.1:9/tcp) (program 100005 version 3 procedure 1, xid 42)',
    });
    expect(reason(conn)).toBe('Connection refused (connecting to 127.0.0.1:9/tcp)');
  });

  test("local errors (Node's codes) get the same wording", () => {
    expect(reason(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }))).toBe('No such file or directory');
    expect(reason(new Error('something else'))).toBe('something else');
  });
});
