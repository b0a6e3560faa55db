/*
 * Cross-checks of the NFSv4 module with an independent v4.0 client, Debian's libnfs tools
 * (`?version=4`): what the module writes nfs-cat reads back byte for byte, and what nfs-cp writes
 * the module reads back, over v4.0 and v4.1.
 *
 * Debian's libnfs (4.0.0) cannot write a WRITE's worth of about 4 KiB over NFSv4 (3800 bytes
 * work, 4000 do not): nfs-cp fails with "Failed to write to dest file" without sending a WRITE (seen
 * with tshark: OPEN, OPEN_CONFIRM, SETATTR, then COMMIT and CLOSE), leaving an empty file. Its
 * files here are therefore smaller than that.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lookup, putfh, getfh, read, write } from '../../../nfsclient/nfs4/build.js';
import { OPEN4_SHARE_ACCESS_READ, OPEN4_SHARE_ACCESS_WRITE, UNSTABLE4 } from '../../../nfsclient/nfs4/constants.js';
import { commit } from '../../../nfsclient/nfs4/build.js';
import { nfsCat, nfsCp } from '../../helpers/clients.js';
import { connect, ok, okOf, pattern, scratch } from './helpers.js';

const local = mkdtempSync(join(tmpdir(), 'sonfs-nfs4-interop-'));
afterAll(() => rmSync(local, { recursive: true, force: true }));

/* libnfs's NFSv4 URL of a path under /export (port 2049, its default). */
const v4url = (path: string): string => `nfs://127.0.0.1${path}?version=4&uid=0&gid=0`;

describe.each([0, 1] as const)('with libnfs over NFSv4.0, the module over NFSv4.%i', (minor) => {
  it('what the module writes nfs-cat reads back byte for byte', async () => {
    const c = await connect(minor);
    const { dir, fh: dirFh } = await scratch(c);
    const data = pattern(3 * 1024 * 1024 + 4321, 40 + minor);
    const f = await c.client.open({ dir: dirFh, name: 'from-sonfs.bin', access: OPEN4_SHARE_ACCESS_WRITE, create: { how: 'unchecked', attrs: { mode: 0o644 } } });
    const chunk = c.client.maxWrite;
    for (let off = 0; off < data.length; off += chunk) {
      await ok(c.client, [putfh(f.fh), write(f.stateid, BigInt(off), data.subarray(off, off + chunk), UNSTABLE4)], { open: f });
    }
    await ok(c.client, [putfh(f.fh), commit()], { open: f });
    await c.client.close(f);
    const back = await nfsCat(v4url(`${dir.path}/from-sonfs.bin`), { timeoutMs: 60_000 });
    expect(back.length).toBe(data.length);
    expect(back.equals(data)).toBe(true);
  });

  it('what nfs-cp writes over v4 the module reads back byte for byte', async () => {
    const c = await connect(minor);
    const { dir, fh: dirFh } = await scratch(c);
    const data = pattern(3000 + minor, 50 + minor);
    const src = join(local, `cp-${minor}.bin`);
    writeFileSync(src, data);
    const r = await nfsCp(src, v4url(`${dir.path}/from-libnfs.bin`));
    expect(r.code, r.stderr).toBe(0);
    const lk = await ok(c.client, [putfh(dirFh), lookup('from-libnfs.bin'), getfh()]);
    expect(okOf(lk.resarray[2]).resok4.object.length).toBeGreaterThan(0);
    const f = await c.client.open({ dir: dirFh, name: 'from-libnfs.bin', access: OPEN4_SHARE_ACCESS_READ });
    const back = Buffer.alloc(data.length + 10);
    let off = 0;
    for (let eof = false; !eof; ) {
      const res = await ok(c.client, [putfh(f.fh), read(f.stateid, BigInt(off), 1 << 20, { buf: back, offset: off })], { open: f });
      const x = okOf(res.resarray[1]).resok4;
      off += x.data;
      eof = x.eof || x.data === 0;
    }
    await c.client.close(f);
    expect(off).toBe(data.length);
    expect(back.subarray(0, off).equals(data)).toBe(true);
  });
});
