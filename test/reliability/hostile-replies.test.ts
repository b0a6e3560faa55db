/*
 * Hostile replies from a fake server (the scripted MOUNT+NFS server of test/nfsclient/helpers,
 * on the rpc tests' FakeRpcServer, answering with hand-made bytes: helpers/xdr-bytes.ts): records
 * cut short, lengths up to 2^32-1, bad padding, wrong xids, garbage; READDIR replies with huge
 * entry counts, endless pages and impossible names; cyclic symbolic links; file handles over 64
 * bytes. Each must give a typed error (an NfsError with a code; RpcError causes), with no crash,
 * no hang (soft mounts with short timeouts: a hard mount retries by design) and bounded memory
 * (peak RSS growth during the operation).
 */
import { describe, expect, it } from 'vitest';
import { isNfsError, mount } from '../../nfsclient/index.js';
import type { NfsClient } from '../../nfsclient/index.js';
import { NF3LNK, NF3REG } from '../../nfsclient/nfs3/constants.js';
import { MAX_DIR_ENTRIES } from '../../nfsclient/client/dir-walk.js';
import { RpcError, XdrDecodeError } from '../../rpc/index.js';
import { sostat } from '../../sockets/index.js';
import { fakeServer, mountFake } from '../nfsclient/helpers/fake-mount.js';
import type { FakeNfs } from '../nfsclient/helpers/fake-nfs.js';
import { FakeRpcServer, successMessage } from '../rpc/helpers/fake-rpc-server.js';
import { Prng } from './helpers/prng.js';
import { readdirReply, XdrBytes } from './helpers/xdr-bytes.js';

const MiB = 1024 * 1024;
/**
 * Soft, quick: a call fails 0.5 + 1 s after it is first sent — short enough for the tests that
 * expect ETIMEDOUT, long enough that the calls that must succeed (MNT, FSINFO, the good replies)
 * do so on a machine busy with the rest of the suite.
 */
const QUICK = { soft: true, timeo: 5, retrans: 1, noac: true };

interface Outcome {
  error: unknown;
  value: unknown;
  /** Peak RSS growth while it ran, in bytes. */
  peak: number;
}

/* Run `fn`, sampling RSS every 5 ms; never throws. */
async function watched(fn: () => Promise<unknown>): Promise<Outcome> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    return { error: null, value: await fn(), peak: Math.max(peak, process.memoryUsage.rss()) - base };
  } catch (error) {
    return { error, value: undefined, peak: Math.max(peak, process.memoryUsage.rss()) - base };
  } finally {
    clearInterval(t);
  }
}

/** The operation failed with an NfsError of `code`, within `maxMiB` of RSS growth. */
async function expectTyped(fn: () => Promise<unknown>, code: string | RegExp, maxMiB = 64): Promise<Outcome> {
  const o = await watched(fn);
  expect(isNfsError(o.error), `not an NfsError: ${String(o.error)}`).toBe(true);
  const c = (o.error as { code: string }).code;
  if (typeof code === 'string') expect(c, (o.error as Error).message).toBe(code);
  else expect(c, (o.error as Error).message).toMatch(code);
  expect(o.peak, `RSS grew by ${(o.peak / MiB).toFixed(0)} MiB`).toBeLessThan(maxMiB * MiB);
  return o;
}

/** A fake server with one regular file, mounted soft with short timeouts. */
async function setup(extra: Record<string, unknown> = {}, proto: 'tcp' | 'udp' = 'tcp'): Promise<{ fake: FakeNfs; nfs: NfsClient }> {
  const fake = await fakeServer(proto);
  fake.add('f', NF3REG, { data: Buffer.from('0123456789') });
  const nfs = await mountFake(fake, { ...QUICK, proto, ...extra });
  return { fake, nfs };
}

