/*
 * The server restarts in the middle of a listing: a ganesha of our own whose /export survives
 * restart() (helpers/ganesha.ts) holds 3,000 files; a hard mount lists them in small pages, and
 * the container is killed and started again after the third page. The listing carries on
 * (reconnect and resend; a new cookie verifier is BAD_COOKIE, which restarts the walk) and
 * returns every name exactly once — for READDIR and READDIRPLUS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnGanesha } from './helpers/ganesha.js';
import type { OwnServer } from './helpers/ganesha.js';
import { mounted } from './helpers/mounts.js';

const N = 3000;
let own: OwnServer;

beforeAll(async () => {
  own = await startOwnGanesha();
  const made = await own.server.exec(['bash', '-c', `mkdir /export/many && cd /export/many && seq -f 'n%05g' 0 ${N - 1} | xargs touch`]);
  expect(made.exitCode, made.output).toBe(0);
}, 180_000);

afterAll(async () => {
  await own?.stop();
});

describe('a server restart in the middle of a listing', () => {
  for (const typed of [false, true]) {
    const proc = typed ? 'READDIRPLUS' : 'READDIR';
    it(`${proc}: the listing completes with every name exactly once`, async () => {
      const nfs = await mounted(own.server.url('/export'), { readdirsize: 4096 });
      let pages = 0;
      let restarting: Promise<void> | null = null;
      nfs.raw.nfs.onCall = (name) => {
        if (name !== proc) return;
        if (++pages === 3) restarting = own.server.restart();
      };
      const names = typed ? (await nfs.readdir('/many', { withFileTypes: true })).map((d) => d.name) : await nfs.readdir('/many');
      await restarting;
      expect(restarting, 'the server was restarted during the listing').not.toBe(null);
      expect(names).toHaveLength(N);
      expect([...names].sort()).toEqual(Array.from({ length: N }, (_, i) => `n${String(i).padStart(5, '0')}`));
      const st = nfs.stats();
      expect(st.rpc.reconnects).toBeGreaterThan(0);
      console.log(`${proc}: ${pages} pages, ${st.rpc.reconnects} reconnects, ${st.badCookieRestarts} BAD_COOKIE restarts, ${st.rpc.retransmits} retransmits`);
    }, 120_000);
  }
});
