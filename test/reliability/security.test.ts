/*
 * Security against the suite's ganesha, with the record-aware proxy (helpers/tcp-fault-proxy.ts)
 * reading what goes on the wire:
 *
 * - AUTH_SYS carries exactly the configured uid, gid and groups, on every MOUNT and NFS call, and
 *   the server acts on them (owner of new files, access through a supplementary group);
 * - root squash: files created as root on /squash belong to 65534;
 * - the read-only export refuses every kind of write with EROFS (the server's NFS3ERR_ROFS: the
 *   mount itself is not readonly);
 * - a path with "..", empty components, "." or a NUL never becomes a LOOKUP (or any call naming
 *   an entry) that escapes the mount root: no name sent is empty, ".", "..", or holds "/" or NUL;
 * - a reserved source port (< 1024) is used only when the credential is uid 0 (and the process
 *   may bind one, and resvport is on);
 * - no credential, file handle or file data goes into what the client logs (every debuglog
 *   section it could use turned on) or into a trace.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNfsError, mount } from '../../nfsclient/index.js';
import type { NfsClient } from '../../nfsclient/index.js';
import { newproc, runas } from '../../sockets/index.js';
import { scratchDir } from '../helpers/scratch.js';
import { suiteServer } from '../helpers/server.js';
import { rejection } from '../nfsclient/helpers/rejection.js';
import { runSonfs } from './helpers/cli.js';
import { closeLater, mounted } from './helpers/mounts.js';
import { AUTH_SYS, MOUNT_PROG, NFS_PROG, parseAuthSys } from './helpers/rpc-wire.js';
import { TcpFaultProxy } from './helpers/tcp-fault-proxy.js';
import { UdpFaultProxy } from './helpers/udp-fault-proxy.js';

/** The suite's server with MOUNT and NFS both behind proxies that record every call and client port. */
async function proxied(): Promise<{ nfsProxy: TcpFaultProxy; mountProxy: TcpFaultProxy; url: (path: string, p?: Record<string, string | number>) => string }> {
  const server = suiteServer();
  const nfsProxy = closeLater(await TcpFaultProxy.start({ port: server.ports.nfs }));
  const mountProxy = closeLater(await TcpFaultProxy.start({ port: server.ports.mount }));
  return {
    nfsProxy, mountProxy,
    url: (path, p = {}) => server.url(path, { nfsport: nfsProxy.port, mountport: mountProxy.port, ...p }),
  };
}

describe('AUTH_SYS', () => {
  it('carries exactly the configured uid, gid and groups on every MOUNT and NFS call', async () => {
    const { nfsProxy, mountProxy, url } = await proxied();
    const dir = await scratchDir();
    const nfs = await mounted(url('/export', { uid: 31337, gid: 27182, groups: '5,6,1000' }));
    await nfs.writeFile(`/${dir.name}/mine`, 'x');
    await nfs.readdir(`/${dir.name}`, { withFileTypes: true });
    await nfs.rename(`/${dir.name}/mine`, `/${dir.name}/ours`);
    await nfs.umount();
    const calls = [...mountProxy.calls, ...nfsProxy.calls];
    expect(mountProxy.calls.filter((c) => c.prog === MOUNT_PROG).length).toBeGreaterThanOrEqual(2); /* MNT, UMNT */
    expect(nfsProxy.calls.filter((c) => c.prog === NFS_PROG).length).toBeGreaterThan(5);
    for (const c of calls) {
      expect(c.credFlavor, `call ${c.prog}/${c.proc}`).toBe(AUTH_SYS);
      const a = parseAuthSys(c.cred);
      expect(a, 'a well-formed authsys_parms').not.toBe(null);
      expect([a!.uid, a!.gid, a!.gids]).toEqual([31337, 27182, [5, 6, 1000]]);
    }
    expect((await dir.server.exec(['stat', '-c', '%u:%g', `${dir.path}/ours`])).stdout.trim()).toBe('31337:27182');
  });

  it('the server grants access through a supplementary group only when the mount carries it', async () => {
    const dir = await scratchDir();
    await dir.server.exec(`printf secret > ${dir.path}/g.txt && chown 0:6 ${dir.path}/g.txt && chmod 040 ${dir.path}/g.txt`);
    const server = suiteServer();
    const member = await mounted(server.url('/export', { uid: 4242, gid: 4242, groups: '6' }));
    expect(await member.readFile(`/${dir.name}/g.txt`, 'utf8')).toBe('secret');
    const outsider = await mounted(server.url('/export', { uid: 4242, gid: 4242 }));
    expect((await rejection(outsider.readFile(`/${dir.name}/g.txt`))).code).toBe('EACCES');
  });
});

