/*
 * Byte strings as JS strings, losslessly: UTF-8 with escaped bytes ("utf8b", Python's
 * surrogateescape, PEP 383).
 *
 * XDR strings (RFC 4506 §4.11) are bytes; NFS names and paths (RFC 1813 filename3, nfspath3) may
 * hold any bytes but "/" and NUL, and need not be UTF-8. Decoding them with Buffer#toString
 * would turn every invalid sequence into U+FFFD, and a name read from a listing could then not be
 * opened, renamed or removed. Here:
 *
 * - decode: valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF)
 *   decodes as usual; each byte that is not part of a valid sequence becomes the lone surrogate
 *   U+DC00 + byte (U+DC80..U+DCFF: such bytes are always ≥ 0x80).
 * - encode: the reverse. A lone surrogate U+DC80..U+DCFF (one not preceded by a high surrogate)
 *   becomes its byte again; everything else is UTF-8 as usual (other lone surrogates as U+FFFD,
 *   as Buffer.from does).
 *
 * So decode(encode(s)) = s for any string decode() returns, and encode(decode(b)) = b for any
 * bytes b. Valid UTF-8 costs one scan for U+FFFD on decode, one regular expression test on
 * encode; only names that need it take the slow paths.
 */

const ESCAPED = /[\uDC80-\uDCFF]/;

/** The bytes [start, end) of `buf` as a string, invalid UTF-8 bytes escaped. */
export function utf8bDecode(buf: Uint8Array, start = 0, end = buf.length): string {
  const s = Buffer.prototype.toString.call(buf, 'utf8', start, end) as string;
  if (s.indexOf('\uFFFD') === -1) return s;
  return decodeSlow(buf, start, end);
}

/* Length of the valid UTF-8 sequence at buf[i] (end exclusive), or 0 if none starts there. */
function sequenceAt(buf: Uint8Array, i: number, end: number): number {
  const b0 = buf[i]!;
  if (b0 < 0x80) return 1;
  let n: number;
  let min: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
    min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > end) return 0;
  let cp = b0 & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    const b = buf[i + k]!;
    if ((b & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

function decodeSlow(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  let run = start;
  for (let i = start; i < end;) {
    const n = sequenceAt(buf, i, end);
    if (n > 0) {
      i += n;
      continue;
    }
    if (run < i) out += Buffer.prototype.toString.call(buf, 'utf8', run, i) as string;
    out += String.fromCharCode(0xdc00 + buf[i]!);
    i++;
    run = i;
  }
  if (run < end) out += Buffer.prototype.toString.call(buf, 'utf8', run, end) as string;
  return out;
}

/** True if `s` holds escaped bytes, so that utf8bEncode must be used instead of Buffer.from(s). */
export function hasEscapedBytes(s: string): boolean {
  return ESCAPED.test(s) && escapedAt(s) >= 0;
}

/* Index of the first lone U+DC80..U+DCFF in s, or -1. */
function escapedAt(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff) {
      const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
      if (!(prev >= 0xd800 && prev <= 0xdbff)) return i;
    }
  }
  return -1;
}

/** `s` as bytes: UTF-8, with escaped bytes back as themselves. */
export function utf8bEncode(s: string): Buffer {
  if (!hasEscapedBytes(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc80 || c > 0xdcff) continue;
    const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue;
    if (run < i) parts.push(Buffer.from(s.slice(run, i), 'utf8'));
    parts.push(Buffer.of(c - 0xdc00));
    run = i + 1;
  }
  if (run < s.length) parts.push(Buffer.from(s.slice(run), 'utf8'));
  return Buffer.concat(parts);
}
