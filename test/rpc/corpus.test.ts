/*
 * The hex corpus in test/fixtures/xdr/*.json (js-bson spec-corpus style): each `valid` entry must
 * decode and re-encode to the same bytes, from one buffer and from one-byte mbufs; each
 * `decodeErrors` entry must throw XdrDecodeError at `offset` while reading `what`. Add the bytes of
 * every decoding bug found here.
 */

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { XdrDecodeError } from '../../rpc/errors.js';
import { decodeReplyHeader, encodeReplyHeader } from '../../rpc/msg/reply.js';
import { pmaplist } from '../../rpc/pmap/pmap2.js';
import { rpcblist_ptr } from '../../rpc/pmap/rpcb.js';
import type { XdrCodec } from '../../rpc/xdr/codec.js';
import { exports, mountlist, mountres3 } from '../../nfsclient/mount3/types.js';
import { fattr3 } from '../../nfsclient/nfs3/attr.js';
import { GETATTR3res } from '../../nfsclient/nfs3/proc-attr.js';
import { READ3res, WRITE3res } from '../../nfsclient/nfs3/proc-io.js';
import { LOOKUP3res } from '../../nfsclient/nfs3/proc-lookup.js';
import { READDIR3res, READDIRPLUS3res } from '../../nfsclient/nfs3/proc-readdir.js';
import { byteChain, decode, encode, thrown } from './xdr-helpers.js';

const codecs: Record<string, XdrCodec<never>> = {
  fattr3, GETATTR3res, LOOKUP3res, READ3res, WRITE3res, READDIR3res, READDIRPLUS3res, mountres3, exports, mountlist,
  pmaplist, rpcblist_ptr, reply: { encode: encodeReplyHeader, decode: decodeReplyHeader },
} as unknown as Record<string, XdrCodec<never>>;

interface Corpus {
  description: string;
  valid: { codec: string; description: string; hex: string }[];
  decodeErrors: { codec: string; description: string; hex: string; offset: number; what: string }[];
}

const dir = new URL('../fixtures/xdr/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'rfc4506-file.json');

describe('XDR hex corpus', () => {
  it('has corpus files', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  for (const f of files) {
    const corpus = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Corpus;
    describe(f, () => {
      for (const c of corpus.valid) {
        it(`${c.codec}: ${c.description} round-trips byte for byte`, () => {
          const codec = codecs[c.codec]!;
          const bytes = Buffer.from(c.hex, 'hex');
          for (const v of [decode(codec, bytes), decode(codec, byteChain(bytes))]) expect(encode(codec, v).toString('hex')).toBe(c.hex);
        });
      }
      for (const c of corpus.decodeErrors) {
        it(`${c.codec}: ${c.description} is rejected at offset ${c.offset}`, () => {
          const codec = codecs[c.codec]!;
          for (const input of [Buffer.from(c.hex, 'hex'), byteChain(Buffer.from(c.hex, 'hex'))]) {
            const e = thrown(() => decode(codec, input));
            expect(e).toBeInstanceOf(XdrDecodeError);
            expect({ offset: (e as XdrDecodeError).offset, what: (e as XdrDecodeError).what }).toEqual({ offset: c.offset, what: c.what });
          }
        });
      }
    });
  }
});