describe('export policies', () => {
  it('root squash: files created as root on /squash belong to 65534', async () => {
    const server = suiteServer();
    const name = `squash-${process.pid}-${Date.now()}`;
    const root = await mounted(server.url('/squash', { uid: 0, gid: 0 }));
    try {
      await root.mkdir(`/${name}`, { mode: 0o777 });
      await root.writeFile(`/${name}/by-root`, 'x');
      expect((await server.exec(['stat', '-c', '%u:%g', `/squash/${name}`, `/squash/${name}/by-root`])).stdout.trim().split('\n'))
        .toEqual(['65534:65534', '65534:65534']);
    } finally {
      await server.exec(['rm', '-rf', `/squash/${name}`]);
    }
  });

  it('the read-only export refuses every kind of write with EROFS', async () => {
    const server = suiteServer();
    const ro = await mounted(server.url('/ro', { uid: 0, gid: 0 })); /* a read-write mount: the server refuses */
    const before = (await server.exec('cd /ro && find . -printf "%p %s %m %T@\\n" | sort')).stdout;
    const writes: [string, () => Promise<unknown>][] = [
      ['writeFile', () => ro.writeFile('/new.txt', 'x')], ['overwrite', () => ro.writeFile('/hello.txt', 'x')],
      ['appendFile', () => ro.appendFile('/hello.txt', 'x')], ['mkdir', () => ro.mkdir('/d')],
      ['rmdir', () => ro.rmdir('/dir/nested')], ['unlink', () => ro.unlink('/empty')],
      ['rename', () => ro.rename('/hello.txt', '/moved')], ['link', () => ro.link('/hello.txt', '/hard')],
      ['symlink', () => ro.symlink('hello.txt', '/sym')], ['chmod', () => ro.chmod('/hello.txt', 0o600)],
      ['chown', () => ro.chown('/hello.txt', 1, 1)], ['truncate', () => ro.truncate('/hello.txt', 1)],
      ['utimes', () => ro.utimes('/hello.txt', 1, 1)], ['open r+ and write', async () => {
        const fh = await ro.open('/hello.txt', 'r+');
        try {
          await fh.write('x', 0);
          await fh.sync();
        } finally {
          await fh.close().catch(() => undefined);
        }
      }],
    ];
    for (const [what, op] of writes) {
      const e = await rejection(op());
      expect(isNfsError(e, 'EROFS'), `${what}: ${e.message}`).toBe(true);
    }
    expect((await server.exec('cd /ro && find . -printf "%p %s %m %T@\\n" | sort')).stdout).toBe(before);
  });
});

describe('paths never escape the mount root', () => {
  it('"..", empty components, "." and NUL: no name sent is empty, ".", ".." or holds "/" or NUL', async () => {
    const dir = await scratchDir();
    const nfs = await mounted(suiteServer().url('/export', { uid: 0, gid: 0 }));
    const sent: { proc: string; name: string }[] = [];
    const raw = nfs.raw.nfs;
    raw.onCall = (name, args) => {
      const a = args as { what?: { name: string }; where?: { name: string }; object?: { name?: string }; from?: { name: string }; to?: { name: string }; link?: { name: string } };
      for (const d of [a.what, a.where, a.object, a.from, a.to, a.link]) {
        if (d !== undefined && typeof d.name === 'string') sent.push({ proc: name, name: d.name });
      }
    };
    const d = dir.name;
    await nfs.writeFile(`/${d}/inside`, 'in');
    await nfs.mkdir(`/${d}/x`);
    const climbs = [`../../../../${d}/inside`, `/${d}/../../../${d}/./inside`, `//${d}//inside`, `${d}/x/../../../${d}/inside`,
      `./../${d}/inside`, `${d}/x/../x/../../../../${d}///inside`];
    for (const p of climbs) expect(await nfs.readFile(p, 'utf8'), p).toBe('in');
    expect(await nfs.realpath('../../..')).toBe('/');
    expect(await nfs.realpath(`/${d}/../../..`)).toBe('/');
    expect((await rejection(nfs.stat('../../../etc/passwd'))).code).toBe('ENOENT'); /* etc in the export's root */
    await nfs.writeFile(`../../${d}//made-from-above`, 'x');
    expect((await dir.server.exec(['cat', `${dir.path}/made-from-above`])).stdout).toBe('x');
    await nfs.mkdir(`/${d}/../${d}/sub/`);
    await nfs.rename(`${d}/../../${d}/sub`, `/../${d}/sub2`);
    await nfs.symlink('../../../../etc', `/../${d}/up`);
    expect((await rejection(nfs.readdir(`/${d}/up`))).code).toBe('ENOENT'); /* the link's target, clamped at the root */
    await nfs.unlink(`/${d}/../../${d}/up`);
    const before = sent.length;
    for (const p of [`/${d}/a\0b`, `/${d}\0/inside`, '\0']) {
      expect((await rejection(nfs.writeFile(p, 'x'))).code).toBe('EINVAL');
      expect((await rejection(nfs.stat(p))).code).toBe('EINVAL');
    }
    expect(sent.length, 'calls sent for paths with a NUL').toBe(before);
    for (const p of [`/${d}/..`, `/${d}/.`, '/..', '..']) expect((await rejection(nfs.unlink(p))).code, p).toBe('EINVAL');
    expect(sent.length).toBeGreaterThan(5);
    for (const s of sent) {
      expect(s.name, `${s.proc} of an empty name`).not.toBe('');
      expect(['.', '..'], `${s.proc} of ${s.name}`).not.toContain(s.name);
      expect(/[/\0]/.test(s.name), `${s.proc} of ${JSON.stringify(s.name)}`).toBe(false);
    }
    expect(sent.filter((s) => s.proc === 'LOOKUP').length).toBeGreaterThan(0);
  });
});

