/*
 * The v4.1 session and the client's state machinery against a scripted server
 * (helpers/fake-nfs4-server.ts): the cases a real server will not produce on demand — sequence
 * ids that disagree, a slot table that shrinks, a reply replayed from the server's cache, a lost
 * session, a server restart with and without grace, DELAY on SEQUENCE — and the v4.0 open-owner
 * sequence.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RpcClient } from '../../rpc/client/client.js';
import { RpcInterruptedError } from '../../rpc/client/errors.js';
import { getfh, putfh, putrootfh, read, write } from '../../nfsclient/nfs4/build.js';
import { OPEN4_SHARE_ACCESS_READ } from '../../nfsclient/nfs4/constants.js';
import * as S from '../../nfsclient/nfs4/nfsstat4.js';
import * as O from '../../nfsclient/nfs4/opnum.js';
import { Nfs4Client } from '../../nfsclient/nfs4/state/client.js';
import { lookupExport } from '../../nfsclient/nfs4/mount-path.js';
import { FakeNfs4Server, ROOT_FH } from './helpers/fake-nfs4-server.js';

let server: FakeNfs4Server;
let rpc: RpcClient;
let client: Nfs4Client;

function newClient(minorversion: 0 | 1, renewLease = false): Nfs4Client {
  return new Nfs4Client({ rpc, minorversion, renewLease, backoff: { firstMs: 5, maxMs: 50 } });
}

beforeEach(async () => {
  server = await FakeNfs4Server.start();
  rpc = new RpcClient({ host: '127.0.0.1', port: server.port, auth: 'sys' });
});

afterEach(async () => {
  await client?.destroy();
  await rpc.close();
  await server.close();
});

/* The OK arm of a result (failing the test otherwise). */
function ok<T extends { status: number }>(r: T | undefined): Extract<T, { status: 0 }> {
  expect(r?.status).toBe(S.NFS4_OK);
  return r as Extract<T, { status: 0 }>;
}