describe('the record layer and RPC headers', () => {
  it('a record mark claiming 2^31-1 bytes (0xffffffff): the connection is dropped, nothing of that size allocated; ETIMEDOUT', async () => {
    const { fake, nfs } = await setup();
    fake.on('GETATTR', (c) => fake.rpc.send(c.call, Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4])));
    await expectTyped(() => nfs.stat('/'), 'ETIMEDOUT');
    expect(nfs.stats().rpc.disconnects).toBeGreaterThan(0);
  });

  it('a record cut short and the connection closed: resent on a new connection; ETIMEDOUT', async () => {
    const { fake, nfs } = await setup();
    fake.on('GETATTR', (c) => {
      const msg = successMessage(c.call.xid, Buffer.alloc(88));
      const mark = Buffer.alloc(4);
      mark.writeUInt32BE((0x80000000 | msg.length) >>> 0, 0);
      fake.rpc.send(c.call, Buffer.concat([mark, msg.subarray(0, 30)]));
      c.call.conn?.end();
    });
    await expectTyped(() => nfs.stat('/'), 'ETIMEDOUT');
    expect(fake.rpc.accepted).toBeGreaterThan(1);
  });

  it('a reply whose header is cut short is a bad reply (the stream is out of step): ETIMEDOUT', async () => {
    const { fake, nfs } = await setup();
    fake.on('GETATTR', (c) => fake.rpc.sendMessage(c.call, successMessage(c.call.xid).subarray(0, 14)));
    await expectTyped(() => nfs.stat('/'), 'ETIMEDOUT');
    expect(nfs.stats().rpc.badReplies).toBeGreaterThan(0);
  });

  it('results cut short: EBADRPC from the decoder, at once', async () => {
    const { fake, nfs } = await setup();
    fake.on('GETATTR', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(0).u32(1).u32(7).bytes()));
    const o = await expectTyped(() => nfs.stat('/'), 'EBADRPC');
    expect((o.error as Error).cause).toBeInstanceOf(XdrDecodeError);
  });

  it('wrong xids: replies to calls never made are dropped and counted; ETIMEDOUT', async () => {
    const { fake, nfs } = await setup();
    fake.on('GETATTR', (c) => {
      fake.rpc.sendMessage(c.call, successMessage((c.call.xid ^ 0x5a5a5a5a) >>> 0, Buffer.alloc(88)));
      fake.rpc.sendMessage(c.call, successMessage((c.call.xid + 1) >>> 0, Buffer.alloc(88)));
    });
    await expectTyped(() => nfs.stat('/'), 'ETIMEDOUT');
    expect(nfs.stats().rpc.strayReplies).toBeGreaterThanOrEqual(2);
  });

  it('over UDP: truncated, garbage and wrong-xid datagrams are dropped; ETIMEDOUT', async () => {
    const { fake, nfs } = await setup({}, 'udp');
    fake.on('GETATTR', (c) => {
      fake.rpc.send(c.call, successMessage(c.call.xid).subarray(0, 10));
      fake.rpc.send(c.call, new Prng(c.count).bytes(200));
      fake.rpc.send(c.call, successMessage((c.call.xid + 7) >>> 0, Buffer.alloc(88)));
    });
    await expectTyped(() => nfs.stat('/'), 'ETIMEDOUT');
    const st = nfs.stats().rpc;
    expect(st.badReplies + st.strayReplies).toBeGreaterThanOrEqual(3);
  });

  it('garbage results for every procedure: every operation settles, failing only with NfsErrors', async () => {
    const { fake, nfs } = await setup();
    const rnd = new Prng(99);
    const names = ['GETATTR', 'SETATTR', 'LOOKUP', 'ACCESS', 'READLINK', 'READ', 'WRITE', 'CREATE', 'MKDIR', 'SYMLINK',
      'REMOVE', 'RMDIR', 'RENAME', 'LINK', 'READDIR', 'READDIRPLUS', 'FSSTAT', 'COMMIT'] as const;
    for (const n of names) {
      fake.on(n, (c) => {
        /* half the time a status word that says OK, so the decoders get to the garbage */
        const body = rnd.bytes(rnd.int(0, 300));
        if (rnd.chance(0.5) && body.length >= 4) body.writeUInt32BE(0, 0);
        fake.rpc.reply(c.call, body);
      });
    }
    const ops: [string, () => Promise<unknown>][] = [
      ['stat', () => nfs.stat('/f')], ['readFile', () => nfs.readFile('/f')], ['readdir', () => nfs.readdir('/')],
      ['readdir types', () => nfs.readdir('/', { withFileTypes: true })], ['writeFile', () => nfs.writeFile('/n', 'x')],
      ['mkdir', () => nfs.mkdir('/d')], ['rename', () => nfs.rename('/f', '/g')], ['unlink', () => nfs.unlink('/f')],
      ['symlink', () => nfs.symlink('t', '/l')], ['readlink', () => nfs.readlink('/f')], ['chmod', () => nfs.chmod('/f', 0o600)],
      ['truncate', () => nfs.truncate('/f', 3)], ['statfs', () => nfs.statfs()], ['link', () => nfs.link('/f', '/h')],
    ];
    let failures = 0;
    for (let round = 0; round < 5; round++) {
      for (const [what, op] of ops) {
        const o = await watched(op);
        if (o.error !== null) {
          failures++;
          expect(isNfsError(o.error), `${what}: ${String(o.error)}`).toBe(true);
          const cause = (o.error as Error).cause;
          if (cause !== undefined) expect(RpcError.isRpcError(cause), `${what}: cause ${String(cause)}`).toBe(true);
        }
        expect(o.peak).toBeLessThan(64 * MiB);
      }
    }
    expect(failures).toBeGreaterThan(ops.length);
  });
});

