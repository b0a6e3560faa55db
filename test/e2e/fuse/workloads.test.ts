/*
 * Load from programs built to find file system bugs: fio writing with data verification
 * (sequential and random, several block sizes, 4 jobs at once), dbench and fs_mark with fsync.
 * fio's data is verified twice: through the mount that wrote it, and again through a second,
 * fresh mount of the same export (nothing cached there: the bytes come from the server).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../../helpers/scratch.js';
import { nfsCat } from '../../helpers/clients.js';
import { checkNoMountsLeft, filesBelow, fuseMount, fuseUnavailable, localDir, rawUrl, sh } from './helpers.js';

checkNoMountsLeft();
beforeAll(() => {
  const why = fuseUnavailable();
  if (why !== null) throw new Error(why);
});

/* fio saves its verify state in the working directory (*-verify.state): a local one of the test's. */
function fioArgs(dir: string, rw: string, bs: string, size: string): string {
  return `cd '${fioHome}' && fio --name=${rw}-${bs} --directory='${dir}' --rw=${rw} --bs=${bs} --size=${size} --numjobs=4 ` +
    '--ioengine=psync --verify=crc32c --verify_fatal=1 --end_fsync=1 --group_reporting';
}

const fioHome = localDir('fio');

describe('fio, dbench and fs_mark on a sonfs mount', () => {
  it('fio: sequential and random writes at 4 KiB, 64 KiB and 1 MiB, 4 jobs, verified with crc32c through this and a fresh mount', async () => {
    const scratch = await scratchDir();
    const a = await fuseMount(scratch.url());
    const b = await fuseMount(scratch.url());
    try {
      for (const [rw, bs, size] of [['write', '4k', '4m'], ['randwrite', '4k', '2m'], ['write', '64k', '16m'],
        ['randwrite', '64k', '8m'], ['write', '1m', '32m'], ['randwrite', '1m', '16m']] as const) {
        const r = await sh(`${fioArgs(a.dir, rw, bs, size)} --do_verify=1`, { timeoutMs: 180_000 });
        const out = r.stdout.toString();
        expect(r.code, `fio ${rw} ${bs}: ${r.stderr}\n${out}`).toBe(0);
        expect(out).toMatch(/err= 0/);
        /* The same jobs, verify only, through the other mount: what the server holds. */
        const v = await sh(`${fioArgs(b.dir, rw, bs, size)} --verify_only`, { timeoutMs: 180_000 });
        expect(v.code, `fio --verify_only ${rw} ${bs} through the second mount: ${v.stderr}\n${v.stdout.toString()}`).toBe(0);
        expect(v.stdout.toString()).toMatch(/err= 0/);
        /* and libnfs's nfs-cat reads the same bytes from the server */
        const file = `${rw}-${bs}.0.0`;
        expect((await nfsCat(rawUrl(scratch, file))).equals(readFileSync(join(b.dir, file))), file).toBe(true);
      }
    } finally {
      await a.unmount();
      await b.unmount();
    }
  }, 300_000);

  it('dbench runs 30 s with no errors', async () => {
    const scratch = await scratchDir();
    const m = await fuseMount(scratch.url());
    try {
      const r = await sh(`dbench -t 30 -D '${m.dir}' 2`, { timeoutMs: 180_000 });
      const out = r.stdout.toString();
      expect(r.code, `${r.stderr}\n${out.slice(-3000)}`).toBe(0);
      expect(out).toMatch(/Throughput [\d.]+ MB\/sec/);
      expect(out).not.toMatch(/ERROR|failed|Bad/i);
    } finally {
      await m.unmount();
    }
  }, 180_000);

  it('fs_mark: files written, fsynced and closed by 4 threads, with no errors', async () => {
    const scratch = await scratchDir();
    const m = await fuseMount(scratch.url());
    try {
      const dir = join(m.dir, 'fsm');
      const r = await sh(`mkdir '${dir}' && cd '${localDir('fsmark')}' && fs_mark -d '${dir}' -s 16384 -n 100 -t 4 -S 1 -L 2 -k`, { timeoutMs: 180_000 });
      const out = r.stdout.toString();
      expect(r.code, `${r.stderr}\n${out}`).toBe(0);
      const rows = out.split('\n').filter((l) => /^\s+\d+\s+\d+\s+16384\s+[\d.]+\s+\d+\s*$/.test(l));
      expect(rows.length, out).toBe(2);
      /* fs_mark writes its log (fs_log.txt) in the working directory: a local one. -k keeps the files: 2 loops x 4 threads x 100 files of 16 KiB, all on the server */
      const count = await scratch.server.exec(`find ${scratch.path}/fsm -type f -size 16k | wc -l`);
      expect(Number(count.output.trim())).toBe(800);
      /* a sample of them read back with nfs-cat, compared with what the mount reads */
      for (const f of filesBelow(dir).filter((_, i) => i % 40 === 0)) {
        expect((await nfsCat(rawUrl(scratch, `fsm/${f}`))).equals(readFileSync(join(dir, f))), f).toBe(true);
      }
    } finally {
      await m.unmount();
    }
  }, 180_000);
});
