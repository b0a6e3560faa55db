/* examples/kernel-consumer.ts against its echo server, both on sonfs/sockets over loopback. */
import { describe, expect, it } from 'vitest';
import { runKernelConsumer, startEchoServer } from '../../examples/kernel-consumer.js';
import type { EchoServer } from '../../examples/kernel-consumer.js';
import { ECONNREFUSED, sostat } from '../../sockets/index.js';
import { closedPort, hostsClosed, onCleanup } from './helpers.js';

describe('example kernel consumer', () => {
  it('connects from a reserved port, sends a record-marked chain and reads the echoed record back with mp0', async () => {
    const live = sostat.so_live;
    const hosts = sostat.host_live;
    const srv = (await startEchoServer()) as EchoServer;
    expect(typeof srv).toBe('object');
    onCleanup(() => srv.close());
    const payload = Buffer.alloc(100_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
    const r = await runKernelConsumer('127.0.0.1', srv.port, payload);
    expect(r.error).toBe(0);
    expect(r.localPort).toBeLessThan(1024);
    expect(r.localPort).toBeGreaterThanOrEqual(600);
    expect(r.reply!.equals(payload)).toBe(true);
    const small = await runKernelConsumer('127.0.0.1', srv.port, Buffer.from('hello'));
    expect(small.reply!.toString()).toBe('hello');
    await srv.close();
    expect(sostat.so_live).toBe(live);
    expect(await hostsClosed(hosts)).toBe(true);
  });

  it('reports a refused connection as its errno', async () => {
    const r = await runKernelConsumer('127.0.0.1', await closedPort(), Buffer.from('x'));
    expect(r.error).toBe(ECONNREFUSED);
    expect(r.reply).toBeNull();
  });
});