const ping = (c: Nfs4Client = client) => c.compound([putrootfh(), getfh()]);

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('v4.1 session against a scripted server', () => {
  it('establishes: EXCHANGE_ID, CREATE_SESSION, RECLAIM_COMPLETE, and learns the lease time', async () => {
    server.leaseTime = 42;
    client = newClient(1);
    await client.establish();
    expect(server.seen.map((s) => s.op.argop)).toEqual([O.OP_EXCHANGE_ID, O.OP_CREATE_SESSION, O.OP_RECLAIM_COMPLETE, O.OP_PUTROOTFH, O.OP_GETATTR]);
    expect(client.leaseTime).toBe(42);
    expect(client.session!.table.maxRequests).toBe(8);
    const res = await ping();
    expect(res.status).toBe(S.NFS4_OK);
    expect(ok(res.resarray[1]).resok4.object).toEqual(ROOT_FH);
  });

  it('retries at sequence id 1 when the server answers SEQ_MISORDERED for a slot it re-created', async () => {
    client = newClient(1);
    await client.establish();
    for (let i = 0; i < 3; i++) await ping();
    const slot0 = server.lastSession()!.slots[0]!;
    expect(slot0.seqid).toBe(5);
    slot0.seqid = 0;
    slot0.reply = null;
    const before = server.executed;
    expect((await ping()).status).toBe(S.NFS4_OK);
    expect(client.counters.misordered).toBe(1);
    expect(server.executed).toBe(before + 1);
    expect(server.lastSession()!.slots[0]!.seqid).toBe(1);
    expect((await ping()).status).toBe(S.NFS4_OK);
    expect(client.counters.misordered).toBe(1);
  });

  it('after a request lost on the way and abandoned, steps back one sequence id on SEQ_MISORDERED', async () => {
    client = newClient(1);
    await client.establish();
    let lose = true;
    server.ignore = (args) => lose && args.argarray.some((op) => op.argop === O.OP_GETFH);
    const ac = new AbortController();
    const calls = server.rpc.calls.length;
    const p = client.compound([putrootfh(), getfh()], { signal: ac.signal });
    await server.rpc.waitCalls(calls + 1);
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(RpcInterruptedError);
    lose = false;
    const before = server.executed;
    expect((await ping()).status).toBe(S.NFS4_OK);
    expect(server.executed).toBe(before + 1);
    expect(client.counters.misordered).toBe(1);
    expect((await ping()).status).toBe(S.NFS4_OK);
    expect(client.counters.misordered).toBe(1);
  });

  it('after a request executed whose reply never came, goes on with the next sequence id at once', async () => {
    client = newClient(1);
    await client.establish();
    let drop = true;
    server.dropReply = (args) => drop && args.argarray.some((op) => op.argop === O.OP_GETFH);
    const ac = new AbortController();
    const p = client.compound([putrootfh(), getfh()], { signal: ac.signal });
    const executed = server.executed;
    await until(() => server.executed > executed, 'the server to execute the request');
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(RpcInterruptedError);
    drop = false;
    expect((await ping()).status).toBe(S.NFS4_OK);
    expect(client.counters.misordered).toBe(0);
  });

  it('answers a replayed request from the server\'s reply cache: a WRITE resent after a reset runs once', async () => {
    client = newClient(1);
    await client.establish();
    let resetOnce = true;
    server.dropReply = (args) => {
      if (!resetOnce || !args.argarray.some((op) => op.argop === O.OP_WRITE)) return false;
      resetOnce = false;
      setImmediate(() => server.rpc.resetConnections());
      return true;
    };
    const writesBefore = server.seen.filter((s) => s.op.argop === O.OP_WRITE).length;
    const res = await client.compound([putfh(ROOT_FH), write({ seqid: 0, other: Buffer.alloc(12) }, 0n, Buffer.from('data'))]);
    expect(res.status).toBe(S.NFS4_OK);
    expect(ok(res.resarray[1]).resok4.count).toBe(4);
    expect(server.seen.filter((s) => s.op.argop === O.OP_WRITE).length).toBe(writesBefore + 1);
    expect(server.rpc.accepted).toBe(2);
    expect(rpc.stats.reconnects).toBe(1);
  });

  it('uses no slot above a lowered sr_target_highest_slotid, and the slots come back when it is raised', async () => {
    server.replyDelayMs = 20;
    client = newClient(1);
    await client.establish();
    await Promise.all(Array.from({ length: 6 }, () => ping()));
    expect(server.maxOutstanding).toBeGreaterThan(2);
    server.target = 1;
    await ping();
    expect(client.session!.table.limit).toBe(1);
    const from = server.seen.length;
    server.maxOutstanding = 0;
    await Promise.all(Array.from({ length: 6 }, () => ping()));
    const slots = new Set(server.seen.slice(from).map((s) => s.slot));
    expect([...slots].every((s) => s !== null && s <= 1)).toBe(true);
    expect(server.maxOutstanding).toBeLessThanOrEqual(2);
    expect(client.counters.slotWaits).toBeGreaterThan(0);
    server.target = 7;
    await ping();
    await Promise.all(Array.from({ length: 6 }, () => ping()));
    expect(client.counters.misordered).toBe(0);
    expect(server.maxOutstanding).toBeGreaterThan(2);
  });

  it('drops the slots above a lowered sr_highest_slotid; a slot granted again starts afresh on both sides', async () => {
    server.replyDelayMs = 20;
    client = newClient(1);
    await client.establish();
    await Promise.all(Array.from({ length: 6 }, () => ping()));
    server.highest = 1;
    server.target = 1;
    await ping();
    expect(client.session!.table.highestSlotid).toBe(1);
    /* the server frees slots 2..7, and later grants them again from scratch */
    for (const s of server.lastSession()!.slots.slice(2)) {
      s.seqid = 0;
      s.reply = null;
    }
    server.highest = 7;
    server.target = 7;
    await ping();
    await Promise.all(Array.from({ length: 6 }, () => ping()));
    expect(client.counters.misordered).toBe(0);
  });

  it('answers BADSLOT by using fewer slots', async () => {
    server.replyDelayMs = 20;
    server.acceptHighest = 1;
    client = newClient(1);
    await client.establish();
    const results = await Promise.all(Array.from({ length: 6 }, () => ping()));
    expect(results.every((r) => r.status === S.NFS4_OK)).toBe(true);
    expect(client.counters.badSlot).toBeGreaterThan(0);
    expect(server.seen.every((x) => x.slot === null || x.slot <= 1)).toBe(true);
  });

  it('waits out DELAY on SEQUENCE and sends the same sequence id again', async () => {
    client = newClient(1);
    await client.establish();
    let delays = 2;
    server.sequenceHook = () => (delays-- > 0 ? S.NFS4ERR_DELAY : undefined);
    const before = server.executed;
    expect((await ping()).status).toBe(S.NFS4_OK);
    expect(client.counters.sequenceDelays).toBe(2);
    expect(server.executed).toBe(before + 1);
  });

  it('makes a new session on BADSESSION when the client ID survives, without touching the opens', async () => {
    client = newClient(1);
    await client.establish();
    const f = await client.open({ dir: ROOT_FH, name: 'f', access: OPEN4_SHARE_ACCESS_READ });
    server.sessions.clear();
    const res = await client.compound([putfh(f.fh), read(f.stateid, 0n, 5)], { open: f });
    expect(res.status).toBe(S.NFS4_OK);
    expect(client.counters.sessionRecoveries).toBe(1);
    expect(client.counters.clientRecoveries).toBe(0);
    expect(client.counters.reclaims).toBe(0);
  });

  it('after a server restart in grace: new client ID and session, the open reclaimed (CLAIM_PREVIOUS), the READ sent again with its new stateid', async () => {
    client = newClient(1);
    await client.establish();
    const f = await client.open({ dir: ROOT_FH, name: 'f', access: OPEN4_SHARE_ACCESS_READ });
    const old = f.state.stateid.other;
    server.restart(true);
    const res = await client.compound([putfh(f.fh), read(f.stateid, 0n, 5)], { open: f });
    expect(res.status).toBe(S.NFS4_OK);
    expect(ok(res.resarray[1]).resok4.data.toString()).toBe('hello');
    expect(client.counters).toMatchObject({ clientRecoveries: 1, reclaims: 1, reopens: 0, lostStates: 0 });
    const opens = server.seen.filter((s) => s.op.argop === O.OP_OPEN);
    const lastOpen = opens.at(-1)!.op;
    expect(lastOpen.argop === O.OP_OPEN && lastOpen.args.claim.claim).toBe(1);
    const rc = server.seen.findIndex((s) => s.op.argop === O.OP_RECLAIM_COMPLETE && s === server.seen.filter((x) => x.op.argop === O.OP_RECLAIM_COMPLETE).at(-1));
    expect(rc).toBeGreaterThan(server.seen.indexOf(opens.at(-1)!));
    expect(f.state.stateid.other.equals(old)).toBe(false);
    const lastRead = server.seen.filter((s) => s.op.argop === O.OP_READ).at(-1)!;
    expect(lastRead.op.argop === O.OP_READ && lastRead.op.args.stateid.other.equals(f.state.stateid.other)).toBe(true);
  });

  it('after a server restart without grace: the reclaim is refused (NO_GRACE) and the file is opened again by handle (CLAIM_FH)', async () => {
    client = newClient(1);
    await client.establish();
    const f = await client.open({ dir: ROOT_FH, name: 'f', access: OPEN4_SHARE_ACCESS_READ });
    server.restart(false);
    const res = await client.compound([putfh(f.fh), read(f.stateid, 0n, 5)], { open: f });
    expect(res.status).toBe(S.NFS4_OK);
    expect(client.counters).toMatchObject({ clientRecoveries: 1, reclaims: 0, reopens: 1, lostStates: 0 });
    const last = server.seen.filter((s) => s.op.argop === O.OP_OPEN).at(-1)!;
    expect(last.op.argop === O.OP_OPEN && last.op.args.claim.claim).toBe(4);
  });

  it('starts the recovery over when the server restarts again in the middle of it', async () => {
    client = newClient(1);
    await client.establish();
    const f = await client.open({ dir: ROOT_FH, name: 'f', access: OPEN4_SHARE_ACCESS_READ });
    server.restart(true);
    let again = true;
    server.opHook = (op) => {
      if (!again || op.argop !== O.OP_OPEN || op.args.claim.claim !== 1) return undefined;
      again = false;
      server.restart(true);
      return { status: S.NFS4ERR_STALE_CLIENTID };
    };
    const res = await client.compound([putfh(f.fh), read(f.stateid, 0n, 5)], { open: f });
    expect(ok(res.resarray[1]).resok4.data.toString()).toBe('hello');
    expect(client.counters).toMatchObject({ clientRecoveries: 1, reclaims: 1, lostStates: 0 });
    expect(server.seen.filter((x) => x.op.argop === O.OP_EXCHANGE_ID).length).toBe(3);
  });

  it('refuses I/O on an open that was closed instead of reopening it', async () => {
    client = newClient(1);
    await client.establish();
    const f = await client.open({ dir: ROOT_FH, name: 'f', access: OPEN4_SHARE_ACCESS_READ });
    await client.close(f);
    await expect(client.compound([putfh(f.fh), read(f.stateid, 0n, 5)], { open: f })).rejects.toThrow(/closed/);
    expect(server.seen.filter((x) => x.op.argop === O.OP_OPEN).length).toBe(1);
  });

  it('runs one recovery for many COMPOUNDs that meet the lost session at once', async () => {
    server.replyDelayMs = 10;
    client = newClient(1);
    await client.establish();
    server.restart(false);
    const results = await Promise.all(Array.from({ length: 8 }, () => ping()));
    expect(results.every((r) => r.status === S.NFS4_OK)).toBe(true);
    expect(client.counters.clientRecoveries).toBe(1);
  });

  it('renews an idle lease with SEQUENCE alone, on a timer that does not hold the process', async () => {
    server.leaseTime = 1;
    client = newClient(1, true);
    await client.establish();
    expect(client.lease.timer).not.toBeNull();
    expect(client.lease.timer!.hasRef()).toBe(false);
    const before = server.executed;
    await until(() => client.counters.renewals >= 2, 'two renewals');
    expect(server.executed).toBeGreaterThanOrEqual(before + 2);
    await client.destroy();
    expect(client.lease.timer).toBeNull();
  });

  it('walks an export path longer than a COMPOUND allows in several, each from where the last ended', async () => {
    client = newClient(1);
    await client.establish();
    const parts = Array.from({ length: 30 }, (_, i) => `d${i}`);
    const from = server.seen.length;
    const info = await lookupExport(client, `/${parts.join('/')}`);
    const seen = server.seen.slice(from).map((x) => x.op);
    expect(seen.filter((op) => op.argop === O.OP_LOOKUP).map((op) => op.argop === O.OP_LOOKUP && op.args.objname)).toEqual(parts);
    expect(seen.filter((op) => op.argop === O.OP_PUTFH).length).toBeGreaterThanOrEqual(2);
    expect(info.root.equals(server.files.get('d29')!)).toBe(true);
    expect(info.leaseTime).toBe(60);
  });

  it('destroys: CLOSE of what is open, DESTROY_SESSION, DESTROY_CLIENTID', async () => {
    client = newClient(1);
    await client.establish();
    await client.open({ dir: ROOT_FH, name: 'f', access: OPEN4_SHARE_ACCESS_READ });
    await client.destroy();
    const tail = server.seen.slice(-3).map((s) => s.op.argop);
    expect(tail).toEqual([O.OP_CLOSE, O.OP_DESTROY_SESSION, O.OP_DESTROY_CLIENTID]);
    expect(server.sessions.size).toBe(0);
    expect(server.clients.size).toBe(0);
    await expect(ping()).rejects.toThrow(/destroyed/);
  });
});

