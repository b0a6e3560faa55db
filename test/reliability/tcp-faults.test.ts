/*
 * TCP faults between sonfs and ganesha: a record-aware proxy on 127.0.0.1 (helpers/tcp-fault-proxy.ts)
 * drops replies, resets and closes connections in the middle of calls. Calls are resent after
 * reconnecting, with their xids; non-idempotent procedures (CREATE, REMOVE, RENAME, LINK, and
 * RMDIR) still give the right result when retransmitted — both when ganesha's duplicate request
 * cache answers the retransmission (the proxy keeps the server connection, so the retransmission
 * arrives on the connection the original came on) and when it does not (a new server
 * connection: ganesha executes the call again and answers NOENT / EXIST, which the client knows
 * to be the success of the first transmission).
 */
import { describe, expect, it } from 'vitest';
import { NFS3ERR_EXIST, NFS3ERR_NOENT, NFS3_OK } from '../../nfsclient/nfs3/nfsstat3.js';
import { scratchDir } from '../helpers/scratch.js';
import { suiteServer } from '../helpers/server.js';
import { closeLater, mounted } from './helpers/mounts.js';
import { Prng } from './helpers/prng.js';
import { NFSPROC3, NFS_PROG, nfsStatus } from './helpers/rpc-wire.js';
import { TcpFaultProxy } from './helpers/tcp-fault-proxy.js';
import type { ProxiedRecord, Verdict } from './helpers/tcp-fault-proxy.js';
import { runWorkload, sumResults } from './helpers/workload.js';

async function viaProxy(keepUpstream: boolean) {
  const server = suiteServer();
  const proxy = closeLater(await TcpFaultProxy.start({ port: server.ports.nfs }, { keepUpstream }));
  const dir = await scratchDir();
  const nfs = await mounted(server.url('/export', { nfsport: proxy.port, uid: 0, gid: 0 }));
  return { proxy, dir, nfs, p: (rel: string) => `/${dir.name}/${rel}` };
}

/**
 * A script that loses the first reply to procedure `proc` and resets the client's connection, and
 * records the status of every reply to that call (the first, lost, and the retransmission's).
 */
function loseFirstReply(proc: number): { script: (r: ProxiedRecord) => Verdict; statuses: number[] } {
  let xid: number | null = null;
  const statuses: number[] = [];
  return {
    statuses,
    script(r) {
      if (r.dir === 'call' && r.call?.prog === NFS_PROG && r.call.proc === proc && xid === null) xid = r.call.xid;
      if (r.dir === 'reply' && r.reply?.xid === xid) {
        statuses.push(nfsStatus(r.msg) ?? -1);
        if (statuses.length === 1) return 'reset';
      }
      return 'forward';
    },
  };
}

const CASES = [
  { drc: 'hit', keepUpstream: true },
  { drc: 'miss', keepUpstream: false },
] as const;

