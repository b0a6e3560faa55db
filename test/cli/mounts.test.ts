/*
 * How Mounts finds the export of a URL and caches mounts, with the network replaced by a script
 * (a real server cannot be made to refuse EXPORT): the export list's longest prefix, the MNT
 * search when there is no list, one mount per (server, export, options), unmount of everything.
 */
import { describe, expect, test } from 'vitest';
import { Mounts } from '../../cli/lib/mounts.js';
import type { MountsDeps } from '../../cli/lib/mounts.js';
import type { NfsClient } from '../../nfsclient/client/client.js';
import { NfsError } from '../../nfsclient/errors.js';
import type { MountOptions } from '../../nfsclient/options.js';
import { EACCES, ECONNREFUSED } from '../../sockets/errno.js';

interface Script {
  exports: string[] | 'refused';
  mountable: (exp: string) => boolean;
  mounted: MountOptions[];
  unmounted: number;
  listed: number;
}

function scripted(s: Partial<Script> = {}): { deps: MountsDeps; script: Script } {
  const script: Script = { exports: ['/export', '/export/deep', '/ro'], mountable: () => true, mounted: [], unmounted: 0, listed: 0, ...s };
  const deps: MountsDeps = {
    async listExports() {
      script.listed++;
      if (script.exports === 'refused') throw new NfsError(ECONNREFUSED, { syscall: 'showmount' });
      return script.exports.map((dir) => ({ dir }));
    },
    async mount(o) {
      if (!script.mountable(o.export)) throw new NfsError(EACCES, { syscall: 'mount', path: o.export, detail: 'refused' });
      script.mounted.push(o);
      return { options: o, umount: async () => { script.unmounted++; } } as unknown as NfsClient;
    },
    known: async (host) => host !== 'nowhere.invalid',
  };
  return { deps, script };
}

describe('Mounts', () => {
  test('the longest exported prefix is mounted, and the rest of the path is inside it', async () => {
    const { deps, script } = scripted();
    const m = new Mounts({}, deps);
    const a = await m.locate('nfs://h/export/deep/x/y');
    expect({ export: a.export, path: a.path, display: a.display }).toEqual({ export: '/export/deep', path: '/x/y', display: '/export/deep/x/y' });
    const b = await m.locate('nfs://h/export/deeper');
    expect({ export: b.export, path: b.path }).toEqual({ export: '/export', path: '/deeper' });
    const root = await m.locate('nfs://h/ro');
    expect({ export: root.export, path: root.path, display: root.display }).toEqual({ export: '/ro', path: '/', display: '/ro' });
    expect(script.listed).toBe(1);
  });

  test('one mount per server, export and options; all unmounted by closeAll', async () => {
    const { deps, script } = scripted();
    const m = new Mounts({}, deps);
    const [a, b] = await Promise.all([m.locate('nfs://h/export/a'), m.locate('nfs://h/export/b')]);
    expect(a.client).toBe(b.client);
    expect(a.key).toBe(b.key);
    const other = await m.locate('nfs://h/export/a?uid=7');
    expect(other.client).not.toBe(a.client);
    await m.locate('nfs://h2/export/a');
    expect(script.mounted.map((o) => `${o.host}${o.export}`)).toEqual(['h/export', 'h/export', 'h2/export']);
    await m.closeAll();
    expect(script.unmounted).toBe(3);
    await expect(m.locate('nfs://h/export/a')).rejects.toThrow('closed');
  });

  test('without an export list, MNT is tried on each prefix, longest first', async () => {
    const { deps, script } = scripted({ exports: 'refused', mountable: (e) => e === '/a' });
    const m = new Mounts({}, deps);
    const loc = await m.locate('nfs://h/a/b/c');
    expect({ export: loc.export, path: loc.path }).toEqual({ export: '/a', path: '/b/c' });
    expect(script.mounted.map((o) => o.export)).toEqual(['/a']);
  });

  test('an empty export list also falls back to MNT; nothing mountable is the first refusal', async () => {
    const { deps } = scripted({ exports: [], mountable: () => false });
    await expect(new Mounts({}, deps).locate('nfs://h/a/b')).rejects.toMatchObject({ code: 'EACCES', path: '/a/b' });
  });

  test('a path in no listed export fails at once, naming the exports', async () => {
    const { deps, script } = scripted();
    await expect(new Mounts({}, deps).locate('nfs://h/elsewhere/x')).rejects.toThrow(
      'no export of h contains /elsewhere/x; the server exports /export, /export/deep, /ro');
    expect(script.mounted).toEqual([]);
  });

  test('an unknown host is said to be one; a failed mount is not cached', async () => {
    const { deps, script } = scripted();
    await expect(new Mounts({}, deps).locate('nfs://nowhere.invalid/export')).rejects.toThrow("unknown host 'nowhere.invalid'");
    let fail = true;
    script.mountable = () => !fail;
    const m = new Mounts({}, deps);
    await expect(m.locate('nfs://h/export/x')).rejects.toMatchObject({ code: 'EACCES' });
    fail = false;
    expect((await m.locate('nfs://h/export/x')).export).toBe('/export');
  });

  test('--trace reaches the mount options', async () => {
    const { deps, script } = scripted();
    await new Mounts({ trace: '/tmp/t.pb' }, deps).locate('nfs://h/export');
    expect(script.mounted[0]!.trace).toBe('/tmp/t.pb');
  });
});
