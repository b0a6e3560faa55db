/*
 * Byte strings as JS strings (rpc/xdr/utf8b.ts, PEP 383's surrogateescape): any bytes decode to a
 * string that encodes back to the same bytes; valid UTF-8 decodes as Buffer#toString does; XDR
 * strings go through it both ways.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasEscapedBytes, utf8bDecode, utf8bEncode, xdr_string } from '../../rpc/xdr/index.js';
import { decode, encode, fcParams } from './xdr-helpers.js';

describe('utf8b', () => {
  it('any bytes decode to a string that encodes back to the same bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (u) => {
      const b = Buffer.from(u);
      const s = utf8bDecode(b);
      expect(utf8bEncode(s).equals(b)).toBe(true);
      /* no U+FFFD appears unless the bytes hold one */
      if (!b.includes(Buffer.from('\uFFFD'))) expect(s.includes('\uFFFD')).toBe(false);
    }), { ...fcParams, numRuns: 3000 });
  });

  it('valid UTF-8 (any string of code points) decodes as Buffer#toString does, and is not escaped', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
      const b = Buffer.from(s, 'utf8');
      expect(utf8bDecode(b)).toBe(s);
      expect(hasEscapedBytes(s)).toBe(false);
      expect(utf8bEncode(s).equals(b)).toBe(true);
    }), fcParams);
  });

  it('escapes exactly the bytes that are not valid UTF-8 (RFC 3629), one lone surrogate each', () => {
    const cases: [string, string][] = [
      ['ff', '\uDCFF'],
      ['61ff62', 'a\uDCFFb'],
      ['c080', '\uDCC0\uDC80'], /* overlong NUL */
      ['e08080', '\uDCE0\uDC80\uDC80'], /* overlong */
      ['eda080', '\uDCED\uDCA0\uDC80'], /* an encoded surrogate */
      ['f4908080', '\uDCF4\uDC90\uDC80\uDC80'], /* above U+10FFFF */
      ['e282', '\uDCE2\uDC82'], /* cut short */
      ['efbfbd', '\uFFFD'], /* a real U+FFFD stays one */
      ['f09f9880ff', '\u{1F600}\uDCFF'], /* a pair, then an escape */
      ['c3a9', 'é'],
    ];
    for (const [hex, s] of cases) {
      expect(utf8bDecode(Buffer.from(hex, 'hex')), hex).toBe(s);
      expect(utf8bEncode(s).toString('hex'), hex).toBe(hex);
    }
  });

  it('a low surrogate that completes a pair is not an escape', () => {
    const s = '\uD83D\uDC80'; /* U+1F480, whose low half lies in U+DC80..U+DCFF */
    expect(hasEscapedBytes(s)).toBe(false);
    expect(utf8bEncode(s).toString('hex')).toBe('f09f9280');
  });

  it('XDR strings keep bytes that are not UTF-8', () => {
    const raw = Buffer.from([0x6e, 0xff, 0xfe, 0x2e, 0x74, 0x78, 0x74]);
    const wire = encode(xdr_string(255), raw as unknown as string);
    const s = decode(xdr_string(255), wire);
    expect(s).toBe('n\uDCFF\uDCFE.txt');
    expect(encode(xdr_string(255), s).equals(wire)).toBe(true);
  });
});
