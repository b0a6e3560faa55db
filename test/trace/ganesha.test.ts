/*
 * Recording against the suite's nfs-ganesha and replaying with no server.
 *
 * Each command is recorded with --trace FILE --trace-data, then run again with --replay FILE:
 * the replay opens no host socket (sostat.host_live does not move, so the server is never asked)
 * and produces the same output. With SONFS_WRITE_TRACE_FIXTURES=DIR the recordings are also
 * copied to DIR (how test/fixtures/traces/ was made).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../cli/main.js';
import { capture } from '../cli/helpers.js';
import { roPattern } from '../../testing/index.js';
import { sostat } from '../../sockets/index.js';
import { so_instrumentation } from '../../sockets/internal.js';
import { mount } from '../../nfsclient/index.js';
import { readTrace } from '../../trace/reader.js';
import { traceMount } from '../../trace/index.js';
import { Op } from '../../trace/schema.js';
import { suiteServer } from '../helpers/server.js';
import { sonfs, sonfsBin } from '../e2e/cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sonfs-trace-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keep(file: string, name: string): void {
  const out = process.env.SONFS_WRITE_TRACE_FIXTURES;
  if (out !== undefined && out !== '') copyFileSync(file, join(out, name));
}

async function recordAndReplay(name: string, args: string[], code = 0): Promise<{ recorded: string; replayed: string }> {
  const file = join(dir, name);
  const rec = await sonfs(['--trace', file, '--trace-data', ...args]);
  expect(rec.code, rec.stderr).toBe(code);
  keep(file, name);
  /* The recording's connections finish closing on the host; from then on none may open. */
  await expect.poll(() => sostat.host_live, { timeout: 20_000 }).toBe(0);
  const rep = await sonfs(['--replay', file, ...args]);
  expect(sostat.host_live).toBe(0);
  expect(rep.stderr).toBe(rec.stderr);
  expect(rep.code).toBe(code);
  return { recorded: rec.stdout, replayed: rep.stdout };
}

