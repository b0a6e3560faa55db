/*
 * Large deterministic test data, made fast: an AES-128-CTR keystream (a seed picks the key), so a
 * 1 GiB source file takes a second or two to write and is never held in memory.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const CHUNK = 8 * 1024 * 1024;

/** `len` bytes of the stream of `seed` starting at byte `offset` (a multiple of 16). */
export function streamBytes(seed: number, offset: number, len: number): Buffer {
  if (offset % 16 !== 0) throw new RangeError('offset must be a multiple of 16');
  const key = Buffer.alloc(16);
  key.writeUInt32BE(seed >>> 0, 0);
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(offset / 16), 8);
  const c = createCipheriv('aes-128-ctr', key, iv);
  return c.update(Buffer.alloc(len));
}

/** Write `size` bytes of the stream of `seed` to `path`; resolves with their sha256 (hex). */
export async function writeStreamFile(path: string, size: number, seed: number): Promise<string> {
  const h = createHash('sha256');
  const f = await open(path, 'w');
  try {
    for (let at = 0; at < size; at += CHUNK) {
      const b = streamBytes(seed, at, Math.min(CHUNK, size - at));
      h.update(b);
      await f.write(b, 0, b.length, at);
    }
  } finally {
    await f.close();
  }
  return h.digest('hex');
}

/** sha256 (hex) of the first `len` bytes of the stream of `seed`. */
export function streamDigest(seed: number, len: number): string {
  const h = createHash('sha256');
  for (let at = 0; at < len; at += CHUNK) h.update(streamBytes(seed, at, Math.min(CHUNK, len - at)));
  return h.digest('hex');
}
