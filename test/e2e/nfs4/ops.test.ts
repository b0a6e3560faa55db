/*
 * The NFSv4 module against the suite's ganesha on port 2049, for each of v4.0, v4.1 and v4.2 (ganesha
 * serves all three; 4.2 is spoken as 4.1): client ID and session, the export found through the
 * pseudo-fs, files created, written, committed, read and closed, listings with attributes, names
 * made and unmade, attributes set — each checked on the server's side of the export.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RpcClient } from '../../../rpc/index.js';
import { NFS4_READDIR_ATTRS, NFS4_STATFS_ATTRS, NFS4_STAT_ATTRS } from '../../../nfsclient/nfs4/attr-sets.js';
import {
  access, commit, getattr, getfh, link, lookup, lookupp, mkdir, putfh, putrootfh, read, readdir, readlink, remove, rename,
  restorefh, savefh, setattr, symlink, write,
} from '../../../nfsclient/nfs4/build.js';
import {
  ACCESS4_DELETE, ACCESS4_EXECUTE, ACCESS4_EXTEND, ACCESS4_LOOKUP, ACCESS4_MODIFY, ACCESS4_READ, FILE_SYNC4, NF4DIR,
  NF4REG, OPEN4_SHARE_ACCESS_BOTH, OPEN4_SHARE_ACCESS_READ, OPEN4_SHARE_ACCESS_WRITE, UNSTABLE4,
} from '../../../nfsclient/nfs4/constants.js';
import { Nfs4Error } from '../../../nfsclient/nfs4/errors.js';
import { bitmap4Has } from '../../../nfsclient/nfs4/bitmap4.js';
import { FATTR4_CHANGE, FATTR4_MODE, FATTR4_SIZE } from '../../../nfsclient/nfs4/fattr4.js';
import type { Fattr4Values } from '../../../nfsclient/nfs4/fattr4.js';
import { NFS4ERR_EXIST, NFS4ERR_MINOR_VERS_MISMATCH, NFS4ERR_NOENT, NFS4ERR_OP_NOT_IN_SESSION, NFS4_OK } from '../../../nfsclient/nfs4/nfsstat4.js';
import { Nfs4 } from '../../../nfsclient/nfs4/raw.js';
import { suiteServer } from '../../helpers/server.js';
import { MINOR_VERSIONS, connect, ok, okOf, pattern, scratch, statusOf } from './helpers.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function serverOut(cmd: string): Promise<string> {
  const r = await suiteServer().exec(cmd);
  if (r.exitCode !== 0) throw new Error(`${cmd}: ${r.output}`);
  return r.stdout.trim();
}

describe('ganesha and minor versions', () => {
  it('accepts minor versions 0, 1 and 2 (1 and 2 only in a session) and refuses 3 with NFS4ERR_MINOR_VERS_MISMATCH', async () => {
    const rpc = new RpcClient({ host: '127.0.0.1', port: suiteServer().ports.nfs, auth: 'sys', resvport: false });
    try {
      expect((await new Nfs4(rpc, 0).compound([putrootfh(), getfh()])).status).toBe(NFS4_OK);
      for (const minor of [1, 2]) expect((await new Nfs4(rpc, minor).compound([putrootfh(), getfh()])).status, `4.${minor}`).toBe(NFS4ERR_OP_NOT_IN_SESSION);
      const r = await new Nfs4(rpc, 3).compound([putrootfh(), getfh()]);
      expect(r.status).toBe(NFS4ERR_MINOR_VERS_MISMATCH);
      expect(r.resarray.length).toBe(0);
    } finally {
      await rpc.close();
    }
  });
});

describe.each(MINOR_VERSIONS)('NFSv4.%i against ganesha', (minor) => {
  it('establishes its client ID (and session) and finds /export through the pseudo-fs', async () => {
    const c = await connect(minor);
    expect(c.client.clientid).not.toBeNull();
    if (minor === 0) expect(c.client.session).toBeNull();
    else {
      expect(c.client.session!.fore.ca_maxrequests).toBeGreaterThan(0);
      expect(c.client.session!.sessionid.length).toBe(16);
    }
    expect(c.info.root.length).toBeGreaterThan(0);
    expect(c.info.attrs.type).toBe(NF4DIR);
    expect(c.info.leaseTime).toBeGreaterThan(0);
    expect(c.client.leaseTime).toBe(c.info.leaseTime);
    for (const a of [FATTR4_SIZE, FATTR4_MODE, FATTR4_CHANGE]) expect(bitmap4Has(c.info.supportedAttrs, a)).toBe(true);
    expect(c.info.rsize).toBeGreaterThan(4096);
    expect(c.info.wsize).toBeLessThanOrEqual(1 << 20);
    if (minor >= 1) expect(c.info.suppattrExclcreat.length).toBeGreaterThan(0);
  });

  it('creates, writes (UNSTABLE), commits, reads back and closes a file: the server holds the bytes', async () => {
    const c = await connect(minor);
    const { dir, fh: dirFh } = await scratch(c);
    const f = await c.client.open({ dir: dirFh, name: 'data.bin', access: OPEN4_SHARE_ACCESS_BOTH, create: { how: 'unchecked', attrs: { mode: 0o640 } }, attrRequest: NFS4_STAT_ATTRS });
    expect(f.created).toBe(true);
    expect(f.attrs.type).toBe(NF4REG);
    const data = pattern(900_001, minor);
    const chunk = 256 * 1024;
    const verfs: Buffer[] = [];
    for (let off = 0; off < data.length; off += chunk) {
      const res = await ok(c.client, [putfh(f.fh), write(f.stateid, BigInt(off), data.subarray(off, off + chunk), UNSTABLE4)], { open: f });
      const w = okOf(res.resarray[1]).resok4;
      expect(w.count).toBe(Math.min(chunk, data.length - off));
      verfs.push(w.writeverf);
    }
    const cm = await ok(c.client, [putfh(f.fh), commit(), getattr(NFS4_STAT_ATTRS)], { open: f });
    expect(verfs.every((v) => v.equals(okOf(cm.resarray[1]).resok4.writeverf))).toBe(true);
    expect(okOf(cm.resarray[2]).resok4.obj_attributes.attr_vals.size).toBe(BigInt(data.length));
    const back = Buffer.alloc(data.length);
    let eof = false;
    for (let off = 0; !eof; ) {
      const res = await ok(c.client, [putfh(f.fh), read(f.stateid, BigInt(off), 300_000, { buf: back, offset: off })], { open: f });
      const r = okOf(res.resarray[1]).resok4;
      off += r.data;
      eof = r.eof || r.data === 0;
    }
    expect(back.equals(data)).toBe(true);
    await c.client.close(f);
    expect(c.client.openStates.length).toBe(0);
    expect(await serverOut(`sha256sum ${dir.path}/data.bin | cut -d' ' -f1`)).toBe(sha256(data));
    expect(await serverOut(`stat -c %a ${dir.path}/data.bin`)).toBe('640');
  });

  it('lists a directory with attributes over several READDIRs, each entry with its handle and fileid', async () => {
    const c = await connect(minor);
    const { dir, fh: dirFh } = await scratch(c);
    await serverOut(`cd ${dir.path} && for i in $(seq 1 60); do head -c $i /dev/zero > f$i; done && mkdir sub`);
    const seen = new Map<string, Fattr4Values>();
    let cookie = 0n;
    let verf: Buffer = Buffer.alloc(8);
    let calls = 0;
    for (let eof = false; !eof; calls++) {
      const res = await ok(c.client, [putfh(dirFh), readdir(cookie, verf, 1024, 2048, NFS4_READDIR_ATTRS)]);
      const r = okOf(res.resarray[1]).resok4;
      for (const e of r.reply.entries) {
        expect(seen.has(e.name)).toBe(false);
        seen.set(e.name, e.attrs.attr_vals);
        cookie = e.cookie;
      }
      verf = r.cookieverf;
      eof = r.reply.eof;
      if (r.reply.entries.length === 0) expect(eof).toBe(true);
    }
    expect(calls).toBeGreaterThan(2);
    expect(seen.size).toBe(61);
    expect(seen.has('.')).toBe(false);
    for (let i = 1; i <= 60; i++) {
      const a = seen.get(`f${i}`)!;
      expect(a.type).toBe(NF4REG);
      expect(a.size).toBe(BigInt(i));
      expect(a.filehandle!.length).toBeGreaterThan(0);
      expect(typeof a.fileid).toBe('bigint');
      expect(a.rdattr_error ?? NFS4_OK).toBe(NFS4_OK);
    }
    expect(seen.get('sub')!.type).toBe(NF4DIR);
  });

  it('makes and unmakes names: mkdir, symlink and READLINK, a hard link, rename, remove', async () => {
    const c = await connect(minor);
    const { dir, fh: dirFh } = await scratch(c);
    const md = await ok(c.client, [putfh(dirFh), mkdir('d', { mode: 0o750 }), getfh(), getattr(NFS4_STAT_ATTRS)]);
    expect(okOf(md.resarray[3]).resok4.obj_attributes.attr_vals.type).toBe(NF4DIR);
    const sl = await ok(c.client, [putfh(dirFh), symlink('ln', 'd/target'), getfh(), readlink()]);
    expect(okOf(sl.resarray[3]).resok4.link).toBe('d/target');
    const f = await c.client.open({ dir: dirFh, name: 'file', access: OPEN4_SHARE_ACCESS_WRITE, create: { how: 'guarded', attrs: { mode: 0o600 } } });
    await c.client.close(f);
    /* LINK: the saved handle (the file) into the current one (the directory d) */
    const dfh = okOf(md.resarray[2]).resok4.object;
    const lk = await ok(c.client, [putfh(f.fh), savefh(), putfh(dfh), link('hard'), putfh(f.fh), getattr(NFS4_STAT_ATTRS)]);
    expect(okOf(lk.resarray[5]).resok4.obj_attributes.attr_vals.numlinks).toBe(2);
    /* RENAME from the saved directory to the current one */
    await ok(c.client, [putfh(dirFh), savefh(), putfh(dfh), rename('file', 'moved')]);
    expect(await serverOut(`cd ${dir.path} && ls -1 . d | tr '\\n' ' '`)).toBe('.: d ln  d: hard moved');
    expect(await serverOut(`test -f ${dir.path}/d/moved && stat -c '%h %a' ${dir.path}/d/moved`)).toBe('2 600');
    expect(await serverOut(`readlink ${dir.path}/ln`)).toBe('d/target');
    expect(await statusOf(c.client, [putfh(dirFh), remove('d')])).toBe('NFS4ERR_NOTEMPTY');
    await ok(c.client, [putfh(dfh), remove('hard'), remove('moved'), putfh(dirFh), remove('d'), remove('ln')]);
    expect(await serverOut(`ls -A ${dir.path} | wc -l`)).toBe('0');
    expect(await statusOf(c.client, [putfh(dirFh), lookup('d')])).toBe('NFS4ERR_NOENT');
  });

  it('sets attributes: mode, size with the open\'s stateid, times, owner and group as numeric strings', async () => {
    const c = await connect(minor);
    const { dir, fh: dirFh } = await scratch(c);
    const f = await c.client.open({ dir: dirFh, name: 'a', access: OPEN4_SHARE_ACCESS_BOTH, create: { how: 'unchecked' } });
    await ok(c.client, [putfh(f.fh), write(f.stateid, 0n, pattern(10_000), FILE_SYNC4)], { open: f });
    await ok(c.client, [putfh(f.fh), setattr({ size: 1234n }, f.stateid)], { open: f });
    await ok(c.client, [putfh(f.fh), setattr({ mode: 0o604, owner: '1234', owner_group: '4321' })]);
    await ok(c.client, [putfh(f.fh), setattr({ time_modify_set: { set_it: 1, time: { seconds: 1_000_000_000, nseconds: 5 } }, time_access_set: { set_it: 0 } })]);
    const g = await ok(c.client, [putfh(f.fh), getattr(NFS4_STAT_ATTRS)]);
    const a = okOf(g.resarray[1]).resok4.obj_attributes.attr_vals;
    expect(a.size).toBe(1234n);
    expect(a.mode! & 0o7777).toBe(0o604);
    expect(a.time_modify).toEqual({ seconds: 1_000_000_000, nseconds: 5 });
    await c.client.close(f);
    expect(await serverOut(`stat -c '%s %a %u %g %Y' ${dir.path}/a`)).toBe('1234 604 1234 4321 1000000000');
  });

  it('creates exclusively: a GUARDED or EXCLUSIVE create of an existing name fails with EXIST', async () => {
    const c = await connect(minor);
    const { dir, fh: dirFh } = await scratch(c);
    const f = await c.client.open({ dir: dirFh, name: 'x', access: OPEN4_SHARE_ACCESS_BOTH, create: { how: 'exclusive', attrs: { mode: 0o611 } }, attrRequest: NFS4_STAT_ATTRS });
    expect(f.created).toBe(true);
    expect(f.attrs.mode! & 0o777).toBe(0o611);
    await c.client.close(f);
    for (const how of ['exclusive', 'guarded'] as const) {
      const e = await c.client.open({ dir: dirFh, name: 'x', access: OPEN4_SHARE_ACCESS_READ, create: { how } }).catch((x: unknown) => x);
      expect(e, how).toBeInstanceOf(Nfs4Error);
      expect((e as Nfs4Error).status).toBe(NFS4ERR_EXIST);
      expect((e as Nfs4Error).code).toBe('EEXIST');
    }
    expect(await serverOut(`stat -c %a ${dir.path}/x`)).toBe('611');
    expect(c.client.openStates.length).toBe(0);
  });

  it('merges one owner\'s opens of a file into one state; closing the writer downgrades, the last close closes', async () => {
    const c = await connect(minor);
    const { fh: dirFh } = await scratch(c);
    const r = await c.client.open({ dir: dirFh, name: 'm', access: OPEN4_SHARE_ACCESS_READ, create: { how: 'unchecked' } });
    const w = await c.client.open({ dir: dirFh, name: 'm', access: OPEN4_SHARE_ACCESS_WRITE });
    expect(w.state).toBe(r.state);
    expect(r.state.access).toBe(OPEN4_SHARE_ACCESS_BOTH);
    await ok(c.client, [putfh(w.fh), write(w.stateid, 0n, Buffer.from('merged'), FILE_SYNC4)], { open: w });
    await c.client.close(w);
    expect(c.client.counters.downgrades).toBe(1);
    expect(r.state.access).toBe(OPEN4_SHARE_ACCESS_READ);
    const res = await ok(c.client, [putfh(r.fh), read(r.stateid, 0n, 100)], { open: r });
    expect(okOf(res.resarray[1]).resok4.data.toString()).toBe('merged');
    await c.client.close(r);
    expect(c.client.openStates.length).toBe(0);
    expect(c.client.counters.closes).toBe(1);
  });

  it('answers ACCESS, statfs\'s attributes, LOOKUPP and SAVEFH/RESTOREFH', async () => {
    const c = await connect(minor);
    const { fh: dirFh } = await scratch(c);
    const all = ACCESS4_READ | ACCESS4_LOOKUP | ACCESS4_MODIFY | ACCESS4_EXTEND | ACCESS4_DELETE | ACCESS4_EXECUTE;
    const ac = await ok(c.client, [putfh(dirFh), access(all)]);
    expect(okOf(ac.resarray[1]).resok4.access & ACCESS4_LOOKUP).toBe(ACCESS4_LOOKUP);
    const fs = await ok(c.client, [putfh(dirFh), getattr(NFS4_STATFS_ATTRS)]);
    const a = okOf(fs.resarray[1]).resok4.obj_attributes.attr_vals;
    expect(a.space_total! > 0n).toBe(true);
    expect(a.files_total! > 0n).toBe(true);
    const up = await ok(c.client, [putfh(dirFh), savefh(), lookupp(), getfh(), restorefh(), getfh()]);
    expect(okOf(up.resarray[3]).resok4.object.equals(c.info.root)).toBe(true);
    expect(okOf(up.resarray[5]).resok4.object.equals(dirFh)).toBe(true);
    expect(await statusOf(c.client, [putfh(dirFh), lookup('nothing-here')])).toBe('NFS4ERR_NOENT');
    const e = await c.client.open({ dir: dirFh, name: 'nothing-here', access: OPEN4_SHARE_ACCESS_READ }).catch((x: unknown) => x);
    expect((e as Nfs4Error).status).toBe(NFS4ERR_NOENT);
  });
});
