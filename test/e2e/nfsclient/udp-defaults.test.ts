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
    const nfs = await mount(server.url('/export'), { proto: 'udp' });
    try {
      const rpc = nfs.raw.nfs.rpc;
      let overfull = 0;
      let samples = 0;
      const watch = setInterval(() => {
        samples++;
        /* Calls queued behind a closed window, beyond the one a pipeline may have waiting. */
        if (rpc.stats.queued > 1) overfull++;
      }, 1);
      try {
        const data = randomBytes(16 * MiB);
        await nfs.writeFile('/window.bin', data);
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
      } finally {
        clearInterval(watch);
      }
      expect(samples).toBeGreaterThan(0);
      expect(overfull).toBe(0);
      expect(nfs.stats().readAheadBlocks).toBeGreaterThan(0);
    } finally {
      await nfs.umount();
    }
  }, 120_000);
});
