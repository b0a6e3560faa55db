/*
 * NFSv4 leases and recovery against ganeshas of the test's own (never the suite's shared one), with
 * a 10-second lease and a 20-second grace period, their /export surviving restarts
 * (test/reliability/helpers/ganesha.ts):
 *
 * - a client idle for several leases renews them (SEQUENCE alone in 4.1, RENEW in 4.0), and its
 *   open still works afterwards without any recovery;
 * - a client that does not renew loses its state; its next operation recovers (a new client ID,
 *   the open opened again) and what close had acknowledged before is intact on the server;
 * - the server is killed and restarted in the middle of a stream of WRITEs: the client reclaims its
 *   open in the server's grace period (CLAIM_PREVIOUS), the stream goes on, the writes the restart
 *   lost (their verifier is not the COMMIT's) are written again, and the server's SHA-256 of the
 *   file is the data's.
 * v4.0 and v4.1 clients run side by side in each test.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commit, getfh, lookup, putfh, read, write } from '../../../nfsclient/nfs4/build.js';
import { FILE_SYNC4, OPEN4_SHARE_ACCESS_BOTH, UNSTABLE4 } from '../../../nfsclient/nfs4/constants.js';
import type { Nfs4OpenFile } from '../../../nfsclient/nfs4/state/open-state.js';
import { startOwnGanesha } from '../../reliability/helpers/ganesha.js';
import type { OwnServer } from '../../reliability/helpers/ganesha.js';
import { connect, ok, okOf, pattern } from './helpers.js';
import type { Conn } from './helpers.js';

const LEASE = 10;
const EXTRA = `NFSV4 { Lease_Lifetime = ${LEASE}; Grace_Period = 20; Graceless = false; }`;
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let own: OwnServer;

beforeAll(async () => {
  own = await startOwnGanesha({ extraConfig: EXTRA });
}, 180_000);

afterAll(async () => {
  await own?.stop();
}, 120_000);

async function serverOut(cmd: string): Promise<string> {
  const r = await own.server.exec(cmd);
  if (r.exitCode !== 0) throw new Error(`${cmd}: ${r.output}`);
  return r.stdout.trim();
}

/* A directory of its own on the server, and its handle over `c`. */
async function dirOf(c: Conn, name: string): Promise<Buffer> {
  await serverOut(`mkdir -m 0777 -p /export/${name}`);
  const res = await ok(c.client, [putfh(c.info.root), lookup(name), getfh()]);
  return okOf(res.resarray[2]).resok4.object;
}

async function readAll(c: Conn, f: Nfs4OpenFile, size: number): Promise<Buffer> {
  const back = Buffer.alloc(size + 16);
  let off = 0;
  for (let eof = false; !eof; ) {
    const res = await ok(c.client, [putfh(f.fh), read(f.stateid, BigInt(off), 1 << 20, { buf: back, offset: off })], { open: f });
    const r = okOf(res.resarray[1]).resok4;
    off += r.data;
    eof = r.eof || r.data === 0;
  }
  return back.subarray(0, off);
}

