/*
 * NFS over UDP with default options, through published Docker ports (docker-proxy, which drops
 * datagrams under bursts): the transfer completes with the data intact, timeo is nfs(5)'s 1.1 s,
 * the retransmission timeouts come from the measured round trips, and read-ahead and write-behind
 * keep to the congestion window. Times are printed for the record, never asserted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mount } from '../../../nfsclient/index.js';
import { RPC_TIMER_READ, RPC_TIMER_WRITE } from '../../../rpc/index.js';
import { startGanesha } from '../../../testing/index.js';
import type { StartedGanesha } from '../../../testing/index.js';

const MiB = 1024 * 1024;

describe('UDP with default options through published ports', () => {
  let server: StartedGanesha;
  beforeAll(async () => {
    server = await startGanesha(); /* bridge network: every port through docker-proxy */
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('64 MiB written and read back intact; timeo is 1.1 s and the RTOs come from the measured round trips', async () => {
    const data = randomBytes(64 * MiB);
    const sha = createHash('sha256').update(data).digest('hex');
    const times: string[] = [];
    for (const proto of ['udp', 'tcp'] as const) {
      const nfs = await mount(server.url('/export'), { proto });
      try {
        const t0 = performance.now();
        await nfs.writeFile(`/${proto}.bin`, data);
        const t1 = performance.now();
        const back = await nfs.readFile(`/${proto}.bin`);
        const t2 = performance.now();
        expect(createHash('sha256').update(back).digest('hex')).toBe(sha);
        const st = nfs.stats();
        times.push(`${proto}: write ${Math.round(t1 - t0)} ms, read ${Math.round(t2 - t1)} ms, ${st.rpc.retransmits} retransmits`);
        if (proto === 'udp') {
          expect(nfs.options).toMatchObject({ timeo: 11, retrans: 3 });
          const rpc = nfs.raw.nfs.rpc;
          expect(rpc.options.timeoMs).toBe(1100);
          /* Sampled: the READ and WRITE classes no longer wait the initial 1.1 s. */
          expect(rpc.rto(RPC_TIMER_READ)).toBeLessThan(1100);
          expect(rpc.rto(RPC_TIMER_WRITE)).toBeLessThan(1100);
        } else {
          expect(nfs.options).toMatchObject({ timeo: 600, retrans: 2 });
        }
      } finally {
        await nfs.umount();
      }
    }
    console.log(`64 MiB through published ports, default options: ${times.join('; ')}`);
  }, 120_000);

  it('read-ahead and write-behind keep to the congestion window: no call waits behind speculative ones', async () => {
    const data = randomBytes(16 * MiB);
    /* Calls queued behind a closed window, beyond the one a pipeline may have waiting. */
    const overfull = async (work: (nfs: Awaited<ReturnType<typeof mount>>) => Promise<void>): Promise<number> => {
      const nfs = await mount(server.url('/export'), { proto: 'udp' });
      const rpc = nfs.raw.nfs.rpc;
      let over = 0;
      const watch = setInterval(() => {
        if (rpc.stats.queued > 1) over++;
      }, 1);
      try {
        await work(nfs);
      } finally {
        clearInterval(watch);
        await nfs.umount();
      }
      return over;
    };
    expect(await overfull((nfs) => nfs.writeFile('/window.bin', data))).toBe(0);
    /* A mount of its own for the reads: its window starts open (16 slots, room for read-ahead
       of 32 KiB blocks), whatever losses the writes met. */
    let readAhead = 0;
    expect(await overfull(async (nfs) => {
      const fh = await nfs.open('/window.bin', 'r');
      const buf = Buffer.alloc(64 * 1024);
      let pos = 0;
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        expect(buf.subarray(0, bytesRead).equals(data.subarray(pos, pos + bytesRead))).toBe(true);
        pos += bytesRead;
      }
      await fh.close();
      expect(pos).toBe(data.length);
      readAhead = nfs.stats().readAheadBlocks;
    })).toBe(0);
    expect(readAhead).toBeGreaterThan(0);
  }, 120_000);
});