describe('lengths, padding and file handles', () => {
  it('an opaque length of 2^32-1 (a file handle, READ data, a name, a link target): EBADRPC, nothing allocated for it', async () => {
    const { fake, nfs } = await setup();
    fake.on('LOOKUP', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(0).u32(0xffffffff).raw(Buffer.alloc(64)).bytes()));
    await expectTyped(() => nfs.stat('/f'), 'EBADRPC');
    fake.on('LOOKUP', (c) => c.defaultReply());
    fake.on('READ', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(0).bool(false).u32(10).bool(true).u32(0xffffffff).raw(Buffer.alloc(16)).bytes()));
    await expectTyped(() => nfs.readFile('/f'), 'EBADRPC');
    fake.on('READDIR', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(0).bool(false).raw(Buffer.alloc(8))
      .bool(true).u64(5).u32(0xffffffff).raw(Buffer.alloc(32)).bytes()));
    await expectTyped(() => nfs.readdir('/'), 'EBADRPC');
    fake.add('l', NF3LNK, { target: 'x' });
    fake.on('READLINK', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(0).bool(false).u32(0xffffffff).bytes()));
    await expectTyped(() => nfs.readlink('/l'), 'EBADRPC');
  });

  it('nonzero padding after an opaque: EBADRPC', async () => {
    const { fake, nfs } = await setup();
    fake.on('LOOKUP', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(0).opaque(fake.fh(2).subarray(0, 7), { pad: 0xee })
      .bool(false).bool(false).bytes()));
    await expectTyped(() => nfs.stat('/f'), 'EBADRPC');
    fake.on('READDIR', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(0).bool(false).raw(Buffer.alloc(8))
      .bool(true).u64(5).opaque('abcde', { pad: 1 }).u64(1).bool(false).bool(true).bytes()));
    await expectTyped(() => nfs.readdir('/'), 'EBADRPC');
  });

  it('a file handle over 64 bytes from LOOKUP, or from CREATE: EBADRPC', async () => {
    const { fake, nfs } = await setup();
    fake.on('LOOKUP', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(0).opaque(Buffer.alloc(65, 7)).bool(false).bool(false).bytes()));
    await expectTyped(() => nfs.stat('/f'), 'EBADRPC');
    fake.on('CREATE', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(0).bool(true).opaque(Buffer.alloc(128, 7))
      .bool(false).bool(false).bool(false).bytes()));
    await expectTyped(() => nfs.writeFile('/new', 'x'), 'EBADRPC');
  });

  it('MNT answering a root file handle over 64 bytes: mount fails with EBADRPC and leaves no socket', async () => {
    const before = sostat.so_live;
    const server = await FakeRpcServer.tcp((call, srv) => {
      if (call.prog === 100005 && call.proc === 1) srv.reply(call, new XdrBytes().u32(0).opaque(Buffer.alloc(65, 1)).u32(1).u32(1).bytes());
      else srv.reply(call, Buffer.alloc(0));
    });
    try {
      const o = await watched(() => mount({ host: '127.0.0.1', export: '/x', nfsport: server.port, mountport: server.port, soft: true, timeo: 5, retrans: 1 }));
      expect(isNfsError(o.error, 'EBADRPC'), String(o.error)).toBe(true);
      expect(o.peak).toBeLessThan(64 * MiB);
    } finally {
      await server.close();
    }
    expect(sostat.so_live).toBe(before);
  });

  /*
   * Any of these answers is safe — EBADRPC (the decoder refuses the reply), EIO (the client's own
   * check refuses it), or the bytes asked for and no more (Linux truncates such a reply to the
   * request) — as long as nothing past the caller's range is written and no more than asked is
   * returned. Both read paths: a small read served from a
   * block fetched into the read cache, and a whole-block read straight into the caller's buffer,
   * with room after the range that a careless decoder would fill.
   */
  it.each([
    ['a small read (through the read cache)', 8],
    ['a whole-block read (straight into the caller\'s buffer)', 4096],
  ])('a READ answering more data than asked never writes past the caller\'s range: %s', async (_what, len) => {
    const { fake, nfs } = await setup({ rsize: 4096 });
    fake.on('READ', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(0).bool(false).u32(c.args.count).bool(false)
      .opaque(Buffer.alloc(c.args.count + 100, 0x41)).bytes()));
    const fh = await nfs.open('/f', 'r');
    try {
      const buf = Buffer.alloc(len + 256, 0x2e);
      const o = await watched(() => fh.read(buf, 0, len, 0));
      if (o.error !== null) {
        expect(isNfsError(o.error, 'EBADRPC') || isNfsError(o.error, 'EIO'), String(o.error)).toBe(true);
      } else {
        const n = (o.value as { bytesRead: number }).bytesRead;
        expect(n).toBeLessThanOrEqual(len);
        expect(buf.subarray(0, n).every((b) => b === 0x41)).toBe(true);
      }
      expect(buf.subarray(len).every((b) => b === 0x2e), 'bytes past the range written').toBe(true);
    } finally {
      await fh.close();
    }
  });
});

