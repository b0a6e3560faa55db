/*
 * The data path against the scripted fake server (rsize = wsize = 64 KiB there): write-behind,
 * COMMIT and write verifiers, odd WRITE replies, deferred errors, read splitting and read-ahead.
 */
import { describe, expect, it } from 'vitest';
import { MAX_COMMIT_ROUNDS } from '../../nfsclient/index.js';
import { FILE_SYNC, NF3REG } from '../../nfsclient/nfs3/constants.js';
import { NFS3ERR_NOSPC } from '../../nfsclient/nfs3/nfsstat3.js';
import { fakeServer, mountFake } from './helpers/fake-mount.js';
import { rejection } from './helpers/rejection.js';

const KB = 1024;

function pattern(n: number, seed = 0): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) % 251;
  return b;
}


describe('write-behind and COMMIT', () => {
  it('coalesces sequential small writes into wsize WRITEs, UNSTABLE, then one COMMIT at close', async () => {
    const fake = await fakeServer();
    const stables: number[] = [];
    const sizes: number[] = [];
    fake.on('WRITE', (c) => {
      stables.push(c.args.stable);
      sizes.push(c.args.count);
      c.defaultReply();
    });
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/f', 'w');
    const data = pattern(100 * 1000);
    for (let i = 0; i < 100; i++) await fh.write(data, i * 1000, 1000, null);
    await fh.close();
    expect(sizes).toEqual([64 * KB, 100 * 1000 - 64 * KB]);
    expect(stables).toEqual([0, 0]);
    expect(fake.count('COMMIT')).toBe(1);
    expect(fake.nodes.get(2)!.data.equals(data)).toBe(true);
  });

  it('a file that fits one WRITE is sent FILE_SYNC at close, with no COMMIT', async () => {
    const fake = await fakeServer();
    const stables: number[] = [];
    fake.on('WRITE', (c) => {
      stables.push(c.args.stable);
      c.defaultReply();
    });
    const nfs = await mountFake(fake);
    await nfs.writeFile('/small', 'hello');
    expect(stables).toEqual([FILE_SYNC]);
    expect(fake.count('COMMIT')).toBe(0);
  });

  it('a WRITE answered FILE_SYNC needs no COMMIT for its range', async () => {
    const fake = await fakeServer();
    fake.on('WRITE', (c) => {
      const r = c.defaultResult();
      if (r.status === 0) r.resok.committed = FILE_SYNC;
      c.reply(r);
    });
    const nfs = await mountFake(fake);
    await nfs.writeFile('/f', pattern(300 * KB));
    expect(fake.count('WRITE')).toBe(5);
    expect(fake.count('COMMIT')).toBe(0);
  });

  it('a changed write verifier at COMMIT makes the client write every uncommitted range again', async () => {
    const fake = await fakeServer();
    fake.on('COMMIT', (c) => {
      if (c.count === 0) fake.writeVerf = Buffer.from('verf0002'); /* the server restarted, losing the data */
      c.defaultReply();
    });
    let lost = false;
    fake.on('WRITE', (c) => {
      if (!lost && fake.writeVerf.toString() === 'verf0002') {
        lost = true;
        fake.nodes.get(2)!.data = Buffer.alloc(0); /* what the restart lost */
      }
      c.defaultReply();
    });
    const nfs = await mountFake(fake);
    const data = pattern(200 * KB, 3);
    await nfs.writeFile('/f', data);
    expect(fake.count('WRITE')).toBe(8); /* 4 WRITEs, then the same 4 again */
    expect(fake.count('COMMIT')).toBe(2);
    expect(fake.nodes.get(2)!.data.equals(data)).toBe(true);
    const s = nfs.stats();
    expect([s.verifierMismatches, s.verifierResends]).toEqual([1, 4]);
  });

  it('a verifier that changes at every COMMIT is EIO after a bounded number of rounds', async () => {
    const fake = await fakeServer();
    let n = 0;
    fake.on('COMMIT', (c) => {
      fake.writeVerf = Buffer.from(`changed${++n}`.padEnd(8, '.'));
      c.defaultReply();
    });
    const nfs = await mountFake(fake);
    const e = await rejection(nfs.writeFile('/f', pattern(100 * KB)));
    expect(e.code).toBe('EIO');
    expect(e.message).toContain('verifier');
    expect(fake.count('COMMIT')).toBe(MAX_COMMIT_ROUNDS);
  });

  it('a short WRITE count sends the rest again', async () => {
    const fake = await fakeServer();
    const offsets: bigint[] = [];
    fake.on('WRITE', (c) => {
      offsets.push(c.args.offset);
      const half = Math.ceil(c.args.data.length / 2);
      c.args.data = c.args.data.subarray(0, half);
      c.args.count = half;
      c.defaultReply();
    });
    const nfs = await mountFake(fake);
    const data = pattern(10 * KB);
    await nfs.writeFile('/f', data);
    expect(offsets.slice(0, 3)).toEqual([0n, 5120n, 7680n]);
    expect(fake.nodes.get(2)!.data.equals(data)).toBe(true);
  });

  it('a WRITE count of 0 is an error, not a loop', async () => {
    const fake = await fakeServer();
    fake.on('WRITE', (c) => {
      const r = c.defaultResult();
      if (r.status === 0) r.resok.count = 0;
      c.reply(r);
    });
    const nfs = await mountFake(fake);
    const e = await rejection(nfs.writeFile('/f', 'abc'));
    expect(e.code).toBe('EIO');
    expect(fake.count('WRITE')).toBe(1);
  });

  it('an error of a background WRITE (NOSPC) surfaces at the next fsync or close', async () => {
    const fake = await fakeServer();
    fake.on('WRITE', (c) => c.reply({ status: NFS3ERR_NOSPC, resfail: { file_wcc: { before: null, after: null } } }));
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/f', 'w');
    await fh.write(pattern(64 * KB)); /* a full block: sent in the background */
    await fh.write(Buffer.from('more'));
    const e = await rejection(fh.sync());
    expect(e.code).toBe('ENOSPC');
    await fh.write(Buffer.from('again'));
    const c = await rejection(fh.close());
    expect(c.code).toBe('ENOSPC');
    expect(fh.closed).toBe(true);
  });

  it('overlapping writes are never in flight together: the server applies them in order', async () => {
    const fake = await fakeServer();
    const order: string[] = [];
    fake.on('WRITE', (c) => {
      const tag = String.fromCharCode(c.args.data[0]!);
      order.push(`start ${tag}`);
      setTimeout(() => {
        order.push(`reply ${tag}`);
        c.defaultReply();
      }, tag === 'A' ? 100 : 0);
    });
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/f', 'w');
    await fh.write(Buffer.alloc(64 * KB, 'A'), 0, 64 * KB, 0);
    await fh.write(Buffer.alloc(64 * KB, 'B'), 0, 64 * KB, 0);
    await fh.close();
    expect(order.slice(0, 3)).toEqual(['start A', 'reply A', 'start B']);
    expect(fake.nodes.get(2)!.data.equals(Buffer.alloc(64 * KB, 'B'))).toBe(true);
  });

  it('data written and not yet sent is sent before a read of the same file', async () => {
    const fake = await fakeServer();
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/f', 'w+');
    await fh.write('written, not yet committed');
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(64), 0, 64, 0);
    expect(buffer.subarray(0, bytesRead).toString()).toBe('written, not yet committed');
    await fh.close();
  });
});