describe('reserved source ports', () => {
  it('only when the credential is uid 0 (TCP)', async () => {
    const { nfsProxy, mountProxy, url } = await proxied();
    const ports = (p: TcpFaultProxy): number[] => p.clientPorts.splice(0);
    const use = async (nfs: NfsClient): Promise<void> => {
      await nfs.stat('/');
      await nfs.umount();
    };
    await use(await mount(url('/export', { uid: 0, gid: 0 })));
    const root = [...ports(nfsProxy), ...ports(mountProxy)];
    await use(await mount(url('/export', { uid: 1000, gid: 1000 })));
    const user = [...ports(nfsProxy), ...ports(mountProxy)];
    await use(await mount(url('/export', { uid: 0, gid: 0 }), { resvport: false }));
    const noresv = [...ports(nfsProxy), ...ports(mountProxy)];
    /* uid 0 asked for by a process that is not root's may not bind one */
    await use(await runas(newproc({ uid: 1000, gid: 1000 }), () => mount(url('/export', { uid: 0, gid: 0 }))));
    const unprivileged = [...ports(nfsProxy), ...ports(mountProxy)];
    expect(root.length).toBe(2);
    for (const p of root) expect(p).toBeLessThan(1024);
    for (const p of [...user, ...noresv, ...unprivileged]) expect(p).toBeGreaterThanOrEqual(1024);
    expect([user.length, noresv.length, unprivileged.length]).toEqual([2, 2, 2]);
  });

  it('only when the credential is uid 0 (UDP)', async () => {
    const server = suiteServer();
    const proxy = closeLater(await UdpFaultProxy.start({ port: server.ports.nfs }));
    const url = (uid: number): string => server.url('/export', { nfsport: proxy.port, proto: 'udp', mountproto: 'tcp', uid, gid: uid, timeo: 5 });
    const a = await mount(url(0));
    await a.stat('/');
    await a.umount();
    const b = await mount(url(1000));
    await b.stat('/');
    await b.umount();
    expect(proxy.clientPorts.length).toBe(2);
    expect(proxy.clientPorts[0]).toBeLessThan(1024);
    expect(proxy.clientPorts[1]).toBeGreaterThanOrEqual(1024);
  });
});

