/*
 * The global options --trace FILE [--trace-data] and --replay FILE: their checks, and a trace of a
 * command that fails (a refused connection on 127.0.0.1) is complete and readable.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { ECONNREFUSED } from '../../sockets/index.js';
import { readTrace } from '../../trace/reader.js';
import { Op } from '../../trace/schema.js';
import { closedPortUrl } from './ports.js';
import { run } from '../cli/helpers.js';
import { scratch } from './helpers.js';

const tmp = scratch();
afterAll(() => tmp.cleanup());

describe('sonfs --trace / --replay', () => {
  test('--trace-data needs --trace; --trace and --replay exclude each other; --replay needs a file', async () => {
    let r = await run(['--trace-data', 'ls', 'nfs://127.0.0.1/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--trace-data needs --trace FILE');
    r = await run(['--trace', tmp.file('a.pb'), '--replay', tmp.file('b.pb'), 'ls', 'nfs://127.0.0.1/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot be used together');
    r = await run(['--replay']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--replay needs a file name');
  });

  test('a command that fails still leaves a complete trace: the refused connect and its errno', async () => {
    const file = tmp.file('refused.pb');
    const url = await closedPortUrl();
    const r = await run(['--trace', file, 'stat', url]);
    expect(r.code).toBe(1);
    const t = readTrace(file);
    expect(t.truncated).toBeNull();
    expect(t.header!.argv).toEqual(['sonfs', 'stat', url]);
    expect(t.header!.payloads).toBe(false);
    const connects = t.events.filter((e) => e.op === Op.SOCONNECT);
    expect(connects.length).toBeGreaterThan(0);
    expect(connects[0]!.addr).toMatchObject({ address: '127.0.0.1' });
    const gone = t.events.filter((e) => e.op === Op.SOISDISCONNECTED);
    expect(gone.some((e) => e.error === ECONNREFUSED)).toBe(true);
    expect(t.events.filter((e) => e.op === Op.SOCLOSE).length).toBe(t.events.filter((e) => e.op === Op.SOCREATE).length);
  });

  test('a trace file that cannot be created is an error before anything runs', async () => {
    const r = await run(['--trace', '/nonexistent-dir/t.pb', 'stat', 'nfs://127.0.0.1/x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ENOENT');
  });
});