describe.each(CASES)('a lost reply to a non-idempotent call, duplicate request cache $drc', ({ drc, keepUpstream }) => {
  it('REMOVE whose first attempt succeeded is not reported as ENOENT', async () => {
    const { proxy, dir, nfs, p } = await viaProxy(keepUpstream);
    await nfs.writeFile(p('victim'), 'x');
    const lose = loseFirstReply(NFSPROC3.REMOVE);
    proxy.script = lose.script;
    await nfs.unlink(p('victim'));
    expect(lose.statuses).toEqual(drc === 'hit' ? [NFS3_OK, NFS3_OK] : [NFS3_OK, NFS3ERR_NOENT]);
    expect(nfs.stats().retransmitSuccesses).toBe(drc === 'hit' ? 0 : 1);
    expect(proxy.counts.resets).toBe(1);
    expect((await dir.server.exec(['ls', dir.path])).stdout).toBe('');
  });

  it('RENAME whose first attempt succeeded is not reported as ENOENT', async () => {
    const { proxy, dir, nfs, p } = await viaProxy(keepUpstream);
    await nfs.writeFile(p('a'), 'contents');
    const lose = loseFirstReply(NFSPROC3.RENAME);
    proxy.script = lose.script;
    await nfs.rename(p('a'), p('b'));
    expect(lose.statuses).toEqual(drc === 'hit' ? [NFS3_OK, NFS3_OK] : [NFS3_OK, NFS3ERR_NOENT]);
    expect((await dir.server.exec(['ls', dir.path])).stdout).toBe('b\n');
    expect(await nfs.readFile(p('b'), 'utf8')).toBe('contents');
  });

  it('LINK whose first attempt succeeded is not reported as EEXIST', async () => {
    const { proxy, dir, nfs, p } = await viaProxy(keepUpstream);
    await nfs.writeFile(p('a'), 'contents');
    const lose = loseFirstReply(NFSPROC3.LINK);
    proxy.script = lose.script;
    await nfs.link(p('a'), p('b'));
    expect(lose.statuses).toEqual(drc === 'hit' ? [NFS3_OK, NFS3_OK] : [NFS3_OK, NFS3ERR_EXIST]);
    expect((await nfs.stat(p('b'))).nlink).toBe(2);
    expect((await dir.server.exec(['stat', '-c', '%h', `${dir.path}/a`])).stdout.trim()).toBe('2');
  });

  it('CREATE of an exclusive open (wx) whose first attempt succeeded is not reported as EEXIST', async () => {
    const { proxy, dir, nfs, p } = await viaProxy(keepUpstream);
    const lose = loseFirstReply(NFSPROC3.CREATE);
    proxy.script = lose.script;
    await nfs.writeFile(p('new'), 'fresh', { flag: 'wx', mode: 0o640 });
    /* EXCLUSIVE: the server finds its own verifier on the file and answers OK either way. */
    expect(lose.statuses).toEqual([NFS3_OK, NFS3_OK]);
    const st = await dir.server.exec(['stat', '-c', '%a %s', `${dir.path}/new`]);
    expect(st.stdout.trim()).toBe('640 5');
  });

  it('CREATE of a plain open for writing (UNCHECKED) whose first attempt succeeded makes one file with the data', async () => {
    const { proxy, dir, nfs, p } = await viaProxy(keepUpstream);
    const lose = loseFirstReply(NFSPROC3.CREATE);
    proxy.script = lose.script;
    await nfs.writeFile(p('plain'), 'data', { mode: 0o600 });
    /* UNCHECKED: the retransmission finds the file the first made and answers OK. */
    expect(lose.statuses).toEqual([NFS3_OK, NFS3_OK]);
    expect(proxy.counts.resets).toBe(1);
    expect((await dir.server.exec(['stat', '-c', '%n %a %s', `${dir.path}/plain`])).stdout.trim()).toBe(`${dir.path}/plain 600 4`);
    expect((await dir.server.exec(['ls', dir.path])).stdout).toBe('plain\n');
  });

  it('MKDIR whose first attempt succeeded is not reported as EEXIST', async () => {
    const { proxy, dir, nfs, p } = await viaProxy(keepUpstream);
    const lose = loseFirstReply(NFSPROC3.MKDIR);
    proxy.script = lose.script;
    await nfs.mkdir(p('sub'), 0o750);
    expect(lose.statuses).toEqual(drc === 'hit' ? [NFS3_OK, NFS3_OK] : [NFS3_OK, NFS3ERR_EXIST]);
    expect((await dir.server.exec(['stat', '-c', '%F %a', `${dir.path}/sub`])).stdout.trim()).toBe('directory 750');
  });

  it('SYMLINK whose first attempt succeeded is not reported as EEXIST', async () => {
    const { proxy, nfs, p } = await viaProxy(keepUpstream);
    const lose = loseFirstReply(NFSPROC3.SYMLINK);
    proxy.script = lose.script;
    await nfs.symlink('some/target', p('ln'));
    expect(lose.statuses).toEqual(drc === 'hit' ? [NFS3_OK, NFS3_OK] : [NFS3_OK, NFS3ERR_EXIST]);
    expect(await nfs.readlink(p('ln'))).toBe('some/target');
  });

  it('RMDIR whose first attempt succeeded is not reported as ENOENT', async () => {
    const { proxy, dir, nfs, p } = await viaProxy(keepUpstream);
    await nfs.mkdir(p('sub'));
    const lose = loseFirstReply(NFSPROC3.RMDIR);
    proxy.script = lose.script;
    await nfs.rmdir(p('sub'));
    expect(lose.statuses).toEqual(drc === 'hit' ? [NFS3_OK, NFS3_OK] : [NFS3_OK, NFS3ERR_NOENT]);
    expect((await dir.server.exec(['ls', dir.path])).stdout).toBe('');
  });
});

describe('random resets, truncated replies, closes and lost calls in the middle of a mixed workload', () => {
  it('every call completes with the right result: 4 mounts × 250 operations checked against a model', async () => {
    const server = suiteServer();
    const proxy = closeLater(await TcpFaultProxy.start({ port: server.ports.nfs }));
    const rnd = new Prng(Number(process.env['SONFS_FAULT_SEED'] ?? 0x7c9));
    let calls = 0;
    proxy.script = (r) => {
      if (r.dir === 'call') {
        calls++;
        if (calls < 40) return 'forward'; /* let the mounts come up */
        const x = rnd.next();
        if (x < 0.02) return 'reset';
        if (x < 0.03) return 'truncate';
        if (x < 0.04) return 'forward-reset';
        if (x < 0.045) return 'close';
        if (x < 0.05) return 'drop';
        return 'forward';
      }
      if (calls < 40) return 'forward';
      const x = rnd.next();
      if (x < 0.03) return 'reset';
      if (x < 0.05) return 'truncate';
      if (x < 0.055) return 'drop';
      return 'forward';
    };
    const dir = await scratchDir();
    const results = await Promise.all([0, 1, 2, 3].map(async (i) => {
      /* timeo 0.5 s: a dropped call (no reset) is retransmitted by the timer on the same connection */
      const nfs = await mounted(server.url('/export', { nfsport: proxy.port, uid: 0, gid: 0, timeo: 5 }));
      await nfs.mkdir(`/${dir.name}/w${i}`);
      const r = await runWorkload(nfs, `/${dir.name}/w${i}`, { ops: 250, seed: 1000 + i, maxFile: 64 * 1024 });
      return { r, st: nfs.stats() };
    }));
    const total = sumResults(results.map((x) => x.r));
    const faults = proxy.counts.resets + proxy.counts.truncated + proxy.counts.closes + proxy.counts.dropped;
    const reconnects = results.reduce((n, x) => n + x.st.rpc.reconnects, 0);
    const retransmits = results.reduce((n, x) => n + x.st.rpc.retransmits, 0);
    const lostReplySuccesses = results.reduce((n, x) => n + x.st.retransmitSuccesses, 0);
    expect(total.ops).toBe(1000);
    expect(faults).toBeGreaterThan(30);
    expect(reconnects).toBeGreaterThan(10);
    console.log(`TCP faults: ${faults} injected (${JSON.stringify(proxy.counts)}), ${total.ops} operations, ` +
      `${total.bytesVerified} bytes verified, ${reconnects} reconnections, ${retransmits} timer retransmissions, ` +
      `${lostReplySuccesses} lost-reply successes`);
  }, 300_000);
});