describe('read path', () => {
  it('a short READ without EOF reads the rest', async () => {
    const fake = await fakeServer();
    const data = pattern(40 * KB);
    fake.add('f', NF3REG, { data });
    fake.on('READ', (c) => {
      const r = c.defaultResult();
      if (r.status === 0 && r.resok.data.length > 1000) {
        r.resok.data = r.resok.data.subarray(0, 1000);
        r.resok.count = 1000;
        r.resok.eof = false;
      }
      c.reply(r);
    });
    const nfs = await mountFake(fake);
    expect((await nfs.readFile('/f') as Buffer).equals(data)).toBe(true);
    expect(fake.count('READ')).toBeGreaterThan(40);
  });

  it('a READ of 0 bytes without EOF ends the read instead of looping', async () => {
    const fake = await fakeServer();
    fake.add('f', NF3REG, { data: pattern(10 * KB) });
    fake.on('READ', (c) => c.reply({ status: 0, resok: { file_attributes: null, count: 0, eof: false, data: Buffer.alloc(0) } }));
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/f');
    expect((await fh.read(Buffer.alloc(100), 0, 100, 0)).bytesRead).toBe(0);
    await fh.close();
  });

  it('sequential small reads are served by read-ahead: rsize READs, far fewer than reads', async () => {
    const fake = await fakeServer();
    const data = pattern(1024 * KB, 5);
    fake.add('f', NF3REG, { data });
    const counts: number[] = [];
    fake.on('READ', (c) => {
      counts.push(c.args.count);
      c.defaultReply();
    });
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/f');
    const out = Buffer.alloc(data.length);
    for (let at = 0; at < data.length; at += 4 * KB) {
      const r = await fh.read(out, at, 4 * KB, null);
      expect(r.bytesRead).toBe(4 * KB);
    }
    expect((await fh.read(Buffer.alloc(10), 0, 10, null)).bytesRead).toBe(0);
    await fh.close();
    expect(out.equals(data)).toBe(true);
    /* 16 whole blocks, then the READ that finds the end of the file */
    expect(counts).toEqual([...Array(16).fill(64 * KB), 10]);
    expect(nfs.stats().readAheadHits).toBeGreaterThan(900 * KB);
  });

  it('random access reads what it is asked and drops read-ahead', async () => {
    const fake = await fakeServer();
    const data = pattern(1024 * KB, 9);
    fake.add('f', NF3REG, { data });
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/f');
    await fh.read(Buffer.alloc(4 * KB), 0, 4 * KB, 0); /* sequential from 0: starts read-ahead */
    const b = Buffer.alloc(100);
    await fh.read(b, 0, 100, 900_000n);
    expect(b.equals(data.subarray(900_000, 900_100))).toBe(true);
    await fh.close();
    expect(nfs.stats().readAheadDropped).toBeGreaterThan(0);
  });

  it('a large read goes straight into the caller\'s buffer, in rsize READs', async () => {
    const fake = await fakeServer();
    const data = pattern(1000 * KB, 1);
    fake.add('f', NF3REG, { data });
    const nfs = await mountFake(fake);
    const fh = await nfs.open('/f');
    const b = Buffer.alloc(data.length);
    expect((await fh.read(b, 0, b.length, 0)).bytesRead).toBe(data.length);
    expect(b.equals(data)).toBe(true);
    expect(fake.count('READ')).toBe(16);
    await fh.close();
  });
});
