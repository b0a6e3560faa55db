/*
 * What `sonfs demo` shows, step by step, against a server of its own (sonfs/testing's
 * startGanesha(): nfs-ganesha + rpcbind in Docker, ports published on 127.0.0.1 only, picked
 * free so a test suite's server on 111/2049/20048 is not disturbed). Every step checks what it
 * shows (data read back equals data written, a renamed file is gone under its old name, a write
 * to the read-only export is refused) and throws if not, so the demo's exit status is honest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { NfsClient } from '../../nfsclient/index.js';
import { listExports } from '../../nfsclient/index.js';
import { MOUNT_PROGRAM, MOUNT_V3, NFS_PROGRAM, NFS_V3 } from '../../nfsclient/internal.js';
import { getport } from '../../rpc/index.js';
import type { StartedGanesha } from '../../testing/index.js';
import { catMain } from '../commands/cat.js';
import { dfMain } from '../commands/df.js';
import { lsMain } from '../commands/ls.js';
import { exportLines } from '../commands/showmount.js';
import type { CliIo } from '../io.js';
import { cliCtx } from '../lib/context.js';
import { errorCode, reason } from '../lib/errors.js';
import { byteCount } from '../lib/format.js';
import type { Mounts } from '../lib/mounts.js';
import type { Step } from './tour.js';

/** Size of the file written and read back. */
export const DEMO_FILE_SIZE = 32 * 1024 * 1024;
const DEMO_DIR = '/sonfs-demo';

/** What the steps share. The caller owns the server and the mounts and cleans them up. */
export interface DemoState {
  server: StartedGanesha | null;
  /** Set as soon as startGanesha() is called, so a Ctrl-C during the start can still stop it. */
  starting: Promise<StartedGanesha> | null;
  mounts: Mounts;
}

/* Collects what a command prints, to show it indented under its step. */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** Run a CLI command implementation and log its output; a non-zero status is a failure. */
async function showCommand(mounts: Mounts, name: string, impl: (args: string[], ctx: ReturnType<typeof cliCtx>) => Promise<number>,
  args: string[], log: (line: string) => void): Promise<void> {
  const out = new Capture();
  const err = new Capture();
  const io = { stdout: out, stderr: err, stdin: process.stdin } as unknown as CliIo;
  log(`$ sonfs ${name} ${args.map((a) => (a.includes('?') ? `'${a}'` : a)).join(' ')}`);
  const status = await impl(args, cliCtx(io, mounts, `sonfs ${name}`));
  for (const line of out.text.replace(/\n$/, '').split('\n')) log(line === '' ? '' : `  ${line}`);
  if (status !== 0) throw new Error(`sonfs ${name} exited ${status}: ${err.text.trim()}`);
}

function rate(bytes: number, ms: number): string {
  return `${byteCount(bytes / Math.max(ms, 1) * 1000)}/s`;
}

function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(`check failed: ${what}`);
}

async function client(s: DemoState, path: string): Promise<NfsClient> {
  return (await s.mounts.locate(s.server!.url(path))).client;
}

/** Deterministic-size random data, produced in 1 MiB pieces, hashed as it goes. */
function randomSource(size: number, hash: ReturnType<typeof createHash>): Readable {
  let left = size;
  return new Readable({
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const n = Math.min(left, 1024 * 1024);
      const chunk = randomBytes(n);
      hash.update(chunk);
      left -= n;
      this.push(chunk);
    },
  });
}

