/*
 * sonfs trace show: the timeline (one line per event, kdump style), the RPC summary (tshark
 * style) and the JSON form, on a recorded ganesha session.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { rpcSummary } from '../../trace/show.js';
import { run } from '../cli/helpers.js';
import { encodeTrace, fixture, loadFixture, scratch } from './helpers.js';

const tmp = scratch();
afterAll(() => tmp.cleanup());

describe('sonfs trace show', () => {
  const t = loadFixture('cat-hello.pb');

  test('prints the command, one line per event, and each RPC message by program and procedure', async () => {
    const r = await run(['trace', 'show', fixture('cat-hello.pb')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[1]).toBe(`command: ${t.header!.argv.join(' ')}`);
    expect(lines[2]).toBe(`payloads: all bytes (replayable); ${t.events.length} events`);
    const timeline = lines.filter((l) => /^\s+\d+\s+\d+\.\d{6}/.test(l));
    expect(timeline).toHaveLength(t.events.length);
    expect(r.stdout).toMatch(/so 1\s+SOCREATE inet stream proto 0 = 0/);
    expect(r.stdout).toMatch(/SOCONNECT 127\.0\.0\.1:20048 = 0/);
    expect(r.stdout).toMatch(/SOSETOPT IPPROTO_TCP TCP_NODELAY 1 = 0/);
    expect(r.stdout).toMatch(/TSLEEP chan \d+ "rpccon" timo \d+/);
    expect(r.stdout).toMatch(/SORECEIVE 0 bytes = EAGAIN/);
    expect(r.stdout).toMatch(/SOSEND \d+ bytes = 0 {3}MOUNT v3 MNT Call xid 0x[0-9a-f]{8}/);
    expect(r.stdout).toMatch(/SORECEIVE \d+ bytes = 0 {3}NFS v3 READ Reply xid 0x[0-9a-f]{8} OK/);
  });

  test('ends with response times per procedure: every call answered, no errors', async () => {
    const r = await run(['trace', 'show', fixture('cat-hello.pb')]);
    const at = r.stdout.indexOf('ONC-RPC service response time statistics');
    expect(at).toBeGreaterThan(0);
    const table = r.stdout.slice(at).split('\n').slice(1).filter((l) => l !== '');
    expect(table[0]).toMatch(/^Program\s+Version\s+Procedure\s+Calls\s+Replies\s+Errors\s+Min SRT\s+Max SRT\s+Avg SRT$/);
    expect(table.some((l) => /^NFS\s+3\s+READ\s+\d+\s+\d+\s+0\s+\d+\.\d{6}/.test(l))).toBe(true);
    expect(table.some((l) => /^MOUNT\s+3\s+MNT\s+1\s+1\s+0/.test(l))).toBe(true);
    const rows = rpcSummary(t);
    for (const row of rows) {
      expect(row.replies).toBe(row.calls);
      expect(row.errors).toBe(0);
      expect(row.minSrt! <= row.avgSrt! && row.avgSrt! <= row.maxSrt!).toBe(true);
    }
  });

  test('a reply with an NFS error shows its status by name and counts as an error', async () => {
    const events = t.events.map((e) => ({
      ...e,
      rpc: (e.rpc ?? []).map((h) => (h.msgType === 1 && h.prog === 100003 && h.proc === 3 ? { ...h, status: 2 } : h)),
    }));
    const rows = rpcSummary({ ...t, events });
    expect(rows.find((r) => r.procedure === 'LOOKUP')).toMatchObject({ calls: 1, replies: 1, errors: 1 });
    const file = tmp.write('noent.pb', encodeTrace(t.header!, events));
    const r = await run(['trace', 'show', file]);
    expect(r.stdout).toMatch(/NFS v3 LOOKUP Reply xid 0x[0-9a-f]{8} NFS3ERR_NOENT/);
  });

  test('--json gives the header, every event (ops by name, bytes in base64) and the summary', async () => {
    const r = await run(['trace', 'show', '--json', fixture('cat-hello.pb')]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      header: { argv: string[] }; truncated: null; events: { seq: number; op: string; errno: string; data: string; rpc: { procedure: string }[] }[];
      rpc: { program: string; procedure: string; calls: number }[];
    };
    expect(j.header.argv).toEqual(t.header!.argv);
    expect(j.truncated).toBeNull();
    expect(j.events).toHaveLength(t.events.length);
    expect(j.events[0]!.seq).toBe(1);
    const first = j.events.find((e) => e.op === 'SOSEND')!;
    const rec = t.events.find((e) => e.op === 11)!;
    expect(Buffer.from(first.data, 'base64').equals(rec.data!)).toBe(true);
    expect(j.events.some((e) => e.errno === 'EAGAIN')).toBe(true);
    expect(j.events.flatMap((e) => e.rpc).some((h) => h.procedure === 'READ')).toBe(true);
    expect(j.rpc.find((x) => x.program === 'NFS' && x.procedure === 'READ')!.calls).toBeGreaterThan(0);
  });

  test('usage errors exit 2; a missing file exits 1 with the reason', async () => {
    expect((await run(['trace'])).code).toBe(2);
    expect((await run(['trace', 'frobnicate'])).code).toBe(2);
    expect((await run(['trace', 'show'])).code).toBe(2);
    const r = await run(['trace', 'show', '/nonexistent/trace.pb']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ENOENT');
  });
});