describe('logs and traces', () => {
  let local = '';
  beforeAll(() => {
    local = mkdtempSync(join(tmpdir(), 'sonfs-secrets-'));
  });
  afterAll(() => rmSync(local, { recursive: true, force: true }));

  it('no credential, file handle or file data appears in what the client logs, or in a trace', async () => {
    const dir = await scratchDir();
    const server = suiteServer();
    const DATA = 'the-file-data-4f1c9e2b7a'.repeat(3);
    writeFileSync(join(local, 'src.txt'), DATA);
    const cred = { uid: 31337, gid: 27182, groups: '16180,14142' };
    const u = (rel: string): string => server.url(`${dir.path}/${rel}`, cred);
    /* the handles the commands will meet: the export root's, the directory's and the file's */
    const probe = await mounted(server.url('/export', { uid: 0, gid: 0 }));
    await probe.writeFile(`/${dir.name}/seed.txt`, DATA);
    const handles: Buffer[] = [probe.rootHandle];
    for (const p of [`/${dir.name}`, `/${dir.name}/seed.txt`]) {
      const parts = p.split('/').filter(Boolean);
      let fh = probe.rootHandle;
      for (const name of parts) {
        const r = await probe.raw.nfs.lookup({ what: { dir: fh, name } });
        if (r.status !== 0) throw new Error(`LOOKUP ${name}: ${r.status}`);
        fh = r.resok.object;
      }
      handles.push(fh);
    }
    const secrets: [string, string][] = [
      ['file data', 'the-file-data-4f1c9e2b7a'], ['uid', '31337'], ['gid', '27182'], ['group', '16180'], ['group', '14142'],
    ];
    for (const h of handles) {
      secrets.push(['file handle (hex)', h.toString('hex')], ['file handle (base64)', h.toString('base64')]);
      secrets.push(['file handle bytes', h.toString('latin1')]);
    }
    const env = { ...process.env, NODE_DEBUG: 'sonfs,sonfs*,rpc,rpc*,nfs,nfs*,nfsclient*,sockets*,mount*,xdr*' };
    const trace = join(local, 'trace.bin');
    const runs = [];
    for (const args of [['cp', join(local, 'src.txt'), u('copied.txt')], ['ls', '-l', u('')], ['stat', u('seed.txt')],
      ['cat', u('no-such-file')], ['rm', u('seed.txt')], ['mkdir', u('sub')]]) {
      runs.push(await runSonfs(args, { env }));
    }
    const traced = await runSonfs(['--trace', trace, 'cat', u('copied.txt')], { env });
    const cat = await runSonfs(['cat', u('copied.txt')], { env });
    expect(cat.code, cat.stderr).toBe(0);
    expect(traced.code, `sonfs --trace failed: ${traced.stderr}`).toBe(0);
    expect(cat.stdout).toBe(DATA); /* the data itself, on stdout where it was asked for */
    expect(runs[0]!.code, runs[0]!.stderr).toBe(0);
    expect(runs[3]!.code).toBe(1); /* failures are reported too: check their words */
    /* stderr is where logs go: nothing there. stdout holds what was asked for — owners in ls -l
     * and stat, the data from cat — and no handle or data beyond that. */
    /* The URLs given on the command line may be quoted back in messages (they are the user's own
     * words): take them out before looking. */
    const quoted = (t: string): string => t.split(/'nfs:\/\/[^']*'/).join("'URL'");
    const logged = [...runs.map((r) => r.stderr), traced.stderr, cat.stderr].map(quoted).join('\n');
    expect(logged).toContain('no-such-file'); /* the failure was reported, in words */
    for (const [what, s] of secrets) expect(logged.includes(s), `${what} on stderr: ${logged.slice(0, 2000)}`).toBe(false);
    /* (the traced cat's stdout is the data it was asked for, as the untraced cat's) */
    expect(traced.stdout).toBe(DATA);
    const listed = runs.map((r) => r.stdout).join('\n');
    expect(listed).toContain('copied.txt');
    for (const [what, s] of secrets) {
      if (what === 'uid' || what === 'gid' || what === 'group') continue;
      expect(listed.includes(s), `${what} on stdout: ${listed.slice(0, 2000)}`).toBe(false);
    }
    /* A trace records no secret by default: not the data, no handle, and not the credential as it
     * crosses the wire (authsys_parms: uid, gid, then the groups, as XDR words). The ids in decimal
     * are left out of this check: the trace header records the command line, whose URL is the
     * user's own words. With --trace-data (asked for) every byte is kept: the same search finds the
     * data and the credential there, which shows it can. */
    const words = (...ns: number[]): string => {
      const b = Buffer.alloc(4 * ns.length);
      ns.forEach((n, i) => b.writeUInt32BE(n >>> 0, 4 * i));
      return b.toString('latin1');
    };
    const credWire = words(cred.uid, cred.gid, 2, 16180, 14142);
    const inTrace = secrets.filter(([what]) => what !== 'uid' && what !== 'gid' && what !== 'group');
    inTrace.push(['AUTH_SYS credential (XDR)', credWire]);
    expect(existsSync(trace), 'the trace file').toBe(true);
    const t = readFileSync(trace).toString('latin1');
    for (const [what, s] of inTrace) expect(t.includes(s), `${what} in the trace`).toBe(false);
    const full = join(local, 'trace-data.bin');
    const asked = await runSonfs(['--trace', full, '--trace-data', 'cat', u('copied.txt')], { env });
    expect(asked.code, asked.stderr).toBe(0);
    const f = readFileSync(full).toString('latin1');
    expect(f.includes(DATA), 'the data in a --trace-data trace').toBe(true);
    expect(f.includes(credWire), 'the credential in a --trace-data trace').toBe(true);
    console.log(`traces: ${t.length} bytes by default, none of ${inTrace.length} secrets in them; ${f.length} bytes with --trace-data, data and credential found`);
  });
});
