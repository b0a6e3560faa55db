/*
 * The name codec the client exports: names as bytes (what a kernel hands a FUSE server) to the
 * strings the client takes and gives, and back, for names that are not UTF-8 too.
 */
import { describe, expect, it } from 'vitest';
import { nameFromBytes, nameToBytes } from '../../nfsclient/index.js';

describe('nameFromBytes / nameToBytes', () => {
  it('UTF-8 names are plain strings; other bytes are escaped and come back as themselves', () => {
    expect(nameFromBytes(Buffer.from('héllo'))).toBe('héllo');
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]); /* "café" in Latin-1 */
    const s = nameFromBytes(latin1);
    expect(s).toBe('caf\uDCE9');
    expect(nameToBytes(s).equals(latin1)).toBe(true);
    expect(nameToBytes('héllo').equals(Buffer.from('héllo'))).toBe(true);
  });

  it('a slice of a buffer decodes alone', () => {
    const b = Buffer.from('xx\0name\0', 'latin1');
    expect(nameFromBytes(b, 3, 7)).toBe('name');
  });
});