describe('READDIR', () => {
  it('a single reply with 100,000 entries is listed whole', async () => {
    const { fake, nfs } = await setup({ readdirsize: 4096, timeo: 50 }); /* a big reply to decode: no retransmission */
    const entries = Array.from({ length: 100_000 }, (_, i) => ({ fileid: 1000 + i, name: `e${i}`, cookie: i + 1 }));
    const page = readdirReply(entries, true);
    fake.on('READDIR', (c) => fake.rpc.reply(c.call, page));
    const o = await watched(() => nfs.readdir('/'));
    expect(o.error).toBe(null);
    expect((o.value as string[]).length).toBe(100_000);
    expect(o.peak).toBeLessThan(256 * MiB);
  });

  it(`a server that never says eof, fresh names on every page: EOVERFLOW after ${MAX_DIR_ENTRIES} entries, memory bounded`, async () => {
    const { fake, nfs } = await setup({ timeo: 20 });
    const PAGE = 16384;
    fake.on('READDIR', (c) => {
      const from = Number(c.args.cookie);
      const entries = Array.from({ length: PAGE }, (_, i) => ({ fileid: from + i + 1, name: `n${from + i}`, cookie: from + i + 1 }));
      fake.rpc.reply(c.call, readdirReply(entries, false));
    });
    const o = await expectTyped(() => nfs.readdir('/'), 'EOVERFLOW', 1024);
    expect(fake.count('READDIR') - nfs.stats().rpc.retransmits).toBe(MAX_DIR_ENTRIES / PAGE + 1);
    console.log(`endless READDIR: ${fake.count('READDIR')} pages of ${PAGE}, peak RSS growth ${(o.peak / MiB).toFixed(0)} MiB`);
  }, 120_000);

  it.each([
    ['a "/"', '../../../etc/passwd'],
    ['a NUL', 'x\0y'],
    ['nothing', ''],
  ])('a name with %s in it is EIO: it never reaches a caller that would join it to a path', async (_what, name) => {
    const { fake, nfs } = await setup();
    fake.on('READDIR', (c) => fake.rpc.reply(c.call, readdirReply([{ fileid: 5, name: 'fine', cookie: 1 }, { fileid: 6, name, cookie: 2 }], true)));
    fake.on('READDIRPLUS', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(10004).bool(false).bytes())); /* NOTSUPP */
    await expectTyped(() => nfs.readdir('/'), 'EIO');
    await expectTyped(() => nfs.readdir('/', { withFileTypes: true }), 'EIO');
    await expectTyped(() => nfs.readdir('/', { recursive: true }), 'EIO');
  });

  it('"." and ".." in a listing are skipped, not followed', async () => {
    const { fake, nfs } = await setup();
    fake.on('READDIR', (c) => fake.rpc.reply(c.call, readdirReply([{ fileid: 1, name: '.', cookie: 1 }, { fileid: 1, name: '..', cookie: 2 },
      { fileid: 2, name: 'f', cookie: 3 }], true)));
    fake.on('READDIRPLUS', (c) => fake.rpc.reply(c.call, new XdrBytes().u32(10004).bool(false).bytes()));
    expect(await nfs.readdir('/', { recursive: true })).toEqual(['f']);
  });
});

describe('symbolic links', () => {
  it('cycles (a -> b -> a, c -> c) and a link that grows (d -> d/d/d...) are ELOOP, in bounded memory', async () => {
    const { fake, nfs } = await setup();
    fake.add('a', NF3LNK, { target: 'b' });
    fake.add('b', NF3LNK, { target: '/a' });
    fake.add('c', NF3LNK, { target: './c' });
    fake.add('d', NF3LNK, { target: Array(300).fill('d').join('/') });
    for (const p of ['/a', '/b', '/c', '/d', '/a/x', '/d/e']) await expectTyped(() => nfs.stat(p), 'ELOOP');
    await expectTyped(() => nfs.readFile('/c'), 'ELOOP');
    await expectTyped(() => nfs.writeFile('/a', 'x'), 'ELOOP');
    expect(await nfs.readlink('/a')).toBe('b'); /* not followed */
  });
});
