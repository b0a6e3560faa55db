/*
 * uaddr.ts checks IPv6 text itself (rpc/ does not import node:net): it must agree with Node's
 * own check on valid addresses of every shape and on near misses.
 */
import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatUaddr, parseUaddr } from '../../rpc/index.js';

const accepts = (a: string): boolean => {
  try {
    parseUaddr(`${a}.8.1`);
    return true;
  } catch {
    return false;
  }
};

describe('IPv6 universal addresses', () => {
  test('every IPv6 address fast-check makes is accepted and keeps its port', () => {
    fc.assert(fc.property(fc.ipV6(), fc.integer({ min: 0, max: 65535 }), (a, port) => {
      expect(parseUaddr(formatUaddr(a, port))).toEqual({ family: 'inet6', address: a, port });
    }), { numRuns: 2000 });
  });

  test.each([
    '::', '::1', '1::', 'fe80::1', '2001:db8::8:800:200c:417a', '::ffff:192.0.2.1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4',
    ':::', '1:::2', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '::1.2.3', '::1.2.3.256', '1::2:',
    ':1::2', '::ffff:01.2.3.4', '1:2:3:4:5:6:7::8', '::1:2:3:4:5:6:7',
  ])('%s is judged as node:net judges it', (a) => {
    expect(accepts(a)).toBe(net.isIPv6(a) && !/(^|[:.])0\d/.test(a.slice(a.lastIndexOf(':') + 1)));
  });
});
