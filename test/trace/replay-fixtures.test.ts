/*
 * Replaying the recorded ganesha sessions in test/fixtures/traces/ (no server, no host socket):
 * the same command gives the recorded output; a changed recording gives a divergence naming the
 * first recorded event that differs; a trace without payloads or of another command is refused.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { sostat } from '../../sockets/index.js';
import { Op } from '../../trace/schema.js';
import type { TraceEvent } from '../../trace/schema.js';
import { sonfs } from '../e2e/cli/helpers.js';
import { encodeTrace, fixture, loadFixture, scratch } from './helpers.js';

/* The listings and stat print local times: the recorded ones are checked in UTC. */
process.env['TZ'] = 'UTC';

const tmp = scratch();
afterAll(() => tmp.cleanup());

/** The recorded command line without its leading 'sonfs'. */
function argsOf(name: string): string[] {
  return loadFixture(name).header!.argv.slice(1);
}

async function replay(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const host = sostat.host_live;
  const r = await sonfs(['--replay', file, ...args]);
  expect(sostat.host_live, 'replay opened a host socket').toBeLessThanOrEqual(host);
  return r;
}

describe('replaying recorded ganesha sessions', () => {
  test('cat of a small file prints the recorded bytes', async () => {
    const r = await replay(fixture('cat-hello.pb'), argsOf('cat-hello.pb'));
    expect(r).toEqual({ code: 0, stdout: 'hello from sonfs\n', stderr: '' });
  });

  test('ls -l of a directory prints the recorded listing', async () => {
    const r = await replay(fixture('ls-dir.pb'), argsOf('ls-dir.pb'));
    expect(r).toEqual({
      code: 0,
      stdout: 'total 4\ndrwxr-xr-x 2 0 0 60 Jan  1  2020 nested\n-rw-r--r-- 1 0 0  4 Jan  1  2020 one.txt\n',
      stderr: '',
    });
  });

  test('stat prints the recorded attributes', async () => {
    const r = await replay(fixture('stat-hello.pb'), argsOf('stat-hello.pb'));
    expect(r).toEqual({
      code: 0,
      stdout: [
        '  File: /ro/hello.txt',
        '  Size: 17        \tBlocks: 8          IO Block: 1048576 regular file',
        'Device: 3c00000000h/257698037760d\tInode: 8           Links: 1',
        'Access: (0644/-rw-r--r--)  Uid: (    0)   Gid: (    0)',
        'Access: 2026-11-21 16:49:58.787146503 +0000',
        'Modify: 2020-01-01 00:00:00.000000000 +0000',
        'Change: 2026-11-21 16:49:54.605219868 +0000',
        ' Birth: -',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('a failed call replays as the same failure: cat of a missing file, then of one that exists', async () => {
    const r = await replay(fixture('cat-missing.pb'), argsOf('cat-missing.pb'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('hello from sonfs\n');
    expect(r.stderr).toBe("sonfs cat: cannot read '/ro/missing': No such file or directory\n");
  });

  test('a session over UDP replays datagram by datagram', async () => {
    const t = loadFixture('cat-udp.pb');
    expect(t.events.some((e) => e.op === Op.SOCREATE && e.type === 2)).toBe(true);
    const r = await replay(fixture('cat-udp.pb'), argsOf('cat-udp.pb'));
    expect(r).toEqual({ code: 0, stdout: 'one\n', stderr: '' });
  });

  test('replaying twice gives the recorded output both times (the recorded xids are reused each time)', async () => {
    for (let i = 0; i < 2; i++) {
      expect(await replay(fixture('cat-hello.pb'), argsOf('cat-hello.pb'))).toEqual({ code: 0, stdout: 'hello from sonfs\n', stderr: '' });
    }
  });
});

describe('divergence', () => {
  function edited(name: string, edit: (events: TraceEvent[]) => TraceEvent[]): string {
    const t = loadFixture(name);
    return tmp.write(`edited-${name}`, encodeTrace(t.header!, edit(t.events.map((e) => ({ ...e })))));
  }

  test('a recorded call with other arguments is named as the first differing event', async () => {
    let target: TraceEvent | undefined;
    const file = edited('cat-hello.pb', (events) => {
      target = events.find((e) => e.op === Op.SOSEND && (e.rpc ?? []).some((h) => h.prog === 100003 && h.proc === 6));
      const data = Buffer.from(target!.data!);
      data[data.length - 1] ^= 0xff; /* the READ's count */
      target!.data = data;
      return events;
    });
    const r = await replay(file, argsOf('cat-hello.pb'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`replay diverged at recorded event #${target!.seq} SOSEND on socket 3`);
    expect(r.stderr).toContain('NFS v3 READ');
    expect(r.stderr).toMatch(/the arguments of NFS v3 READ \(xid 0x[0-9a-f]{8}\) differ from the recording's at byte \d+/);
  });

  test('a recorded call of another procedure is reported as such', async () => {
    let target: TraceEvent | undefined;
    const file = edited('stat-hello.pb', (events) => {
      target = events.find((e) => e.op === Op.SOSEND && (e.rpc ?? []).some((h) => h.prog === 100003 && h.proc === 19));
      const data = Buffer.from(target!.data!);
      data.writeUInt32BE(1, 4 + 20); /* FSINFO → GETATTR */
      target!.data = data;
      return events;
    });
    const r = await replay(file, argsOf('stat-hello.pb'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`#${target!.seq} SOSEND on socket`);
    expect(r.stderr).toContain('the command called NFS v3 FSINFO');
    expect(r.stderr).toContain('where the recording has NFS v3 GETATTR');
  });

  test('a connect to another address than the recorded one is named', async () => {
    let target: TraceEvent | undefined;
    const file = edited('stat-hello.pb', (events) => {
      target = events.find((e) => e.op === Op.SOCONNECT && e.addr?.port === 2049);
      target!.addr = { ...target!.addr!, port: 2050 };
      return events;
    });
    const r = await replay(file, argsOf('stat-hello.pb'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`#${target!.seq} SOCONNECT on socket ${target!.so} (127.0.0.1:2050)`);
    expect(r.stderr).toContain('the command connected to 127.0.0.1:2049, not 127.0.0.1:2050');
  });

  test('recorded sends the command never makes are a divergence at the end', async () => {
    const file = edited('cat-hello.pb', (events) => {
      const send = events.find((e) => e.op === Op.SOSEND && e.so === 3)!;
      const last = events[events.length - 1]!;
      return [...events.slice(0, -2), { ...send, seq: last.seq + 1 }, ...events.slice(-2)];
    });
    const r = await replay(file, argsOf('cat-hello.pb'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the command ended without making this send');
  });

  test('a recording cut short diverges where the command goes on', async () => {
    const t = loadFixture('cat-hello.pb');
    const firstRead = t.events.findIndex((e) => e.op === Op.SOSEND && (e.rpc ?? []).some((h) => h.proc === 6));
    const file = tmp.write('short.pb', encodeTrace(t.header!, t.events.slice(0, firstRead)));
    const r = await replay(file, argsOf('cat-hello.pb'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('replay diverged');
    expect(r.stderr).toContain('after the recording\'s last send on it');
  });
});

describe('refusals', () => {
  test('a trace recorded without payloads cannot be replayed, and says how to record one', async () => {
    const t = loadFixture('cat-hello.pb');
    const file = tmp.write('nopayloads.pb', encodeTrace({ ...t.header!, payloads: false }, t.events));
    const r = await replay(file, argsOf('cat-hello.pb'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('recorded without payloads');
    expect(r.stderr).toContain('--trace-data');
  });

  test('another command than the recorded one is refused', async () => {
    const args = argsOf('cat-hello.pb');
    const r = await replay(fixture('cat-hello.pb'), ['stat', args[1]!]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the trace recorded 'sonfs cat");
  });

  test('a file that is not a trace is refused', async () => {
    const file = tmp.write('garbage.pb', Buffer.from('this is not a trace\n'));
    const r = await replay(file, ['cat', 'nfs://127.0.0.1/x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a sonfs trace');
  });
});