describe('NFSv4 leases and server restarts (own ganesha: 10 s lease, 20 s grace)', () => {
  it('an idle client renews its lease (SEQUENCE / RENEW) and its open works afterwards without recovery', async () => {
    const conns = await Promise.all(([0, 1] as const).map((m) => connect(m, { port: own.server.ports.nfs })));
    expect(conns.map((c) => c.client.leaseTime)).toEqual([LEASE, LEASE]);
    const files = await Promise.all(conns.map(async (c, i) => {
      const dir = await dirOf(c, `idle-${i}`);
      const f = await c.client.open({ dir, name: 'f', access: OPEN4_SHARE_ACCESS_BOTH, create: { how: 'unchecked' } });
      await ok(c.client, [putfh(f.fh), write(f.stateid, 0n, Buffer.from(`idle ${i}`), FILE_SYNC4)], { open: f });
      return f;
    }));
    const renewals = conns.map((c) => c.client.counters.renewals);
    await sleep(3.5 * LEASE * 1000);
    for (const [i, c] of conns.entries()) {
      expect(c.client.counters.renewals - renewals[i]!, `4.${i}`).toBeGreaterThanOrEqual(3);
      expect((await readAll(c, files[i]!, 100)).toString()).toBe(`idle ${i}`);
      expect(c.client.counters).toMatchObject({ clientRecoveries: 0, sessionRecoveries: 0, reopens: 0, reclaims: 0, lostStates: 0 });
      await c.client.close(files[i]!);
    }
  }, 180_000);

  it('a client that stops renewing loses its state; its next operation recovers, and what close acknowledged is kept', async () => {
    const conns = await Promise.all(([0, 1] as const).map((m) => connect(m, { port: own.server.ports.nfs, renewLease: false })));
    const data = conns.map((_, i) => pattern(200_000, 70 + i));
    const held = await Promise.all(conns.map(async (c, i) => {
      const dir = await dirOf(c, `expire-${i}`);
      const done = await c.client.open({ dir, name: 'closed', access: OPEN4_SHARE_ACCESS_BOTH, create: { how: 'unchecked' } });
      await ok(c.client, [putfh(done.fh), write(done.stateid, 0n, data[i]!, UNSTABLE4), commit()], { open: done });
      await c.client.close(done);
      const f = await c.client.open({ dir, name: 'held', access: OPEN4_SHARE_ACCESS_BOTH, create: { how: 'unchecked' } });
      await ok(c.client, [putfh(f.fh), write(f.stateid, 0n, Buffer.from('held'), FILE_SYNC4)], { open: f });
      return f;
    }));
    await sleep(4 * LEASE * 1000);
    for (const [i, c] of conns.entries()) {
      expect((await readAll(c, held[i]!, 100)).toString(), `4.${i}`).toBe('held');
      const recovered = c.client.counters.clientRecoveries + c.client.counters.sessionRecoveries + c.client.counters.reopens;
      expect(recovered, `4.${i} recovered`).toBeGreaterThan(0);
      expect(c.client.counters.lostStates).toBe(0);
      await c.client.close(held[i]!);
      expect(await serverOut(`sha256sum /export/expire-${i}/closed | cut -d' ' -f1`)).toBe(sha256(data[i]!));
    }
  }, 180_000);

  it('the server restarts in the middle of a stream of WRITEs: the opens are reclaimed in grace, the lost writes resent, the file intact', async () => {
    const conns = await Promise.all(([0, 1] as const).map((m) => connect(m, { port: own.server.ports.nfs })));
    const size = 48 * 1024 * 1024;
    const chunk = 512 * 1024;
    const data = conns.map((_, i) => pattern(size, 90 + i));
    const opened = await Promise.all(conns.map(async (c, i) => {
      const dir = await dirOf(c, `restart-${i}`);
      return c.client.open({ dir, name: 'stream.bin', access: OPEN4_SHARE_ACCESS_BOTH, create: { how: 'unchecked', attrs: { mode: 0o644 } } });
    }));
    /*
     * Both streams reach chunk 16; the server is then killed (SIGKILL) while each sends that chunk,
     * and brought back up. The next chunks go out only once it is down: every stream meets the
     * restarted server with its old state, whatever the timing.
     */
    let arrived = 0;
    let bothThere!: () => void;
    const barrier = new Promise<void>((r) => {
      bothThere = r;
    });
    let killed: Promise<void> | null = null;
    let restarted: Promise<void> | null = null;
    const streams = conns.map(async (c, i) => {
      const f = opened[i]!;
      const verfs: Buffer[] = [];
      const send = async (off: number): Promise<void> => {
        const res = await ok(c.client, [putfh(f.fh), write(f.stateid, BigInt(off), data[i]!.subarray(off, off + chunk), UNSTABLE4)], { open: f });
        verfs[off / chunk] = okOf(res.resarray[1]).resok4.writeverf;
      };
      let inFlight: Promise<void> | null = null;
      for (let off = 0, n = 0; off < size; off += chunk, n++) {
        if (n === 16) {
          if (++arrived === 2) bothThere();
          await barrier;
          killed ??= own.kill();
          restarted ??= killed.then(() => own.server.restart());
          inFlight = send(off);
          await killed;
          continue;
        }
        await send(off);
      }
      await inFlight;
      await restarted;
      /* COMMIT, and write again whatever a restart lost (verifier not the COMMIT's), as the core does. */
      for (let round = 0; ; round++) {
        const cm = await ok(c.client, [putfh(f.fh), commit()], { open: f });
        const v = okOf(cm.resarray[1]).resok4.writeverf;
        const lost = verfs.map((x, k) => (x.equals(v) ? -1 : k)).filter((k) => k >= 0);
        if (lost.length === 0) break;
        expect(round).toBeLessThan(3);
        for (const k of lost) {
          const off = k * chunk;
          const res = await ok(c.client, [putfh(f.fh), write(f.stateid, BigInt(off), data[i]!.subarray(off, off + chunk), FILE_SYNC4)], { open: f });
          verfs[k] = v;
          expect(okOf(res.resarray[1]).resok4.committed).toBe(FILE_SYNC4);
        }
      }
      await c.client.close(f);
    });
    await Promise.all(streams);
    expect(restarted).not.toBeNull();
    for (const [i, c] of conns.entries()) {
      expect(c.client.counters.clientRecoveries, `4.${i}`).toBeGreaterThanOrEqual(1);
      expect(c.client.counters.reclaims, `4.${i} reclaims`).toBeGreaterThanOrEqual(1);
      expect(c.client.counters.lostStates).toBe(0);
      expect(await serverOut(`sha256sum /export/restart-${i}/stream.bin | cut -d' ' -f1`)).toBe(sha256(data[i]!));
    }
  }, 300_000);
});
