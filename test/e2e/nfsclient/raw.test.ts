/*
 * The raw tier against ganesha: all 22 NFSv3 procedures and the 6 MOUNT procedures, over TCP and
 * UDP, on RpcClients of its own (no high tier involved). Statuses are returned, never thrown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Mount3, Nfs3 } from '../../../nfsclient/index.js';
import {
  ACCESS3_LOOKUP, ACCESS3_READ, FILE_SYNC, GUARDED, NF3DIR, NF3FIFO, NF3LNK, NF3REG, UNCHECKED, UNSTABLE,
} from '../../../nfsclient/nfs3/constants.js';
import { NFS3_OK } from '../../../nfsclient/nfs3/nfsstat3.js';
import { sattr3Of } from '../../../nfsclient/nfs3/sattr.js';
import { MNT3ERR_ACCES, MNT3ERR_NOENT, MNT3_OK } from '../../../nfsclient/mount3/mountstat3.js';
import { createAuthSys } from '../../../rpc/auth/auth-sys.js';
import { RpcClient } from '../../../rpc/client/index.js';
import { m_freem, m_length, sostat } from '../../../sockets/index.js';
import { newproc } from '../../../sockets/proc.js';
import { scratchDir } from '../../helpers/scratch.js';
import { suiteServer } from '../../helpers/server.js';
import { PROTOS } from './helpers.js';

const clients: RpcClient[] = [];
let base = sostat.so_live;
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  expect(sostat.so_live).toBe(base);
  base = sostat.so_live;
});

function rpc(port: number, proto: 'tcp' | 'udp'): RpcClient {
  const c = new RpcClient({ host: '127.0.0.1', port, proto, auth: createAuthSys({ uid: 0, gid: 0 }) });
  clients.push(c);
  return c;
}

function ok<T extends { status: number }>(r: T): Extract<T, { status: 0 }> {
  if (r.status !== NFS3_OK) throw new Error(`status ${r.status}`);
  return r as Extract<T, { status: 0 }>;
}

describe.each(PROTOS)('raw MOUNT v3 over %s', (proto) => {
  it('NULL, MNT, DUMP, EXPORT, UMNT, UMNTALL', async () => {
    const m = new Mount3(rpc(suiteServer().ports.mount, proto));
    await m.null();
    const r = await m.mnt('/export');
    expect(r.fhs_status).toBe(MNT3_OK);
    if (r.fhs_status === MNT3_OK) expect(r.mountinfo.auth_flavors).toContain(1);
    expect([MNT3ERR_ACCES, MNT3ERR_NOENT]).toContain((await m.mnt('/not-exported')).fhs_status);
    /* ganesha 4.3 keeps no mount list: its DUMP is always empty (a non-empty list is decoded in test/nfs3/mount3.test.ts). */
    expect(await m.dump()).toEqual([]);
    expect((await m.export()).map((e) => e.ex_dir).sort()).toEqual(['/export', '/ro', '/squash']);
    await m.umnt('/export');
    await m.umntall();
  });
});

