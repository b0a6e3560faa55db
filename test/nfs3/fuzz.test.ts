/*
 * Decoders on hostile input: random bytes, and valid messages with bytes changed or cut, in any
 * chunking. Every failure must be an XdrDecodeError with an offset inside the input: no other
 * exception, no hang, no allocation of a claimed size (a claimed length can never exceed the input,
 * which these tests keep small).
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XdrDecodeError } from '../../rpc/errors.js';
import { decodeCallHeader } from '../../rpc/msg/call.js';
import { decodeReplyHeader } from '../../rpc/msg/reply.js';
import { PMAP2_PROCEDURES } from '../../rpc/pmap/pmap2.js';
import { RPCB4_PROCEDURES } from '../../rpc/pmap/rpcb.js';
import type { XdrCodec } from '../../rpc/xdr/codec.js';
import { XdrReader } from '../../rpc/xdr/reader.js';
import { MOUNT3_PROCEDURES } from '../../nfsclient/mount3/procs.js';
import { NFS3_PROCEDURES } from '../../nfsclient/nfs3/procs.js';
import { READ3res_into, READ3res_mbuf } from '../../nfsclient/nfs3/proc-io.js';
import { NFS3_OK } from '../../nfsclient/nfs3/nfsstat3.js';
import { READDIRPLUS3res } from '../../nfsclient/nfs3/proc-readdir.js';
import { chainOf, encode, fcParams } from '../rpc/xdr-helpers.js';
import { arbEntryplus3, arbPostOpAttr } from './nfs3-arbitraries.js';

type Decode = (r: XdrReader) => unknown;
const decoders: [string, Decode][] = [
  ['reply header', decodeReplyHeader],
  ['call header', decodeCallHeader],
  ['READ3res_mbuf', (r) => READ3res_mbuf.decode(r)],
  ['READ3res_into', (r) => READ3res_into(Buffer.alloc(64), 0).decode(r)],
];
for (const table of [NFS3_PROCEDURES, MOUNT3_PROCEDURES, PMAP2_PROCEDURES, RPCB4_PROCEDURES]) {
  for (const p of Object.values(table) as { name: string; args: XdrCodec<unknown>; res: XdrCodec<unknown> }[]) {
    decoders.push([`${p.name} args`, (r) => p.args.decode(r)], [`${p.name} res`, (r) => p.res.decode(r)]);
  }
}

function onlyDecodeErrors(decodeFn: Decode, bytes: Buffer, cuts: number[]): void {
  const r = new XdrReader(chainOf(bytes, cuts));
  try {
    decodeFn(r);
    r.ensureInputConsumed();
  } catch (e) {
    if (!(e instanceof XdrDecodeError)) throw e;
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(bytes.length);
  }
}

describe('decoders on hostile input', () => {
  it(`random bytes into each of ${decoders.length} decoders throw only XdrDecodeError`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: decoders.length - 1 }), fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 5 }), (i, bytes, cuts) => {
        onlyDecodeErrors(decoders[i]![1], Buffer.from(bytes), cuts);
      }),
      { ...fcParams, numRuns: 2000 },
    );
  });

  it('mostly-zero and mostly-one words (plausible lengths and flags) throw only XdrDecodeError', () => {
    const word = fc.oneof(fc.constant(0), fc.constant(1), fc.constant(2), fc.constant(0xffffffff), fc.nat(64), fc.nat());
    fc.assert(
      fc.property(fc.integer({ min: 0, max: decoders.length - 1 }), fc.array(word, { maxLength: 80 }), (i, words) => {
        const b = Buffer.alloc(words.length * 4);
        words.forEach((w, k) => b.writeUInt32BE(w >>> 0, k * 4));
        onlyDecodeErrors(decoders[i]![1], b, []);
      }),
      { ...fcParams, numRuns: 2000 },
    );
  });

  it('valid READDIRPLUS replies with one byte changed or cut short throw only XdrDecodeError', () => {
    const arbReply = fc.record({
      dir_attributes: arbPostOpAttr,
      entries: fc.array(arbEntryplus3, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(arbReply, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (v, at, byte, cut) => {
        const bytes = encode(READDIRPLUS3res, { status: NFS3_OK, resok: { dir_attributes: v.dir_attributes, cookieverf: Buffer.alloc(8), reply: { entries: v.entries, eof: true } } });
        const pos = at % bytes.length;
        const input = cut ? bytes.subarray(0, pos) : Buffer.from(bytes);
        if (!cut) input[pos] = byte;
        onlyDecodeErrors((r) => READDIRPLUS3res.decode(r), input, [pos]);
      }),
      fcParams,
    );
  });
});