describe('trace and replay against ganesha', () => {
  test('a sonfs cat recorded against ganesha replays with the server gone and produces identical bytes', async () => {
    const file = join(dir, 'cat-pattern.pb');
    const url = suiteServer().url('/ro/pattern.bin');
    const rec = await sonfsBin(['--trace', file, '--trace-data', 'cat', url]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout.equals(roPattern())).toBe(true);
    /* The executable replays it... */
    const rep = await sonfsBin(['--replay', file, 'cat', url]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stdout.equals(rec.stdout)).toBe(true);
    /* ...and so does main() in this process, where we can see that no host socket is ever opened:
     * the server is never asked. */
    await expect.poll(() => sostat.host_live, { timeout: 20_000 }).toBe(0);
    const chunks: Buffer[] = [];
    let maxHost = 0;
    const stdout = new Writable({
      write(chunk: Buffer, _e, cb) {
        chunks.push(Buffer.from(chunk));
        maxHost = Math.max(maxHost, sostat.host_live);
        cb();
      },
    });
    const c = capture();
    const code = await main(['--replay', file, 'cat', url], { ...c.io, stdout });
    expect(code, c.stderr.text).toBe(0);
    expect(maxHost).toBe(0);
    expect(sostat.host_live).toBe(0);
    expect(Buffer.concat(chunks).equals(rec.stdout)).toBe(true);
    const t = readTrace(file);
    expect(t.truncated).toBeNull();
    expect(t.events.some((e) => e.op === Op.SORECEIVE && (e.rpc ?? []).some((h) => h.prog === 100003 && h.proc === 6))).toBe(true);
  });

  test('cat, ls and stat of small files replay in process with the same output', async () => {
    const s = suiteServer();
    const cat = await recordAndReplay('cat-hello.pb', ['cat', s.url('/ro/hello.txt')]);
    expect(cat.recorded).toBe('hello from sonfs\n');
    expect(cat.replayed).toBe(cat.recorded);
    const ls = await recordAndReplay('ls-dir.pb', ['ls', '-l', s.url('/ro/dir')]);
    expect(ls.recorded).toContain('one.txt');
    expect(ls.replayed).toBe(ls.recorded);
    const stat = await recordAndReplay('stat-hello.pb', ['stat', s.url('/ro/hello.txt')]);
    expect(stat.recorded).toContain('17');
    expect(stat.replayed).toBe(stat.recorded);
  });

  test('errors replay too: a cat of a missing file fails with the same message', async () => {
    const s = suiteServer();
    const r = await recordAndReplay('cat-missing.pb', ['cat', s.url('/ro/missing'), s.url('/ro/hello.txt')], 1);
    expect(r.recorded).toBe('hello from sonfs\n');
    expect(r.replayed).toBe(r.recorded);
  });

  test('cp from nfs to a local file replays and writes the same bytes', async () => {
    const s = suiteServer();
    const file = join(dir, 'cp.pb');
    const dest = join(dir, 'copied.bin');
    const args = ['cp', s.url('/ro/pattern.bin'), dest];
    const rec = await sonfs(['--trace', file, '--trace-data', ...args]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(readFileSync(dest).equals(roPattern())).toBe(true);
    rmSync(dest);
    await expect.poll(() => sostat.host_live, { timeout: 20_000 }).toBe(0);
    const rep = await sonfs(['--replay', file, ...args]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(sostat.host_live).toBe(0);
    expect(readFileSync(dest).equals(roPattern())).toBe(true);
  });

  test('over UDP too: a cat with proto=udp replays with the same output', async () => {
    const r = await recordAndReplay('cat-udp.pb', ['cat', suiteServer().url('/ro/dir/one.txt', { proto: 'udp' })]);
    expect(r.recorded).toBe('one\n');
    expect(r.replayed).toBe(r.recorded);
  });

  test('traceMount records a mount until umount, then tracing is off; mount() itself refuses trace=', async () => {
    const s = suiteServer();
    const file = join(dir, 'mount-option.pb');
    await expect(mount(s.url('/ro', { trace: file }))).rejects.toThrow(/traceMount/);
    const nfs = await traceMount(file, false, () => mount(s.url('/ro')));
    expect((await nfs.readFile('/hello.txt')).toString()).toBe('hello from sonfs\n');
    await nfs.umount();
    expect(so_instrumentation()).toBeNull();
    const t = readTrace(file);
    expect(t.header?.payloads).toBe(false);
    const procs = t.events.flatMap((e) => (e.rpc ?? []).filter((h) => h.msgType === 0).map((h) => `${h.prog}/${h.proc}`));
    expect(procs).toContain('100005/1'); /* MNT */
    expect(procs).toContain('100003/6'); /* READ */
    expect(procs).toContain('100005/3'); /* UMNT */
    expect(t.events[t.events.length - 1]!.op).toBe(Op.SOCLOSE);
  });

  test('the sonfs command applies a URL\'s trace=FILE: the command\'s mount is recorded', async () => {
    const file = join(dir, 'url-option.pb');
    const r = await sonfs(['cat', suiteServer().url('/ro/hello.txt', { trace: file })]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('hello from sonfs\n');
    expect(so_instrumentation()).toBeNull();
    const procs = readTrace(file).events.flatMap((e) => (e.rpc ?? []).filter((h) => h.msgType === 0).map((h) => `${h.prog}/${h.proc}`));
    expect(procs).toContain('100005/1'); /* MNT */
    expect(procs).toContain('100003/6'); /* READ */
  });

  test('a headers-only trace keeps no payload bytes beyond RPC headers and is refused by replay', async () => {
    const file = join(dir, 'headers.pb');
    const url = suiteServer().url('/ro/hello.txt');
    const rec = await sonfs(['--trace', file, 'cat', url]);
    expect(rec.code, rec.stderr).toBe(0);
    const t = readTrace(file);
    expect(t.header?.payloads).toBe(false);
    const data = Buffer.concat(t.events.map((e) => e.data ?? Buffer.alloc(0)));
    expect(data.includes(Buffer.from('hello from sonfs'))).toBe(false);
    for (const e of t.events) {
      if (e.op === Op.SOSEND || e.op === Op.SORECEIVE) expect((e.data ?? Buffer.alloc(0)).length).toBeLessThanOrEqual(28);
    }
    const rep = await sonfs(['--replay', file, 'cat', url]);
    expect(rep.code).toBe(1);
    expect(rep.stderr).toContain('recorded without payloads');
  });
});