describe('v4.0 client ID and open-owner sequence against a scripted server', () => {
  it('SETCLIENTID and SETCLIENTID_CONFIRM; OPEN_CONFIRM for a new owner; seqids in order across OPEN, OPEN_CONFIRM and CLOSE', async () => {
    client = newClient(0);
    await client.establish();
    expect(server.seen.slice(0, 2).map((s) => s.op.argop)).toEqual([O.OP_SETCLIENTID, O.OP_SETCLIENTID_CONFIRM]);
    const f = await client.open({ dir: ROOT_FH, name: 'f', access: OPEN4_SHARE_ACCESS_READ });
    await client.close(f);
    const g = await client.open({ dir: ROOT_FH, name: 'g', access: OPEN4_SHARE_ACCESS_READ });
    await client.close(g);
    const seqids = server.seen.filter((s) => [O.OP_OPEN, O.OP_OPEN_CONFIRM, O.OP_CLOSE].includes(s.op.argop))
      .map((s) => [s.op.argop, (s.op as { args: { seqid: number } }).args.seqid]);
    expect(seqids).toEqual([[O.OP_OPEN, 0], [O.OP_OPEN_CONFIRM, 1], [O.OP_CLOSE, 2], [O.OP_OPEN, 3], [O.OP_CLOSE, 4]]);
  });

  it('after a server restart (STALE_STATEID): a new client ID, the open reclaimed and confirmed, the READ sent again', async () => {
    client = newClient(0);
    await client.establish();
    const f = await client.open({ dir: ROOT_FH, name: 'f', access: OPEN4_SHARE_ACCESS_READ });
    server.restart(true);
    const res = await client.compound([putfh(f.fh), read(f.stateid, 0n, 5)], { open: f });
    expect(res.status).toBe(S.NFS4_OK);
    expect(client.counters).toMatchObject({ clientRecoveries: 1, reclaims: 1 });
    const after = server.seen.slice(-7).map((s) => s.op.argop);
    expect(after).toEqual([O.OP_PUTFH, O.OP_OPEN, O.OP_GETFH, O.OP_PUTFH, O.OP_OPEN_CONFIRM, O.OP_PUTFH, O.OP_READ]);
    const reclaim = server.seen.at(-6)!.op;
    expect(reclaim.argop === O.OP_OPEN && reclaim.args.claim.claim).toBe(1);
  });
});
