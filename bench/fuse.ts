/*
 * The FUSE mount against sonfs's own commands, side by side on one nfs-ganesha:
 *
 *   fuse-read   dd if=DIR/big.bin of=/dev/null bs=1M           against  sonfs cat URL > /dev/null
 *   fuse-write  dd if=LOCAL of=DIR/w-N bs=1M conv=fsync        against  sonfs cp LOCAL URL
 *
 * DIR is a `sonfs mount --background` of the same export, mounted once for the run. Each side runs
 * --reps times (default 5), alternating which goes first, after one untimed run of each that is
 * checked (SHA-256 of what was read; of what was written, in the server's container). The
 * kernel's page cache is dropped before every read, so dd reads through FUSE, not from memory.
 * Throughput is the file's size over the command's wall time; for sonfs cat and cp that includes
 * starting the process and mounting (about 0.2 s), for dd nothing but the transfer (the mount is
 * already there) — what a user of each waits for. dd's write ends with fsync (COMMIT), as cp
 * ends with its COMMIT: both wait until the data is on stable storage.
 *
 * Targets (issue 16): reads at least 0.8 × sonfs cat, writes at least 0.7 × sonfs cp.
 *
 *   node dist/bench/fuse.js [--reps N] [--size MiB] [--out FILE]   (root; npm run bench -- --only fuse)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mountAt } from '../fuse/index.js';
import { startGanesha } from '../testing/index.js';
import type { StartedGanesha } from '../testing/index.js';
import { BenchArgs } from './lib/args.js';
import { requireGnuTime, runChild } from './lib/child.js';
import { makeBigFile } from './lib/data.js';
import { machineInfo } from './lib/machine.js';
import { summarize } from './lib/stats.js';
import type { Summary } from './lib/stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SONFS = [process.execPath, join(HERE, '..', 'cli', 'sonfs.js')];
const MB = 1e6;

const args = new BenchArgs();
const REPS = args.number('--reps', 5);
const SIZE = args.number('--size', 1024) * 2 ** 20;
const OUT = resolve(args.string('--out') ?? join(process.cwd(), 'bench', 'results', 'fuse.json'));

function log(line: string): void {
  console.log(line);
}

async function sh(argv: string[]): Promise<string> {
  return (await runChild(argv, { stdout: 'capture' })).stdout;
}

function dropCaches(): void {
  writeFileSync('/proc/sys/vm/drop_caches', '3');
}

interface Pair {
  name: string;
  fuse: number[];
  sonfs: number[];
  ratios: number[];
  target: number;
}

function fmt(s: Summary, digits = 0): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error('the FUSE bench mounts a file system: run it as root');
  if (!existsSync('/dev/fuse')) throw new Error('/dev/fuse is missing');
  requireGnuTime();
  const tmp = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sonfs-bench-fuse-'));
  const dir = join(tmp, 'mnt');
  mkdirSync(dir);
  let server: StartedGanesha | undefined;
  let mounted = false;
  try {
    const local = join(tmp, 'big.bin');
    log(`making the ${SIZE / 2 ** 20} MiB source file`);
    const sha = await makeBigFile(local, SIZE);
    const tmpfsGiB = Math.ceil((3 * SIZE) / 2 ** 30) + 1;
    log(`starting ganesha in host network mode (tmpfs /export ${tmpfsGiB}g) ...`);
    server = await startGanesha({ network: 'host', tmpfsSize: `${tmpfsGiB}g`, name: `sonfs-bench-fuse-${process.pid}` });
    const srv = server;
    const url = (p: string): string => srv.url(p);
    const serverSha = async (p: string): Promise<string> => {
      const r = await srv.exec(`sha256sum ${p}`, 300_000);
      return r.stdout.split(/\s/)[0]!;
    };
    await runChild([...SONFS, 'cp', local, url('/export/big.bin')], { stdout: 'null' });
    if (await serverSha('/export/big.bin') !== sha) throw new Error('the source file did not arrive intact');
    const m = await runChild([...SONFS, 'mount', '--background', url('/export'), dir], { stdout: 'null' });
    if (m.stderr.trim() !== '') log(m.stderr.trim());
    mounted = true;
    log(`mounted ${url('/export')} at ${dir}`);

    /* Checked runs. */
    dropCaches();
    const readSha = (await sh(['sha256sum', join(dir, 'big.bin')])).split(/\s/)[0];
    if (readSha !== sha) throw new Error(`reading through the mount gave SHA-256 ${readSha}, expected ${sha}`);
    await runChild(['dd', `if=${local}`, `of=${join(dir, 'check.bin')}`, 'bs=1M', 'conv=fsync'], { stdout: 'null' });
    if (await serverSha('/export/check.bin') !== sha) throw new Error('dd through the mount wrote other bytes');
    await srv.exec('rm -f /export/check.bin');

    const read: Pair = { name: 'fuse-read', fuse: [], sonfs: [], ratios: [], target: 0.8 };
    const write: Pair = { name: 'fuse-write', fuse: [], sonfs: [], ratios: [], target: 0.7 };
    let n = 0;
    const sides = {
      async readFuse(): Promise<number> {
        dropCaches();
        const r = await runChild(['dd', `if=${join(dir, 'big.bin')}`, 'of=/dev/null', 'bs=1M'], { stdout: 'null' });
        return SIZE / r.seconds / MB;
      },
      async readSonfs(): Promise<number> {
        dropCaches();
        const r = await runChild([...SONFS, 'cat', url('/export/big.bin')], { stdout: 'null' });
        return SIZE / r.seconds / MB;
      },
      async write(fuse: boolean): Promise<number> {
        const name = `w-${fuse ? 'fuse' : 'sonfs'}-${n++}.bin`;
        const argv = fuse
          ? ['dd', `if=${local}`, `of=${join(dir, name)}`, 'bs=1M', 'conv=fsync']
          : [...SONFS, 'cp', local, url(`/export/${name}`)];
        const r = await runChild(argv, { stdout: 'null' });
        const got = await serverSha(`/export/${name}`);
        await srv.exec(`truncate -s 0 /export/${name}; rm -f /export/${name}`);
        if (got !== sha) throw new Error(`${argv.join(' ')} wrote other bytes (SHA-256 ${got})`);
        return SIZE / r.seconds / MB;
      },
    };
    for (let rep = 0; rep < REPS; rep++) {
      const fuseFirst = rep % 2 === 0;
      const pairs: [Pair, () => Promise<number>, () => Promise<number>][] = [
        [read, sides.readFuse, sides.readSonfs],
        [write, () => sides.write(true), () => sides.write(false)],
      ];
      for (const [p, f, s] of pairs) {
        let a: number;
        let b: number;
        if (fuseFirst) {
          a = await f();
          b = await s();
        } else {
          b = await s();
          a = await f();
        }
        p.fuse.push(a);
        p.sonfs.push(b);
        p.ratios.push(a / b);
        log(`  ${p.name} #${rep + 1}: dd through the mount ${a.toFixed(0)} MB/s, sonfs ${p === read ? 'cat' : 'cp'} ${b.toFixed(0)} MB/s, ratio ${(a / b).toFixed(2)}`);
      }
    }
    const rows = [read, write].map((p) => ({
      name: p.name, fuse: summarize(p.fuse), sonfs: summarize(p.sonfs), ratio: summarize(p.ratios), target: p.target,
    }));
    log('');
    log('workload     dd through the mount MB/s   sonfs cat/cp MB/s    ratio (min–max)    target');
    for (const r of rows) {
      log(`${r.name.padEnd(12)} ${fmt(r.fuse).padEnd(27)} ${fmt(r.sonfs).padEnd(20)} ${fmt(r.ratio, 2).padEnd(18)} ≥${r.target} ${r.ratio.median >= r.target ? 'met' : 'MISSED'}`);
    }
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify({
      date: new Date().toISOString(), machine: { ...machineInfo(), loadAtEnd: loadavg() }, reps: REPS, bytes: SIZE, results: rows,
    }, null, 2)}\n`);
    log(`wrote ${OUT}`);
    return rows.every((r) => r.ratio.median >= r.target) ? 0 : 1;
  } finally {
    if (mounted) {
      const u = spawn(SONFS[0]!, [SONFS[1]!, 'umount', dir], { stdio: 'inherit' });
      await new Promise((r) => u.once('close', r));
    }
    await server?.stop();
    /* Never recurse into a mount that is still there: that would remove the server's files. */
    if (mountAt(dir) === undefined) rmSync(tmp, { recursive: true, force: true });
    else log(`${dir} is still mounted: left ${tmp} in place`);
  }
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`bench fuse: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
