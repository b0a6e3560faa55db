/*
 * RFC 4506 §7: the example "file" structure and its encoding, byte for byte.
 *
 *   const MAXUSERNAME = 32; const MAXFILELEN = 65535; const MAXNAMELEN = 255;
 *   enum filekind { TEXT = 0, DATA = 1, EXEC = 2 };
 *   union filetype switch (filekind kind) {
 *     case TEXT: void; case DATA: string creator<MAXNAMELEN>; case EXEC: string interpretor<MAXNAMELEN>;
 *   };
 *   struct file { string filename<MAXNAMELEN>; filetype type; string owner<MAXUSERNAME>; opaque data<MAXFILELEN>; };
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { XdrCodec } from '../../rpc/xdr/codec.js';
import { XdrDecodeError } from '../../rpc/errors.js';
import { decode, encode, roundTrips, thrown } from './xdr-helpers.js';

const MAXUSERNAME = 32;
const MAXFILELEN = 65535;
const MAXNAMELEN = 255;
const TEXT = 0, DATA = 1, EXEC = 2;

type filetype = { kind: typeof TEXT } | { kind: typeof DATA; creator: string } | { kind: typeof EXEC; interpretor: string };
interface file {
  filename: string;
  type: filetype;
  owner: string;
  data: Buffer;
}

const file: XdrCodec<file> = {
  encode(w, v) {
    w.string(v.filename, MAXNAMELEN, 'filename');
    w.enum(v.type.kind, 'filekind', TEXT, EXEC);
    if (v.type.kind === DATA) w.string(v.type.creator, MAXNAMELEN, 'creator');
    if (v.type.kind === EXEC) w.string(v.type.interpretor, MAXNAMELEN, 'interpretor');
    w.string(v.owner, MAXUSERNAME, 'owner');
    w.opaque(v.data, MAXFILELEN, 'data');
  },
  decode(r) {
    const filename = r.string(MAXNAMELEN, 'filename');
    const kind = r.enum(TEXT, EXEC, 'filekind');
    const type: filetype = kind === DATA ? { kind, creator: r.string(MAXNAMELEN, 'creator') }
      : kind === EXEC ? { kind, interpretor: r.string(MAXNAMELEN, 'interpretor') } : { kind: TEXT };
    const owner = r.string(MAXUSERNAME, 'owner');
    const data = r.opaque(MAXFILELEN, 'data');
    return { filename, type, owner, data };
  },
};

const fixture = JSON.parse(readFileSync(new URL('../fixtures/xdr/rfc4506-file.json', import.meta.url), 'utf8')) as {
  hex: string;
  decodeErrors: { description: string; hex: string; offset: number; what: string }[];
};

const sillyprog: file = { filename: 'sillyprog', type: { kind: EXEC, interpretor: 'lisp' }, owner: 'john', data: Buffer.from('(quit)') };

describe('RFC 4506 §7 example', () => {
  it('encodes the "sillyprog" file exactly as the RFC\'s table shows', () => {
    expect(encode(file, sillyprog).toString('hex')).toBe(fixture.hex);
    expect(encode(file, sillyprog).length).toBe(48);
  });

  it('decodes the RFC\'s bytes back to the same structure, whatever the chunking', () => {
    const { values } = roundTrips(file, sillyprog, [1, 13, 13, 30]);
    for (const v of values) expect(v).toEqual(sillyprog);
    expect(decode(file, Buffer.from(fixture.hex, 'hex'))).toEqual(sillyprog);
  });

  for (const c of fixture.decodeErrors) {
    it(`rejects ${c.description} at offset ${c.offset}`, () => {
      const e = thrown(() => decode(file, Buffer.from(c.hex, 'hex')));
      expect(e).toBeInstanceOf(XdrDecodeError);
      expect((e as XdrDecodeError).offset).toBe(c.offset);
      expect((e as XdrDecodeError).what).toBe(c.what);
    });
  }
});