describe.each(PROTOS)('raw NFSv3 over %s', (proto) => {
  it('every procedure, with its status and results', async () => {
    const dir = await scratchDir();
    const server = suiteServer();
    const m = new Mount3(rpc(server.ports.mount, proto));
    const mr = await m.mnt('/export');
    if (mr.fhs_status !== MNT3_OK) throw new Error('mnt');
    const root = mr.mountinfo.fhandle;
    const nfs = new Nfs3(rpc(server.ports.nfs, proto));
    await nfs.null();

    const d = ok(await nfs.lookup({ what: { dir: root, name: dir.name } })).resok.object;
    expect(ok(await nfs.getattr({ object: d })).resok.obj_attributes.type).toBe(NF3DIR);
    expect(ok(await nfs.access({ object: d, access: ACCESS3_READ | ACCESS3_LOOKUP })).resok.access).toBe(ACCESS3_READ | ACCESS3_LOOKUP);

    const c = ok(await nfs.create({ where: { dir: d, name: 'f' }, how: { mode: GUARDED, obj_attributes: sattr3Of({ mode: 0o640 }) } }));
    const f = c.resok.obj!;
    expect(c.resok.obj_attributes?.mode).toBe(0o640);
    expect((await nfs.create({ where: { dir: d, name: 'f' }, how: { mode: GUARDED, obj_attributes: sattr3Of() } })).status).toBe(17);
    expect((await nfs.create({ where: { dir: d, name: 'f' }, how: { mode: UNCHECKED, obj_attributes: sattr3Of() } })).status).toBe(NFS3_OK);

    const data = Buffer.from('0123456789abcdef'.repeat(64));
    const w = ok(await nfs.write({ file: f, offset: 0n, count: data.length, stable: UNSTABLE, data }));
    expect(w.resok.count).toBe(data.length);
    expect(w.resok.verf).toHaveLength(8);
    const cm = ok(await nfs.commit({ file: f, offset: 0n, count: 0 }));
    expect(cm.resok.verf.equals(w.resok.verf)).toBe(true);
    const w2 = ok(await nfs.write({ file: f, offset: 1024n, count: 4, stable: FILE_SYNC, data: Buffer.from('tail') }));
    expect(w2.resok.committed).toBe(FILE_SYNC);

    const rd = ok(await nfs.read({ file: f, offset: 0n, count: 4096 }));
    expect([rd.resok.count, rd.resok.eof]).toEqual([1028, true]);
    expect(rd.resok.data.subarray(1024).toString()).toBe('tail');
    const into = Buffer.alloc(20, 0x2e);
    const ri = ok(await nfs.readInto({ file: f, offset: 10n, count: 6 }, into, 4));
    expect(ri.resok.data).toBe(6);
    expect(into.toString()).toBe('....abcdef..........');
    const rm = ok(await nfs.readMbuf({ file: f, offset: 0n, count: 16 }));
    expect(m_length(rm.resok.data)).toBe(16);
    m_freem(rm.resok.data);

    const sa = ok(await nfs.setattr({ object: f, new_attributes: sattr3Of({ size: 10n }), guard: null }));
    expect(sa.resok.obj_wcc.after?.size).toBe(10n);

    const md = ok(await nfs.mkdir({ where: { dir: d, name: 'sub' }, attributes: sattr3Of({ mode: 0o755 }) }));
    expect(md.resok.obj_attributes?.type).toBe(NF3DIR);
    const sl = ok(await nfs.symlink({ where: { dir: d, name: 'ln' }, symlink: { symlink_attributes: sattr3Of(), symlink_data: 'f' } }));
    expect(sl.resok.obj_attributes?.type).toBe(NF3LNK);
    expect(ok(await nfs.readlink({ symlink: sl.resok.obj! })).resok.data).toBe('f');
    const mk = ok(await nfs.mknod({ where: { dir: d, name: 'fifo' }, what: { type: NF3FIFO, pipe_attributes: sattr3Of({ mode: 0o600 }) } }));
    expect(mk.resok.obj_attributes?.type).toBe(NF3FIFO);
    const ln = ok(await nfs.link({ file: f, link: { dir: d, name: 'hard' } }));
    expect(ln.resok.file_attributes?.nlink).toBe(2);
    ok(await nfs.rename({ from: { dir: d, name: 'hard' }, to: { dir: md.resok.obj!, name: 'moved' } }));

    const list = ok(await nfs.readdir({ dir: d, cookie: 0n, cookieverf: Buffer.alloc(8), count: 8192 }));
    expect(list.resok.reply.entries.map((e) => e.name).filter((n) => !n.startsWith('.')).sort()).toEqual(['f', 'fifo', 'ln', 'sub']);
    const plus = ok(await nfs.readdirplus({ dir: d, cookie: 0n, cookieverf: Buffer.alloc(8), dircount: 8192, maxcount: 32768 }));
    const fEntry = plus.resok.reply.entries.find((e) => e.name === 'f')!;
    expect(fEntry.name_attributes?.type).toBe(NF3REG);
    expect(fEntry.name_handle?.equals(f)).toBe(true);

    const fsstat = ok(await nfs.fsstat({ fsroot: root }));
    expect(fsstat.resok.tbytes).toBeGreaterThan(0n);
    const fsinfo = ok(await nfs.fsinfo({ fsroot: root }));
    expect(fsinfo.resok.rtmax).toBeGreaterThan(0);
    const pc = ok(await nfs.pathconf({ object: root }));
    expect(pc.resok.name_max).toBeGreaterThan(0);

    ok(await nfs.remove({ object: { dir: d, name: 'ln' } }));
    ok(await nfs.remove({ object: { dir: md.resok.obj!, name: 'moved' } }));
    ok(await nfs.rmdir({ object: { dir: d, name: 'sub' } }));
    expect((await nfs.remove({ object: { dir: d, name: 'ln' } })).status).toBe(2);
  });

  it('per-call credentials: one connection, different users', async () => {
    const dir = await scratchDir();
    const server = suiteServer();
    const m = new Mount3(rpc(server.ports.mount, proto));
    const mr = await m.mnt('/export');
    if (mr.fhs_status !== MNT3_OK) throw new Error('mnt');
    const nfs = new Nfs3(rpc(server.ports.nfs, proto));
    const d = ok(await nfs.lookup({ what: { dir: mr.mountinfo.fhandle, name: dir.name } })).resok.object;
    const asUser = { cred: newproc({ uid: 1234, gid: 5678 }) };
    const c = ok(await nfs.create({ where: { dir: d, name: 'mine' }, how: { mode: GUARDED, obj_attributes: sattr3Of({ mode: 0o600 }) } }, asUser));
    expect([c.resok.obj_attributes?.uid, c.resok.obj_attributes?.gid]).toEqual([1234, 5678]);
    const other = await nfs.read({ file: c.resok.obj!, offset: 0n, count: 1 }, { cred: newproc({ uid: 4321, gid: 4321 }) });
    expect(other.status).toBe(13);
    expect((await nfs.read({ file: c.resok.obj!, offset: 0n, count: 1 }, asUser)).status).toBe(NFS3_OK);
  });
});