export function demoSteps(s: DemoState, start: () => Promise<StartedGanesha>): Step[] {
  let writtenHash = '';
  return [
    {
      title: 'start nfs-ganesha 4.3 and rpcbind in Docker (sonfs/testing startGanesha)',
      limitMs: 300_000,
      async run(log) {
        s.starting = start();
        s.server = await s.starting;
        const p = s.server.ports;
        log(`container ${s.server.containerId.slice(0, 12)}, ports published on 127.0.0.1 only:`);
        log(`NFS ${p.nfs}, MOUNT ${p.mount}, portmapper ${p.rpcbind ?? '(not published)'} (free ports, so nothing else is disturbed)`);
      },
    },
    {
      title: 'ask the portmapper for NFS and MOUNT (PMAP GETPORT) and list the exports (MOUNT EXPORT)',
      async run(log) {
        const srv = s.server!;
        const pmapPort = srv.ports.rpcbind ?? 111;
        const nfs = await getport(srv.host, NFS_PROGRAM, NFS_V3, 'tcp', { pmapPort });
        const mnt = await getport(srv.host, MOUNT_PROGRAM, MOUNT_V3, 'tcp', { pmapPort });
        log(`portmapper on port ${pmapPort} says: NFS v3/tcp on ${nfs}, MOUNT v3/tcp on ${mnt}`);
        expect(nfs === srv.ports.nfs && mnt === srv.ports.mount, 'the portmapper knows the published ports');
        const list = await listExports(srv.host, { mountport: srv.ports.mount });
        for (const line of exportLines(srv.host, list.map((e) => ({ ex_dir: e.dir, ex_groups: e.groups })))) log(line);
        expect(list.some((e) => e.dir === '/export') && list.some((e) => e.dir === '/ro'), '/export and /ro are exported');
      },
    },
    {
      title: 'mount /export (MNT, then FSINFO and PATHCONF negotiate the sizes)',
      async run(log) {
        log(`URL ${s.server!.url('/export')}`);
        const c = await client(s, '/export');
        const l = c.limits;
        log(`rsize ${l.rsize}, wsize ${l.wsize}, READDIRPLUS ${l.dircount}/${l.maxcount} bytes, name_max ${l.nameMax}`);
        await c.mkdir(DEMO_DIR);
        log(`made ${DEMO_DIR} (MKDIR)`);
      },
    },
    {
      title: `write a ${byteCount(DEMO_FILE_SIZE)} file of random bytes through a write stream (UNSTABLE WRITEs, COMMIT at close)`,
      async run(log) {
        const c = await client(s, '/export');
        const before = c.stats();
        const hash = createHash('sha256');
        const t0 = performance.now();
        await pipeline(randomSource(DEMO_FILE_SIZE, hash), c.createWriteStream(`${DEMO_DIR}/random.bin`));
        const ms = performance.now() - t0;
        writtenHash = hash.digest('hex');
        const after = c.stats();
        log(`${byteCount(DEMO_FILE_SIZE)} in ${Math.round(ms)} ms (${rate(DEMO_FILE_SIZE, ms)}): ${after.writes - before.writes} WRITEs, ${after.commits - before.commits} COMMIT(s)`);
        log(`sha256 ${writtenHash.slice(0, 16)}...; 'finish' came after the COMMIT: the data is on stable storage`);
        const st = await c.stat(`${DEMO_DIR}/random.bin`);
        expect(st.size === DEMO_FILE_SIZE, `the server reports ${DEMO_FILE_SIZE} bytes (it says ${st.size})`);
      },
    },
    {
      title: 'read it back through a read stream (read-ahead) and compare the SHA-256',
      async run(log) {
        const c = await client(s, '/export');
        const before = c.stats();
        const hash = createHash('sha256');
        const t0 = performance.now();
        await pipeline(c.createReadStream(`${DEMO_DIR}/random.bin`, { highWaterMark: 1024 * 1024 }), new Writable({
          write(chunk: Buffer, _e, cb) {
            hash.update(chunk);
            cb();
          },
        }));
        const ms = performance.now() - t0;
        const got = hash.digest('hex');
        const after = c.stats();
        log(`${byteCount(DEMO_FILE_SIZE)} in ${Math.round(ms)} ms (${rate(DEMO_FILE_SIZE, ms)}), ${after.readAheadBlocks - before.readAheadBlocks} read-ahead READs`);
        expect(got === writtenHash, 'the data read back equals the data written');
        log(`sha256 ${got.slice(0, 16)}... matches`);
      },
    },
    {
      title: 'small files, a symbolic link and a rename (CREATE, SYMLINK, READLINK, RENAME)',
      async run(log) {
        const c = await client(s, '/export');
        const text = `written by sonfs at ${new Date().toISOString()}\n`;
        await c.writeFile(`${DEMO_DIR}/notes.txt`, text);
        expect((await c.readFile(`${DEMO_DIR}/notes.txt`, 'utf8')) === text, 'notes.txt reads back');
        log('notes.txt written and read back');
        await c.symlink('notes.txt', `${DEMO_DIR}/latest`);
        expect((await c.readlink(`${DEMO_DIR}/latest`)) === 'notes.txt', 'the link holds its target');
        log('latest -> notes.txt');
        await c.rename(`${DEMO_DIR}/notes.txt`, `${DEMO_DIR}/renamed.txt`);
        const gone = await c.stat(`${DEMO_DIR}/notes.txt`).then(() => false, (e: unknown) => errorCode(e) === 'ENOENT');
        expect(gone, 'notes.txt is gone after the rename');
        expect((await c.readFile(`${DEMO_DIR}/renamed.txt`, 'utf8')) === text, 'renamed.txt has the content');
        log('notes.txt renamed to renamed.txt; the old name is ENOENT, the new one has the data');
        await c.mkdir(`${DEMO_DIR}/sub/deeper`, { recursive: true });
        log('sub/deeper made (mkdir -p)');
      },
    },
    {
      title: 'list the directory (one READDIRPLUS gives names and attributes)',
      async run(log) {
        await showCommand(s.mounts, 'ls', lsMain, ['-l', s.server!.url(`/export${DEMO_DIR}`)], log);
      },
    },
    {
      title: 'remove everything (REMOVE, RMDIR) and check it is gone',
      async run(log) {
        const c = await client(s, '/export');
        await c.unlink(`${DEMO_DIR}/latest`);
        await c.unlink(`${DEMO_DIR}/random.bin`);
        await c.rm(DEMO_DIR, { recursive: true });
        const left = await c.readdir('/');
        expect(!left.includes(DEMO_DIR.slice(1)), `${DEMO_DIR} is gone`);
        log(`${DEMO_DIR} and its files removed; /export lists ${left.length === 0 ? 'nothing' : left.join(', ')}`);
      },
    },
    {
      title: 'the read-only export /ro: list it, cat a file, verify 1 MiB of known data, try a write',
      async run(log) {
        await showCommand(s.mounts, 'ls', lsMain, ['-l', '-R', s.server!.url('/ro')], log);
        await showCommand(s.mounts, 'cat', catMain, [s.server!.url('/ro/hello.txt')], log);
        const { roPattern } = await import('../../testing/index.js');
        const c = await client(s, '/ro');
        const data = await c.readFile('/pattern.bin') as Buffer;
        expect(data.equals(roPattern()), 'pattern.bin holds byte i % 251 at offset i');
        log(`pattern.bin: ${byteCount(data.length)}, every byte where it belongs`);
        const refused = await c.writeFile('/nope.txt', 'x').then(() => null, (e: unknown) => e);
        expect(errorCode(refused) === 'EROFS', `a write to /ro is refused with EROFS (got ${refused === null ? 'success' : errorCode(refused)})`);
        log(`writing /ro/nope.txt: ${errorCode(refused)} (${reason(refused)}), as it should be`);
      },
    },
    {
      title: 'free space (FSSTAT)',
      async run(log) {
        await showCommand(s.mounts, 'df', dfMain, ['-h', s.server!.url('/export'), s.server!.url('/ro')], log);
      },
    },
    {
      title: "the client's statistics",
      async run(log) {
        for (const c of await s.mounts.clients()) {
          const st = c.stats();
          log(`mount ${c.options.export}: ${st.rpc.calls} NFS calls, ${st.rpc.retransmits} retransmits, ${st.rpc.timeouts} timeouts, ${st.rpc.reconnects} reconnects`);
          const procs = Object.entries(st.procedures).filter(([, p]) => p.calls > 0).sort((a, b) => b[1].calls - a[1].calls);
          for (const [name, p] of procs) {
            const rtt = Number.isNaN(p.rttMeanMs) ? '' : `, mean RTT ${p.rttMeanMs.toFixed(2)} ms`;
            log(`  ${name.padEnd(12)} ${String(p.calls).padStart(5)} calls${p.errors > 0 ? `, ${p.errors} errors` : ''}${rtt}`);
          }
          log(`  attribute cache: ${st.attrCache.hits} hits, ${st.attrCache.misses} misses; name cache: ${st.nameCache.hits} hits, ${st.nameCache.negativeHits} negative hits, ${st.nameCache.misses} misses`);
          log(`  read ${byteCount(st.bytesRead)} (read-ahead served ${byteCount(st.readAheadHits)}), wrote ${byteCount(st.bytesWritten)} in ${st.writes} WRITEs and ${st.commits} COMMITs`);
        }
      },
    },
    {
      title: 'unmount (UMNT) and stop the server',
      async run(log) {
        await s.mounts.closeAll();
        log('unmounted: every socket closed');
        await s.server?.stop();
        log('server stopped and its container removed');
      },
    },
  ];
}
