/*
 * Deterministic test data. A big file is AES-128-CTR of zeros under a fixed key (fast, the same
 * bytes on every machine, incompressible); small files use a byte formula that the libnfs helper
 * (bench/native/libnfs-bench.c) computes too.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const KEY = Buffer.from('736f6e66732062656e6368206b657921', 'hex'); /* "sonfs bench key!" */
const IV = Buffer.alloc(16);

/** Writes `bytes` deterministic bytes to `path`; resolves with their hex SHA-256. */
export async function makeBigFile(path: string, bytes: number): Promise<string> {
  const cipher = createCipheriv('aes-128-ctr', KEY, IV);
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const zeros = Buffer.alloc(4 * 1024 * 1024);
  for (let done = 0; done < bytes;) {
    const n = Math.min(zeros.length, bytes - done);
    const chunk = cipher.update(n === zeros.length ? zeros : zeros.subarray(0, n));
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    done += n;
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

/** The content of small file number `index`: byte j is (index·31 + j·7) mod 256. */
export function smallFileContent(index: number, size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let j = 0; j < size; j++) b[j] = (index * 31 + j * 7) & 0xff;
  return b;
}

/** The period of patternBlock, and of the files the library write rows make. */
export const PATTERN_BYTES = 4 * 1024 * 1024;

/** Byte i of the pattern: the top byte of i·2654435761 mod 2^32 (bench/native/libnfs-bench.c pattern_byte). */
export function patternBlock(): Buffer {
  const b = Buffer.allocUnsafe(PATTERN_BYTES);
  for (let i = 0; i < PATTERN_BYTES; i++) b[i] = Math.imul(i, 2654435761) >>> 24;
  return b;
}

/** SHA-256 of `bytes` bytes of the pattern repeated: what a library write row must leave on the server. */
export function patternSha256(bytes: number): string {
  const block = patternBlock();
  const hash = createHash('sha256');
  for (let done = 0; done < bytes; done += PATTERN_BYTES) hash.update(block.subarray(0, Math.min(PATTERN_BYTES, bytes - done)));
  return hash.digest('hex');
}
